import Foundation

/// Encodes operation input for the query protocols as form parameters.
///
/// awsQuery (ELB, Auto Scaling, CloudWatch, STS): names from `locationName`, lists as
/// `Name.member.N` (or `Name.N` when flattened), an empty list as `Name=`, maps as
/// `Name.entry.N.key/value`. ec2Query (EC2): names from `queryName`, else the capitalised
/// `locationName` or member name; every list is `Name.N`; empty lists are omitted.
public struct QueryEncoder: Sendable {
    /// The two dialects.
    public enum Dialect: Sendable {
        case awsQuery, ec2Query
    }

    /// The dialect.
    public let dialect: Dialect
    /// Makes idempotency tokens for members that need one and have none (a random UUID by default).
    public let idempotencyToken: @Sendable () -> String

    /// Creates an encoder.
    public init(dialect: Dialect, idempotencyToken: @escaping @Sendable () -> String = WireCodec.randomToken) {
        self.dialect = dialect
        self.idempotencyToken = idempotencyToken
    }

    /// The form parameters for `value` of `shape`, without `Action` and `Version`.
    public func parameters(_ value: AWSValue?, shape: Shape?) throws -> [(name: String, value: String)] {
        var out: [(name: String, value: String)] = []
        guard let shape else { return out }
        try encodeStructure(value ?? .structure([:]), shape: shape, prefix: "", into: &out)
        return out
    }

    /// The whole form body: `Action=…&Version=…` and the parameters, each part percent-encoded.
    public func body(action: String, version: String, value: AWSValue?, shape: Shape?) throws -> [UInt8] {
        Self.body(action: action, version: version, parameters: try parameters(value, shape: shape))
    }

    /// A form body from parameters already named for the wire (for calls without a model).
    public static func body(action: String, version: String, parameters: [(name: String, value: String)]) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(256)
        out.append(contentsOf: "Action=".utf8)
        URIEncoding.appendEncoded(action, keepSlash: false, to: &out)
        out.append(contentsOf: "&Version=".utf8)
        URIEncoding.appendEncoded(version, keepSlash: false, to: &out)
        for (name, value) in parameters {
            out.append(0x26)
            URIEncoding.appendEncoded(name, keepSlash: false, to: &out)
            out.append(0x3D)
            URIEncoding.appendEncoded(value, keepSlash: false, to: &out)
        }
        return out
    }

    private func name(of member: Member) -> String {
        switch dialect {
        case .awsQuery:
            return member.wireName
        case .ec2Query:
            if let queryName = member.queryName { return queryName }
            return capitalized(member.locationName ?? member.name)
        }
    }

    private func capitalized(_ text: String) -> String {
        guard let first = text.first, first.isLowercase else { return text }
        return first.uppercased() + text.dropFirst()
    }

    private func join(_ prefix: String, _ name: String) -> String {
        prefix.isEmpty ? name : prefix + "." + name
    }

    private func encodeStructure(_ value: AWSValue, shape: Shape, prefix: String, into out: inout [(name: String, value: String)]) throws {
        guard case .structure(let fields) = value else {
            throw AWSSerializationError(description: "\(prefix.isEmpty ? shape.name : prefix): expected a structure, got \(value)")
        }
        for member in shape.members {
            let key = join(prefix, name(of: member))
            if let field = fields[member.name] {
                try encode(field, member: member, key: key, into: &out)
            } else if member.idempotencyToken {
                out.append((key, idempotencyToken()))
            }
        }
    }

    private func encode(_ value: AWSValue, member: Member, key: String, into out: inout [(name: String, value: String)]) throws {
        let shape = member.shape
        switch shape.kind {
        case .structure:
            try encodeStructure(value, shape: shape, prefix: key, into: &out)
        case .list:
            guard case .list(let items) = value, let itemMember = shape.listMember else {
                throw AWSSerializationError(description: "\(key): expected a list, got \(value)")
            }
            if items.isEmpty {
                if dialect == .awsQuery { out.append((key, "")) }
                return
            }
            let base: String
            if dialect == .ec2Query || member.isFlattened {
                base = key
            } else {
                base = key + "." + (itemMember.locationName ?? "member")
            }
            for (index, item) in items.enumerated() {
                try encode(item, member: itemMember, key: "\(base).\(index + 1)", into: &out)
            }
        case .map:
            guard case .map(let entries) = value, let keyMember = shape.mapKey, let valueMember = shape.mapValue else {
                throw AWSSerializationError(description: "\(key): expected a map, got \(value)")
            }
            let base = member.isFlattened ? key : key + ".entry"
            let keyName = keyMember.locationName ?? "key"
            let valueName = valueMember.locationName ?? "value"
            // Keys are sorted so the encoding (and so the signature) does not depend on hash order.
            for (index, entry) in entries.sorted(by: { $0.key < $1.key }).enumerated() {
                let entryKey = "\(base).\(index + 1)"
                out.append(("\(entryKey).\(keyName)", entry.key))
                try encode(entry.value, member: valueMember, key: "\(entryKey).\(valueName)", into: &out)
            }
        default:
            out.append((key, try Self.scalarText(value, member: member, key: key, timestampDefault: .iso8601)))
        }
    }

    /// The wire text of a scalar value (shared with the REST encoder for labels, query and headers).
    static func scalarText(_ value: AWSValue, member: Member, key: String, timestampDefault: TimestampFormat) throws -> String {
        switch (member.shape.kind, value) {
        case (.string, .string(let text)):
            return text
        case (.boolean, .boolean(let flag)):
            return flag ? "true" : "false"
        case (.integer, .integer(let number)), (.long, .integer(let number)):
            return String(number)
        case (.float, .double(let number)), (.double, .double(let number)):
            return doubleText(number)
        case (.float, .integer(let number)), (.double, .integer(let number)):
            return String(number)
        case (.blob, .blob(let bytes)):
            return Data(bytes).base64EncodedString()
        case (.blob, .string(let text)):
            return Data(text.utf8).base64EncodedString()
        case (.timestamp, .timestamp(let date)):
            switch member.timestampFormat(default: timestampDefault) {
            case .iso8601: return Timestamps.iso8601(date)
            case .unixTimestamp: return Timestamps.epochSeconds(date)
            case .rfc822: return Timestamps.httpDate(date)
            }
        default:
            throw AWSSerializationError(description: "\(key): a \(member.shape.kind.rawValue) cannot hold \(value)")
        }
    }

    /// The non-finite numbers AWS protocols write as text (`NaN`, `Infinity`, `-Infinity`), or `nil`.
    static func specialDouble(_ text: String) -> Double? {
        switch text {
        case "NaN": return .nan
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        default: return nil
        }
    }

    /// `NaN`, `Infinity`, `-Infinity`, or the shortest text that reads back as the same number.
    static func doubleText(_ number: Double) -> String {
        if number.isNaN { return "NaN" }
        if number.isInfinite { return number > 0 ? "Infinity" : "-Infinity" }
        return number.description
    }
}

/// Operation input that cannot be serialized: a value that does not fit its shape, or a required
/// path or host label that is missing.
public struct AWSSerializationError: Error, CustomStringConvertible, Equatable {
    public var description: String

    public init(description: String) {
        self.description = description
    }
}
