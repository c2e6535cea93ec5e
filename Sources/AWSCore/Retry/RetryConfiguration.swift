/// How many times and how a failed request is retried, as the AWS SDKs' `retry_mode` and
/// `max_attempts` settings define it.
public struct RetryConfiguration: Sendable, Equatable {
    /// The retry modes.
    public enum Mode: String, Sendable {
        /// Exponential backoff with full jitter and a retry quota.
        case standard
        /// Standard, plus a client-side rate limiter that slows down when throttled.
        case adaptive
    }

    /// The mode.
    public var mode: Mode
    /// Attempts in all, the first included (1 turns retries off).
    public var maxAttempts: Int
    /// The longest pause between attempts.
    public var maxBackoff: Duration

    /// Creates a configuration.
    public init(mode: Mode = .standard, maxAttempts: Int = 3, maxBackoff: Duration = .seconds(20)) {
        self.mode = mode
        self.maxAttempts = max(1, maxAttempts)
        self.maxBackoff = maxBackoff
    }

    /// Reads `AWS_RETRY_MODE` / `AWS_MAX_ATTEMPTS`, then the profile's `retry_mode` / `max_attempts`.
    public static func resolve(environment: [String: String], profile: Profile?) throws -> RetryConfiguration {
        var configuration = RetryConfiguration()
        func setting(_ variable: String, _ key: String) -> (String, String)? {
            if let value = environment[variable], !value.isEmpty { return (value, variable) }
            if let value = profile?[key] { return (value, "\(key) in profile '\(profile!.name)' (\(profile!.source(of: key)))") }
            return nil
        }
        if let (text, source) = setting("AWS_RETRY_MODE", "retry_mode") {
            switch text.lowercased() {
            case "standard": configuration.mode = .standard
            case "adaptive": configuration.mode = .adaptive
            case "legacy": configuration.mode = .standard
            default: throw AWSConfigurationError(description: "\(source) is '\(text)'; use standard or adaptive")
            }
        }
        if let (text, source) = setting("AWS_MAX_ATTEMPTS", "max_attempts") {
            guard let attempts = Int(text), attempts >= 1 else {
                throw AWSConfigurationError(description: "\(source) is '\(text)'; it must be a whole number of 1 or more")
            }
            configuration.maxAttempts = attempts
        }
        return configuration
    }
}

/// A configuration setting (region, retries, compression) that cannot be used, naming where it came from.
public struct AWSConfigurationError: Error, CustomStringConvertible, Equatable {
    public var description: String

    public init(description: String) {
        self.description = description
    }
}
