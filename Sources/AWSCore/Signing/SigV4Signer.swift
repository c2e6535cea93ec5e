import COpenSSL
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
        /// The canonical request's bytes, as hashed.
        public var canonicalRequestBytes: [UInt8]
        /// The string-to-sign's bytes, as signed.
        public var stringToSignBytes: [UInt8]
        /// The hex signature.
        public var signature: String
        /// The signed header names, `;`-separated.
        public var signedHeaders: String

        /// The canonical request that was hashed.
        public var canonicalRequest: String { String(decoding: canonicalRequestBytes, as: UTF8.self) }
        /// The string that was signed.
        public var stringToSign: String { String(decoding: stringToSignBytes, as: UTF8.self) }
    }

    /// The region signed for, for example `us-east-1`.
    public let region: String
    /// The service's signing name, for example `ec2`.
    public let service: String
    private let keyCache: SigningKeyCache
    /// `/region/service/aws4_request`, the part of the scope after the day.
    private let scopeSuffix: String

    /// Creates a signer for `service` in `region`, sharing `keyCache` if given.
    public init(region: String, service: String, keyCache: SigningKeyCache = SigningKeyCache()) {
        self.region = region
        self.service = service
        self.keyCache = keyCache
        self.scopeSuffix = "/\(region)/\(service)/aws4_request"
    }

    /// Signs `request` in place: adds `X-Amz-Date`, the session token, optionally
    /// `x-amz-content-sha256`, and `Authorization`.
    @discardableResult
    public func signHeaders(_ request: inout Request, credentials: AWSCredentials, date: Date, options: Options = Options()) -> Signature {
        let stamp = AmzDate(date)
        let payloadHash = options.payloadHashOverride ?? Digest.sha256Hex(request.body)
        // One pass drops whatever an earlier signing left; then the fresh values go in.
        request.headers.removeAll { name in
            name.caseInsensitiveEquals("Authorization") || name.caseInsensitiveEquals("X-Amz-Date")
                || name.caseInsensitiveEquals("X-Amz-Security-Token")
                || (options.addContentSHA256Header && name.caseInsensitiveEquals("x-amz-content-sha256"))
        }
        request.headers.add(name: "X-Amz-Date", value: stamp.full)
        if options.addContentSHA256Header {
            request.headers.add(name: "x-amz-content-sha256", value: payloadHash)
        }
        if let token = credentials.sessionToken, options.sessionToken == .signed {
            request.headers.add(name: "X-Amz-Security-Token", value: token)
        }
        let result = sign(request, query: request.query, credentials: credentials, stamp: stamp, payloadHash: payloadHash, options: options)
        if let token = credentials.sessionToken, options.sessionToken == .afterSigning {
            request.headers.add(name: "X-Amz-Security-Token", value: token)
        }
        var authorization = [UInt8]()
        authorization.reserveCapacity(160 + credentials.accessKeyId.utf8.count + result.signedHeaders.utf8.count)
        authorization.append(contentsOf: "AWS4-HMAC-SHA256 Credential=".utf8)
        authorization.append(contentsOf: credentials.accessKeyId.utf8)
        authorization.append(0x2F)
        authorization.append(contentsOf: stamp.day.utf8)
        authorization.append(contentsOf: scopeSuffix.utf8)
        authorization.append(contentsOf: ", SignedHeaders=".utf8)
        authorization.append(contentsOf: result.signedHeaders.utf8)
        authorization.append(contentsOf: ", Signature=".utf8)
        authorization.append(contentsOf: result.signature.utf8)
        request.headers.add(name: "Authorization", value: String(decoding: authorization, as: UTF8.self))
        return result
    }

    /// Presigns `request` for `expires` seconds: appends the `X-Amz-*` query parameters, the
    /// signature last, to `request.query`.
    @discardableResult
    public func presign(_ request: inout Request, credentials: AWSCredentials, date: Date, expires: Int, options: Options = Options()) -> Signature {
        let stamp = AmzDate(date)
        let payloadHash = options.payloadHashOverride ?? Digest.sha256Hex(request.body)
        var ignored = [UInt8]()
        let signedHeaders = Self.appendCanonicalHeaders(request.headers, to: &ignored)
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
        stamp.day + scopeSuffix
    }

    private func sign(_ request: Request, query: [(name: String, value: String)], credentials: AWSCredentials,
                      stamp: AmzDate, payloadHash: String, options: Options) -> Signature {
        // The canonical request is built as bytes in one buffer: no intermediate Strings.
        var canonical = [UInt8]()
        canonical.reserveCapacity(512 + request.headers.fields.count * 64)
        canonical.append(contentsOf: request.method.utf8)
        canonical.append(0x0A)
        let path = request.path.isEmpty ? "/" : request.path
        URIEncoding.appendEncoded(options.normalizePath ? Self.normalize(path: path) : path, keepSlash: true, to: &canonical)
        canonical.append(0x0A)
        Self.appendCanonicalQuery(query, to: &canonical)
        canonical.append(0x0A)
        let signedHeaders = Self.appendCanonicalHeaders(request.headers, to: &canonical)
        canonical.append(0x0A)
        canonical.append(contentsOf: signedHeaders.utf8)
        canonical.append(0x0A)
        canonical.append(contentsOf: payloadHash.utf8)

        var stringToSign = [UInt8]()
        stringToSign.reserveCapacity(128 + scopeSuffix.utf8.count)
        stringToSign.append(contentsOf: "AWS4-HMAC-SHA256\n".utf8)
        stringToSign.append(contentsOf: stamp.full.utf8)
        stringToSign.append(0x0A)
        stringToSign.append(contentsOf: stamp.day.utf8)
        stringToSign.append(contentsOf: scopeSuffix.utf8)
        stringToSign.append(0x0A)
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { digest in
            canonical.withUnsafeBytes { cossl_sha256($0.baseAddress, $0.count, digest.baseAddress) }
            Digest.appendHex(UnsafeRawBufferPointer(digest), to: &stringToSign)
        }
        let key = keyCache.key(credentials: credentials, day: stamp.day, region: region, service: service)
        let signature = String(unsafeUninitializedCapacity: 64) { out in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { mac in
                stringToSign.withUnsafeBytes { key.mac($0, into: mac.baseAddress!) }
                for i in 0..<32 {
                    out[2 * i] = Digest.hexDigit(mac[i] >> 4)
                    out[2 * i + 1] = Digest.hexDigit(mac[i] & 0x0F)
                }
            }
            return 64
        }
        return Signature(canonicalRequestBytes: canonical, stringToSignBytes: stringToSign, signature: signature, signedHeaders: signedHeaders)
    }

    /// Whether a lower-cased header name is one never signed: it changes in transit or the
    /// transport adds it.
    @inline(__always)
    static func isUnsigned(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        switch name.count {
        case 6: return name.elementsEqual("expect".utf8)
        case 10: return name.elementsEqual("user-agent".utf8) || name.elementsEqual("connection".utf8)
        case 13: return name.elementsEqual("authorization".utf8)
        case 15: return name.elementsEqual("x-amzn-trace-id".utf8)
        case 17: return name.elementsEqual("transfer-encoding".utf8)
        default: return false
        }
    }

    /// Byte-wise order of two ranges of `buffer`: negative, zero or positive.
    @inline(__always)
    private static func compare(_ buffer: UnsafeBufferPointer<UInt8>, _ a: Range<Int>, _ b: Range<Int>) -> Int32 {
        let common = min(a.count, b.count)
        let order = memcmp(buffer.baseAddress! + a.lowerBound, buffer.baseAddress! + b.lowerBound, common)
        if order != 0 { return order }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }

    /// Appends the canonical header block (each line ending in a newline) and returns the
    /// signed-header list. Names are lower-cased, values trimmed with inner whitespace runs folded
    /// to one space, and repeated headers joined with `,` in the order given.
    static func appendCanonicalHeaders(_ headers: HTTPHeaders, to out: inout [UInt8]) -> String {
        // Names (lower-cased) and folded values go into one scratch buffer, written through a
        // pointer; entries hold their ranges.
        var capacity = 0
        for field in headers.fields { capacity += field.name.utf8.count + field.value.utf8.count }
        var entries: [(name: Range<Int>, value: Range<Int>)] = []
        entries.reserveCapacity(headers.fields.count)
        let scratch = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
            var at = 0
            for field in headers.fields {
                let nameStart = at
                for byte in field.name.utf8 {
                    buffer[at] = asciiLower(byte)
                    at += 1
                }
                if isUnsigned(UnsafeBufferPointer(rebasing: buffer[nameStart..<at])) {
                    at = nameStart
                    continue
                }
                let valueStart = at
                var pendingSpace = false
                for byte in field.value.utf8 {
                    if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                        pendingSpace = at > valueStart
                    } else {
                        if pendingSpace {
                            buffer[at] = 0x20
                            at += 1
                            pendingSpace = false
                        }
                        buffer[at] = byte
                        at += 1
                    }
                }
                entries.append((nameStart..<valueStart, valueStart..<at))
            }
            count = at
        }
        var signed = [UInt8]()
        signed.reserveCapacity(entries.count * 16)
        scratch.withUnsafeBufferPointer { buffer in
            // Insertion sort: stable (repeated names keep their order) and fast for a handful.
            var i = 1
            while i < entries.count {
                let entry = entries[i]
                var j = i - 1
                while j >= 0, compare(buffer, entries[j].name, entry.name) > 0 {
                    entries[j + 1] = entries[j]
                    j -= 1
                }
                entries[j + 1] = entry
                i += 1
            }
            var index = 0
            while index < entries.count {
                let name = entries[index].name
                let nameBytes = UnsafeBufferPointer(rebasing: buffer[name])
                out.append(contentsOf: nameBytes)
                out.append(0x3A)
                out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[entries[index].value]))
                index += 1
                while index < entries.count, compare(buffer, entries[index].name, name) == 0 {
                    out.append(0x2C)
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[entries[index].value]))
                    index += 1
                }
                out.append(0x0A)
                if !signed.isEmpty { signed.append(0x3B) }
                signed.append(contentsOf: nameBytes)
            }
        }
        return String(decoding: signed, as: UTF8.self)
    }

    /// Appends the canonical query: each name and value URI-encoded, sorted by name then value.
    static func appendCanonicalQuery(_ query: [(name: String, value: String)], to out: inout [UInt8]) {
        if query.isEmpty { return }
        var encoded: [(name: [UInt8], value: [UInt8])] = []
        encoded.reserveCapacity(query.count)
        for pair in query {
            var name = [UInt8](), value = [UInt8]()
            URIEncoding.appendEncoded(pair.name, keepSlash: false, to: &name)
            URIEncoding.appendEncoded(pair.value, keepSlash: false, to: &value)
            encoded.append((name, value))
        }
        encoded.sort { a, b in
            a.name == b.name ? a.value.lexicographicallyPrecedes(b.value) : a.name.lexicographicallyPrecedes(b.name)
        }
        for (index, pair) in encoded.enumerated() {
            if index > 0 { out.append(0x26) }
            out.append(contentsOf: pair.name)
            out.append(0x3D)
            out.append(contentsOf: pair.value)
        }
    }

    /// Removes `.` and `..` segments and empty segments (repeated slashes); keeps a trailing slash.
    static func normalize(path: String) -> String {
        if path.isEmpty { return "/" }
        if !needsNormalizing(path) { return path }
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

    /// Whether `path` has anything to normalize: no leading slash, `//`, or a `.`/`..` segment.
    private static func needsNormalizing(_ path: String) -> Bool {
        var previous: UInt8 = 0
        var segmentLength = 0
        var segmentDots = 0
        var first = true
        for byte in path.utf8 {
            if first {
                first = false
                if byte != 0x2F { return true }
                previous = byte
                continue
            }
            if byte == 0x2F {
                if previous == 0x2F { return true }
                if segmentLength > 0 && segmentLength == segmentDots && segmentDots <= 2 { return true }
                segmentLength = 0
                segmentDots = 0
            } else {
                segmentLength += 1
                if byte == 0x2E { segmentDots += 1 }
            }
            previous = byte
        }
        return segmentLength > 0 && segmentLength == segmentDots && segmentDots <= 2
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
        var key: PreparedHMACKey
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        /// The key used last: most signing repeats it, and comparing is cheaper than hashing.
        var last: (key: Key, entry: Entry)?
    }

    private let state = Mutex(State())
    private let capacity: Int

    /// Creates an empty cache holding up to `capacity` keys.
    public init(capacity: Int = 64) {
        self.capacity = capacity
    }

    /// The signing key for these credentials and scope, derived on first use.
    func key(credentials: AWSCredentials, day: String, region: String, service: String) -> PreparedHMACKey {
        let cacheKey = Key(accessKeyId: credentials.accessKeyId, day: day, region: region, service: service)
        let cached = state.withLock { state -> Entry? in
            if let last = state.last, last.key == cacheKey { return last.entry }
            guard let entry = state.entries[cacheKey] else { return nil }
            state.last = (cacheKey, entry)
            return entry
        }
        if let cached, cached.secret == credentials.secretAccessKey {
            return cached.key
        }
        let entry = Entry(secret: credentials.secretAccessKey,
                          key: PreparedHMACKey(Self.derive(secret: credentials.secretAccessKey, day: day, region: region, service: service)))
        state.withLock { state in
            if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
            state.entries[cacheKey] = entry
            state.last = (cacheKey, entry)
        }
        return entry.key
    }

    /// The number of keys held (for tests).
    public var count: Int { state.withLock { $0.entries.count } }

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
        @inline(__always) func put(_ value: Int32, _ width: Int, _ out: UnsafeMutableBufferPointer<UInt8>, _ at: Int) {
            var v = value
            for position in stride(from: at + width - 1, through: at, by: -1) {
                out[position] = UInt8(truncatingIfNeeded: 0x30 + v % 10)
                v /= 10
            }
        }
        full = String(unsafeUninitializedCapacity: 16) { out in
            put(parts.tm_year + 1900, 4, out, 0)
            put(parts.tm_mon + 1, 2, out, 4)
            put(parts.tm_mday, 2, out, 6)
            out[8] = 0x54                                   // T
            put(parts.tm_hour, 2, out, 9)
            put(parts.tm_min, 2, out, 11)
            put(parts.tm_sec, 2, out, 13)
            out[15] = 0x5A                                  // Z
            return 16
        }
        day = String(full.utf8.prefix(8))!
    }
}
