import Foundation

/// Reads shapes and operations from botocore's JSON model format (`service-2.json`, and the
/// self-contained protocol test suites, which use the same shape format).
public struct ModelLoader: Sendable {
    /// A model that cannot be read, with the shape or operation at fault.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The shapes by name.
    public let shapes: [String: Shape]

    /// Builds every shape in `shapeDefinitions` (name → JSON object) and connects members.
    public init(shapeDefinitions: [String: Any]) throws {
        var shapes: [String: Shape] = [:]
        for (name, raw) in shapeDefinitions {
            guard let definition = raw as? [String: Any], let type = definition["type"] as? String else {
                throw Failure(description: "shape \(name) has no type")
            }
            guard let kind = Shape.Kind(rawValue: type) else {
                throw Failure(description: "shape \(name) has unsupported type \(type)")
            }
            let error = definition["error"] as? [String: Any]
            shapes[name] = Shape(
                name: name, kind: kind, flattened: definition["flattened"] as? Bool ?? false,
                timestampFormat: try Self.timestampFormat(definition["timestampFormat"], at: name),
                locationName: definition["locationName"] as? String, errorCode: error?["code"] as? String,
                isException: definition["exception"] as? Bool ?? false, enumValues: definition["enum"] as? [String],
                payloadMember: definition["payload"] as? String, isDocument: definition["document"] as? Bool ?? false)
        }
        func member(_ name: String, _ raw: Any?, in owner: String, required: Bool = false) throws -> Member {
            guard let reference = raw as? [String: Any], let target = reference["shape"] as? String else {
                throw Failure(description: "\(owner).\(name) has no target shape")
            }
            guard let shape = shapes[target] else {
                throw Failure(description: "\(owner).\(name) targets unknown shape \(target)")
            }
            return Member(
                name: name, shape: shape, locationName: reference["locationName"] as? String,
                queryName: reference["queryName"] as? String, flattened: reference["flattened"] as? Bool ?? false,
                timestampFormat: try Self.timestampFormat(reference["timestampFormat"], at: "\(owner).\(name)"),
                location: Member.Location(rawValue: reference["location"] as? String ?? "body") ?? .body,
                hostLabel: reference["hostLabel"] as? Bool ?? false,
                idempotencyToken: reference["idempotencyToken"] as? Bool ?? false, required: required)
        }
        for (name, raw) in shapeDefinitions {
            let definition = raw as! [String: Any]
            let shape = shapes[name]!
            switch shape.kind {
            case .structure:
                let required = Set(definition["required"] as? [String] ?? [])
                let rawMembers = definition["members"] as? [String: Any] ?? [:]
                // JSON objects lose their order; sort for a stable member order.
                shape.setMembers(try rawMembers.keys.sorted().map { try member($0, rawMembers[$0], in: name, required: required.contains($0)) })
            case .list:
                shape.setListMember(try member("member", definition["member"], in: name))
            case .map:
                shape.setMapEntry(key: try member("key", definition["key"], in: name), value: try member("value", definition["value"], in: name))
            default:
                break
            }
        }
        self.shapes = shapes
    }

    /// Reads an operation definition (the `operations` entries of a model, or a test's `given`).
    public func operation(_ definition: [String: Any]) throws -> AWSOperation {
        guard let name = definition["name"] as? String else { throw Failure(description: "an operation has no name") }
        let http = definition["http"] as? [String: Any] ?? [:]
        func shape(_ key: String) throws -> Shape? {
            guard let reference = definition[key] as? [String: Any], let target = reference["shape"] as? String else { return nil }
            guard let shape = shapes[target] else { throw Failure(description: "operation \(name) \(key) targets unknown shape \(target)") }
            return shape
        }
        let errors = try (definition["errors"] as? [[String: Any]] ?? []).map { reference -> Shape in
            guard let target = reference["shape"] as? String, let shape = shapes[target] else {
                throw Failure(description: "operation \(name) names an unknown error shape")
            }
            return shape
        }
        return AWSOperation(
            name: name, method: http["method"] as? String ?? "POST", requestURI: http["requestUri"] as? String ?? "/",
            input: try shape("input"), output: try shape("output"),
            resultWrapper: (definition["output"] as? [String: Any])?["resultWrapper"] as? String, errors: errors,
            hostPrefix: (definition["endpoint"] as? [String: Any])?["hostPrefix"] as? String,
            requestCompression: (definition["requestcompression"] as? [String: Any])?["encodings"] as? [String] ?? [],
            requiresSigning: definition["authtype"] as? String != "none")
    }

    private static func timestampFormat(_ raw: Any?, at place: String) throws -> TimestampFormat? {
        guard let text = raw as? String else { return nil }
        switch text.lowercased() {
        case "iso8601": return .iso8601
        case "unixtimestamp": return .unixTimestamp
        case "rfc822": return .rfc822
        default: throw Failure(description: "\(place) has unknown timestampFormat \(text)")
        }
    }
}
