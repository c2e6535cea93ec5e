import Foundation

/// A Swift type that converts to and from ``AWSValue``: generated structures and enums, and the
/// scalar types they use. This is how typed service code reaches the one protocol path.
public protocol AWSShape: Sendable {
    /// Reads a value; throws ``AWSShapeError`` when it has the wrong form.
    init(awsValue: AWSValue) throws
    /// The value to encode.
    var awsValue: AWSValue { get }
}

/// A value that does not have the form its type needs.
public struct AWSShapeError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension String: AWSShape {
    public init(awsValue: AWSValue) throws {
        guard case .string(let value) = awsValue else { throw AWSShapeError("expected a string, got \(awsValue)") }
        self = value
    }
    public var awsValue: AWSValue { .string(self) }
}

extension Int: AWSShape {
    public init(awsValue: AWSValue) throws {
        switch awsValue {
        case .integer(let value): self = Int(value)
        case .double(let value) where value == value.rounded(): self = Int(value)
        default: throw AWSShapeError("expected an integer, got \(awsValue)")
        }
    }
    public var awsValue: AWSValue { .integer(Int64(self)) }
}

extension Double: AWSShape {
    public init(awsValue: AWSValue) throws {
        switch awsValue {
        case .double(let value): self = value
        case .integer(let value): self = Double(value)
        default: throw AWSShapeError("expected a number, got \(awsValue)")
        }
    }
    public var awsValue: AWSValue { .double(self) }
}

extension Bool: AWSShape {
    public init(awsValue: AWSValue) throws {
        guard case .boolean(let value) = awsValue else { throw AWSShapeError("expected a boolean, got \(awsValue)") }
        self = value
    }
    public var awsValue: AWSValue { .boolean(self) }
}

extension Date: AWSShape {
    public init(awsValue: AWSValue) throws {
        guard case .timestamp(let value) = awsValue else { throw AWSShapeError("expected a timestamp, got \(awsValue)") }
        self = value
    }
    public var awsValue: AWSValue { .timestamp(self) }
}

extension Data: AWSShape {
    public init(awsValue: AWSValue) throws {
        guard case .blob(let value) = awsValue else { throw AWSShapeError("expected a blob, got \(awsValue)") }
        self = Data(value)
    }
    public var awsValue: AWSValue { .blob(Array(self)) }
}

extension Array: AWSShape where Element: AWSShape {
    public init(awsValue: AWSValue) throws {
        guard case .list(let items) = awsValue else { throw AWSShapeError("expected a list, got \(awsValue)") }
        self = try items.map(Element.init(awsValue:))
    }
    public var awsValue: AWSValue { .list(map(\.awsValue)) }
}

extension Dictionary: AWSShape where Key == String, Value: AWSShape {
    public init(awsValue: AWSValue) throws {
        guard case .map(let entries) = awsValue else { throw AWSShapeError("expected a map, got \(awsValue)") }
        var result: [String: Value] = [:]
        for entry in entries { result[entry.key] = try Value(awsValue: entry.value) }
        self = result
    }
    public var awsValue: AWSValue {
        .map(keys.sorted().map { AWSValue.MapEntry(key: $0, value: self[$0]!.awsValue) })
    }
}

/// A string enum from a model: known values as constants, unknown ones kept (AWS adds values).
public protocol AWSStringEnum: AWSShape, RawRepresentable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral where RawValue == String {
    init(rawValue: String)
}

extension AWSStringEnum {
    public init(awsValue: AWSValue) throws {
        guard case .string(let value) = awsValue else { throw AWSShapeError("expected a string, got \(awsValue)") }
        self.init(rawValue: value)
    }
    public var awsValue: AWSValue { .string(rawValue) }
    public var description: String { rawValue }
    public init(stringLiteral value: String) { self.init(rawValue: value) }
}

/// Reads a structure's members, for generated initialisers.
public struct AWSFieldReader {
    private let fields: [String: AWSValue]
    private let shape: String

    /// Reads `value`, which must be a structure of `shape`.
    public init(_ value: AWSValue, shape: String) throws {
        guard case .structure(let fields) = value else { throw AWSShapeError("\(shape): expected a structure, got \(value)") }
        self.fields = fields
        self.shape = shape
    }

    /// The member `name`, or `nil` when absent.
    public func callAsFunction<T: AWSShape>(_ name: String) throws -> T? {
        guard let value = fields[name] else { return nil }
        do {
            return try T(awsValue: value)
        } catch let error as AWSShapeError {
            throw AWSShapeError("\(shape).\(name): \(error.description)")
        }
    }
}

/// Collects a structure's members, for generated encoders.
public struct AWSFieldWriter {
    /// The members so far.
    public private(set) var fields: [String: AWSValue] = [:]

    public init() {}

    /// Sets member `name` when `value` is present.
    public mutating func callAsFunction<T: AWSShape>(_ name: String, _ value: T?) {
        if let value { fields[name] = value.awsValue }
    }

    /// The structure.
    public var value: AWSValue { .structure(fields) }
}

/// The input of an operation that takes none.
public struct AWSEmptyInput: AWSShape, Equatable {
    public init() {}
    public init(awsValue: AWSValue) throws {}
    public var awsValue: AWSValue { .structure([:]) }
}

extension AWSServiceError {
    /// Whether the error's code is `code` (a generated `…ErrorCode` constant).
    public func matches<Code: AWSStringEnum>(_ code: Code) -> Bool { self.code == code.rawValue }
}
