import AWSCore
import Foundation
import Synchronization
import TestSupport
import Testing

/// A provider that counts its calls and hands out credentials expiring `lifetime` seconds from `now`.
final class CountingProvider: CredentialProvider {
    let name = "counting"
    let calls = Mutex(0)
    let lifetime: TimeInterval
    let delay: Duration
    let now: @Sendable () -> Date
    let failFrom: Int?

    init(lifetime: TimeInterval, delay: Duration = .milliseconds(50), failFrom: Int? = nil, now: @escaping @Sendable () -> Date) {
        self.lifetime = lifetime
        self.delay = delay
        self.failFrom = failFrom
        self.now = now
    }

    func credentials() async throws -> AWSCredentials {
        let n = calls.withLock { $0 += 1; return $0 }
        try await Task.sleep(for: delay)
        if let failFrom, n >= failFrom { throw CredentialError.requestFailed(provider: name, problem: "down") }
        return AWSCredentials(accessKeyId: "AKID\(n)", secretAccessKey: "s", sessionToken: "t", expiration: now().addingTimeInterval(lifetime))
    }
}

@Suite("Credential cache and chain")
struct CredentialChainTests {
    @Test("100 concurrent callers share one refresh")
    func singleFlight() async throws {
        let base = CountingProvider(lifetime: 3600, now: { Date() })
        let cache = CachedCredentialProvider(base)
        let keys = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<100 { group.addTask { try await cache.credentials().accessKeyId } }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(keys == ["AKID1"])
        #expect(base.calls.withLock { $0 } == 1)
    }

    @Test("credentials are refreshed before they expire, once however many wait")
    func refreshBeforeExpiry() async throws {
        let clock = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
        let now: @Sendable () -> Date = { clock.withLock { $0 } }
        let base = CountingProvider(lifetime: 900, now: now)
        let cache = CachedCredentialProvider(base, refreshBefore: 300, now: now)
        #expect(try await cache.credentials().accessKeyId == "AKID1")
        clock.withLock { $0 = $0.addingTimeInterval(500) }     // 400 s left: still fresh
        #expect(try await cache.credentials().accessKeyId == "AKID1")
        clock.withLock { $0 = $0.addingTimeInterval(150) }     // 250 s left: inside the window
        let keys = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<50 { group.addTask { try await cache.credentials().accessKeyId } }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(keys == ["AKID2"])
        #expect(base.calls.withLock { $0 } == 2)
    }

    @Test("a failed refresh keeps still-valid credentials, and fails once they expire")
    func staleButValid() async throws {
        let clock = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
        let now: @Sendable () -> Date = { clock.withLock { $0 } }
        let cache = CachedCredentialProvider(CountingProvider(lifetime: 600, failFrom: 2, now: now), refreshBefore: 300, now: now)
        _ = try await cache.credentials()
        clock.withLock { $0 = $0.addingTimeInterval(400) }
        #expect(try await cache.credentials().accessKeyId == "AKID1")
        clock.withLock { $0 = $0.addingTimeInterval(300) }
        await #expect(throws: CredentialError.self) { try await cache.credentials() }
    }

    @Test("refresh under concurrency against a real metadata server makes one credentials request")
    func imdsConcurrency() async throws {
        let (fake, server) = try FakeIMDS.start(document: credentialJSON(expires: Date().addingTimeInterval(3600)))
        fake.state.withLock { $0.delay = 0.2 }
        let transport = CurlTransport()
        let cache = CachedCredentialProvider(InstanceMetadataCredentialProvider(
            client: InstanceMetadataClient(environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": server.baseURL], transport: transport)))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<40 { group.addTask { _ = try await cache.credentials() } }
            try await group.waitForAll()
        }
        #expect(fake.state.withLock { $0.credentialRequests } == 1)
        #expect(fake.state.withLock { $0.tokenRequests } == 1)
    }

    @Test("with nothing configured, the error lists every place tried")
    func nothingFound() async throws {
        let dir = try TemporaryDirectory()
        // A port nothing listens on: the metadata service is absent, as off EC2.
        let closed = try LoopbackHTTPServer { _ in .init(text: "") }
        let endpoint = closed.baseURL
        closed.stop()
        let chain = CredentialChain.defaultChain(
            environment: isolatedEnvironment(dir, ["AWS_EC2_METADATA_SERVICE_ENDPOINT": endpoint]), transport: CurlTransport())
        do {
            _ = try await chain.credentials()
            Issue.record("expected no credentials")
        } catch let error as CredentialError {
            guard case .noCredentials(let attempts) = error else { Issue.record("wrong error: \(error)"); return }
            #expect(attempts.map(\.provider) == [
                "environment variables", "web identity token (AWS_WEB_IDENTITY_TOKEN_FILE)", "shared config profile",
                "container credentials endpoint", "instance metadata (IMDSv2)"])
            let text = "\(error)"
            #expect(text.contains("AWS_ACCESS_KEY_ID") && text.contains(dir.path + "/config") && text.contains(endpoint))
        }
    }

    @Test("the chain takes the first configured source, in the SDKs' order")
    func order() async throws {
        let dir = try TemporaryDirectory()
        try dir.write("credentials", "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = f\n")
        let transport = CurlTransport()
        let both = CredentialChain.defaultChain(
            environment: isolatedEnvironment(dir, ["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "e"]), transport: transport)
        #expect(try await both.credentials().accessKeyId == "AKIDENV")
        let fileOnly = CredentialChain.defaultChain(environment: isolatedEnvironment(dir), transport: transport)
        #expect(try await fileOnly.credentials().accessKeyId == "AKIDFILE")
    }

    @Test("a malformed credentials file stops the chain with its line")
    func malformedStops() async throws {
        let dir = try TemporaryDirectory()
        try dir.write("credentials", "[default]\naws_access_key_id AKID\n")
        await #expect {
            try await CredentialChain.defaultChain(environment: isolatedEnvironment(dir), transport: CurlTransport()).credentials()
        } throws: { error in "\(error)" == dir.path + "/credentials, line 2: expected 'name = value', found no '='" }
    }
}

@Suite("Secrets stay secret")
struct SecretRedactionTests {
    @Test("descriptions, debug output and dumps of credentials hide the secret and token")
    func credentialsRedacted() {
        let creds = AWSCredentials(accessKeyId: "AKIDVISIBLE", secretAccessKey: secretMarker, sessionToken: "TOKEN" + secretMarker)
        var dumped = ""
        dump(creds, to: &dumped)
        for text in ["\(creds)", String(reflecting: creds), creds.debugDescription, dumped, "\([creds])", "\(Optional(creds) as Any)"] {
            #expect(!text.contains(secretMarker), "leaked in: \(text)")
            #expect(text.contains("AKIDVISIBLE"))
        }
    }

    @Test("signing output shows the access key id only")
    func signatureHasNoSecret() {
        var request = SigV4Signer.Request(method: "POST", path: "/", headers: ["Host": "ec2.us-east-1.amazonaws.com"], body: Array("Action=DescribeRegions".utf8))
        let creds = AWSCredentials(accessKeyId: "AKIDVISIBLE", secretAccessKey: secretMarker, sessionToken: nil)
        let result = SigV4Signer(region: "us-east-1", service: "ec2").signHeaders(&request, credentials: creds, date: Date())
        let everything = [result.canonicalRequest, result.stringToSign, result.signature] + request.headers.fields.map(\.value)
        #expect(everything.allSatisfy { !$0.contains(secretMarker) })
    }
}
