import Foundation

/// Runs the generator for every allow-listed service.
public enum Codegen {
    /// Generates every service; fails when botocore's version differs from the pinned one.
    public static func generateAll(configPath: String, botocoreData: String, botocoreVersion: String, projectRoot: String) throws -> [String: String] {
        let configuration = try CodegenConfiguration.load(configPath)
        guard configuration.botocore == botocoreVersion else {
            throw CodegenError("the models must come from botocore \(configuration.botocore) (pinned in Codegen/services.json); "
                + "botocore \(botocoreVersion) is installed. Install the pinned one (bash scripts/setup) or change the pin and regenerate.")
        }
        var files: [String: String] = [:]
        for service in configuration.services {
            let generator = try ServiceGenerator(service: service, botocoreData: botocoreData, botocoreVersion: botocoreVersion, projectRoot: projectRoot)
            files.merge(try generator.generate()) { first, _ in first }
        }
        return files
    }

    /// Writes `files` under `root`, and removes stale files from the generated folders.
    public static func write(_ files: [String: String], under root: String) throws {
        let folders = Set(files.keys.map { ($0 as NSString).deletingLastPathComponent })
        for folder in folders {
            let path = root + "/" + folder
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            for existing in try FileManager.default.contentsOfDirectory(atPath: path) where files[folder + "/" + existing] == nil {
                try FileManager.default.removeItem(atPath: path + "/" + existing)
            }
        }
        for (relative, contents) in files {
            try contents.write(toFile: root + "/" + relative, atomically: true, encoding: .utf8)
        }
    }

    /// The files that differ from, are missing from, or are extra in `root`'s generated folders.
    public static func differences(_ files: [String: String], under root: String) -> [String] {
        var problems: [String] = []
        for (relative, contents) in files.sorted(by: { $0.key < $1.key }) {
            let current = try? String(contentsOfFile: root + "/" + relative, encoding: .utf8)
            if current == nil { problems.append("missing: \(relative)") } else if current != contents { problems.append("differs: \(relative)") }
        }
        let folders = Set(files.keys.map { ($0 as NSString).deletingLastPathComponent })
        for folder in folders.sorted() {
            for existing in (try? FileManager.default.contentsOfDirectory(atPath: root + "/" + folder)) ?? [] where files[folder + "/" + existing] == nil {
                problems.append("not generated: \(folder)/\(existing)")
            }
        }
        return problems
    }
}
