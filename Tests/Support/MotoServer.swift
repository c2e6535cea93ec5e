import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `../shared/tools/moto-signing-server` on a free loopback port: moto with signature checking on.
/// Started by the test that needs it, stopped by its PID.
public final class MotoSigningServer: @unchecked Sendable {
    /// `http://127.0.0.1:PORT`
    public let endpoint: String
    /// The access key moto created for the tests.
    public let accessKeyId: String
    /// Its secret.
    public let secretAccessKey: String
    private let process: Process
    private let folder: TemporaryDirectory

    /// The launcher's path, whether or not it exists.
    public static let launcher = SharedTestData.toolsDirectory.appendingPathComponent("moto-signing-server").path

    /// Whether the launcher is present (it lives in ../shared).
    public static var isAvailable: Bool { FileManager.default.fileExists(atPath: launcher) }

    /// Starts the server and waits (up to 90 s) until its key pair is ready.
    public init() throws {
        folder = try TemporaryDirectory()
        let port = try Self.freePort()
        endpoint = "http://127.0.0.1:\(port)"
        let envFile = folder.path + "/moto.env"
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.launcher, "--port", String(port), "--env-file", envFile]
        let log = FileHandle(forWritingAtPath: try folder.write("moto.log", ""))
        process.standardOutput = log
        process.standardError = log
        try process.run()
        let deadline = Date().addingTimeInterval(90)
        var values: [String: String] = [:]
        while Date() < deadline {
            if let text = try? String(contentsOfFile: envFile, encoding: .utf8) {
                for line in text.split(separator: "\n") {
                    let parts = line.split(separator: "=", maxSplits: 1)
                    if parts.count == 2 { values[String(parts[0])] = String(parts[1]) }
                }
                break
            }
            if !process.isRunning { break }
            usleep(100_000)
        }
        guard let key = values["AWS_ACCESS_KEY_ID"], let secret = values["AWS_SECRET_ACCESS_KEY"] else {
            let log = (try? String(contentsOfFile: folder.path + "/moto.log", encoding: .utf8)) ?? ""
            kill(process.processIdentifier, SIGKILL)
            throw StartFailure(log: String(log.suffix(2000)))
        }
        accessKeyId = key
        secretAccessKey = secret
    }

    /// Why moto did not start, with the tail of its log.
    public struct StartFailure: Error, CustomStringConvertible {
        public var log: String
        public var description: String { "moto-signing-server did not start (is `pip install \"moto[server]\"` done?):\n\(log)" }
    }

    deinit { stop() }

    /// Stops the server by its PID and waits for it.
    /// Python servers stop cleanly on SIGINT; moto ignores SIGTERM, so SIGKILL follows after five seconds.
    public func stop() {
        let pid = process.processIdentifier
        guard process.isRunning else { return }
        kill(pid, SIGINT)
        for _ in 0..<50 where process.isRunning { usleep(100_000) }
        if process.isRunning { kill(pid, SIGKILL) }
        for _ in 0..<50 where process.isRunning { usleep(100_000) }
    }

    /// A port on 127.0.0.1 that was free a moment ago.
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
