import Foundation

/// The JSON credential documents of `credential_process`, the container endpoint and instance
/// metadata, which share their field names (the token is `SessionToken` or `Token`).
struct CredentialDocument: Decodable {
    var Version: Int?
    var Code: String?
    var Message: String?
    var AccessKeyId: String?
    var SecretAccessKey: String?
    var SessionToken: String?
    var Token: String?
    var Expiration: String?

    /// Decodes `data`; messages describe the problem without quoting the document (it holds secrets).
    static func parse(_ data: [UInt8], provider: String, requireExpiration: Bool) throws -> AWSCredentials {
        let document: CredentialDocument
        do {
            document = try JSONDecoder().decode(CredentialDocument.self, from: Data(data))
        } catch {
            throw CredentialError.invalidResponse(provider: provider, problem: "the response is not a JSON credentials object (\(data.count) bytes)")
        }
        if let code = document.Code, code != "Success" {
            throw CredentialError.invalidResponse(provider: provider, problem: "it reported Code '\(code)'" + (document.Message.map { ": \($0)" } ?? ""))
        }
        guard let key = document.AccessKeyId, !key.isEmpty else {
            throw CredentialError.invalidResponse(provider: provider, problem: "AccessKeyId is missing")
        }
        guard let secret = document.SecretAccessKey, !secret.isEmpty else {
            throw CredentialError.invalidResponse(provider: provider, problem: "SecretAccessKey is missing")
        }
        var expiration: Date?
        if let text = document.Expiration {
            guard let date = Timestamps.parseISO8601Full(text) else {
                throw CredentialError.invalidResponse(provider: provider, problem: "Expiration '\(text)' is not an ISO 8601 time")
            }
            expiration = date
        } else if requireExpiration {
            throw CredentialError.invalidResponse(provider: provider, problem: "Expiration is missing")
        }
        return AWSCredentials(accessKeyId: key, secretAccessKey: secret, sessionToken: document.SessionToken ?? document.Token, expiration: expiration)
    }
}
