/// What assuming a role needs: the role, and either source credentials or a web-identity token.
///
/// The credential chain builds these from `role_arn` profiles and from
/// `AWS_WEB_IDENTITY_TOKEN_FILE`; an ``AssumeRoleHandler`` (the STS module provides one) turns
/// them into temporary credentials.
public struct RoleAssumptionRequest: Sendable {
    /// How the caller proves who it is.
    public enum Source: Sendable {
        /// Sign `AssumeRole` with these credentials.
        case credentials(AWSCredentials)
        /// Call `AssumeRoleWithWebIdentity` with this token (OIDC JWT).
        case webIdentityToken(String)
    }

    /// The role to assume, `arn:aws:iam::123456789012:role/name`.
    public var roleArn: String
    /// The session name recorded in CloudTrail.
    public var sessionName: String
    /// The external id the role's trust policy may require.
    public var externalId: String?
    /// The session's length in seconds; `nil` for the role's default.
    public var durationSeconds: Int?
    /// The region whose STS endpoint to call; `nil` for the default.
    public var region: String?
    /// The proof of identity.
    public var source: Source

    /// Creates a request.
    public init(roleArn: String, sessionName: String, externalId: String? = nil, durationSeconds: Int? = nil,
                region: String? = nil, source: Source) {
        self.roleArn = roleArn
        self.sessionName = sessionName
        self.externalId = externalId
        self.durationSeconds = durationSeconds
        self.region = region
        self.source = source
    }
}

/// Turns an ``RoleAssumptionRequest`` into temporary credentials (by calling STS).
public typealias AssumeRoleHandler = @Sendable (RoleAssumptionRequest) async throws -> AWSCredentials
