import AWSCore
import Foundation
import TestSupport
import Testing

/// One protocol-test suite file: its suites, each with shapes and cases.
struct ComplianceFile {
    struct Suite {
        var description: String
        var model: ModelLoader
        var metadata: [String: Any]
        var cases: [[String: Any]]
    }
    var suites: [Suite]

    init(url: URL) throws {
        let raw = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [[String: Any]]
        suites = try raw.map { suite in
            Suite(description: suite["description"] as? String ?? "", model: try ModelLoader(shapeDefinitions: suite["shapes"] as? [String: Any] ?? [:]),
                  metadata: suite["metadata"] as? [String: Any] ?? [:], cases: suite["cases"] as? [[String: Any]] ?? [])
        }
    }
}

/// Pass/fail/skip counts for one suite, printed at the end.
struct Tally {
    var name: String
    /// Cases botocore's own suite skips; they run here too, and the report counts them.
    var ignoredByBotocore: Set<String> = []
    var passed = 0
    var passedOnIgnoreList = 0
    var failed: [String] = []
    var skipped: [String] = []

    mutating func record(_ id: String, _ problems: [String]) {
        if problems.isEmpty {
            passed += 1
            if ignoredByBotocore.contains(id) { passedOnIgnoreList += 1 }
        } else {
            failed.append(id)
            for problem in problems { Issue.record("\(name) \(id): \(problem)") }
        }
    }

    func report() {
        print("\(name): \(passed) passed, \(failed.count) failed, \(skipped.count) skipped"
              + (passedOnIgnoreList > 0 ? "; \(passedOnIgnoreList) of the passes are on botocore's ignore list" : "")
              + (skipped.isEmpty ? "" : " (skipped: \(skipped.joined(separator: ", ")))"))
    }
}

/// Converts a test's JSON value (timestamps as epoch seconds, blobs as raw text, special floats as
/// strings) to an ``AWSValue`` of `shape`.
func value(fromTestJSON json: Any, shape: Shape) throws -> AWSValue {
    struct Mismatch: Error, CustomStringConvertible { var description: String }
    switch shape.kind {
    case .structure:
        guard let object = json as? [String: Any] else { throw Mismatch(description: "\(shape.name): expected an object") }
        var fields: [String: AWSValue] = [:]
        for (key, raw) in object {
            guard let member = shape.member(named: key) else { throw Mismatch(description: "\(shape.name) has no member \(key)") }
            if raw is NSNull { continue }
            fields[key] = try value(fromTestJSON: raw, shape: member.shape)
        }
        return .structure(fields)
    case .list:
        guard let array = json as? [Any], let member = shape.listMember else { throw Mismatch(description: "\(shape.name): expected an array") }
        return .list(try array.map { try value(fromTestJSON: $0, shape: member.shape) })
    case .map:
        guard let object = json as? [String: Any], let valueMember = shape.mapValue else { throw Mismatch(description: "\(shape.name): expected an object") }
        return .map(try object.keys.sorted().map { .init(key: $0, value: try value(fromTestJSON: object[$0]!, shape: valueMember.shape)) })
    case .string:
        return .string(json as? String ?? "\(json)")
    case .blob:
        return .blob(Array((json as? String ?? "").utf8))
    case .boolean:
        return .boolean((json as? NSNumber)?.boolValue ?? false)
    case .integer, .long:
        return .integer((json as? NSNumber)?.int64Value ?? 0)
    case .float, .double:
        if let text = json as? String {
            switch text {
            case "NaN": return .double(.nan)
            case "Infinity": return .double(.infinity)
            case "-Infinity": return .double(-.infinity)
            default: return .double(Double(text) ?? .nan)
            }
        }
        return .double((json as? NSNumber)?.doubleValue ?? 0)
    case .timestamp:
        return .timestamp(Date(timeIntervalSince1970: (json as? NSNumber)?.doubleValue ?? 0))
    }
}

/// A form body as a set of `name=value` pairs, each decoded.
func formPairs(_ body: String) -> Set<String> {
    Set(body.split(separator: "&").map { pair in
        let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        let name = URIEncoding.decode(String(parts[0]))
        let value = parts.count > 1 ? URIEncoding.decode(String(parts[1]).replacingOccurrences(of: "+", with: "%20")) : ""
        return "\(name)=\(value)"
    })
}

/// The endpoint a case's `host` implies: `https://example.com` unless it names one (with a path).
func endpoint(forExpectedHost host: String?, hostPrefix: Bool) -> String {
    guard let host, !hostPrefix else { return "https://example.com" }
    return "https://" + host
}

/// The ids botocore skips, by protocol and direction.
func botocoreIgnoreList() -> [String: [String: Set<String>]] {
    let url = SharedTestData.directory.appendingPathComponent("protocol-tests/protocol-tests-ignore-list.json")
    guard let data = try? Data(contentsOf: url),
          let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
          let protocols = object["protocols"] as? [String: [String: [String: [String]]]] else { return [:] }
    return protocols.mapValues { $0.mapValues { Set($0["cases"] ?? []) } }
}
