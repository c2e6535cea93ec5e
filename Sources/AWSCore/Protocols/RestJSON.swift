import Foundation

/// The restJson1 protocol (EFS): members bound to the URI path, query string and headers, the
/// rest as a JSON body; errors named by `x-amzn-errortype`, `code` or `__type`.
public struct RestJSONProtocol: Sendable {
    /// Makes idempotency tokens for members that need one and have none.
    public let idempotencyToken: @Sendable () -> String

    public init(idempotencyToken: @escaping @Sendable () -> String = WireCodec.randomToken) {
        self.idempotencyToken = idempotencyToken
    }

    /// The request for `operation` with `input`.
    public func serialize(_ input: AWSValue?, operation: AWSOperation) throws -> SerializedRequest {
        if let shape = operation.input, shape.payloadMember != nil || shape.members.contains(where: { $0.shape.isDocument }) {
            throw AWSSerializationError(description: "\(operation.name): HTTP payload members and documents are not supported by this restJson1 serializer")
        }
        var fields: [String: AWSValue] = [:]
        if case .structure(let given)? = input { fields = given }
        let shape = operation.input
        for member in shape?.members ?? [] where member.idempotencyToken && fields[member.name] == nil {
            fields[member.name] = .string(idempotencyToken())
        }

        // The URI template may carry a constant query (`/path?foo=bar`).
        let template = operation.requestURI
        let queryStart = template.firstIndex(of: "?")
        var path = String(queryStart.map { template[..<$0] } ?? template[...])
        var query: [(name: String, value: String?)] = []
        if let queryStart {
            for pair in template[template.index(after: queryStart)...].split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                query.append((String(parts[0]), parts.count > 1 ? String(parts[1]) : nil))
            }
        }
        var headers = HTTPHeaders()

        for member in shape?.members ?? [] {
            let value = fields[member.name]
            switch member.location {
            case .uri:
                let greedy = path.contains("{\(member.wireName)+}")
                guard let value else {
                    throw AWSSerializationError(description: "\(member.name) is required: it is part of the request path")
                }
                let text = try QueryEncoder.scalarText(value, member: member, key: member.name, timestampDefault: .iso8601)
                guard !text.isEmpty else { throw AWSSerializationError(description: "\(member.name) must not be empty: it is part of the request path") }
                let encoded = URIEncoding.encode(text, keepSlash: greedy)
                path = path.replacingOccurrences(of: greedy ? "{\(member.wireName)+}" : "{\(member.wireName)}", with: encoded)
            case .querystring:
                guard let value else { continue }
                switch value {
                case .list(let items):
                    for item in items {
                        query.append((member.wireName, try QueryEncoder.scalarText(item, member: member.shape.listMember!, key: member.name, timestampDefault: .iso8601)))
                    }
                case .map(let entries):
                    for entry in entries where !query.contains(where: { $0.name == entry.key }) {
                        if case .list(let items) = entry.value {
                            for item in items { query.append((entry.key, item.stringValue ?? "")) }
                        } else {
                            query.append((entry.key, entry.value.stringValue ?? ""))
                        }
                    }
                default:
                    query.append((member.wireName, try QueryEncoder.scalarText(value, member: member, key: member.name, timestampDefault: .iso8601)))
                }
            case .header:
                guard let value else { continue }
                headers.add(name: member.wireName, value: try QueryEncoder.scalarText(value, member: member, key: member.name, timestampDefault: .rfc822))
            case .headers, .statusCode, .body:
                continue
            }
        }

        var body: [UInt8] = []
        // A JSON body goes with any body member set, and as `{}` with methods that carry a body.
        let bodyMembers = shape?.members.filter { $0.location == .body } ?? []
        let hasBodyValues = bodyMembers.contains { fields[$0.name] != nil }
        let methodTakesBody = !["GET", "DELETE", "HEAD"].contains(operation.method)
        if let shape, !bodyMembers.isEmpty, hasBodyValues || methodTakesBody {
            var writer = JSONWriter()
            try writer.writeStructure(fields, shape: shape) { $0.location == .body }
            body = writer.bytes
            headers.add(name: "Content-Type", value: "application/json")
        }
        return SerializedRequest(method: operation.method, path: path, query: query, headers: headers, body: body,
                                 hostPrefix: try HostPrefix.resolve(operation.hostPrefix, input: input, shape: shape))
    }

    /// Decodes a successful response into the operation's output structure.
    public func decodeOutput(_ response: HTTPResponse, operation: AWSOperation) throws -> AWSValue {
        guard let shape = operation.output else { return .structure([:]) }
        if shape.payloadMember != nil || shape.members.contains(where: { $0.shape.isDocument }) {
            throw JSONShapeReader.Failure(description: "\(operation.name): HTTP payload members and documents are not supported by this restJson1 decoder")
        }
        var fields: [String: AWSValue] = [:]
        let trimmed = response.body.drop { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        if !trimmed.isEmpty {
            guard let object = try JSONShapeReader.parse(response.body) as? [String: Any] else {
                throw JSONShapeReader.Failure(description: "the body is not a JSON object")
            }
            fields = try JSONShapeReader.structure(object, shape: shape, path: shape.name) { $0.location == .body }
        }
        for member in shape.members {
            switch member.location {
            case .header:
                if let text = response.headers[member.wireName] {
                    fields[member.name] = try XMLResponseDecoder.scalar(text, member: member, path: member.name)
                }
            case .statusCode:
                fields[member.name] = .integer(Int64(response.status))
            default:
                continue
            }
        }
        return .structure(fields)
    }

    /// Reads an error response; the code comes from `x-amzn-errortype`, else the body's `code` or `__type`.
    public func decodeError(_ response: HTTPResponse, operation: AWSOperation?) -> ErrorDetails? {
        let object = (try? JSONShapeReader.parse(response.body)) as? [String: Any] ?? [:]
        let raw = response.headers["x-amzn-errortype"] ?? object["code"] as? String ?? object["__type"] as? String
        guard let raw, !raw.isEmpty else { return nil }
        let code = Self.sanitize(raw)
        let message = object["message"] as? String ?? object["Message"] as? String ?? object["errorMessage"] as? String
        var details = ErrorDetails(code: code, message: message, requestId: response.headers["x-amzn-requestid"])
        if let shape = operation?.errors.first(where: { ($0.errorCode ?? $0.name) == code }) {
            details.shape = shape
            var fields = (try? JSONShapeReader.structure(object, shape: shape, path: code) { $0.location == .body }) ?? [:]
            for member in shape.members where member.location == .header {
                if let text = response.headers[member.wireName] { fields[member.name] = .string(text) }
            }
            details.fields = .structure(fields)
        }
        return details
    }

    /// `aws.protocoltests#FooError:http://…` → `FooError`.
    static func sanitize(_ raw: String) -> String {
        var code = Substring(raw)
        if let colon = code.firstIndex(of: ":") { code = code[..<colon] }
        if let hash = code.lastIndex(of: "#") { code = code[code.index(after: hash)...] }
        return String(code).trimmingCharacters(in: .whitespaces)
    }
}
