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

/// The pieces of an absolute http(s) URL that signing needs, parsed from its UTF-8 bytes.
struct URLParts {
    /// `host` or `host:port` as the Host header carries it (default ports omitted).
    var hostHeader: String
    /// The path as on the wire, `/` when empty.
    var path: String
    /// The decoded query pairs, in order.
    var query: [(name: String, value: String)]

    init(_ url: String) throws {
        var url = url
        let parsed: (String, String, [(name: String, value: String)])? = url.withUTF8 { bytes in
            let n = bytes.count
            // scheme "://"
            var i = 0
            while i + 2 < n, !(bytes[i] == 0x3A && bytes[i + 1] == 0x2F && bytes[i + 2] == 0x2F) { i += 1 }
            guard i + 2 < n, i > 0 else { return nil }
            let scheme = UnsafeBufferPointer(rebasing: bytes[0..<i])
            let isHTTPS = scheme.count == 5 && scheme.map(asciiLower).elementsEqual("https".utf8)
            let isHTTP = scheme.count == 4 && scheme.map(asciiLower).elementsEqual("http".utf8)
            // authority: up to '/', '?' or the end; drop any userinfo before '@'
            var authorityStart = i + 3
            var j = authorityStart
            while j < n, bytes[j] != 0x2F, bytes[j] != 0x3F {
                if bytes[j] == 0x40 { authorityStart = j + 1 }
                j += 1
            }
            var authorityEnd = j
            // drop a default port
            var colon = authorityEnd - 1
            while colon > authorityStart, bytes[colon] >= 0x30, bytes[colon] <= 0x39 { colon -= 1 }
            if colon > authorityStart, bytes[colon] == 0x3A {
                let port = UnsafeBufferPointer(rebasing: bytes[(colon + 1)..<authorityEnd])
                if (isHTTPS && port.elementsEqual("443".utf8)) || (isHTTP && port.elementsEqual("80".utf8)) { authorityEnd = colon }
            }
            guard authorityEnd > authorityStart else { return nil }
            var host = [UInt8]()
            host.reserveCapacity(authorityEnd - authorityStart)
            for k in authorityStart..<authorityEnd { host.append(asciiLower(bytes[k])) }
            // path up to '?'
            var q = j
            while q < n, bytes[q] != 0x3F { q += 1 }
            let path = q > j ? String(decoding: UnsafeBufferPointer(rebasing: bytes[j..<q]), as: UTF8.self) : "/"
            var query: [(name: String, value: String)] = []
            var start = q + 1
            while start < n {
                var end = start
                var equals = -1
                while end < n, bytes[end] != 0x26 {
                    if equals < 0 && bytes[end] == 0x3D { equals = end }
                    end += 1
                }
                if end > start {
                    let nameEnd = equals >= 0 ? equals : end
                    let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<nameEnd]), as: UTF8.self)
                    let value = equals >= 0 ? String(decoding: UnsafeBufferPointer(rebasing: bytes[(equals + 1)..<end]), as: UTF8.self) : ""
                    query.append((URIEncoding.decode(name), URIEncoding.decode(value)))
                }
                start = end + 1
            }
            return (String(decoding: host, as: UTF8.self), path, query)
        }
        guard let parsed else {
            throw HTTPTransportError(kind: .invalidRequest, url: url, detail: "the URL is not absolute or has no host")
        }
        (hostHeader, path, query) = parsed
    }
}
