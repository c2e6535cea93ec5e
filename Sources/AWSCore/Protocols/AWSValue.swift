import Foundation

/// A value of some ``Shape``: what the protocol encoders read and the decoders produce.
///
/// Generated service types convert to and from it, so every service goes through one encoder and
/// one decoder per protocol.
public indirect enum AWSValue: Sendable, Equatable, CustomStringConvertible {
    case string(String)
    case integer(Int64)
    case double(Double)
    case boolean(Bool)
    case blob([UInt8])
    case timestamp(Date)
    case list([AWSValue])
    /// A map, keeping its entries' order (query encoding numbers them).
    case map([MapEntry])
    /// A structure: member name → value; absent members are simply missing.
    case structure([String: AWSValue])

    /// One map entry.
    public struct MapEntry: Sendable, Equatable {
        public var key: String
        public var value: AWSValue

        public init(key: String, value: AWSValue) {
            self.key = key
            self.value = value
        }
    }

    /// The structure's member `name`, or `nil`.
    public subscript(member: String) -> AWSValue? {
        if case .structure(let fields) = self { return fields[member] }
        return nil
    }

    /// The string, if this is one.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var description: String {
        switch self {
        case .string(let v): return "\"\(v)\""
        case .integer(let v): return String(v)
        case .double(let v): return String(v)
        case .boolean(let v): return String(v)
        case .blob(let v): return "blob(\(v.count) bytes)"
        case .timestamp(let v): return "timestamp(\(v.timeIntervalSince1970))"
        case .list(let v): return "[" + v.map(\.description).joined(separator: ", ") + "]"
        case .map(let v): return "{" + v.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
        case .structure(let v): return "{" + v.keys.sorted().map { "\($0): \(v[$0]!)" }.joined(separator: ", ") + "}"
        }
    }

    /// Equality where doubles compare NaN as equal to NaN (as the tests need).
    public static func == (lhs: AWSValue, rhs: AWSValue) -> Bool {
        switch (lhs, rhs) {
        case let (.string(a), .string(b)): return a == b
        case let (.integer(a), .integer(b)): return a == b
        case let (.double(a), .double(b)): return a == b || (a.isNaN && b.isNaN)
        case let (.boolean(a), .boolean(b)): return a == b
        case let (.blob(a), .blob(b)): return a == b
        case let (.timestamp(a), .timestamp(b)): return abs(a.timeIntervalSince1970 - b.timeIntervalSince1970) < 0.0005
        case let (.list(a), .list(b)): return a == b
        case let (.map(a), .map(b)):
            return a.count == b.count && Dictionary(a.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
                == Dictionary(b.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
        case let (.structure(a), .structure(b)): return a == b
        default: return false
        }
    }
}
