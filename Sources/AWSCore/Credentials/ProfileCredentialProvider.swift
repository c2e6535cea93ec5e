import Foundation

/// Credentials from a profile in the shared files: static keys, `credential_process`, or a role
/// (`role_arn` with `source_profile` or `credential_source`, through an ``AssumeRoleHandler``).
public struct ProfileCredentialProvider: CredentialProvider {
    public var name: String { "shared config profile" }
    private let environment: [String: String]
    private let transport: HTTPTransport
    private let assumeRole: AssumeRoleHandler?
    private let profileOverride: String?

    /// Creates a provider. `profile` overrides `AWS_PROFILE`; `assumeRole` enables role profiles.
    public init(environment: [String: String], transport: HTTPTransport, profile: String? = nil, assumeRole: AssumeRoleHandler? = nil) {
        self.environment = environment
        self.transport = transport
        self.assumeRole = assumeRole
        self.profileOverride = profile
    }

    public func credentials() async throws -> AWSCredentials {
        var environment = self.environment
        if let profileOverride { environment["AWS_PROFILE"] = profileOverride }
        let config = try SharedConfig.load(environment: environment)
        guard let profile = try config.selectedProfile() else {
            throw CredentialError.notConfigured(
                provider: name, reason: "no [default] profile in \(config.searchedDescription.joined(separator: " or "))")
        }
        return try await resolve(profile, config: config, visited: [])
    }

    private func resolve(_ profile: Profile, config: SharedConfig, visited: [String]) async throws -> AWSCredentials {
        if visited.contains(profile.name) {
            throw CredentialError.invalidProfile(profile: profile.name, source: profile.source(of: "source_profile"),
                                                 problem: "is part of a source_profile loop: \((visited + [profile.name]).joined(separator: " -> "))")
        }
        if let roleArn = profile["role_arn"] {
            return try await assume(roleArn, profile: profile, config: config, visited: visited)
        }
        if let staticCredentials = try staticCredentials(profile) {
            return staticCredentials
        }
        if let command = profile["credential_process"] {
            return try await ProcessCredentialProvider(command: command, profile: profile.name, environment: environment).credentials()
        }
        if profile["web_identity_token_file"] != nil {
            throw CredentialError.invalidProfile(profile: profile.name, source: profile.source(of: "web_identity_token_file"),
                                                 problem: "sets web_identity_token_file without role_arn")
        }
        if !visited.isEmpty {
            throw CredentialError.invalidProfile(profile: profile.name, source: config.searchedDescription.joined(separator: ", "),
                                                 problem: "is a source_profile but has no credentials (aws_access_key_id, credential_process or role_arn)")
        }
        throw CredentialError.notConfigured(
            provider: name, reason: "profile '\(profile.name)' has no aws_access_key_id, credential_process or role_arn")
    }

    private func staticCredentials(_ profile: Profile) throws -> AWSCredentials? {
        let key = profile["aws_access_key_id"], secret = profile["aws_secret_access_key"]
        switch (key, secret) {
        case let (key?, secret?):
            return AWSCredentials(accessKeyId: key, secretAccessKey: secret, sessionToken: profile["aws_session_token"])
        case (nil, nil):
            return nil
        case (_?, nil):
            throw CredentialError.invalidProfile(profile: profile.name, source: profile.source(of: "aws_access_key_id"),
                                                 problem: "sets aws_access_key_id but not aws_secret_access_key")
        case (nil, _?):
            throw CredentialError.invalidProfile(profile: profile.name, source: profile.source(of: "aws_secret_access_key"),
                                                 problem: "sets aws_secret_access_key but not aws_access_key_id")
        }
    }

    private func assume(_ roleArn: String, profile: Profile, config: SharedConfig, visited: [String]) async throws -> AWSCredentials {
        let where_ = profile.source(of: "role_arn")
        guard let assumeRole else {
            throw CredentialError.invalidProfile(
                profile: profile.name, source: where_,
                problem: "uses role_arn, which needs STS: create the chain with an assumeRole handler (the STS module provides one)")
        }
        let source: RoleAssumptionRequest.Source
        if let token = profile["web_identity_token_file"] {
            guard let data = FileManager.default.contents(atPath: token) else {
                throw CredentialError.invalidProfile(profile: profile.name, source: where_, problem: "names web_identity_token_file '\(token)', which cannot be read")
            }
            source = .webIdentityToken(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        } else if let sourceName = profile["source_profile"] {
            if profile["credential_source"] != nil {
                throw CredentialError.invalidProfile(profile: profile.name, source: where_, problem: "sets both source_profile and credential_source; keep one")
            }
            guard let sourceProfile = config.profile(sourceName) else {
                throw CredentialError.profileNotFound(profile: sourceName, searched: config.searchedDescription)
            }
            if sourceName == profile.name {
                // A profile may name itself as its source: its own static keys then sign AssumeRole.
                guard let own = try staticCredentials(profile) else {
                    throw CredentialError.invalidProfile(profile: profile.name, source: where_, problem: "is its own source_profile but has no aws_access_key_id")
                }
                source = .credentials(own)
            } else {
                source = .credentials(try await resolve(sourceProfile, config: config, visited: visited + [profile.name]))
            }
        } else if let named = profile["credential_source"] {
            let provider: CredentialProvider
            switch named {
            case "Environment": provider = EnvironmentCredentialProvider(environment: environment)
            case "Ec2InstanceMetadata": provider = InstanceMetadataCredentialProvider(client: InstanceMetadataClient(environment: environment, transport: transport))
            case "EcsContainer": provider = ContainerCredentialProvider(environment: environment, transport: transport)
            default:
                throw CredentialError.invalidProfile(profile: profile.name, source: profile.source(of: "credential_source"),
                                                     problem: "has credential_source '\(named)'; use Environment, Ec2InstanceMetadata or EcsContainer")
            }
            source = .credentials(try await provider.credentials())
        } else {
            throw CredentialError.invalidProfile(profile: profile.name, source: where_, problem: "sets role_arn without source_profile, credential_source or web_identity_token_file")
        }
        return try await assumeRole(RoleAssumptionRequest(
            roleArn: roleArn, sessionName: profile["role_session_name"] ?? "magento-rollout-\(Int(Date().timeIntervalSince1970))",
            externalId: profile["external_id"], durationSeconds: profile["duration_seconds"].flatMap { Int($0) },
            region: profile["region"], source: source))
    }
}

/// Credentials for `AWS_ROLE_ARN` from the OIDC token in `AWS_WEB_IDENTITY_TOKEN_FILE` (EKS, CI
/// systems), through an ``AssumeRoleHandler``.
public struct WebIdentityCredentialProvider: CredentialProvider {
    public let name = "web identity token (AWS_WEB_IDENTITY_TOKEN_FILE)"
    private let environment: [String: String]
    private let assumeRole: AssumeRoleHandler?

    /// Creates a provider; without `assumeRole`, a configured web identity is reported as unusable.
    public init(environment: [String: String], assumeRole: AssumeRoleHandler?) {
        self.environment = environment
        self.assumeRole = assumeRole
    }

    public func credentials() async throws -> AWSCredentials {
        guard let path = environment["AWS_WEB_IDENTITY_TOKEN_FILE"], !path.isEmpty else {
            throw CredentialError.notConfigured(provider: name, reason: "AWS_WEB_IDENTITY_TOKEN_FILE is not set")
        }
        guard let roleArn = environment["AWS_ROLE_ARN"], !roleArn.isEmpty else {
            throw CredentialError.invalidProfile(profile: "environment", source: "environment variables",
                                                 problem: "sets AWS_WEB_IDENTITY_TOKEN_FILE without AWS_ROLE_ARN")
        }
        guard let assumeRole else {
            throw CredentialError.invalidProfile(profile: "environment", source: "environment variables",
                                                 problem: "sets AWS_WEB_IDENTITY_TOKEN_FILE, which needs STS: create the chain with an assumeRole handler (the STS module provides one)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CredentialError.requestFailed(provider: name, problem: "the token file '\(path)' cannot be read")
        }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return try await assumeRole(RoleAssumptionRequest(
            roleArn: roleArn,
            sessionName: environment["AWS_ROLE_SESSION_NAME"] ?? "magento-rollout-\(Int(Date().timeIntervalSince1970))",
            source: .webIdentityToken(token)))
    }
}
