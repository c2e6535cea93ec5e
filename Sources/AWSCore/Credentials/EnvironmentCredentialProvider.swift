/// Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`.
public struct EnvironmentCredentialProvider: CredentialProvider {
    public let name = "environment variables"
    private let environment: [String: String]

    /// Creates a provider reading `environment`.
    public init(environment: [String: String]) {
        self.environment = environment
    }

    public func credentials() async throws -> AWSCredentials {
        let key = environment["AWS_ACCESS_KEY_ID"].flatMap { $0.isEmpty ? nil : $0 }
        let secret = environment["AWS_SECRET_ACCESS_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        switch (key, secret) {
        case let (key?, secret?):
            let token = environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
            return AWSCredentials(accessKeyId: key, secretAccessKey: secret, sessionToken: token)
        case (nil, nil):
            throw CredentialError.notConfigured(provider: name, reason: "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set")
        case (_?, nil):
            throw CredentialError.invalidProfile(profile: "environment", source: "environment variables",
                                                 problem: "sets AWS_ACCESS_KEY_ID but not AWS_SECRET_ACCESS_KEY; set both or neither")
        case (nil, _?):
            throw CredentialError.invalidProfile(profile: "environment", source: "environment variables",
                                                 problem: "sets AWS_SECRET_ACCESS_KEY but not AWS_ACCESS_KEY_ID; set both or neither")
        }
    }
}
