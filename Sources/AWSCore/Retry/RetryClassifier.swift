/// Decides whether a failed attempt may be retried, and why.
public enum RetryClassifier {
    /// Why an attempt can be retried; the kind sets its cost in the retry quota.
    public enum Kind: Sendable, Equatable {
        /// The service asked to slow down.
        case throttling
        /// A server fault or a dropped connection.
        case transient
        /// The attempt timed out.
        case timeout
    }

    /// Error codes that mean "slow down".
    public static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
        "ProvisionedThroughputExceededException", "TransactionInProgressException", "RequestLimitExceeded",
        "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
        "EC2ThrottledException",
    ]

    /// Error codes for passing faults.
    public static let transientCodes: Set<String> = ["RequestTimeout", "InternalError", "RequestTimeoutException"]

    /// HTTP statuses for passing faults.
    public static let transientStatuses: Set<Int> = [500, 502, 503, 504]

    /// Error codes that mean the request's clock is wrong.
    public static let clockSkewCodes: Set<String> = ["RequestTimeTooSkewed", "RequestExpired", "RequestInTheFuture"]

    /// Error codes of a failed signature check, which a wrong clock can also cause.
    public static let authFailureCodes: Set<String> = ["AuthFailure", "SignatureDoesNotMatch", "InvalidSignatureException", "InvalidClientTokenId"]

    /// The retry kind of `error`, or `nil` when a retry cannot help.
    public static func classify(_ error: Error) -> Kind? {
        switch error {
        case let error as AWSServiceError:
            if throttlingCodes.contains(error.code) { return .throttling }
            if transientCodes.contains(error.code) || transientStatuses.contains(error.status) { return .transient }
            if error.status == 429 { return .throttling }
            return nil
        case let error as HTTPTransportError:
            switch error.kind {
            case .timedOut: return .timeout
            case .connectionFailed, .connectionLost: return .transient
            default: return nil
            }
        default:
            return nil
        }
    }
}
