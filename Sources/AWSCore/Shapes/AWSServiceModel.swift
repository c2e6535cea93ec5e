import Foundation

/// A service's operations and shapes, read once from the JSON a generated module embeds (the
/// allow-listed part of botocore's model, in botocore's format).
public struct AWSServiceModel: Sendable {
    /// The shapes.
    public let loader: ModelLoader
    private let operations: [String: AWSOperation]

    /// Reads `json`: `{"operations": {...}, "shapes": {...}}`. A generated model that cannot be
    /// read is a bug in the generator, so this stops the program with the reason.
    public init(json: String) {
        do {
            guard let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
                  let shapes = object["shapes"] as? [String: Any], let operations = object["operations"] as? [String: Any] else {
                throw ModelLoader.Failure(description: "the embedded model is not an object with operations and shapes")
            }
            let loader = try ModelLoader(shapeDefinitions: shapes)
            var built: [String: AWSOperation] = [:]
            for (name, definition) in operations {
                guard var operation = definition as? [String: Any] else { continue }
                operation["name"] = name
                built[name] = try loader.operation(operation)
            }
            self.loader = loader
            self.operations = built
        } catch {
            fatalError("embedded AWS model is invalid: \(error)")
        }
    }

    /// The operation `name` (generated code only asks for operations it embedded).
    public func operation(_ name: String) -> AWSOperation {
        guard let operation = operations[name] else { fatalError("operation \(name) is not in the embedded model") }
        return operation
    }
}

extension AWSClient {
    /// Calls `operation` with typed input and returns typed output.
    public func call<Output: AWSShape>(_ operation: AWSOperation, input: some AWSShape, output: Output.Type) async throws -> Output {
        let value = try await call(operation, input: input.awsValue)
        do {
            return try Output(awsValue: value)
        } catch {
            throw AWSResponseDecodeError(service: service.name, operation: operation.name, status: 200, detail: "\(error)", requestId: nil)
        }
    }

    /// Calls `operation` with typed input, for operations without output.
    public func call(_ operation: AWSOperation, input: some AWSShape) async throws {
        _ = try await call(operation, input: input.awsValue)
    }
}
