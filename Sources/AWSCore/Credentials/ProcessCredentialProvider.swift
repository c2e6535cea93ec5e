import Foundation

/// Credentials printed as JSON by an external command (`credential_process` in a profile).
///
/// The command line is split like a POSIX shell splits words (quotes and backslashes), then run
/// directly, not through a shell. Its standard output must be `{"Version": 1, "AccessKeyId": …,
/// "SecretAccessKey": …, "SessionToken": …, "Expiration": …}`.
public struct ProcessCredentialProvider: CredentialProvider {
    public var name: String { "credential_process of profile '\(profile)'" }
    private let command: String
    private let profile: String
    private let environment: [String: String]

    /// Creates a provider that runs `command` with `environment`.
    public init(command: String, profile: String, environment: [String: String]) {
        self.command = command
        self.profile = profile
        self.environment = environment
    }

    public func credentials() async throws -> AWSCredentials {
        let arguments: [String]
        do {
            arguments = try splitCommandLine(command)
        } catch {
            throw CredentialError.processFailed(command: command, problem: "\(error)")
        }
        guard !arguments.isEmpty else {
            throw CredentialError.processFailed(command: command, problem: "the command is empty")
        }
        let result = try await runProcess(arguments, environment: environment)
        guard result.status == 0 else {
            let stderr = String(decoding: result.stderr.prefix(2000), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw CredentialError.processFailed(command: command, problem: "it exited with status \(result.status)" + (stderr.isEmpty ? "" : ": \(stderr)"))
        }
        struct Version: Decodable { var Version: Int? }
        let version = (try? JSONDecoder().decode(Version.self, from: Data(result.stdout)))?.Version
        guard version == 1 else {
            throw CredentialError.processFailed(command: command, problem: version == nil
                ? "its output is not a JSON object with \"Version\": 1"
                : "its output has Version \(version!); only Version 1 is supported")
        }
        do {
            return try CredentialDocument.parse(result.stdout, provider: name, requireExpiration: false)
        } catch let CredentialError.invalidResponse(_, problem) {
            throw CredentialError.processFailed(command: command, problem: problem)
        }
    }

    private func runProcess(_ arguments: [String], environment: [String: String]) async throws -> (status: Int32, stdout: [UInt8], stderr: [UInt8]) {
        let process = Process()
        if arguments[0].contains("/") {
            process.executableURL = URL(fileURLWithPath: arguments[0])
            process.arguments = Array(arguments.dropFirst())
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = arguments
        }
        process.environment = environment
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw CredentialError.processFailed(command: command, problem: "it could not be started: \(error.localizedDescription)")
        }
        let command = self.command
        // Reading and waiting block, so they run on their own threads, never on the async pool.
        return try await withCheckedThrowingContinuation { continuation in
            let errorBytes = ByteBox()
            let errorRead = DispatchSemaphore(value: 0)
            Thread {
                errorBytes.value = Array(stderr.fileHandleForReading.readDataToEndOfFile())
                errorRead.signal()
            }.start()
            Thread {
                let output = Array(stdout.fileHandleForReading.readDataToEndOfFile())
                process.waitUntilExit()
                errorRead.wait()
                if process.terminationReason == .uncaughtSignal {
                    continuation.resume(throwing: CredentialError.processFailed(command: command, problem: "it was killed by signal \(process.terminationStatus)"))
                } else {
                    continuation.resume(returning: (process.terminationStatus, output, errorBytes.value))
                }
            }.start()
        }
    }
}

/// Bytes handed from a reader thread to its waiter, which reads them only after the reader ends.
private final class ByteBox: @unchecked Sendable {
    var value: [UInt8] = []
}

/// Splits a command line into words as a POSIX shell would, without expansions.
func splitCommandLine(_ line: String) throws -> [String] {
    struct UnterminatedQuote: Error, CustomStringConvertible {
        var description: String { "the command has an unterminated quote" }
    }
    var words: [String] = []
    var current = ""
    var inWord = false
    var iterator = line.makeIterator()
    while let c = iterator.next() {
        switch c {
        case " ", "\t", "\n":
            if inWord { words.append(current); current = ""; inWord = false }
        case "'":
            inWord = true
            var closed = false
            while let q = iterator.next() {
                if q == "'" { closed = true; break }
                current.append(q)
            }
            if !closed { throw UnterminatedQuote() }
        case "\"":
            inWord = true
            var closed = false
            while let q = iterator.next() {
                if q == "\"" { closed = true; break }
                if q == "\\", let next = iterator.next() {
                    if next != "\"" && next != "\\" && next != "$" && next != "`" { current.append("\\") }
                    current.append(next)
                } else {
                    current.append(q)
                }
            }
            if !closed { throw UnterminatedQuote() }
        case "\\":
            inWord = true
            if let next = iterator.next() { current.append(next) }
        default:
            inWord = true
            current.append(c)
        }
    }
    if inWord { words.append(current) }
    return words
}
