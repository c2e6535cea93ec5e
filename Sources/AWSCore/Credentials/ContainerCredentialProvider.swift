import Foundation

/// Credentials from the ECS (or EKS Pod Identity) container endpoint.
///
/// `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` is a path on `http://169.254.170.2`;
/// `AWS_CONTAINER_CREDENTIALS_FULL_URI` is a whole URL, which must be HTTPS or point at a loopback
/// or container-agent address. The `Authorization` header comes from
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (re-read on every fetch) or `AWS_CONTAINER_AUTHORIZATION_TOKEN`.
public struct ContainerCredentialProvider: CredentialProvider {
    public let name = "container credentials endpoint"
    private let environment: [String: String]
    private let transport: HTTPTransport
    private let relativeBase: String
    private let timeouts: HTTPTimeouts

    /// Creates a provider. `relativeBase` replaces `http://169.254.170.2` (for tests).
    public init(environment: [String: String], transport: HTTPTransport,
                relativeBase: String = "http://169.254.170.2", timeouts: HTTPTimeouts = HTTPTimeouts(connect: 2, total: 5)) {
        self.environment = environment
        self.transport = transport
        self.relativeBase = relativeBase
        self.timeouts = timeouts
    }

    /// Hosts a plain-HTTP full URI may name: loopback and the container agents' link-local addresses.
    static func isAllowedPlainHTTPHost(_ host: String) -> Bool {
        let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        if bare == "localhost" || bare == "::1" || bare == "169.254.170.2" || bare == "169.254.170.23" || bare.lowercased() == "fd00:ec2::23" {
            return true
        }
        let octets = bare.split(separator: ".")
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    /// The URL to ask, from the environment.
    func endpoint() throws -> String {
        if let relative = environment["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"], !relative.isEmpty {
            return relativeBase + (relative.hasPrefix("/") ? relative : "/" + relative)
        }
        guard let full = environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"], !full.isEmpty else {
            throw CredentialError.notConfigured(provider: name, reason: "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set")
        }
        guard let url = URLComponents(string: full), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            throw CredentialError.requestFailed(provider: name, problem: "AWS_CONTAINER_CREDENTIALS_FULL_URI '\(full)' is not an absolute URL")
        }
        if scheme == "https" { return full }
        guard scheme == "http", Self.isAllowedPlainHTTPHost(host) else {
            throw CredentialError.requestFailed(
                provider: name,
                problem: "AWS_CONTAINER_CREDENTIALS_FULL_URI must use https, or http to a loopback address or 169.254.170.2/169.254.170.23; got '\(full)'")
        }
        return full
    }

    /// The authorization token, if one is configured.
    func authorizationToken() throws -> String? {
        var token: String?
        if let path = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"], !path.isEmpty {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CredentialError.requestFailed(provider: name, problem: "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE '\(path)' cannot be read")
            }
            token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        } else if let value = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"], !value.isEmpty {
            token = value
        }
        if let token, token.contains(where: { $0 == "\r" || $0 == "\n" }) {
            throw CredentialError.requestFailed(provider: name, problem: "the authorization token contains a line break")
        }
        return token
    }

    public func credentials() async throws -> AWSCredentials {
        let url = try endpoint()
        var headers: HTTPHeaders = ["Accept": "application/json"]
        if let token = try authorizationToken() { headers.add(name: "Authorization", value: token) }
        let request = HTTPRequest(method: "GET", url: url, headers: headers, timeouts: timeouts)
        var lastProblem = ""
        // One retry for a dropped connection or a server error, as the AWS SDKs do.
        for _ in 0..<2 {
            do {
                let response = try await transport.send(request)
                if response.status == 200 {
                    return try CredentialDocument.parse(response.body, provider: name, requireExpiration: false)
                }
                lastProblem = "\(url) answered HTTP \(response.status)"
                if response.status < 500 { break }
            } catch let error as HTTPTransportError {
                lastProblem = error.description
            }
        }
        throw CredentialError.requestFailed(provider: name, problem: lastProblem)
    }
}
