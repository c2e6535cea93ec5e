import Foundation

extension SigV4Signer {
    /// Signs an ``HTTPRequest`` in place (header form): takes the host, path and query from its
    /// URL, adds `Host` if absent, and adds the signature headers.
    @discardableResult
    public func signHeaders(_ request: inout HTTPRequest, credentials: AWSCredentials, date: Date, options: Options = Options()) throws -> Signature {
        let parts = try URLParts(request.url)
        var headers = request.headers
        if !headers.contains("Host") { headers.add(name: "Host", value: parts.hostHeader) }
        var signable = Request(method: request.method, path: parts.path, query: parts.query, headers: headers, body: request.body)
        let signature = signHeaders(&signable, credentials: credentials, date: date, options: options)
        request.headers = signable.headers
        return signature
    }
}

/// The pieces of an absolute http(s) URL that signing needs.
struct URLParts {
    var scheme: String
    /// `host` or `host:port` as the Host header carries it (default ports omitted).
    var hostHeader: String
    /// The path as on the wire, `/` when empty.
    var path: String
    /// The decoded query pairs, in order.
    var query: [(name: String, value: String)]

    init(_ url: String) throws {
        guard let schemeEnd = url.range(of: "://") else {
            throw HTTPTransportError(kind: .invalidRequest, url: url, detail: "the URL is not absolute")
        }
        scheme = url[..<schemeEnd.lowerBound].lowercased()
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        var authority = String(rest[..<authorityEnd])
        if let at = authority.lastIndex(of: "@") { authority = String(authority[authority.index(after: at)...]) }
        if (scheme == "https" && authority.hasSuffix(":443")) || (scheme == "http" && authority.hasSuffix(":80")) {
            authority = String(authority[..<authority.lastIndex(of: ":")!])
        }
        guard !authority.isEmpty else {
            throw HTTPTransportError(kind: .invalidRequest, url: url, detail: "the URL has no host")
        }
        hostHeader = authority.lowercased()
        let target = rest[authorityEnd...]
        let queryStart = target.firstIndex(of: "?")
        let rawPath = queryStart.map { target[..<$0] } ?? target
        path = rawPath.isEmpty ? "/" : String(rawPath)
        query = []
        if let queryStart {
            for pair in target[target.index(after: queryStart)...].split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                query.append((URIEncoding.decode(String(parts[0])), parts.count > 1 ? URIEncoding.decode(String(parts[1])) : ""))
            }
        }
    }
}
