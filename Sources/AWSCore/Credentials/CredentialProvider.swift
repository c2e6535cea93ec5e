/// Supplies AWS credentials: environment, shared files, a process, the container or instance metadata.
public protocol CredentialProvider: Sendable {
    /// A short name for messages, for example `environment` or `instance metadata (IMDSv2)`.
    var name: String { get }

    /// Returns credentials, or throws ``CredentialError``. A provider with nothing configured
    /// throws ``CredentialError/notConfigured(provider:reason:)`` so a chain moves on.
    func credentials() async throws -> AWSCredentials
}

/// Why credentials could not be had. Messages name files, lines and profiles, never secrets.
public enum CredentialError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The provider has nothing configured here; a chain tries the next one.
    case notConfigured(provider: String, reason: String)
    /// No provider in the chain had credentials; each place tried and why it gave none.
    case noCredentials(attempts: [Attempt])
    /// A shared config or credentials file cannot be parsed.
    case malformedFile(path: String, line: Int, problem: String)
    /// The selected profile exists in neither file.
    case profileNotFound(profile: String, searched: [String])
    /// The profile exists but its settings cannot give credentials.
    case invalidProfile(profile: String, source: String, problem: String)
    /// `credential_process` failed or printed something unusable.
    case processFailed(command: String, problem: String)
    /// An endpoint (container, instance metadata) answered with something unusable.
    case invalidResponse(provider: String, problem: String)
    /// An endpoint could not be reached or refused the request.
    case requestFailed(provider: String, problem: String)

    /// One provider's part in a failed chain.
    public struct Attempt: Sendable, Equatable {
        /// The provider's name.
        public var provider: String
        /// Why it gave no credentials.
        public var reason: String

        /// Creates an attempt record.
        public init(provider: String, reason: String) {
            self.provider = provider
            self.reason = reason
        }
    }

    public var description: String {
        switch self {
        case let .notConfigured(provider, reason):
            return "\(provider): \(reason)"
        case let .noCredentials(attempts):
            var text = "No AWS credentials found. Places tried, in order:"
            for attempt in attempts { text += "\n  - \(attempt.provider): \(attempt.reason)" }
            text += "\nSet AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or configure a profile in ~/.aws/credentials (see Docs/Credentials.md)."
            return text
        case let .malformedFile(path, line, problem):
            return "\(path), line \(line): \(problem)"
        case let .profileNotFound(profile, searched):
            return "The profile '\(profile)' was not found; looked in \(searched.joined(separator: " and ")). Check AWS_PROFILE or add a [\(profile == "default" ? "default" : "profile \(profile)")] section."
        case let .invalidProfile(profile, source, problem):
            return "The profile '\(profile)' (\(source)) \(problem)"
        case let .processFailed(command, problem):
            return "credential_process '\(command)' failed: \(problem)"
        case let .invalidResponse(provider, problem):
            return "\(provider) answered with unusable credentials: \(problem)"
        case let .requestFailed(provider, problem):
            return "\(provider) could not be asked for credentials: \(problem)"
        }
    }
}
