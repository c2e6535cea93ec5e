import AWSCore
import AWSFake
import Foundation
import Testing

@Suite("Fake transport")
struct FakeTransportTests {
    /// A signed query request for `action` of `service`, as a client would send it.
    func queryRequest(_ service: String, _ action: String, extra: String = "") throws -> HTTPRequest {
        var request = HTTPRequest(method: "POST", url: "https://\(service).us-east-1.amazonaws.com/",
                                  headers: ["Content-Type": "application/x-www-form-urlencoded"],
                                  body: Array("Action=\(action)&Version=1\(extra)".utf8))
        try SigV4Signer(region: "us-east-1", service: service)
            .signHeaders(&request, credentials: AWSCredentials(accessKeyId: "AKID", secretAccessKey: "s"), date: Date())
        return request
    }

    @Test("a sequence plays in order and its last answer repeats, as polling needs")
    func sequence() async throws {
        let fake = FakeTransport()
        fake.answer("ec2", "DescribeImages", sequence: ["pending", "pending", "available"].map { .xml("<state>\($0)</state>") })
        var states: [String] = []
        for _ in 0..<5 { states.append(try await fake.send(queryRequest("ec2", "DescribeImages")).bodyText) }
        #expect(states == ["pending", "pending", "available", "available", "available"].map { "<state>\($0)</state>" })
        #expect(fake.calls("ec2", "DescribeImages") == 5)
    }

    @Test("requests are recorded with service, operation and form parameters")
    func recording() async throws {
        let fake = FakeTransport()
        fake.answer("autoscaling", "SetDesiredCapacity", with: .xml("<ok/>"))
        _ = try await fake.send(queryRequest("autoscaling", "SetDesiredCapacity", extra: "&AutoScalingGroupName=magento-asg&DesiredCapacity=4"))
        let recorded = try #require(fake.requests.first)
        #expect(recorded.service == "autoscaling" && recorded.operation == "SetDesiredCapacity")
        #expect(recorded.parameters["AutoScalingGroupName"] == "magento-asg")
        #expect(recorded.parameters["DesiredCapacity"] == "4")
    }

    @Test("a fault replaces exactly the Nth call")
    func faults() async throws {
        let fake = FakeTransport()
        fake.answer("elasticloadbalancing", "DescribeInstanceHealth", with: .xml("<ok/>"))
        fake.inject(.serverError(502), service: "elasticloadbalancing", operation: "DescribeInstanceHealth", onCall: 2)
        fake.inject(.timeout, service: "elasticloadbalancing", operation: "DescribeInstanceHealth", onCall: 3)
        fake.inject(.connectionReset, service: "elasticloadbalancing", operation: "DescribeInstanceHealth", onCall: 4)
        let request = try queryRequest("elasticloadbalancing", "DescribeInstanceHealth")
        #expect(try await fake.send(request).status == 200)
        let failed = try await fake.send(request)
        #expect(failed.status == 502 && failed.bodyText.contains("<Code>InternalError</Code>"))
        await #expect { try await fake.send(request) } throws: { ($0 as? HTTPTransportError)?.kind == .timedOut }
        await #expect { try await fake.send(request) } throws: { ($0 as? HTTPTransportError)?.kind == .connectionLost }
        #expect(try await fake.send(request).status == 200)
    }

    @Test("throttling faults use each service's own error format")
    func throttlingFormats() async throws {
        let fake = FakeTransport()
        fake.inject(.throttling, service: "ec2", operation: "RunInstances", onCall: 1)
        fake.inject(.throttling, service: "autoscaling", operation: "DescribeAutoScalingGroups", onCall: 1)
        let ec2 = try await fake.send(queryRequest("ec2", "RunInstances"))
        #expect(ec2.bodyText.contains("<Response><Errors><Error><Code>RequestLimitExceeded</Code>"))
        let asg = try await fake.send(queryRequest("autoscaling", "DescribeAutoScalingGroups"))
        #expect(asg.status == 400 && asg.bodyText.contains("<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>"))
    }

    @Test("REST routes name EFS operations; a request with no answer fails naming it")
    func routesAndUnanswered() async throws {
        let fake = FakeTransport()
        fake.route(service: "elasticfilesystem", method: "DELETE", path: "/2015-02-01/file-systems/{FileSystemId}", operation: "DeleteFileSystem")
        fake.answer("elasticfilesystem", "DeleteFileSystem", with: .init(status: 204))
        var request = HTTPRequest(method: "DELETE", url: "https://elasticfilesystem.us-east-1.amazonaws.com/2015-02-01/file-systems/fs-123")
        try SigV4Signer(region: "us-east-1", service: "elasticfilesystem")
            .signHeaders(&request, credentials: AWSCredentials(accessKeyId: "AKID", secretAccessKey: "s"), date: Date())
        #expect(try await fake.send(request).status == 204)
        #expect(fake.requests.last?.operation == "DeleteFileSystem")

        await #expect {
            try await fake.send(queryRequest("ec2", "TerminateInstances"))
        } throws: { error in
            "\(error)".contains("no answer for ec2 TerminateInstances")
        }
    }

    @Test("the virtual clock records sleeps and moves time without waiting")
    func virtualClock() async throws {
        let clock = VirtualClock(start: Date(timeIntervalSince1970: 0))
        let started = Date()
        try await clock.sleep(for: .seconds(3600))
        try await clock.sleep(for: .milliseconds(250))
        #expect(clock.now() == Date(timeIntervalSince1970: 3600.25))
        #expect(clock.sleeps == [.seconds(3600), .milliseconds(250)])
        // An hour and a quarter second of virtual sleep; a real one would blow far past this bound.
        #expect(Date().timeIntervalSince(started) < 30)
    }
}
