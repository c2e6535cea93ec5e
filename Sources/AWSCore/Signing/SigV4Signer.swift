import Foundation
import Synchronization

/// Signs requests with AWS Signature Version 4, in the Authorization header or as a presigned URL.
///
/// The signer is a value: create one per (region, service) and share it. Its signing-key cache
/// derives the key once per (access key, day, region, service).
public struct SigV4Signer: Sendable {
    /// How to sign; the defaults suit every service this package calls.
    public struct Options: Sendable, Equatable {
        /// Where the session token of temporary credentials goes.
        public enum SessionTokenPlacement: Sendable, Equatable {
            /// Added before signing, so the signature covers it (the usual case).
            case signed
            /// Added after signing, for the few services that want it unsigned.
            case afterSigning
        }

        /// Remove `.` and `..` segments and repeated slashes from the path before signing.
        public var normalizePath: Bool = true
        /// Send the payload hash in an `x-amz-content-sha256` header (header signing only).
        public var addContentSHA256Header: Bool = false
        /// Where the session token goes.
        public var sessionToken: SessionTokenPlacement = .signed
        /// A payload hash to use instead of hashing the body, for example `UNSIGNED-PAYLOAD`.
        public var payloadHashOverride: String? = nil

        /// Creates options.
        public init(normalizePath: Bool = true, addContentSHA256Header: Bool = false,
                    sessionToken: SessionTokenPlacement = .signed, payloadHashOverride: String? = nil) {
            self.normalizePath = normalizePath
            self.addContentSHA256Header = addContentSHA256Header
            self.sessionToken = sessionToken
            self.payloadHashOverride = payloadHashOverride
        }
    }

    /// The parts of a request the signature covers.
    public struct Request: Sendable {
        /// The method, for example `POST`.
        public var method: String
        /// The path as sent on the wire, without the query; it is URI-encoded once more for signing.
        public var path: String
        /// The query parameters, decoded.
        public var query: [(name: String, value: String)]
        /// The headers; `Host` must be among them.
        public var headers: HTTPHeaders
        /// The body.
        public var body: [UInt8]

        /// Creates a request to sign.
        public init(method: String, path: String, query: [(name: String, value: String)] = [], headers: HTTPHeaders, body: [UInt8] = []) {
            self.method = method
            self.path = path
            self.query = query
            self.headers = headers
            self.body = body
        }
    }

    /// What signing produced, including the intermediate texts (for debugging and tests).
    public struct Signature: Sendable {
        /// The canonical request that was hashed.
        public var canonicalRequest: String
        /// The string that was signed.
        public var stringToSign: String
        /// The hex signature.
        public var signature: String
        /// The signed header names, `;`-separated.
        public var signedHeaders: String
    }

    /// The region signed for, for example `us-east-1`.
    public let region: String
    /// The service's signing name, for example `ec2`.
    public let service: String
    private let keyCache: SigningKeyCache

    /// Creates a signer for `service` in `region`, sharing `keyCache` if given.
    public init(region: String, service: String, keyCache: SigningKeyCache = SigningKeyCache()) {
        self.region = region
        self.service = service
        self.keyCache = keyCache
    }

    /// Signs `request` in place: adds `X-Amz-Date`, the session token, optionally
    /// `x-amz-content-sha256`, and `Authorization`.
    @discardableResult
    public func signHeaders(_ request: inout Request, credentials: AWSCredentials, date: Date, options: Options = Options()) -> Signature {
        let stamp = AmzDate(date)
        request.headers.remove(name: "Authorization")
        request.headers.replaceOrAdd(name: "X-Amz-Date", value: stamp.full)
        let payloadHash = options.payloadHashOverride ?? Digest.hex(Digest.sha256(request.body))
        if options.addContentSHA256Header {
            request.headers.replaceOrAdd(name: "x-amz-content-sha256", value: payloadHash)
        }
        if let token = credentials.sessionToken, options.sessionToken == .signed {
            request.headers.replaceOrAdd(name: "X-Amz-Security-Token", value: token)
        } else {
            request.headers.remove(name: "X-Amz-Security-Token")
        }
        let result = sign(request, query: request.query, credentials: credentials, stamp: stamp, payloadHash: payloadHash, options: options)
        if let token = credentials.sessionToken, options.sessionToken == .afterSigning {
            request.headers.add(name: "X-Amz-Security-Token", value: token)
        }
        request.headers.add(
            name: "Authorization",
            value: "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyId)/\(scope(stamp)), SignedHeaders=\(result.signedHeaders), Signature=\(result.signature)")
        return result
    }

    /// Presigns `request` for `expires` seconds: appends the `X-Amz-*` query parameters, the
    /// signature last, to `request.query`.
    @discardableResult
    public func presign(_ request: inout Request, credentials: AWSCredentials, date: Date, expires: Int, options: Options = Options()) -> Signature {
        let stamp = AmzDate(date)
        let payloadHash = options.payloadHashOverride ?? Digest.hex(Digest.sha256(request.body))
        let signedHeaders = Self.canonicalHeaders(request.headers).names
        var query = request.query
        query.append(("X-Amz-Algorithm", "AWS4-HMAC-SHA256"))
        query.append(("X-Amz-Credential", "\(credentials.accessKeyId)/\(scope(stamp))"))
        query.append(("X-Amz-Date", stamp.full))
        query.append(("X-Amz-SignedHeaders", signedHeaders))
        query.append(("X-Amz-Expires", String(expires)))
        if let token = credentials.sessionToken, options.sessionToken == .signed {
            query.append(("X-Amz-Security-Token", token))
        }
        let result = sign(request, query: query, credentials: credentials, stamp: stamp, payloadHash: payloadHash, options: options)
        if let token = credentials.sessionToken, options.sessionToken == .afterSigning {
            query.append(("X-Amz-Security-Token", token))
        }
        query.append(("X-Amz-Signature", result.signature))
        request.query = query
        return result
    }

    private func scope(_ stamp: AmzDate) -> String {
        "\(stamp.day)/\(region)/\(service)/aws4_request"
    }

    private func sign(_ request: Request, query: [(name: String, value: String)], credentials: AWSCredentials,
                      stamp: AmzDate, payloadHash: String, options: Options) -> Signature {
        let headers = Self.canonicalHeaders(request.headers)
        let path = options.normalizePath ? Self.normalize(path: request.path) : (request.path.isEmpty ? "/" : request.path)
        var canonical = request.method
        canonical.reserveCapacity(256 + headers.text.utf8.count)
        canonical += "\n"
        canonical += URIEncoding.encodePath(path)
        canonical += "\n"
        canonical += Self.canonicalQuery(query)
        canonical += "\n"
        canonical += headers.text
        canonical += "\n"
        canonical += headers.names
        canonical += "\n"
        canonical += payloadHash

        let stringToSign = "AWS4-HMAC-SHA256\n\(stamp.full)\n\(scope(stamp))\n\(Digest.hex(Digest.sha256(canonical)))"
        let key = keyCache.key(credentials: credentials, day: stamp.day, region: region, service: service)
        let signature = Digest.hex(Digest.hmacSHA256(key: key, stringToSign))
        return Signature(canonicalRequest: canonical, stringToSign: stringToSign, signature: signature, signedHeaders: headers.names)
    }

    /// Headers never signed: they change in transit or are added by the transport.
    private static let unsignedHeaders: Set<String> = ["authorization", "user-agent", "x-amzn-trace-id", "expect", "connection", "transfer-encoding"]

    /// The canonical header block (each line ending in a newline) and the signed-header list.
    static func canonicalHeaders(_ headers: HTTPHeaders) -> (text: String, names: String) {
        var entries: [(name: String, value: String)] = []
        entries.reserveCapacity(headers.fields.count)
        for field in headers.fields {
            let name = field.name.lowercased()
            if unsignedHeaders.contains(name) { continue }
            entries.append((name, foldWhitespace(field.value)))
        }
        // A stable sort keeps repeated headers in the order they were given.
        let sorted = entries.enumerated().sorted { a, b in
            a.element.name == b.element.name ? a.offset < b.offset : a.element.name < b.element.name
        }.map(\.element)
        var text = ""
        var names = ""
        var index = 0
        while index < sorted.count {
            let name = sorted[index].name
            var value = sorted[index].value
            index += 1
            while index < sorted.count, sorted[index].name == name {
                value += ","
                value += sorted[index].value
                index += 1
            }
            text += name
            text += ":"
            text += value
            text += "\n"
            if !names.isEmpty { names += ";" }
            names += name
        }
        return (text, names)
    }

    /// Trims a header value and folds each run of spaces, tabs or line breaks to one space.
    static func foldWhitespace(_ value: String) -> String {
        let bytes = value.utf8
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        var needsWork = false
        var previousSpace = true
        for byte in bytes {
            let space = isSpace(byte)
            if space && (previousSpace || byte != 0x20) { needsWork = true; break }
            previousSpace = space
        }
        if !needsWork && !(bytes.last.map(isSpace) ?? false) { return value }
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var pendingSpace = false
        for byte in bytes {
            if isSpace(byte) {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(0x20); pendingSpace = false }
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The canonical query: each name and value URI-encoded, sorted by name then value.
    static func canonicalQuery(_ query: [(name: String, value: String)]) -> String {
        if query.isEmpty { return "" }
        // Encoded names and values are ASCII, so String order is byte order here.
        var encoded: [(name: String, value: String)] = query.map { pair in
            (name: URIEncoding.encodeQueryComponent(pair.name), value: URIEncoding.encodeQueryComponent(pair.value))
        }
        encoded.sort { (a: (name: String, value: String), b: (name: String, value: String)) -> Bool in
            a.name == b.name ? a.value < b.value : a.name < b.name
        }
        var out = ""
        for (name, value) in encoded {
            if !out.isEmpty { out += "&" }
            out += name
            out += "="
            out += value
        }
        return out
    }

    /// Removes `.` and `..` segments and empty segments (repeated slashes); keeps a trailing slash.
    static func normalize(path: String) -> String {
        if path.isEmpty { return "/" }
        var segments: [Substring] = []
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        for part in parts {
            switch part {
            case "", ".": continue
            case "..": _ = segments.popLast()
            default: segments.append(part)
            }
        }
        var result = "/" + segments.joined(separator: "/")
        if let last = parts.last, last.isEmpty || last == "." || last == "..", !segments.isEmpty {
            result += "/"
        }
        return result
    }
}

/// The derived signing keys, one per (access key, day, region, service), shared by signers.
public final class SigningKeyCache: Sendable {
    private struct Key: Hashable {
        var accessKeyId: String
        var day: String
        var region: String
        var service: String
    }

    private struct Entry {
        var secret: String
        var key: [UInt8]
    }

    private let entries = Mutex<[Key: Entry]>([:])
    private let capacity: Int

    /// Creates an empty cache holding up to `capacity` keys.
    public init(capacity: Int = 64) {
        self.capacity = capacity
    }

    /// The signing key for these credentials and scope, derived on first use.
    func key(credentials: AWSCredentials, day: String, region: String, service: String) -> [UInt8] {
        let cacheKey = Key(accessKeyId: credentials.accessKeyId, day: day, region: region, service: service)
        if let entry = entries.withLock({ $0[cacheKey] }), entry.secret == credentials.secretAccessKey {
            return entry.key
        }
        let derived = Self.derive(secret: credentials.secretAccessKey, day: day, region: region, service: service)
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[cacheKey] = Entry(secret: credentials.secretAccessKey, key: derived)
        }
        return derived
    }

    /// The number of keys held (for tests).
    public var count: Int { entries.withLock { $0.count } }

    static func derive(secret: String, day: String, region: String, service: String) -> [UInt8] {
        let kDate = Digest.hmacSHA256(key: Array(("AWS4" + secret).utf8), day)
        let kRegion = Digest.hmacSHA256(key: kDate, region)
        let kService = Digest.hmacSHA256(key: kRegion, service)
        return Digest.hmacSHA256(key: kService, "aws4_request")
    }
}

/// A signing timestamp in SigV4's two forms.
struct AmzDate {
    /// `yyyyMMdd'T'HHmmss'Z'`
    let full: String
    /// `yyyyMMdd`
    let day: String

    init(_ date: Date) {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : String(value) }
        day = "\(parts.tm_year + 1900)\(two(parts.tm_mon + 1))\(two(parts.tm_mday))"
        full = "\(day)T\(two(parts.tm_hour))\(two(parts.tm_min))\(two(parts.tm_sec))Z"
    }
}
