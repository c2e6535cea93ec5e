import AWSCodeGenerator
import Foundation

// aws-codegen: writes (or checks) the generated service modules.
//
//   aws-codegen --botocore-data DIR --botocore-version V [--config Codegen/services.json]
//               [--root .] [--output DIR] [--check]
//
// --output writes into another folder (same relative paths); --check compares with the files
// under --root and exits 1 listing every difference.
let arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String, in arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("aws-codegen: \(message)\n".utf8))
    exit(2)
}
guard let data = option("--botocore-data") else { fail("--botocore-data DIR is required (botocore's data folder)") }
guard let version = option("--botocore-version") else { fail("--botocore-version is required (the installed botocore's version)") }
let root = option("--root") ?? FileManager.default.currentDirectoryPath
let configPath = option("--config") ?? root + "/Codegen/services.json"
let output = option("--output") ?? root
let check = arguments.contains("--check")

do {
    let files = try Codegen.generateAll(configPath: configPath, botocoreData: data, botocoreVersion: version, projectRoot: root)
    if check {
        let differences = Codegen.differences(files, under: root)
        if differences.isEmpty {
            print("aws-codegen: \(files.count) generated files match")
        } else {
            FileHandle.standardError.write(Data(("aws-codegen: generated code is out of date; run `bash scripts/generate`:\n"
                + differences.map { "  \($0)" }.joined(separator: "\n") + "\n").utf8))
            exit(1)
        }
    } else {
        try Codegen.write(files, under: output)
        print("aws-codegen: wrote \(files.count) files under \(output)")
    }
} catch {
    fail("\(error)")
}
