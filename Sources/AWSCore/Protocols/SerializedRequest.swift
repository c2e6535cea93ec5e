/// An operation's request as its protocol lays it out, before an endpoint is chosen and it is signed.
public struct SerializedRequest: Sendable {
    /// The HTTP method.
    public var method: String
    /// The path, percent-encoded for the wire, starting with `/`.
    public var path: String
    /// Query parameters (decoded; encoded when the URL is built). A `nil` value is a bare key.
    public var query: [(name: String, value: String?)]
    /// Headers the protocol sets.
    public var headers: HTTPHeaders
    /// The body.
    public var body: [UInt8]
    /// A prefix for the endpoint's host, from the operation's endpoint trait with labels filled.
    public var hostPrefix: String?

    public init(method: String, path: String, query: [(name: String, value: String?)] = [], headers: HTTPHeaders = [:], body: [UInt8] = [], hostPrefix: String? = nil) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.hostPrefix = hostPrefix
    }

    /// The full URL on `endpoint` (`scheme://host[:port][/base]`): host prefix, base path and path
    /// joined, query encoded.
    public func url(endpoint: String) -> String {
        var base = endpoint
        while base.hasSuffix("/") { base.removeLast() }
        if let hostPrefix, let schemeEnd = base.range(of: "://") {
            base.insert(contentsOf: hostPrefix, at: schemeEnd.upperBound)
        }
        var url = base + (path.hasPrefix("/") ? path : "/" + path)
        if !query.isEmpty {
            url += "?" + query.map { pair in
                URIEncoding.encodeQueryComponent(pair.name) + (pair.value.map { "=" + URIEncoding.encodeQueryComponent($0) } ?? "")
            }.joined(separator: "&")
        }
        return url
    }
}

/// Request-compression settings (the AWS SDKs' `disable_request_compression` and
/// `request_min_compression_size_bytes`).
public struct RequestCompression: Sendable, Equatable {
    /// Compress bodies of operations that accept it.
    public var enabled: Bool
    /// Bodies smaller than this are sent as they are.
    public var minimumBytes: Int

    public init(enabled: Bool = true, minimumBytes: Int = 10240) {
        self.enabled = enabled
        self.minimumBytes = minimumBytes
    }

    /// Compresses `request`'s body with gzip when the operation accepts it and the body is large enough.
    public func apply(to request: inout SerializedRequest, operation: AWSOperation) throws {
        guard enabled, operation.requestCompression.contains("gzip"), request.body.count >= minimumBytes else { return }
        request.body = try Gzip.compress(request.body)
        // The protocol's own Content-Encoding (if any) is replaced: HTTP bindings do not apply here.
        request.headers.replaceOrAdd(name: "Content-Encoding", value: "gzip")
    }
}

/// Fills `{label}` placeholders of an endpoint host prefix from the input's host-label members.
enum HostPrefix {
    static func resolve(_ template: String?, input: AWSValue?, shape: Shape?) throws -> String? {
        guard var prefix = template else { return nil }
        for member in shape?.members ?? [] where member.hostLabel {
            guard let value = input?[member.name]?.stringValue, !value.isEmpty else {
                throw AWSSerializationError(description: "\(member.name) is required: it forms part of the endpoint host")
            }
            // Letters, digits, '-' and '.', not starting with '-': what a DNS name can carry.
            let valid = value.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2D || byte == 0x2E
            } && value.first != "-"
            guard valid else {
                throw AWSSerializationError(description: "\(member.name) '\(value)' is not a valid host label")
            }
            prefix = prefix.replacingOccurrences(of: "{\(member.name)}", with: value)
        }
        return prefix
    }
}

/// Serializes operation input for awsQuery and ec2Query.
public struct QuerySerializer: Sendable {
    /// The form encoder.
    public let encoder: QueryEncoder
    /// The API version sent as `Version`.
    public let apiVersion: String

    public init(encoder: QueryEncoder, apiVersion: String) {
        self.encoder = encoder
        self.apiVersion = apiVersion
    }

    /// The POST request for `operation` with `input`.
    public func serialize(_ input: AWSValue?, operation: AWSOperation) throws -> SerializedRequest {
        SerializedRequest(
            method: "POST", path: operation.requestURI.isEmpty ? "/" : operation.requestURI,
            headers: ["Content-Type": "application/x-www-form-urlencoded"],
            body: try encoder.body(action: operation.name, version: apiVersion, value: input, shape: operation.input),
            hostPrefix: try HostPrefix.resolve(operation.hostPrefix, input: input, shape: operation.input))
    }
}
