import Foundation
import Synchronization

/// Tries providers in order and uses the first that has credentials, remembering it.
///
/// A provider with nothing configured is skipped; any other failure (a malformed file, a failing
/// `credential_process`) stops the chain, since the user asked for that source. When every
/// provider is skipped the error lists each one and why.
public final class CredentialChain: CredentialProvider {
    public let name = "credential chain"
    /// The providers, in the order tried.
    public let providers: [CredentialProvider]
    private let chosen = Mutex<Int?>(nil)

    /// Creates a chain over `providers`.
    public init(_ providers: [CredentialProvider]) {
        self.providers = providers
    }

    public func credentials() async throws -> AWSCredentials {
        if let index = chosen.withLock({ $0 }) {
            return try await providers[index].credentials()
        }
        var attempts: [CredentialError.Attempt] = []
        for (index, provider) in providers.enumerated() {
            do {
                let credentials = try await provider.credentials()
                chosen.withLock { $0 = index }
                return credentials
            } catch let CredentialError.notConfigured(name, reason) {
                attempts.append(.init(provider: name, reason: reason))
            }
        }
        throw CredentialError.noCredentials(attempts: attempts)
    }

    /// The AWS SDKs' default chain, cached: environment variables, web identity
    /// (`AWS_WEB_IDENTITY_TOKEN_FILE`), the shared files' profile, the container endpoint, then
    /// instance metadata (IMDSv2).
    ///
    /// - Parameters:
    ///   - environment: The variables to read; the process environment by default.
    ///   - transport: Carries the container and instance metadata requests.
    ///   - profile: A profile name that overrides `AWS_PROFILE`.
    ///   - assumeRole: Assumes roles for `role_arn` profiles and web identity; the STS module provides it.
    public static func defaultChain(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        transport: HTTPTransport,
        profile: String? = nil,
        assumeRole: AssumeRoleHandler? = nil
    ) -> CachedCredentialProvider {
        // An explicit profile puts the shared files first, as the AWS CLI's --profile does.
        var env = environment
        if let profile { env["AWS_PROFILE"] = profile }
        let profiles = ProfileCredentialProvider(environment: env, transport: transport, assumeRole: assumeRole)
        let providers: [CredentialProvider] = profile != nil
            ? [profiles]
            : [
                EnvironmentCredentialProvider(environment: env),
                WebIdentityCredentialProvider(environment: env, assumeRole: assumeRole),
                profiles,
                ContainerCredentialProvider(environment: env, transport: transport),
                InstanceMetadataCredentialProvider(client: InstanceMetadataClient(environment: env, transport: transport)),
            ]
        return CachedCredentialProvider(CredentialChain(providers))
    }
}

/// Finds the region: `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`, then instance metadata.
public enum RegionResolver {
    /// Where the region came from, for messages.
    public struct Resolved: Sendable, Equatable {
        /// The region, for example `eu-west-1`.
        public var region: String
        /// Where it was found, for example `AWS_REGION` or `profile 'prod' in ~/.aws/config`.
        public var source: String
    }

    /// Resolves the region, or `nil` when no source names one.
    /// - Throws: ``CredentialError`` when the shared files are malformed or `AWS_PROFILE` is missing.
    public static func resolve(environment: [String: String], imds: InstanceMetadataClient?) async throws -> Resolved? {
        for variable in ["AWS_REGION", "AWS_DEFAULT_REGION"] {
            if let region = environment[variable], !region.isEmpty { return Resolved(region: region, source: variable) }
        }
        let config = try SharedConfig.load(environment: environment)
        if let profile = try config.selectedProfile(), let region = profile["region"] {
            return Resolved(region: region, source: "profile '\(profile.name)' in \(profile.source(of: "region"))")
        }
        if let imds, !imds.isDisabled,
           let region = try? await imds.get("/latest/meta-data/placement/region").trimmingCharacters(in: .whitespacesAndNewlines),
           !region.isEmpty {
            return Resolved(region: region, source: "instance metadata")
        }
        return nil
    }
}
