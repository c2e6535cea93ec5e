import Foundation

extension STSClient {
    /// Assumes roles for the credential chain: `role_arn` profiles (signed `AssumeRole` with the
    /// source credentials) and web identity (unsigned `AssumeRoleWithWebIdentity`).
    ///
    /// Pass it to `CredentialChain.defaultChain(…, assumeRole:)` or
    /// `AWSClient.Configuration.resolve(…, assumeRole:)`.
    ///
    /// - Parameters:
    ///   - region: The STS region when the profile names none (regional endpoints, as the SDKs use).
    ///   - transport: Carries the STS calls.
    ///   - environment: For endpoint overrides (`AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL`).
    public static func assumeRoleHandler(region: String, transport: HTTPTransport,
                                         environment: [String: String] = ProcessInfo.processInfo.environment,
                                         clock: AWSClock = SystemClock()) -> AssumeRoleHandler {
        { request in
            struct Source: CredentialProvider {
                let name = "assume-role source credentials"
                let value: AWSCredentials?
                func credentials() async throws -> AWSCredentials {
                    guard let value else { throw CredentialError.notConfigured(provider: name, reason: "none needed") }
                    return value
                }
            }
            var source: AWSCredentials?
            if case .credentials(let credentials) = request.source { source = credentials }
            let sts = STSClient(configuration: AWSClient.Configuration(
                region: request.region ?? region, credentials: Source(value: source), transport: transport, clock: clock,
                environment: environment))
            let issued: Credentials?
            switch request.source {
            case .credentials:
                issued = try await sts.assumeRole(AssumeRoleRequest(
                    roleArn: request.roleArn, roleSessionName: request.sessionName,
                    durationSeconds: request.durationSeconds, externalId: request.externalId)).credentials
            case .webIdentityToken(let token):
                issued = try await sts.assumeRoleWithWebIdentity(AssumeRoleWithWebIdentityRequest(
                    roleArn: request.roleArn, roleSessionName: request.sessionName, webIdentityToken: token,
                    durationSeconds: request.durationSeconds)).credentials
            }
            guard let issued, let key = issued.accessKeyId, let secret = issued.secretAccessKey else {
                throw CredentialError.invalidResponse(provider: "STS for \(request.roleArn)", problem: "the answer holds no credentials")
            }
            return AWSCredentials(accessKeyId: key, secretAccessKey: secret, sessionToken: issued.sessionToken, expiration: issued.expiration)
        }
    }
}
