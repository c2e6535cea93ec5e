import Foundation

/// The part of JMESPath that AWS waiters use: field paths (`A.B`), flattening projections
/// (`A[].B`, `A[*].B`), `length(…)`, and comparisons with a literal (`` length(A[]) > `0` ``).
public struct JMESPath: Sendable, Equatable, CustomStringConvertible {
    indirect enum Node: Sendable, Equatable {
        case field(String)
        case flatten
        case length(Path)
    }

    struct Path: Sendable, Equatable {
        var steps: [Node]
    }

    enum Expression: Sendable, Equatable {
        case path(Path)
        case compare(Path, String, AWSValue)
    }

    private let expression: Expression
    public let description: String

    /// An expression outside the supported subset.
    public struct Unsupported: Error, CustomStringConvertible {
        public var description: String
    }

    /// Parses `expression`.
    public init(_ expression: String) throws {
        description = expression
        let text = expression.trimmingCharacters(in: .whitespaces)
        for op in [">=", "<=", "==", "!=", ">", "<"] {
            if let range = text.range(of: op) {
                let left = try Self.term(String(text[..<range.lowerBound]))
                let literal = try Self.literal(String(text[range.upperBound...]).trimmingCharacters(in: .whitespaces))
                self.expression = .compare(left, op, literal)
                return
            }
        }
        self.expression = .path(try Self.term(text))
    }

    private static func term(_ raw: String) throws -> Path {
        let text = raw.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("length("), text.hasSuffix(")") {
            return Path(steps: [.length(try path(String(text.dropFirst(7).dropLast())))])
        }
        return try path(text)
    }

    private static func path(_ text: String) throws -> Path {
        var steps: [Node] = []
        for segment in text.split(separator: ".", omittingEmptySubsequences: false) {
            var name = Substring(segment)
            var flattens = 0
            while name.hasSuffix("[]") || name.hasSuffix("[*]") {
                name = name.hasSuffix("[]") ? name.dropLast(2) : name.dropLast(3)
                flattens += 1
            }
            guard !name.isEmpty || flattens > 0, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                throw Unsupported(description: "unsupported JMESPath segment '\(segment)' in '\(text)'")
            }
            if !name.isEmpty { steps.append(.field(String(name))) }
            for _ in 0..<flattens { steps.append(.flatten) }
        }
        return Path(steps: steps)
    }

    private static func literal(_ text: String) throws -> AWSValue {
        if text.hasPrefix("`"), text.hasSuffix("`"), text.count >= 2 {
            let inner = String(text.dropFirst().dropLast())
            if let number = Int64(inner) { return .integer(number) }
            if inner == "true" || inner == "false" { return .boolean(inner == "true") }
            if inner.hasPrefix("\""), inner.hasSuffix("\"") { return .string(String(inner.dropFirst().dropLast())) }
        }
        if text.hasPrefix("'"), text.hasSuffix("'"), text.count >= 2 { return .string(String(text.dropFirst().dropLast())) }
        throw Unsupported(description: "unsupported JMESPath literal \(text)")
    }

    /// Evaluates the expression on `value`; `nil` is JMESPath's null.
    public func evaluate(_ value: AWSValue) -> AWSValue? {
        switch expression {
        case .path(let path):
            return Self.evaluate(path, value)
        case .compare(let path, let op, let literal):
            guard let left = Self.evaluate(path, value) else { return .boolean(op == "!=") }
            return .boolean(Self.compare(left, op, literal))
        }
    }

    private static func evaluate(_ path: Path, _ value: AWSValue) -> AWSValue? {
        var current: AWSValue? = value
        var projecting = false
        for step in path.steps {
            guard let value = current else { return nil }
            switch step {
            case .field(let name):
                if projecting, case .list(let items) = value {
                    current = .list(items.compactMap { $0[member: name] })
                } else {
                    current = value[member: name]
                }
            case .flatten:
                guard case .list(let items) = value else { return nil }
                var flat: [AWSValue] = []
                for item in items {
                    if projecting, case .list(let inner) = item { flat.append(contentsOf: inner) } else { flat.append(item) }
                }
                current = .list(flat)
                projecting = true
            case .length(let inner):
                switch evaluate(inner, value) {
                case .list(let items)?: current = .integer(Int64(items.count))
                case .string(let text)?: current = .integer(Int64(text.count))
                case .structure(let fields)?: current = .integer(Int64(fields.count))
                default: return nil
                }
            }
        }
        return current
    }

    private static func compare(_ left: AWSValue, _ op: String, _ right: AWSValue) -> Bool {
        if case .integer(let a) = left, case .integer(let b) = right {
            switch op {
            case ">": return a > b
            case "<": return a < b
            case ">=": return a >= b
            case "<=": return a <= b
            case "==": return a == b
            case "!=": return a != b
            default: return false
            }
        }
        switch op {
        case "==": return left == right
        case "!=": return left != right
        default: return false
        }
    }
}

private extension AWSValue {
    subscript(member name: String) -> AWSValue? { self[name] }
}
