import AWSCore
import AWSFake
import Foundation
import Logging
import Synchronization
import Testing

/// Collects log lines in memory.
final class LogCapture: @unchecked Sendable {
    let lines = Mutex<[String]>([])

    var handler: LogHandler { CaptureHandler(capture: self) }

    struct CaptureHandler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let rendered = (event.metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            capture.lines.withLock { $0.append("\(event.level) \(event.message) \(rendered)") }
        }
    }
}

/// A client on the fake transport and a virtual clock, with jitter fixed at `random`.
func makeClient(_ service: ServiceDescriptor = TestModels.ec2, fake: FakeTransport, clock: VirtualClock,
                retry: RetryConfiguration = RetryConfiguration(), random: Double = 0.5, logger: Logger = Logger(label: "test"),
                credentials: AWSCredentials = AWSCredentials(accessKeyId: "AKIDTEST", secretAccessKey: "secret-test-value")) -> AWSClient {
    struct Static: CredentialProvider {
        let name = "static"
        let value: AWSCredentials
        func credentials() async throws -> AWSCredentials { value }
    }
    return AWSClient(service: service, configuration: .init(
        region: "us-east-1", credentials: Static(value: credentials), transport: fake, retry: retry, clock: clock,
        random: { random }, idempotencyToken: { "token-fixed" }, logger: logger))
}

@Suite("AWS client: calls and retries on a virtual clock")
struct AWSClientRetryTests {
    @Test("a call is encoded, signed, sent, and its answer decoded")
    func roundTrip() async throws {
        let fake = FakeTransport()
        fake.answer("ec2", "DescribeRegions", with: .xml(TestModels.regionsXML))
        let client = makeClient(fake: fake, clock: VirtualClock())
        let output = try await client.call(TestModels.describeRegions, input: .structure(["RegionNames": .list([.string("eu-west-1")])]))
        guard case .list(let regions)? = output["Regions"] else { Issue.record("no regions in \(output)"); return }
        #expect(regions.count == 2)
        #expect(regions.first?["RegionName"] == .string("eu-west-1"))
        let sent = try #require(fake.requests.first)
        #expect(sent.parameters == ["Action": "DescribeRegions", "Version": "2016-11-15", "RegionName.1": "eu-west-1"])
        #expect(sent.request.headers["Authorization"]?.contains("/us-east-1/ec2/aws4_request") == true)
        #expect(sent.request.url == "https://ec2.us-east-1.amazonaws.com/")
    }

    @Test("throttling twice, then success: three attempts with jittered exponential pauses")
    func throttlingThenSuccess() async throws {
        let fake = FakeTransport()
        fake.answer("ec2", "DescribeRegions", with: .xml(TestModels.regionsXML))
        fake.inject(.throttling, service: "ec2", operation: "DescribeRegions", onCall: 1)
        fake.inject(.throttling, service: "ec2", operation: "DescribeRegions", onCall: 2)
        let clock = VirtualClock()
        let client = makeClient(fake: fake, clock: clock)
        _ = try await client.call(TestModels.describeRegions, input: nil)
        #expect(fake.calls("ec2", "DescribeRegions") == 3)
        #expect(clock.sleeps == [.milliseconds(500), .milliseconds(1000)])
        // Each attempt is signed afresh, at the virtual clock's time of that attempt.
        #expect(Set(fake.requests.map { $0.request.headers["Authorization"] }).count == 3)
        #expect(fake.requests.map { $0.request.headers["X-Amz-Date"] } == ["20270115T080000Z", "20270115T080000Z", "20270115T080001Z"])
        #expect(fake.requests.map { $0.request.headers["amz-sdk-request"] } == ["attempt=1; max=3", "attempt=2; max=3", "attempt=3; max=3"])
    }

    @Test("the default of three attempts ends in the service's error, with its code and request id")
    func exhaustAttempts() async throws {
        let fake = FakeTransport()
        fake.answer("ec2", "DescribeRegions", with: .error("InternalError", message: "boom", status: 503, service: "ec2"))
        let client = makeClient(fake: fake, clock: VirtualClock())
        await #expect {
            try await client.call(TestModels.describeRegions, input: nil)
        } throws: { error in
            guard let error = error as? AWSServiceError else { return false }
            return error.code == "InternalError" && error.status == 503 && error.requestId == "fake-request-id"
                && error.description == "EC2 DescribeRegions failed: InternalError (HTTP 503): boom [request id fake-request-id]"
        }
        #expect(fake.calls("ec2", "DescribeRegions") == 3)
    }

    @Test("AWS_MAX_ATTEMPTS and the profile's max_attempts set the attempts; bad values are explained")
    func maxAttemptsSetting() async throws {
        let config = try RetryConfiguration.resolve(environment: ["AWS_MAX_ATTEMPTS": "5", "AWS_RETRY_MODE": "adaptive"], profile: nil)
        #expect(config == RetryConfiguration(mode: .adaptive, maxAttempts: 5))
        let profile = Profile(name: "ci", settings: ["max_attempts": "2"], sources: ["max_attempts": "/x/config"])
        #expect(try RetryConfiguration.resolve(environment: [:], profile: profile).maxAttempts == 2)
        #expect(throws: AWSConfigurationError.self) { try RetryConfiguration.resolve(environment: ["AWS_MAX_ATTEMPTS": "zero"], profile: nil) }

        let fake = FakeTransport()
        fake.answer("ec2", "DescribeRegions", with: .error("InternalError", status: 500, service: "ec2"))
        let client = makeClient(fake: fake, clock: VirtualClock(), retry: RetryConfiguration(maxAttempts: 5))
        await #expect(throws: AWSServiceError.self) { try await client.call(TestModels.describeRegions, input: nil) }
        #expect(fake.calls("ec2", "DescribeRegions") == 5)
    }

    @Test("pauses are full jitter below 2^(n-1) seconds and never above 20 s")
    func backoffBounds() {
        for random in [0.0, 0.3, 0.999] {
            let strategy = RetryStrategy(configuration: RetryConfiguration(maxAttempts: 20), random: { random })
            for retry in 1...12 {
                let delay = strategy.backoff(retry: retry).seconds
                #expect(delay >= 0 && delay <= min(pow(2, Double(retry - 1)), 20) + 0.001)
                #expect(delay <= 20)
            }
        }
        let strategy = RetryStrategy(configuration: RetryConfiguration(), random: { 0.1 })
        #expect(strategy.backoff(retry: 1, retryAfter: .seconds(7)) == .seconds(7))
        #expect(strategy.backoff(retry: 1, retryAfter: .seconds(90)) == .seconds(20))
    }

    @Test("Retry-After is honoured")
    func retryAfter() async throws {
        let fake = FakeTransport()
        var busy = FakeTransport.Response.error("SlowDown", status: 503, service: "sts")
        busy.headers.add(name: "Retry-After", value: "7")
        fake.answer("sts", "GetCallerIdentity", with: busy, .xml("<GetCallerIdentityResponse><GetCallerIdentityResult><Account>1</Account></GetCallerIdentityResult></GetCallerIdentityResponse>"))
        let clock = VirtualClock()
        let output = try await makeClient(TestModels.sts, fake: fake, clock: clock).call(TestModels.getCallerIdentity, input: nil)
        #expect(output["Account"] == .string("1"))
        #expect(clock.sleeps == [.seconds(7)])
    }

    @Test("timeouts and dropped connections are retried; timeouts cost more quota")
    func transportFaults() async throws {
        let fake = FakeTransport()
        fake.answer("ec2", "DescribeRegions", with: .xml(TestModels.regionsXML))
        fake.inject(.timeout, service: "ec2", operation: "DescribeRegions", onCall: 1)
        fake.inject(.connectionReset, service: "ec2", operation: "DescribeRegions", onCall: 2)
        let client = makeClient(fake: fake, clock: VirtualClock())
        _ = try await client.call(TestModels.describeRegions, input: nil)
        #expect(fake.calls("ec2", "DescribeRegions") == 3)
        // 500 - 10 (timeout) - 5 (reset) + 5 (refund of the last retry's cost on success)
        #expect(client.retryStrategy.quota.tokens == 490)
    }

    @Test("errors a retry cannot fix are not retried")
    func notRetried() async throws {
        let fake = FakeTransport()
        fake.answer("ec2", "DescribeRegions", with: .error("InvalidParameterValue", message: "bad", service: "ec2"))
        let client = makeClient(fake: fake, clock: VirtualClock())
        await #expect(throws: AWSServiceError.self) { try await client.call(TestModels.describeRegions, input: nil) }
        #expect(fake.calls("ec2", "DescribeRegions") == 1)
    }

    @Test("an exhausted retry quota stops retrying, and successes refill it")
    func quotaExhaustion() async throws {
        let fake = FakeTransport()
        fake.answer("ec2", "DescribeRegions", with: .error("InternalError", status: 503, service: "ec2"))
        let client = makeClient(fake: fake, clock: VirtualClock(), retry: RetryConfiguration(maxAttempts: 2))
        for _ in 0..<100 {
            await #expect(throws: AWSServiceError.self) { try await client.call(TestModels.describeRegions, input: nil) }
        }
        #expect(fake.calls("ec2", "DescribeRegions") == 200)
        #expect(client.retryStrategy.quota.tokens == 0)
        await #expect(throws: AWSServiceError.self) { try await client.call(TestModels.describeRegions, input: nil) }
        #expect(fake.calls("ec2", "DescribeRegions") == 201, "with no tokens left there is no retry")

        fake.answer("ec2", "DescribeRegions", with: .xml(TestModels.regionsXML))
        for _ in 0..<7 { _ = try await client.call(TestModels.describeRegions, input: nil) }
        #expect(client.retryStrategy.quota.tokens == 7)
    }

    @Test("a skew error resets the signing clock from the server's Date and retries at once")
    func clockSkew() async throws {
        let fake = FakeTransport()
        let clock = VirtualClock(start: Date(timeIntervalSince1970: 1_800_000_000))
        var skewed = FakeTransport.Response.error("RequestTimeTooSkewed", message: "The difference between the request time and the current time is too large.", status: 403, service: "sts")
        skewed.headers.add(name: "Date", value: "Fri, 15 Jan 2027 09:00:00 GMT")   // 1_800_003_600: an hour ahead
        fake.answer("sts", "GetCallerIdentity", with: skewed, .xml("<GetCallerIdentityResponse><GetCallerIdentityResult><Account>1</Account></GetCallerIdentityResult></GetCallerIdentityResponse>"))
        let client = makeClient(TestModels.sts, fake: fake, clock: clock)
        _ = try await client.call(TestModels.getCallerIdentity, input: nil)
        #expect(clock.sleeps.isEmpty)
        #expect(fake.requests.map { $0.request.headers["X-Amz-Date"] } == ["20270115T080000Z", "20270115T090000Z"])
        #expect(abs(client.appliedClockSkew - 3600) < 1)
    }

    @Test("an auth failure is retried with a corrected clock only when the server's Date is far off")
    func authFailureSkew() async throws {
        let clock = VirtualClock(start: Date(timeIntervalSince1970: 1_800_000_000))
        for (date, expectedCalls) in [("Fri, 15 Jan 2027 08:30:00 GMT", 2), ("Fri, 15 Jan 2027 08:01:00 GMT", 1)] {
            let fake = FakeTransport()
            var denied = FakeTransport.Response.error("AuthFailure", message: "AWS was not able to validate the provided access credentials", status: 401, service: "ec2")
            denied.headers.add(name: "Date", value: date)
            fake.answer("ec2", "DescribeRegions", with: denied, .xml(TestModels.regionsXML))
            let client = makeClient(fake: fake, clock: clock)
            _ = try? await client.call(TestModels.describeRegions, input: nil)
            #expect(fake.calls("ec2", "DescribeRegions") == expectedCalls, "Date \(date)")
        }
    }

    @Test("adaptive mode turns on its rate limiter when throttled and then paces requests")
    func adaptive() async throws {
        let fake = FakeTransport()
        fake.answer("ec2", "DescribeRegions", with: .xml(TestModels.regionsXML))
        for call in stride(from: 1, through: 30, by: 3) {
            fake.inject(.throttling, service: "ec2", operation: "DescribeRegions", onCall: call)
        }
        let clock = VirtualClock()
        let client = makeClient(fake: fake, clock: clock, retry: RetryConfiguration(mode: .adaptive, maxAttempts: 3))
        #expect(client.retryStrategy.rateLimiter?.currentRate == nil)
        for _ in 0..<20 { _ = try await client.call(TestModels.describeRegions, input: nil) }
        let rate = try #require(client.retryStrategy.rateLimiter?.currentRate)
        #expect(rate >= 0.5)
        // Pacing shows up as sleeps beyond the retries' own backoff pauses.
        let retries = fake.calls("ec2", "DescribeRegions") - 20
        #expect(clock.sleeps.count > retries)
    }

    @Test("a cut-off body is a decode error, not retried; an unanswered call names the operation")
    func malformedAndUnanswered() async throws {
        let fake = FakeTransport()
        fake.answer("ec2", "DescribeRegions", with: .xml(TestModels.regionsXML))
        fake.inject(.malformedBody, service: "ec2", operation: "DescribeRegions", onCall: 1)
        let client = makeClient(fake: fake, clock: VirtualClock())
        await #expect(throws: AWSResponseDecodeError.self) { try await client.call(TestModels.describeRegions, input: nil) }
        #expect(fake.calls("ec2", "DescribeRegions") == 1)
        let sts = makeClient(TestModels.sts, fake: fake, clock: VirtualClock())
        await #expect {
            try await sts.call(TestModels.getCallerIdentity, input: nil)
        } throws: { error in "\(error)".contains("no answer for sts GetCallerIdentity") }
    }

    @Test("each attempt is logged with operation, attempt, status and latency, never a secret")
    func logging() async throws {
        let capture = LogCapture()
        var logger = Logger(label: "test") { _ in capture.handler }
        logger.logLevel = .trace
        let fake = FakeTransport()
        fake.answer("ec2", "DescribeRegions", with: .xml(TestModels.regionsXML))
        fake.inject(.throttling, service: "ec2", operation: "DescribeRegions", onCall: 1)
        let secret = "SECRETmarker/never+log"
        let client = makeClient(fake: fake, clock: VirtualClock(), logger: logger,
                                credentials: AWSCredentials(accessKeyId: "AKIDLOG", secretAccessKey: secret, sessionToken: "TOKEN" + secret))
        _ = try await client.call(TestModels.describeRegions, input: nil)
        let lines = capture.lines.withLock { $0 }
        #expect(lines.contains { $0.contains("operation=DescribeRegions") && $0.contains("attempt=1") && $0.contains("status=503") && $0.contains("latency_ms=") })
        #expect(lines.contains { $0.contains("retrying") && $0.contains("reason=throttling") })
        #expect(lines.contains { $0.contains("attempt=2") && $0.contains("status=200") && $0.contains("request_id=fake-request-id") })
        #expect(lines.allSatisfy { !$0.contains(secret) && !$0.contains("Signature=") })
    }
}

@Suite("Error bodies")
struct ErrorBodyTests {
    @Test("both error nestings decode under either root, with the request id")
    func nestings() {
        let decoder = XMLResponseDecoder(dialect: .ec2Query)
        let bodies = [
            "<Response><Errors><Error><Code>A</Code><Message>m</Message></Error></Errors><RequestID>r</RequestID></Response>",
            "<ErrorResponse><Error><Type>Sender</Type><Code>A</Code><Message>m</Message></Error><RequestId>r</RequestId></ErrorResponse>",
            "<ErrorResponse><Errors><Error><Code>A</Code><Message>m</Message></Error></Errors><RequestId>r</RequestId></ErrorResponse>",
        ]
        for body in bodies {
            let details = decoder.decodeError(Array(body.utf8), operation: nil)
            #expect(details?.code == "A" && details?.message == "m" && details?.requestId == "r", "\(body)")
        }
    }

    @Test("a non-AWS error body keeps the HTTP status as its code")
    func proxyPage() async throws {
        let fake = FakeTransport()
        fake.answer("ec2", "DescribeRegions", with: .init(status: 403, headers: ["Content-Type": "text/html"], body: Array("<html>denied by proxy</html>".utf8)))
        await #expect {
            try await makeClient(fake: fake, clock: VirtualClock()).call(TestModels.describeRegions, input: nil)
        } throws: { error in
            guard let error = error as? AWSServiceError else { return false }
            return error.code == "HTTP403" && error.message?.contains("denied by proxy") == true
        }
    }
}
