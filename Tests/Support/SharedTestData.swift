import Foundation

/// Where the shared test vectors live: `../shared/testdata` beside the project root.
public enum SharedTestData {
    /// The project root, found from this file's location.
    public static let projectRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared/testdata`, whether or not it exists.
    public static let directory: URL = projectRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/testdata", isDirectory: true).standardizedFileURL

    /// `../shared/tools`, whether or not it exists.
    public static let toolsDirectory: URL = projectRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/tools", isDirectory: true).standardizedFileURL

    /// The folder `name` under the test data, or `nil` (after a loud message on stderr) when absent.
    public static func folder(_ name: String) -> URL? {
        let url = directory.appendingPathComponent(name, isDirectory: true)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            return url
        }
        announceMissing(url.path)
        return nil
    }

    /// Whether `name` exists under the test data (for `.enabled(if:)` traits).
    public static func has(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path)
    }

    /// Prints the banner that makes a skipped data-driven test impossible to miss.
    public static func announceMissing(_ path: String) {
        let line = String(repeating: "!", count: 78)
        FileHandle.standardError.write(Data("""
            \(line)
            !! SKIPPED: test data not found at \(path)
            !! These tests need ../shared/testdata beside the project; they did NOT run.
            \(line)

            """.utf8))
    }
}
