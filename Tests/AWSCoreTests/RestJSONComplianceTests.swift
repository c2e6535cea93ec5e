import AWSCore
import Foundation
import TestSupport
import Testing

/// The Smithy restJson1 compliance cases for the features EFS uses, through the serializer and
/// decoder EFS uses. A case is in scope when its operation and every shape it reaches use only
/// what the EFS model (botocore 1.43.11) uses: structures, lists, strings, numbers, booleans and
/// timestamps, bound to the URI, the query string or the JSON body (no payload members or
/// documents), and idempotency tokens; plus
/// every case about naming an error. The rest are counted as skipped, by name.
@Suite("Protocol compliance: rest-json (EFS features)",
       .enabled(if: SharedTestData.has("protocol-tests"), "needs ../shared/testdata/protocol-tests"))
struct RestJSONComplianceTests {
    static let service = ServiceDescriptor(name: "Test", signingName: "test", endpointPrefix: "test", apiVersion: "", wireProtocol: .restJson1)
    static let efsKinds: Set<Shape.Kind> = [.structure, .list, .string, .long, .integer, .boolean, .double, .timestamp]
    static let efsLocations: Set<Member.Location> = [.uri, .querystring, .body]

    /// Whether every shape reachable from `shape` stays within EFS's features.
    static func withinEFS(_ shape: Shape?, seen: inout Set<ObjectIdentifier>) -> Bool {
        guard let shape, !seen.contains(ObjectIdentifier(shape)) else { return true }
        seen.insert(ObjectIdentifier(shape))
        guard efsKinds.contains(shape.kind), shape.timestampFormat == nil, shape.payloadMember == nil, !shape.isDocument else { return false }
        let members = shape.members + [shape.listMember, shape.mapKey, shape.mapValue].compactMap { $0 }
        return members.allSatisfy { member in
            efsLocations.contains(member.location) && !member.hostLabel && member.timestampFormat == nil
                && withinEFS(member.shape, seen: &seen)
        }
    }

    static func inScope(_ given: [String: Any], operation: AWSOperation) -> Bool {
        if given["endpoint"] != nil || given["requestcompression"] != nil || given["httpChecksumRequired"] != nil { return false }
        if operation.requestURI.contains("+}") { return false }
        var seen = Set<ObjectIdentifier>()
        return withinEFS(operation.input, seen: &seen) && withinEFS(operation.output, seen: &seen)
    }

    @Test("request serialization")
    func input() throws {
        guard let folder = SharedTestData.folder("protocol-tests") else { return }
        let file = try ComplianceFile(url: folder.appendingPathComponent("input/rest-json.json"))
        var tally = Tally(name: "rest-json input (EFS features)", ignoredByBotocore: botocoreIgnoreList()["rest-json"]?["input"] ?? [])
        let serializer = WireCodec(service: Self.service, idempotencyToken: { QueryComplianceTests.fixedToken })
        for suite in file.suites {
            for testCase in suite.cases {
                let id = testCase["id"] as! String
                let given = testCase["given"] as! [String: Any]
                guard let operation = try? suite.model.operation(given), Self.inScope(given, operation: operation) else {
                    tally.skipped.append(id)
                    continue
                }
                tally.record(id, check(testCase, operation: operation, serializer: serializer))
            }
        }
        tally.report()
        #expect(tally.failed.isEmpty && tally.passed >= 19)
    }

    private func check(_ testCase: [String: Any], operation: AWSOperation, serializer: WireCodec) -> [String] {
        do {
            let params = testCase["params"] as? [String: Any] ?? [:]
            let input = try operation.input.map { try value(fromTestJSON: params, shape: $0) }
            let request = try serializer.serialize(input, operation: operation)
            let expected = testCase["serialized"] as! [String: Any]
            let expectedHost = expected["host"] as? String
            let url = request.url(endpoint: endpoint(forExpectedHost: expectedHost, hostPrefix: false))
            let uri = String(url.dropFirst("https://".count).drop { $0 != "/" })
            var problems: [String] = []
            if request.method != expected["method"] as? String { problems.append("method \(request.method)") }
            if let expectedURI = expected["uri"] as? String, !sameURI(uri, expectedURI) { problems.append("uri \(uri), expected \(expectedURI)") }
            for (name, value) in expected["headers"] as? [String: String] ?? [:] where request.headers[name] != value {
                problems.append("header \(name): \(request.headers[name] ?? "absent"), expected \(value)")
            }
            for name in expected["forbidHeaders"] as? [String] ?? [] where request.headers.contains(name) {
                problems.append("header \(name) must not be sent")
            }
            if let expectedBody = expected["body"] as? String {
                let ours = String(decoding: request.body, as: UTF8.self)
                if expectedBody.isEmpty || ours.isEmpty {
                    if expectedBody != ours { problems.append("body \(ours), expected \(expectedBody)") }
                } else if !sameJSON(ours, expectedBody) {
                    problems.append("body \(ours), expected \(expectedBody)")
                }
            }
            return problems
        } catch {
            return ["threw \(error)"]
        }
    }

    @Test("response and error decoding")
    func output() throws {
        guard let folder = SharedTestData.folder("protocol-tests") else { return }
        let file = try ComplianceFile(url: folder.appendingPathComponent("output/rest-json.json"))
        var tally = Tally(name: "rest-json output (EFS features)", ignoredByBotocore: botocoreIgnoreList()["rest-json"]?["output"] ?? [])
        let decoder = WireCodec(service: Self.service)
        for suite in file.suites {
            for testCase in suite.cases {
                let id = testCase["id"] as! String
                let given = testCase["given"] as! [String: Any]
                let isError = testCase["errorCode"] != nil
                guard let operation = try? suite.model.operation(given), isError || Self.inScope(given, operation: operation) else {
                    tally.skipped.append(id)
                    continue
                }
                tally.record(id, checkOutput(testCase, operation: operation, decoder: decoder))
            }
        }
        tally.report()
        #expect(tally.failed.isEmpty && tally.passed >= 20)
    }

    private func checkOutput(_ testCase: [String: Any], operation: AWSOperation, decoder: WireCodec) -> [String] {
        do {
            let raw = testCase["response"] as! [String: Any]
            let response = HTTPResponse(status: raw["status_code"] as? Int ?? 200,
                                        headers: HTTPHeaders((raw["headers"] as? [String: String] ?? [:]).map { ($0.key, $0.value) }),
                                        body: Array((raw["body"] as? String ?? "").utf8))
            if let code = testCase["errorCode"] as? String {
                guard let details = decoder.decodeError(response, operation: operation) else { return ["no error decoded"] }
                var problems: [String] = []
                if details.code != code { problems.append("code \(details.code), expected \(code)") }
                if let expectedFields = testCase["error"] as? [String: Any], let shape = details.shape {
                    let expected = try value(fromTestJSON: expectedFields, shape: shape)
                    if details.fields != expected { problems.append("fields \(details.fields.map(\.description) ?? "nil"), expected \(expected)") }
                }
                return problems
            }
            let decoded = try decoder.decodeOutput(response, operation: operation)
            let expected = try operation.output.map { try value(fromTestJSON: testCase["result"] ?? [:], shape: $0) } ?? .structure([:])
            return decoded == expected ? [] : ["decoded \(decoded), expected \(expected)"]
        } catch {
            return ["threw \(error)"]
        }
    }
}

/// URIs compare by path and by the set of query pairs.
func sameURI(_ a: String, _ b: String) -> Bool {
    func split(_ uri: String) -> (String, Set<String>) {
        let parts = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        return (String(parts[0]), parts.count > 1 ? Set(parts[1].split(separator: "&").map(String.init)) : [])
    }
    return split(a) == split(b)
}

/// JSON texts compare as trees.
func sameJSON(_ a: String, _ b: String) -> Bool {
    guard let x = try? JSONSerialization.jsonObject(with: Data(a.utf8), options: [.fragmentsAllowed]) as? NSObject,
          let y = try? JSONSerialization.jsonObject(with: Data(b.utf8), options: [.fragmentsAllowed]) as? NSObject else { return false }
    return x.isEqual(y)
}
