import Foundation
import Synchronization

/// A client for the EC2 instance metadata service, IMDSv2 only.
///
/// Every read carries a session token from `PUT /latest/api/token`; the token is kept until
/// shortly before its TTL runs out. There is deliberately no fall back to IMDSv1: if the token
/// request fails, reads fail with the reason. The endpoint is `http://169.254.169.254`, or
/// `AWS_EC2_METADATA_SERVICE_ENDPOINT`, or the IPv6 one when
/// `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6`; `AWS_EC2_METADATA_DISABLED=true` turns it off.
public final class InstanceMetadataClient: Sendable {
    /// The base URL, without a trailing slash.
    public let endpoint: String
    /// Whether the environment disabled the service.
    public let isDisabled: Bool
    private let transport: HTTPTransport
    private let timeouts: HTTPTimeouts
    private let tokenTTL: Int
    private let now: @Sendable () -> Date
    private let token = Mutex<(value: String, expires: Date)?>(nil)

    /// Creates a client. The short default timeouts keep a machine outside EC2 from waiting long.
    public init(environment: [String: String], transport: HTTPTransport,
                timeouts: HTTPTimeouts = HTTPTimeouts(connect: 1, total: 2), tokenTTL: Int = 21600,
                now: @escaping @Sendable () -> Date = { Date() }) {
        var endpoint = environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"]?.lowercased() == "ipv6"
                ? "http://[fd00:ec2::254]" : "http://169.254.169.254")
        while endpoint.hasSuffix("/") { endpoint.removeLast() }
        self.endpoint = endpoint
        self.isDisabled = environment["AWS_EC2_METADATA_DISABLED"]?.lowercased() == "true"
        self.transport = transport
        self.timeouts = timeouts
        self.tokenTTL = tokenTTL
        self.now = now
    }

    /// Why a metadata read failed.
    public enum Failure: Error, Sendable, CustomStringConvertible {
        /// Nothing answered at the endpoint: not on EC2, or the metadata service is off.
        case unreachable(String)
        /// The service answered, but not as expected.
        case failed(String)

        public var description: String {
            switch self {
            case .unreachable(let text), .failed(let text): return text
            }
        }
    }

    /// Reads `path` (for example `/latest/meta-data/placement/region`) as text.
    public func get(_ path: String) async throws(Failure) -> String {
        if isDisabled { throw .unreachable("AWS_EC2_METADATA_DISABLED is true") }
        var token = try await sessionToken()
        for attempt in 0..<2 {
            let response = try await send(HTTPRequest(method: "GET", url: endpoint + path,
                                                      headers: ["X-aws-ec2-metadata-token": token], timeouts: timeouts))
            switch response.status {
            case 200:
                return response.bodyText
            case 401 where attempt == 0:
                // The token expired or was revoked early: fetch a new one and try once more.
                self.token.withLock { $0 = nil }
                token = try await sessionToken()
            default:
                throw .failed("GET \(endpoint)\(path) answered HTTP \(response.status)")
            }
        }
        throw .failed("GET \(endpoint)\(path) was refused with a fresh token (HTTP 401)")
    }

    private func sessionToken() async throws(Failure) -> String {
        let current = now()
        if let cached = token.withLock({ $0 }), cached.expires > current { return cached.value }
        let response = try await send(HTTPRequest(
            method: "PUT", url: endpoint + "/latest/api/token",
            headers: ["X-aws-ec2-metadata-token-ttl-seconds": String(tokenTTL)], timeouts: timeouts))
        guard response.status == 200, !response.body.isEmpty else {
            throw .failed("the IMDSv2 token request (PUT \(endpoint)/latest/api/token) answered HTTP \(response.status); IMDSv1 is not used as a fallback")
        }
        let value = response.bodyText.trimmingCharacters(in: .whitespacesAndNewlines)
        // Renew a minute early so a token never expires between check and use.
        let expires = current.addingTimeInterval(Double(max(tokenTTL - 60, 1)))
        token.withLock { $0 = (value, expires) }
        return value
    }

    private func send(_ request: HTTPRequest) async throws(Failure) -> HTTPResponse {
        // One retry for a dropped connection or a server error. A refused or timed-out
        // connection means there is no metadata service here: it is not retried, so a machine
        // outside EC2 waits at most one connect timeout.
        var attempt = 0
        while true {
            attempt += 1
            do {
                let response = try await transport.send(request)
                if response.status >= 500 && attempt < 2 { continue }
                return response
            } catch let error as HTTPTransportError {
                if error.kind == .connectionFailed || error.kind == .timedOut || attempt >= 2 {
                    throw .unreachable("no instance metadata service at \(endpoint) (\(error.detail))")
                }
            } catch {
                throw .failed("\(error)")
            }
        }
    }
}

/// Credentials of the instance profile role, from instance metadata (IMDSv2).
public struct InstanceMetadataCredentialProvider: CredentialProvider {
    public let name = "instance metadata (IMDSv2)"
    private let client: InstanceMetadataClient

    /// Creates a provider over `client`.
    public init(client: InstanceMetadataClient) {
        self.client = client
    }

    public func credentials() async throws -> AWSCredentials {
        let base = "/latest/meta-data/iam/security-credentials/"
        do {
            let roles = try await client.get(base)
            guard let role = roles.split(whereSeparator: \.isNewline).first.map(String.init), !role.isEmpty else {
                throw CredentialError.invalidResponse(provider: name, problem: "the instance has no IAM role attached")
            }
            let document = try await client.get(base + role)
            return try CredentialDocument.parse(Array(document.utf8), provider: name, requireExpiration: true)
        } catch let failure as InstanceMetadataClient.Failure {
            switch failure {
            case .unreachable(let reason): throw CredentialError.notConfigured(provider: name, reason: reason)
            case .failed(let reason): throw CredentialError.requestFailed(provider: name, problem: reason)
            }
        }
    }
}
