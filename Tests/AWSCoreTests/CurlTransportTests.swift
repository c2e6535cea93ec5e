import AWSCore
import Foundation
import Synchronization
import TestSupport
import Testing

@Suite("libcurl transport")
struct CurlTransportTests {
    @Test("a request and its response travel intact: method, headers, body, status")
    func roundTrip() async throws {
        let server = try LoopbackHTTPServer { request in
            .init(status: 201, headers: [("X-Echo-Method", request.method), ("X-Seen", request.header("X-Custom") ?? "")],
                  body: request.body.reversed())
        }
        let response = try await CurlTransport().send(HTTPRequest(
            method: "PUT", url: server.baseURL + "/a/b?c=d", headers: ["X-Custom": "value 1"], body: Array("hello".utf8)))
        #expect(response.status == 201)
        #expect(response.headers["x-echo-method"] == "PUT")
        #expect(response.headers["X-Seen"] == "value 1")
        #expect(response.bodyText == "olleh")
        #expect(server.requests.first?.target == "/a/b?c=d")
        // The transport adds no Content-Type, Accept or Expect of its own.
        let names = Set(server.requests.first!.headers.map { $0.name.lowercased() })
        #expect(!names.contains("content-type") && !names.contains("accept") && !names.contains("expect"))
    }

    @Test("sequential requests reuse one kept-alive connection")
    func keepAlive() async throws {
        let server = try LoopbackHTTPServer { _ in .init(text: "ok") }
        let transport = CurlTransport()
        for _ in 0..<20 {
            #expect(try await transport.send(HTTPRequest(method: "GET", url: server.baseURL + "/")).status == 200)
        }
        #expect(server.connectionCount == 1)
        #expect(server.requests.count == 20)
    }

    @Test("100 concurrent requests are all in flight at once and all answered")
    func concurrency() async throws {
        let server = try LoopbackHTTPServer { request in .init(text: request.target, delay: 0.3) }
        let transport = CurlTransport(configuration: .init(maxIdleConnections: 100))
        let started = Date()
        let targets = try await withThrowingTaskGroup(of: String.self) { group in
            for i in 0..<100 {
                group.addTask { try await transport.send(HTTPRequest(method: "GET", url: server.baseURL + "/\(i)")).bodyText }
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(targets == Set((0..<100).map { "/\($0)" }))
        // Each answer takes 0.3 s: one after another would take 30 s.
        #expect(Date().timeIntervalSince(started) < 10)
    }

    @Test("the total timeout ends a slow exchange with a timedOut error")
    func timeout() async throws {
        let server = try LoopbackHTTPServer { _ in .init(text: "late", delay: 2) }
        let started = Date()
        await #expect {
            try await CurlTransport().send(HTTPRequest(method: "GET", url: server.baseURL, timeouts: HTTPTimeouts(connect: 1, total: 0.3)))
        } throws: { error in (error as? HTTPTransportError)?.kind == .timedOut }
        #expect(Date().timeIntervalSince(started) < 1.9, "the 2 s answer must not have been awaited")
    }

    @Test("a refused connection is connectionFailed")
    func refused() async throws {
        let server = try LoopbackHTTPServer { _ in .init(text: "") }
        let url = server.baseURL
        server.stop()
        await #expect {
            try await CurlTransport().send(HTTPRequest(method: "GET", url: url))
        } throws: { error in (error as? HTTPTransportError)?.kind == .connectionFailed }
    }

    @Test("a server that closes mid-response gives connectionLost")
    func midResponse() async throws {
        let server = try LoopbackHTTPServer { _ in .init(body: Array(repeating: 65, count: 10_000), truncateBodyAt: 100) }
        await #expect {
            try await CurlTransport().send(HTTPRequest(method: "GET", url: server.baseURL))
        } throws: { error in (error as? HTTPTransportError)?.kind == .connectionLost }
    }

    @Test("a body over the size bound is refused, not buffered")
    func sizeBound() async throws {
        let server = try LoopbackHTTPServer { _ in .init(body: Array(repeating: 66, count: 300_000)) }
        await #expect {
            try await CurlTransport(configuration: .init(maxResponseBytes: 100_000)).send(HTTPRequest(method: "GET", url: server.baseURL))
        } throws: { error in (error as? HTTPTransportError)?.kind == .responseTooLarge }
    }

    @Test("cancelling the task aborts its transfer promptly")
    func cancellation() async throws {
        let server = try LoopbackHTTPServer { _ in .init(text: "late", delay: 5) }
        let transport = CurlTransport()
        let task = Task { try await transport.send(HTTPRequest(method: "GET", url: server.baseURL)) }
        try await Task.sleep(for: .milliseconds(200))
        let started = Date()
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(Date().timeIntervalSince(started) < 3, "the 5 s answer must not have been awaited")
    }

    @Test("non-HTTP URLs are rejected before any I/O")
    func schemes() async throws {
        await #expect {
            try await CurlTransport().send(HTTPRequest(method: "GET", url: "file:///etc/passwd"))
        } throws: { error in (error as? HTTPTransportError)?.kind == .invalidRequest }
    }
}

@Suite("Endpoints")
struct EndpointTests {
    @Test("regional endpoints follow the partition")
    func partitions() {
        #expect(EndpointResolver.resolve(service: ServiceDescriptor(name: "EC2", signingName: "ec2", endpointPrefix: "ec2", apiVersion: "2016-11-15", wireProtocol: .ec2Query),
                                         region: "eu-west-1", environment: [:]).url == "https://ec2.eu-west-1.amazonaws.com")
        #expect(EndpointResolver.dnsSuffix(region: "cn-north-1") == "amazonaws.com.cn")
        #expect(EndpointResolver.dnsSuffix(region: "us-gov-west-1") == "amazonaws.com")
    }

    @Test("AWS_ENDPOINT_URL_<SERVICE> beats AWS_ENDPOINT_URL; an explicit override beats both")
    func overrides() {
        let autoscaling = ServiceDescriptor(name: "Auto Scaling", signingName: "autoscaling", endpointPrefix: "autoscaling", apiVersion: "2011-01-01", wireProtocol: .awsQuery)
        let env = ["AWS_ENDPOINT_URL": "http://127.0.0.1:5000/", "AWS_ENDPOINT_URL_AUTO_SCALING": "http://127.0.0.1:6000"]
        #expect(EndpointResolver.environmentVariable(for: autoscaling) == "AWS_ENDPOINT_URL_AUTO_SCALING")
        #expect(EndpointResolver.resolve(service: autoscaling, region: "us-east-1", environment: env).url == "http://127.0.0.1:6000")
        #expect(EndpointResolver.resolve(service: autoscaling, region: "us-east-1", environment: ["AWS_ENDPOINT_URL": "http://127.0.0.1:5000/"]).url == "http://127.0.0.1:5000")
        #expect(EndpointResolver.resolve(service: autoscaling, region: "us-east-1", override: "http://localhost:4566", environment: env).source == "explicit endpoint")
    }

    @Test("signing an HTTPRequest adds Host (without default ports) and signs the wire path and query")
    func signHTTPRequest() throws {
        var request = HTTPRequest(method: "GET", url: "https://elasticfilesystem.us-east-1.amazonaws.com:443/2015-02-01/file-systems?MaxItems=10&CreationToken=a%20b")
        let creds = AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
        let signature = try SigV4Signer(region: "us-east-1", service: "elasticfilesystem")
            .signHeaders(&request, credentials: creds, date: Date(timeIntervalSince1970: 1_440_938_160))
        #expect(request.headers["Host"] == "elasticfilesystem.us-east-1.amazonaws.com")
        #expect(signature.canonicalRequest.hasPrefix("GET\n/2015-02-01/file-systems\nCreationToken=a%20b&MaxItems=10\nhost:elasticfilesystem.us-east-1.amazonaws.com\n"))
        #expect(request.headers["Authorization"]?.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/elasticfilesystem/aws4_request, SignedHeaders=host;x-amz-date, Signature=") == true)
    }
}
