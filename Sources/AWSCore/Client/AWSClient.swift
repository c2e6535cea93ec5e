import Foundation
import Logging
import Synchronization

/// Calls one AWS service: serializes input by the service's protocol, signs each attempt afresh,
/// sends it, retries what can be retried, and decodes the answer or the error.
///
/// Generated service clients (`EC2Client`, …) wrap one of these.
public final class AWSClient: Sendable {
    /// Everything a client needs; ``resolve(service:environment:transport:)`` fills it from the
    /// standard AWS configuration.
    public struct Configuration: Sendable {
        /// The region, for example `eu-west-1`.
        public var region: String
        /// An endpoint to use instead of the regional one (moto, LocalStack).
        public var endpoint: String?
        /// Where credentials come from.
        public var credentials: CredentialProvider
        /// Sends requests.
        public var transport: HTTPTransport
        /// Retry settings.
        public var retry: RetryConfiguration
        /// Request-compression settings.
        public var compression: RequestCompression
        /// Wall time and sleeps.
        public var clock: AWSClock
        /// Jitter source in [0, 1).
        public var random: @Sendable () -> Double
        /// Makes idempotency tokens.
        public var idempotencyToken: @Sendable () -> String
        /// Logs each attempt (operation, attempt, status, latency, request id; never secrets).
        public var logger: Logger
        /// Environment used to find endpoint overrides.
        public var environment: [String: String]

        public init(region: String, endpoint: String? = nil, credentials: CredentialProvider, transport: HTTPTransport,
                    retry: RetryConfiguration = RetryConfiguration(), compression: RequestCompression = RequestCompression(),
                    clock: AWSClock = SystemClock(), random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
                    idempotencyToken: @escaping @Sendable () -> String = WireCodec.randomToken,
                    logger: Logger = Logger(label: "aws"), environment: [String: String] = [:]) {
            self.region = region
            self.endpoint = endpoint
            self.credentials = credentials
            self.transport = transport
            self.retry = retry
            self.compression = compression
            self.clock = clock
            self.random = random
            self.idempotencyToken = idempotencyToken
            self.logger = logger
            self.environment = environment
        }

        /// A configuration from the environment and shared files: region, credentials chain,
        /// retry mode and attempts, compression settings and endpoint overrides.
        public static func resolve(environment: [String: String] = ProcessInfo.processInfo.environment,
                                   transport: HTTPTransport, region: String? = nil,
                                   assumeRole: AssumeRoleHandler? = nil) async throws -> Configuration {
            let config = try SharedConfig.load(environment: environment)
            let profile = try config.selectedProfile()
            let resolvedRegion: String
            if let region {
                resolvedRegion = region
            } else if let found = try await RegionResolver.resolve(environment: environment, imds: InstanceMetadataClient(environment: environment, transport: transport)) {
                resolvedRegion = found.region
            } else {
                throw AWSConfigurationError(description: "No AWS region is set: set AWS_REGION or add 'region = …' to your profile")
            }
            var compression = RequestCompression()
            if let disabled = environment["AWS_DISABLE_REQUEST_COMPRESSION"] ?? profile?["disable_request_compression"] {
                compression.enabled = disabled.lowercased() != "true"
            }
            if let text = environment["AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES"] ?? profile?["request_min_compression_size_bytes"] {
                guard let bytes = Int(text), (0...10_485_760).contains(bytes) else {
                    throw AWSConfigurationError(description: "request_min_compression_size_bytes is '\(text)'; use 0 to 10485760")
                }
                compression.minimumBytes = bytes
            }
            return Configuration(
                region: resolvedRegion, credentials: CredentialChain.defaultChain(environment: environment, transport: transport, assumeRole: assumeRole),
                transport: transport, retry: try RetryConfiguration.resolve(environment: environment, profile: profile),
                compression: compression, environment: environment)
        }
    }

    /// The service called.
    public let service: ServiceDescriptor
    /// The settings.
    public let configuration: Configuration
    /// The endpoint in use and where it came from.
    public let endpoint: EndpointResolver.Resolved
    /// The retry strategy (its quota is shared by all calls of this client).
    public let retryStrategy: RetryStrategy
    private let signer: SigV4Signer
    private let codec: WireCodec
    /// The endpoint's Host header and base path, which every request's signature covers.
    private let endpointHost: String
    private let endpointBasePath: String
    /// Seconds to add to the local clock when signing, learned from skew errors.
    private let clockSkew = Mutex<TimeInterval>(0)
    private static let userAgent = "magento-rollout-aws/0.1 lang/swift os/linux"

    /// Creates a client for `service`. An endpoint that is not an absolute http(s) URL fails each call with a clear error.
    public init(service: ServiceDescriptor, configuration: Configuration) {
        self.service = service
        self.configuration = configuration
        self.endpoint = EndpointResolver.resolve(service: service, region: configuration.region, override: configuration.endpoint,
                                                 environment: configuration.environment)
        self.retryStrategy = RetryStrategy(configuration: configuration.retry, clock: configuration.clock, random: configuration.random)
        self.signer = SigV4Signer(region: configuration.region, service: service.signingName)
        self.codec = WireCodec(service: service, idempotencyToken: configuration.idempotencyToken, compression: configuration.compression)
        let parts = try? URLParts(endpoint.url)
        self.endpointHost = parts?.hostHeader ?? ""
        self.endpointBasePath = parts.map { $0.path == "/" ? "" : $0.path } ?? ""
    }

    /// The skew currently applied to signing times, in seconds (for diagnostics and tests).
    public var appliedClockSkew: TimeInterval { clockSkew.withLock { $0 } }

    /// Calls `operation` with `input` and returns its decoded output.
    public func call(_ operation: AWSOperation, input: AWSValue?) async throws -> AWSValue {
        let response = try await send(try codec.serialize(input, operation: operation), operation: operation)
        do {
            return try codec.decodeOutput(response, operation: operation)
        } catch {
            throw AWSResponseDecodeError(service: service.name, operation: operation.name, status: response.status,
                                         detail: "\(error)", requestId: response.headers["x-amzn-RequestId"])
        }
    }

    /// Sends an already serialized request: signs each attempt, retries what can be retried, and
    /// returns the first 2xx response; any other answer becomes an ``AWSServiceError`` (decoded
    /// with `operation`'s modelled errors).
    public func send(_ serialized: SerializedRequest, operation: AWSOperation) async throws -> HTTPResponse {
        var serialized = serialized
        serialized.headers.replaceOrAdd(name: "User-Agent", value: Self.userAgent)
        guard !endpointHost.isEmpty else {
            throw HTTPTransportError(kind: .invalidRequest, url: endpoint.url,
                                     detail: "the endpoint is not an absolute http(s) URL with a host (from \(endpoint.source))")
        }
        let url = serialized.url(endpoint: endpoint.url)
        // The parts SigV4 covers, known without parsing the URL back: the endpoint's host (with the
        // operation's prefix), its base path joined with the operation's, and the query.
        let host = (serialized.hostPrefix ?? "") + endpointHost
        let signedPath = endpointBasePath + (serialized.path.hasPrefix("/") ? serialized.path : "/" + serialized.path)
        let signedQuery = serialized.query.map { (name: $0.name, value: $0.value ?? "") }
        serialized.headers.replaceOrAdd(name: "Host", value: host)
        let invocation = configuration.idempotencyToken()
        var attempt = 0
        var lastRetryCost: Int?
        var skewRetried = false
        let maxAttempts = configuration.retry.maxAttempts
        while true {
            attempt += 1
            try Task.checkCancellation()
            if let limiter = retryStrategy.rateLimiter { try await limiter.acquire() }
            var request = HTTPRequest(method: serialized.method, url: url, headers: serialized.headers, body: serialized.body)
            request.headers.replaceOrAdd(name: "amz-sdk-invocation-id", value: invocation)
            request.headers.replaceOrAdd(name: "amz-sdk-request", value: "attempt=\(attempt); max=\(maxAttempts)")
            let signingDate = configuration.clock.now().addingTimeInterval(clockSkew.withLock { $0 })
            // Unsigned operations (web-identity role assumption) need no credentials at all.
            if operation.requiresSigning {
                let credentials = try await configuration.credentials.credentials()
                var parts = SigV4Signer.Request(method: request.method, path: signedPath, query: signedQuery, headers: request.headers, body: request.body)
                signer.signHeaders(&parts, credentials: credentials, date: signingDate)
                request.headers = parts.headers
            }

            let started = ContinuousClock.now
            let failure: Error
            var retryAfter: Duration?
            do {
                let response = try await configuration.transport.send(request)
                let latency = Int((ContinuousClock.now - started).seconds * 1000)
                let requestId = response.headers["x-amzn-RequestId"] ?? response.headers["x-amz-request-id"]
                configuration.logger.debug("aws call", metadata: [
                    "service": "\(service.name)", "operation": "\(operation.name)", "attempt": "\(attempt)",
                    "status": "\(response.status)", "latency_ms": "\(latency)", "request_id": "\(requestId ?? "-")"])
                if (200..<300).contains(response.status) {
                    retryStrategy.rateLimiter?.update(throttled: false)
                    retryStrategy.quota.release(lastRetryCost: lastRetryCost)
                    return response
                }
                let error = decodeError(response, operation: operation)
                retryStrategy.rateLimiter?.update(throttled: RetryClassifier.classify(error) == .throttling)
                if !skewRetried, attempt < maxAttempts, learnClockSkew(from: error, response: response, sentAt: signingDate) {
                    skewRetried = true
                    configuration.logger.info("clock skew corrected; retrying", metadata: [
                        "operation": "\(operation.name)", "skew_seconds": "\(Int(appliedClockSkew))"])
                    continue
                }
                if let text = response.headers["Retry-After"], let seconds = Double(text), seconds >= 0 {
                    retryAfter = .milliseconds(Int64(seconds * 1000))
                }
                failure = error
            } catch let error as HTTPTransportError {
                configuration.logger.debug("aws call failed", metadata: [
                    "service": "\(service.name)", "operation": "\(operation.name)", "attempt": "\(attempt)", "error": "\(error.kind)"])
                failure = error
            }
            guard attempt < maxAttempts, let kind = RetryClassifier.classify(failure) else { throw failure }
            guard let cost = retryStrategy.quota.acquire(for: kind) else {
                configuration.logger.info("retry quota exhausted", metadata: ["operation": "\(operation.name)"])
                throw failure
            }
            lastRetryCost = cost
            let delay = retryStrategy.backoff(retry: attempt, retryAfter: retryAfter)
            configuration.logger.info("retrying", metadata: [
                "operation": "\(operation.name)", "attempt": "\(attempt)", "delay_ms": "\(Int(delay.seconds * 1000))", "reason": "\(kind)"])
            try await configuration.clock.sleep(for: delay)
        }
    }

    private func decodeError(_ response: HTTPResponse, operation: AWSOperation) -> Error {
        if let details = codec.decodeError(response, operation: operation) {
            return AWSServiceError(service: service.name, operation: operation.name, status: response.status, details: details)
        }
        // Not an AWS error body (a proxy's page, an empty 503): keep the status as the code.
        let snippet = String(decoding: response.body.prefix(200), as: UTF8.self)
        return AWSServiceError(service: service.name, operation: operation.name, status: response.status,
                               details: ErrorDetails(code: "HTTP\(response.status)", message: snippet.isEmpty ? nil : snippet,
                                                     requestId: response.headers["x-amzn-RequestId"]))
    }

    /// Learns the server's clock from a skew error (or an auth failure whose `Date` is far off);
    /// returns whether the next attempt should be signed with the corrected time.
    private func learnClockSkew(from error: Error, response: HTTPResponse, sentAt: Date) -> Bool {
        guard let error = error as? AWSServiceError,
              let dateText = response.headers["Date"], let serverDate = Timestamps.parseHTTPDate(dateText) else { return false }
        let offset = serverDate.timeIntervalSince(configuration.clock.now())
        let isSkewCode = RetryClassifier.clockSkewCodes.contains(error.code)
        let isAuthFailureFarOff = (RetryClassifier.authFailureCodes.contains(error.code) || error.status == 401 || error.status == 403)
            && abs(serverDate.timeIntervalSince(sentAt)) > 240
        guard isSkewCode || isAuthFailureFarOff else { return false }
        let previous = clockSkew.withLock { current -> TimeInterval in
            let previous = current
            current = offset
            return previous
        }
        return abs(previous - offset) > 1
    }
}
