import AWSCore
import Foundation

/// The allow-list: which services, operations and waiters to generate, from which botocore.
public struct CodegenConfiguration: Decodable, Sendable {
    /// One service's entry.
    public struct Service: Decodable, Sendable {
        /// The Swift module, for example `EC2`.
        public var module: String
        /// botocore's data folder name, for example `ec2`.
        public var model: String
        /// The client type, for example `EC2Client`.
        public var client: String
        /// The `ServiceDescriptor` static name, for example `ec2`.
        public var descriptor: String
        /// `awsQuery`, `ec2Query` or `restJson1` (CloudWatch's model lists several; this picks one).
        public var `protocol`: String
        /// The API reference's URL prefix; the shape or operation name and `.html` follow.
        public var docs: String
        /// The operations to generate.
        public var operations: [String]
        /// The waiters to generate, from botocore's waiters or `projectWaiters`.
        public var waiters: [String]
        /// A waiter file of the project's own, relative to the project root.
        public var projectWaiters: String?
    }

    /// The botocore version the models must come from.
    public var botocore: String
    /// The services.
    public var services: [Service]

    /// Reads the allow-list file.
    public static func load(_ path: String) throws -> CodegenConfiguration {
        try JSONDecoder().decode(CodegenConfiguration.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }
}

/// A generation failure, naming the service and what was wrong.
public struct CodegenError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Reads botocore's JSON files (plain or gzip-compressed) for one service.
struct BotocoreData {
    let root: String

    func json(_ service: String, _ file: String) throws -> [String: Any]? {
        let folder = root + "/" + service
        guard let versions = try? FileManager.default.contentsOfDirectory(atPath: folder).filter({ !$0.hasPrefix(".") }).sorted(),
              let latest = versions.last else {
            throw CodegenError("no botocore model folder at \(folder)")
        }
        let base = "\(folder)/\(latest)/\(file)"
        var bytes: [UInt8]
        if let data = FileManager.default.contents(atPath: base) {
            bytes = Array(data)
        } else if let data = FileManager.default.contents(atPath: base + ".gz") {
            bytes = try Gzip.decompress(Array(data))
        } else {
            return nil
        }
        guard let object = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw CodegenError("\(base) is not a JSON object")
        }
        bytes.removeAll()
        return object
    }
}
