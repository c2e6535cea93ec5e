import AWSCore
import Foundation
import Synchronization
import TestSupport
import Testing

/// Long enough to be unmistakable when it leaks into a message.
let secretMarker = "SECRETmarker/do+not+leak0123456789abcdef"

func credentialJSON(key: String = "ASIATEST", secret: String = secretMarker, token: String = "TOKENmarker", expires: Date, tokenField: String = "Token") -> String {
    let formatter = ISO8601DateFormatter()
    return """
        {"Code": "Success", "AccessKeyId": "\(key)", "SecretAccessKey": "\(secret)", "\(tokenField)": "\(token)", "Expiration": "\(formatter.string(from: expires))"}
        """
}

/// Environment with the shared files pointed at an empty folder, so the machine's own don't interfere.
func isolatedEnvironment(_ dir: TemporaryDirectory, _ extra: [String: String] = [:]) -> [String: String] {
    var env = ["HOME": dir.path, "AWS_CONFIG_FILE": dir.path + "/config", "AWS_SHARED_CREDENTIALS_FILE": dir.path + "/credentials"]
    env.merge(extra) { $1 }
    return env
}

@Suite("Environment and profile credentials")
struct ProfileCredentialTests {
    let transport = CurlTransport()

    @Test("environment variables give keys and session token")
    func environment() async throws {
        let creds = try await EnvironmentCredentialProvider(environment: [
            "AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "s", "AWS_SESSION_TOKEN": "t"]).credentials()
        #expect(creds == AWSCredentials(accessKeyId: "AKIDENV", secretAccessKey: "s", sessionToken: "t"))
        await #expect(throws: CredentialError.self) {
            try await EnvironmentCredentialProvider(environment: ["AWS_ACCESS_KEY_ID": "AKIDENV"]).credentials()
        }
    }

    @Test("static keys come from the selected profile")
    func staticProfile() async throws {
        let dir = try TemporaryDirectory()
        try dir.write("credentials", "[default]\naws_access_key_id = AKIDDEF\naws_secret_access_key = d\n[ci]\naws_access_key_id = AKIDCI\naws_secret_access_key = c\naws_session_token = tok\n")
        let provider = ProfileCredentialProvider(environment: isolatedEnvironment(dir, ["AWS_PROFILE": "ci"]), transport: transport)
        #expect(try await provider.credentials() == AWSCredentials(accessKeyId: "AKIDCI", secretAccessKey: "c", sessionToken: "tok"))
        let fallback = ProfileCredentialProvider(environment: isolatedEnvironment(dir), transport: transport)
        #expect(try await fallback.credentials().accessKeyId == "AKIDDEF")
    }

    @Test("a missing profile names the profile and where it looked")
    func missingProfile() async throws {
        let dir = try TemporaryDirectory()
        try dir.write("config", "[default]\nregion = us-east-1\n")
        let provider = ProfileCredentialProvider(environment: isolatedEnvironment(dir, ["AWS_PROFILE": "staging"]), transport: transport)
        do {
            _ = try await provider.credentials()
            Issue.record("expected an error")
        } catch let error as CredentialError {
            guard case let .profileNotFound(profile, searched) = error else { Issue.record("wrong error \(error)"); return }
            #expect(profile == "staging")
            #expect(searched == [dir.path + "/config", dir.path + "/credentials (absent)"])
            #expect("\(error)".contains("'staging'") && "\(error)".contains(dir.path + "/config"))
        }
    }

    @Test("a half-configured key pair says which file and what is missing")
    func halfKeyPair() async throws {
        let dir = try TemporaryDirectory()
        try dir.write("credentials", "[default]\naws_access_key_id = AKIDONLY\n")
        let provider = ProfileCredentialProvider(environment: isolatedEnvironment(dir), transport: transport)
        await #expect {
            try await provider.credentials()
        } throws: { error in
            "\(error)".contains("aws_secret_access_key") && "\(error)".contains(dir.path + "/credentials")
        }
    }

    @Test("credential_process output is parsed, with its expiry")
    func credentialProcess() async throws {
        let dir = try TemporaryDirectory()
        let script = try dir.write("creds.sh", """
            #!/bin/sh
            echo '{"Version": 1, "AccessKeyId": "ASIAPROC", "SecretAccessKey": "'"$1"'", "SessionToken": "proc-token", "Expiration": "2030-01-02T03:04:05Z"}'
            """, executable: true)
        try dir.write("config", "[profile proc]\ncredential_process = \(script) 'arg with spaces'\n")
        let creds = try await ProfileCredentialProvider(environment: isolatedEnvironment(dir, ["AWS_PROFILE": "proc"]), transport: transport).credentials()
        #expect(creds.accessKeyId == "ASIAPROC")
        #expect(creds.secretAccessKey == "arg with spaces")
        #expect(creds.sessionToken == "proc-token")
        #expect(creds.expiration == ISO8601DateFormatter().date(from: "2030-01-02T03:04:05Z"))
    }

    @Test("credential_process failures are explained without echoing its output",
          arguments: [
            ("echo 'boom on stderr' >&2; exit 3", "exited with status 3: boom on stderr"),
            ("echo '{\"Version\": 2, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"\(secretMarker)\"}'", "Version 2"),
            ("echo 'not json \(secretMarker)'", "not a JSON object"),
            ("echo '{\"Version\": 1, \"SecretAccessKey\": \"\(secretMarker)\"}'", "AccessKeyId is missing"),
          ])
    func credentialProcessFailures(body: String, expected: String) async throws {
        let dir = try TemporaryDirectory()
        let script = try dir.write("creds.sh", "#!/bin/sh\n\(body)\n", executable: true)
        try dir.write("config", "[default]\ncredential_process = \(script)\n")
        do {
            _ = try await ProfileCredentialProvider(environment: isolatedEnvironment(dir), transport: transport).credentials()
            Issue.record("expected failure")
        } catch {
            #expect("\(error)".contains(expected), "\(error)")
            #expect(!"\(error)".contains(secretMarker))
        }
    }

    @Test("a role profile without an STS handler says what it needs")
    func roleWithoutSTS() async throws {
        let dir = try TemporaryDirectory()
        try dir.write("config", "[profile deploy]\nrole_arn = arn:aws:iam::123456789012:role/deploy\nsource_profile = base\n[profile base]\n")
        try dir.write("credentials", "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = b\n")
        await #expect {
            try await ProfileCredentialProvider(environment: isolatedEnvironment(dir, ["AWS_PROFILE": "deploy"]), transport: transport).credentials()
        } throws: { error in
            "\(error)".contains("role_arn") && "\(error)".contains("STS")
        }
    }

    @Test("a role profile hands its source credentials to the assume-role handler")
    func roleWithHandler() async throws {
        let dir = try TemporaryDirectory()
        try dir.write("config", """
            [profile deploy]
            role_arn = arn:aws:iam::123456789012:role/deploy
            source_profile = base
            external_id = ext-1
            role_session_name = rollout
            [profile loop-a]
            role_arn = arn:aws:iam::123456789012:role/a
            source_profile = loop-b
            [profile loop-b]
            role_arn = arn:aws:iam::123456789012:role/b
            source_profile = loop-a
            """)
        try dir.write("credentials", "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = b\n")
        let seen = Mutex<[RoleAssumptionRequest]>([])
        let handler: AssumeRoleHandler = { request in
            seen.withLock { $0.append(request) }
            return AWSCredentials(accessKeyId: "ASIAROLE", secretAccessKey: "r", sessionToken: "t", expiration: Date().addingTimeInterval(3600))
        }
        let creds = try await ProfileCredentialProvider(environment: isolatedEnvironment(dir, ["AWS_PROFILE": "deploy"]), transport: transport, assumeRole: handler).credentials()
        #expect(creds.accessKeyId == "ASIAROLE")
        let request = try #require(seen.withLock { $0.first })
        #expect(request.roleArn == "arn:aws:iam::123456789012:role/deploy")
        #expect(request.externalId == "ext-1" && request.sessionName == "rollout")
        guard case .credentials(let source) = request.source else { Issue.record("expected source credentials"); return }
        #expect(source.accessKeyId == "AKIDBASE")

        await #expect {
            try await ProfileCredentialProvider(environment: isolatedEnvironment(dir, ["AWS_PROFILE": "loop-a"]), transport: transport, assumeRole: handler).credentials()
        } throws: { error in "\(error)".contains("loop") }
    }
}

/// A fake instance metadata service that insists on IMDSv2 tokens.
final class FakeIMDS: Sendable {
    struct State {
        var tokens: [String] = []
        var tokenRequests = 0
        var credentialRequests = 0
        var ttlHeaders: [String] = []
        var unauthenticatedGets = 0
        var document: String
        var tokenStatus = 200
        var delay = 0.0
    }
    let state: Mutex<State>

    init(document: String) throws {
        state = Mutex(State(document: document))
    }

    static func start(document: String) throws -> (FakeIMDS, LoopbackHTTPServer) {
        let fake = try FakeIMDS(document: document)
        let server = try LoopbackHTTPServer { request in fake.handle(request) }
        return (fake, server)
    }

    func revokeTokens() { state.withLock { $0.tokens.removeAll() } }

    func handle(_ request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
        state.withLock { state in
            if request.method == "PUT" && request.path == "/latest/api/token" {
                state.tokenRequests += 1
                state.ttlHeaders.append(request.header("X-aws-ec2-metadata-token-ttl-seconds") ?? "")
                guard state.tokenStatus == 200 else { return .init(status: state.tokenStatus, text: "") }
                let token = "token-\(state.tokenRequests)"
                state.tokens.append(token)
                return .init(text: token, delay: state.delay)
            }
            guard let token = request.header("X-aws-ec2-metadata-token"), state.tokens.contains(token) else {
                state.unauthenticatedGets += 1
                return .init(status: 401, text: "")
            }
            switch request.path {
            case "/latest/meta-data/iam/security-credentials/":
                return .init(text: "rollout-role\n")
            case "/latest/meta-data/iam/security-credentials/rollout-role":
                state.credentialRequests += 1
                return .init(text: state.document, delay: state.delay)
            case "/latest/meta-data/placement/region":
                return .init(text: "eu-west-3")
            default:
                return .init(status: 404, text: "")
            }
        }
    }
}

@Suite("Instance metadata credentials (IMDSv2)")
struct InstanceMetadataTests {
    let transport = CurlTransport()

    @Test("credentials come through a session token, which is reused")
    func tokenFlow() async throws {
        let expires = Date().addingTimeInterval(6 * 3600)
        let (fake, server) = try FakeIMDS.start(document: credentialJSON(expires: expires))
        let client = InstanceMetadataClient(environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": server.baseURL + "/"], transport: transport)
        let provider = InstanceMetadataCredentialProvider(client: client)
        let first = try await provider.credentials()
        _ = try await provider.credentials()
        #expect(first.accessKeyId == "ASIATEST")
        #expect(first.secretAccessKey == secretMarker)
        #expect(first.sessionToken == "TOKENmarker")
        #expect(abs(first.expiration!.timeIntervalSince(expires)) < 1)
        fake.state.withLock { state in
            #expect(state.tokenRequests == 1)
            #expect(state.ttlHeaders == ["21600"])
            #expect(state.unauthenticatedGets == 0)
        }
        #expect(try await client.get("/latest/meta-data/placement/region") == "eu-west-3")
    }

    @Test("an expired token is replaced after a 401, and one past its TTL is renewed first")
    func tokenExpiry() async throws {
        let (fake, server) = try FakeIMDS.start(document: credentialJSON(expires: Date().addingTimeInterval(3600)))
        let clock = Mutex(Date())
        let client = InstanceMetadataClient(environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": server.baseURL], transport: transport,
                                            tokenTTL: 120, now: { clock.withLock { $0 } })
        _ = try await client.get("/latest/meta-data/placement/region")
        fake.revokeTokens()
        #expect(try await client.get("/latest/meta-data/placement/region") == "eu-west-3")
        #expect(fake.state.withLock { $0.tokenRequests } == 2)
        clock.withLock { $0 = $0.addingTimeInterval(61) }
        _ = try await client.get("/latest/meta-data/placement/region")
        #expect(fake.state.withLock { $0.tokenRequests } == 3)
        #expect(fake.state.withLock { $0.ttlHeaders.allSatisfy { $0 == "120" } })
    }

    @Test("a refused token request fails without falling back to IMDSv1")
    func noFallback() async throws {
        let (fake, server) = try FakeIMDS.start(document: credentialJSON(expires: Date().addingTimeInterval(3600)))
        fake.state.withLock { $0.tokenStatus = 403 }
        let provider = InstanceMetadataCredentialProvider(client: InstanceMetadataClient(environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": server.baseURL], transport: transport))
        await #expect {
            try await provider.credentials()
        } throws: { error in
            "\(error)".contains("HTTP 403") && "\(error)".contains("IMDSv1")
        }
        #expect(server.requests.allSatisfy { $0.method == "PUT" }, "no metadata read may be made without a token")
    }

    @Test("a slow service times out quickly and counts as absent")
    func timeout() async throws {
        let (fake, server) = try FakeIMDS.start(document: credentialJSON(expires: Date().addingTimeInterval(3600)))
        fake.state.withLock { $0.delay = 3 }
        let client = InstanceMetadataClient(environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": server.baseURL], transport: transport,
                                            timeouts: HTTPTimeouts(connect: 0.5, total: 0.5))
        let started = Date()
        await #expect {
            try await InstanceMetadataCredentialProvider(client: client).credentials()
        } throws: { error in
            guard case CredentialError.notConfigured(_, let reason)? = error as? CredentialError else { return false }
            return reason.contains(server.baseURL)
        }
        #expect(Date().timeIntervalSince(started) < 2.5)
    }

    @Test("bad JSON and failure codes are reported without the document",
          arguments: ["{not json \(secretMarker)", #"{"Code": "AssumeRoleUnauthorizedAccess", "SecretAccessKey": "\#(secretMarker)"}"#,
                      #"{"Code": "Success", "AccessKeyId": "A", "SecretAccessKey": "\#(secretMarker)", "Token": "t"}"#])
    func badDocument(document: String) async throws {
        let (_, server) = try FakeIMDS.start(document: document)
        let provider = InstanceMetadataCredentialProvider(client: InstanceMetadataClient(environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": server.baseURL], transport: transport))
        do {
            _ = try await provider.credentials()
            Issue.record("expected failure")
        } catch let error as CredentialError {
            guard case .invalidResponse = error else { Issue.record("wrong error: \(error)"); return }
            #expect(!"\(error)".contains(secretMarker))
        }
    }

    @Test("the region comes from the environment, the profile, then instance metadata")
    func region() async throws {
        let (_, server) = try FakeIMDS.start(document: "{}")
        let dir = try TemporaryDirectory()
        let imds = InstanceMetadataClient(environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": server.baseURL], transport: transport)
        #expect(try await RegionResolver.resolve(environment: isolatedEnvironment(dir, ["AWS_REGION": "us-east-2", "AWS_DEFAULT_REGION": "x"]), imds: imds)?.source == "AWS_REGION")
        #expect(try await RegionResolver.resolve(environment: isolatedEnvironment(dir, ["AWS_DEFAULT_REGION": "sa-east-1"]), imds: imds)?.region == "sa-east-1")
        try dir.write("config", "[default]\nregion = ca-central-1\n")
        #expect(try await RegionResolver.resolve(environment: isolatedEnvironment(dir), imds: imds)?.region == "ca-central-1")
        try dir.write("config", "[default]\n")
        #expect(try await RegionResolver.resolve(environment: isolatedEnvironment(dir), imds: imds)?.region == "eu-west-3")
    }
}

@Suite("Container credentials")
struct ContainerCredentialTests {
    let transport = CurlTransport()

    @Test("the relative URI is fetched from the agent address")
    func relative() async throws {
        let server = try LoopbackHTTPServer { request in
            request.path == "/v2/credentials/abc"
                ? .init(text: credentialJSON(expires: Date().addingTimeInterval(900)))
                : .init(status: 404, text: "")
        }
        let provider = ContainerCredentialProvider(environment: ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/abc"],
                                                   transport: transport, relativeBase: server.baseURL)
        #expect(try await provider.credentials().sessionToken == "TOKENmarker")
    }

    @Test("the full URI carries the token from the token file, re-read each time")
    func fullWithTokenFile() async throws {
        let dir = try TemporaryDirectory()
        let tokenFile = try dir.write("token", "first-token\n")
        let server = try LoopbackHTTPServer { request in
            .init(text: credentialJSON(key: request.header("Authorization") ?? "none", expires: Date().addingTimeInterval(900)))
        }
        let env = ["AWS_CONTAINER_CREDENTIALS_FULL_URI": server.baseURL + "/creds", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile,
                   "AWS_CONTAINER_AUTHORIZATION_TOKEN": "ignored-when-file-set"]
        let provider = ContainerCredentialProvider(environment: env, transport: transport)
        #expect(try await provider.credentials().accessKeyId == "first-token")
        try dir.write("token", "second-token")
        #expect(try await provider.credentials().accessKeyId == "second-token")
    }

    @Test("a plain-HTTP full URI to a remote host is refused before any request")
    func remoteHTTPRefused() async throws {
        let provider = ContainerCredentialProvider(environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://203.0.113.9/creds"], transport: transport)
        await #expect {
            try await provider.credentials()
        } throws: { error in "\(error)".contains("must use https") }
    }

    @Test("a server error is retried once; bad JSON is a clear error")
    func retryAndBadJSON() async throws {
        let calls = Mutex(0)
        let server = try LoopbackHTTPServer { request in
            let n = calls.withLock { $0 += 1; return $0 }
            if request.path == "/bad" { return .init(text: "<html>\(secretMarker)</html>") }
            return n == 1 ? .init(status: 500, text: "") : .init(text: credentialJSON(expires: Date().addingTimeInterval(900)))
        }
        let good = ContainerCredentialProvider(environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": server.baseURL + "/ok"], transport: transport)
        #expect(try await good.credentials().accessKeyId == "ASIATEST")
        #expect(calls.withLock { $0 } == 2)
        let bad = ContainerCredentialProvider(environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": server.baseURL + "/bad"], transport: transport)
        await #expect {
            try await bad.credentials()
        } throws: { error in
            "\(error)".contains("not a JSON credentials object") && !"\(error)".contains(secretMarker)
        }
    }
}
