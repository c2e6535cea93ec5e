import Foundation

/// A service error as the response body states it, before the client adds the call's context.
public struct ErrorDetails: Sendable, Equatable {
    /// The error code, for example `InvalidInstanceID.NotFound` or `Throttling`.
    public var code: String
    /// The service's message.
    public var message: String?
    /// The request id, from the body or the `x-amzn-RequestId` header.
    public var requestId: String?
    /// `Sender` or `Receiver`, when the service says (awsQuery).
    public var faultType: String?
    /// The modelled error shape the code matched, if any.
    public var shape: Shape?
    /// The error's members decoded by that shape.
    public var fields: AWSValue?

    public init(code: String, message: String? = nil, requestId: String? = nil, faultType: String? = nil, shape: Shape? = nil, fields: AWSValue? = nil) {
        self.code = code
        self.message = message
        self.requestId = requestId
        self.faultType = faultType
        self.shape = shape
        self.fields = fields
    }

    public static func == (lhs: ErrorDetails, rhs: ErrorDetails) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message && lhs.requestId == rhs.requestId
            && lhs.faultType == rhs.faultType && lhs.shape === rhs.shape && lhs.fields == rhs.fields
    }
}

/// Decodes query-protocol XML responses by their shapes: awsQuery results inside
/// `<OpResponse><OpResult>`, EC2 results directly under `<OpResponse>`, and the two error forms.
public struct XMLResponseDecoder: Sendable {
    /// The dialect: where the result sits and how errors look.
    public let dialect: QueryEncoder.Dialect
    /// The XML reader and its limits.
    public let reader: XMLTreeReader

    /// Creates a decoder.
    public init(dialect: QueryEncoder.Dialect, reader: XMLTreeReader = XMLTreeReader()) {
        self.dialect = dialect
        self.reader = reader
    }

    /// Decodes a successful response body into the operation's output structure.
    public func decodeOutput(_ body: [UInt8], operation: AWSOperation) throws(XMLDecodeError) -> AWSValue {
        guard let shape = operation.output else { return .structure([:]) }
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return .structure([:]) }
        let root = try reader.parse(body)
        switch dialect {
        case .ec2Query:
            return try decodeStructure(root, shape: shape, path: root.name)
        case .awsQuery:
            let wrapper = operation.resultWrapper ?? operation.name + "Result"
            guard let result = root.child(wrapper) else { return .structure([:]) }
            return try decodeStructure(result, shape: shape, path: wrapper)
        }
    }

    /// Reads an error response. Returns `nil` when the body is not one of the two error forms.
    public func decodeError(_ body: [UInt8], operation: AWSOperation?) -> ErrorDetails? {
        guard let root = try? reader.parse(body) else { return nil }
        // awsQuery nests <ErrorResponse><Error>, EC2 <Response><Errors><Error>; some servers mix
        // the two, so either nesting is read under either root.
        let error: XMLTreeElement?
        switch root.name {
        case "ErrorResponse", "Response":
            error = root.child("Error") ?? root.child("Errors")?.child("Error")
        case "Error":
            error = root
        default:
            return nil
        }
        let requestId = root.child("RequestId")?.text ?? root.child("RequestID")?.text ?? error?.child("RequestId")?.text
        guard let error, let code = error.child("Code")?.text, !code.isEmpty else { return nil }
        var details = ErrorDetails(code: code, message: error.child("Message")?.text, requestId: requestId, faultType: error.child("Type")?.text)
        if let shape = operation?.errors.first(where: { ($0.errorCode ?? $0.name) == code }) {
            details.shape = shape
            details.fields = try? decodeStructure(error, shape: shape, path: code)
        }
        return details
    }

    /// Decodes `element` as a structure of `shape`.
    public func decodeStructure(_ element: XMLTreeElement, shape: Shape, path: String) throws(XMLDecodeError) -> AWSValue {
        var fields: [String: AWSValue] = [:]
        for member in shape.members {
            let name = member.wireName
            let memberPath = path + "." + name
            switch member.shape.kind {
            case .list where member.isFlattened:
                let items = element.children(named: name)
                if items.isEmpty { continue }
                guard let itemMember = member.shape.listMember else { continue }
                var values: [AWSValue] = []
                values.reserveCapacity(items.count)
                for item in items { values.append(try decode(item, member: itemMember, path: memberPath)) }
                fields[member.name] = .list(values)
            case .map where member.isFlattened:
                let entries = element.children(named: name)
                if entries.isEmpty { continue }
                fields[member.name] = try decodeMapEntries(entries, shape: member.shape, path: memberPath)
            default:
                guard let child = element.child(name) else { continue }
                fields[member.name] = try decode(child, member: member, path: memberPath)
            }
        }
        return .structure(fields)
    }

    private func decode(_ element: XMLTreeElement, member: Member, path: String) throws(XMLDecodeError) -> AWSValue {
        let shape = member.shape
        switch shape.kind {
        case .structure:
            return try decodeStructure(element, shape: shape, path: path)
        case .list:
            guard let itemMember = shape.listMember else { return .list([]) }
            let itemName = itemMember.locationName ?? "member"
            var values: [AWSValue] = []
            for item in element.children where item.name == itemName {
                values.append(try decode(item, member: itemMember, path: path + "." + itemName))
            }
            return .list(values)
        case .map:
            return try decodeMapEntries(element.children(named: "entry"), shape: shape, path: path)
        default:
            return try Self.scalar(element.text, member: member, path: path)
        }
    }

    private func decodeMapEntries(_ entries: [XMLTreeElement], shape: Shape, path: String) throws(XMLDecodeError) -> AWSValue {
        guard let keyMember = shape.mapKey, let valueMember = shape.mapValue else { return .map([]) }
        let keyName = keyMember.locationName ?? "key"
        let valueName = valueMember.locationName ?? "value"
        var result: [AWSValue.MapEntry] = []
        for entry in entries {
            guard let key = entry.child(keyName)?.text else {
                throw XMLDecodeError(kind: .unexpectedContent, detail: "\(path): a map entry has no <\(keyName)>")
            }
            guard let valueElement = entry.child(valueName) else { continue }
            result.append(.init(key: key, value: try decode(valueElement, member: valueMember, path: path + "." + key)))
        }
        return .map(result)
    }

    /// A scalar from element text, by the member's shape.
    static func scalar(_ raw: String, member: Member, path: String) throws(XMLDecodeError) -> AWSValue {
        let text = member.shape.kind == .string ? raw : raw.trimmingCharacters(in: .whitespacesAndNewlines)
        func bad(_ what: String) -> XMLDecodeError {
            XMLDecodeError(kind: .unexpectedContent, detail: "\(path): '\(text.prefix(64))' is not \(what)")
        }
        switch member.shape.kind {
        case .string:
            return .string(text)
        case .integer, .long:
            guard let number = Int64(text) else { throw bad("an integer") }
            return .integer(number)
        case .float, .double:
            guard let number = QueryEncoder.specialDouble(text) ?? Double(text) else { throw bad("a number") }
            return .double(number)
        case .boolean:
            switch text {
            case "true": return .boolean(true)
            case "false": return .boolean(false)
            default: throw bad("a boolean")
            }
        case .blob:
            if text.isEmpty { return .blob([]) }
            guard let data = Data(base64Encoded: text, options: .ignoreUnknownCharacters) else { throw bad("base64") }
            return .blob(Array(data))
        case .timestamp:
            guard let date = Timestamps.parse(text) else { throw bad("a timestamp") }
            return .timestamp(date)
        case .structure, .list, .map:
            throw bad("a scalar")
        }
    }
}
