import AWSCodeGenerator
import Foundation
import Testing

/// The committed service code must be exactly what the generator makes from the pinned models.
@Suite("Generated code is up to date")
struct RegenerationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// botocore's data folder and version, from the Python that `scripts/setup` installs it into.
    static func botocore() throws -> (data: String, version: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import botocore, os; print(os.path.join(os.path.dirname(botocore.__file__), 'data')); print(botocore.__version__)"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let lines = text.split(separator: "\n").map(String.init)
        guard process.terminationStatus == 0, lines.count == 2 else {
            throw CodegenError("python3 cannot import botocore: run `bash scripts/setup` (it installs the pinned version)")
        }
        return (lines[0], lines[1])
    }

    @Test("regenerating from botocore's models changes nothing")
    func upToDate() throws {
        let (data, version) = try Self.botocore()
        let files = try Codegen.generateAll(configPath: Self.root + "/Codegen/services.json", botocoreData: data,
                                            botocoreVersion: version, projectRoot: Self.root)
        let differences = Codegen.differences(files, under: Self.root)
        #expect(differences.isEmpty, "generated code is out of date; run `bash scripts/generate`: \(differences)")
        #expect(files.count == 24)
        print("codegen check: \(files.count) generated files match botocore \(version)")
    }

    @Test("a differing file is reported")
    func detectsDrift() throws {
        let scratch = NSTemporaryDirectory() + "codegen-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let files = ["Sources/X/Generated/A.swift": "let a = 1\n", "Sources/X/Generated/B.swift": "let b = 2\n"]
        try Codegen.write(files, under: scratch)
        #expect(Codegen.differences(files, under: scratch).isEmpty)
        try "let a = 3\n".write(toFile: scratch + "/Sources/X/Generated/A.swift", atomically: true, encoding: .utf8)
        try "stale\n".write(toFile: scratch + "/Sources/X/Generated/Old.swift", atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: scratch + "/Sources/X/Generated/B.swift")
        #expect(Codegen.differences(files, under: scratch) == [
            "differs: Sources/X/Generated/A.swift", "missing: Sources/X/Generated/B.swift", "not generated: Sources/X/Generated/Old.swift"])
    }

    @Test("a different botocore version is refused with the fix")
    func pinnedVersion() throws {
        let (data, _) = try Self.botocore()
        #expect {
            try Codegen.generateAll(configPath: Self.root + "/Codegen/services.json", botocoreData: data, botocoreVersion: "0.0.1", projectRoot: Self.root)
        } throws: { error in "\(error)".contains("pinned in Codegen/services.json") }
    }
}
