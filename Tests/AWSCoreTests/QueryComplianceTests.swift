import AWSCore
import Foundation
import TestSupport
import Testing

/// The Smithy protocol compliance cases for awsQuery and ec2Query, through the same serializer and
/// decoder the services use. Every case runs, including those botocore skips.
@Suite("Protocol compliance: query and ec2",
       .enabled(if: SharedTestData.has("protocol-tests"), "needs ../shared/testdata/protocol-tests"))
struct QueryComplianceTests {
    static let fixedToken = "00000000-0000-4000-8000-000000000000"

    @Test("request serialization", arguments: [QueryEncoder.Dialect.awsQuery, .ec2Query])
    func input(dialect: QueryEncoder.Dialect) throws {
        guard let folder = SharedTestData.folder("protocol-tests") else { return }
        let name = dialect == .awsQuery ? "query" : "ec2"
        let file = try ComplianceFile(url: folder.appendingPathComponent("input/\(name).json"))
        var tally = Tally(name: "\(name) input", ignoredByBotocore: botocoreIgnoreList()[name]?["input"] ?? [])
        for suite in file.suites {
            let version = suite.metadata["apiVersion"] as? String ?? ""
            for testCase in suite.cases {
                let id = testCase["id"] as! String
                tally.record(id, check(testCase, suite: suite, version: version, dialect: dialect))
            }
        }
        tally.report()
        #expect(tally.passed == (dialect == .awsQuery ? 38 : 29))
    }

    private func check(_ testCase: [String: Any], suite: ComplianceFile.Suite, version: String, dialect: QueryEncoder.Dialect) -> [String] {
        do {
            let operation = try suite.model.operation(testCase["given"] as! [String: Any])
            let params = testCase["params"] as? [String: Any] ?? [:]
            let input = try operation.input.map { try value(fromTestJSON: params, shape: $0) }
            let service = ServiceDescriptor(name: "Test", signingName: "test", endpointPrefix: "test", apiVersion: version,
                                            wireProtocol: dialect == .ec2Query ? .ec2Query : .awsQuery)
            let request = try WireCodec(service: service, idempotencyToken: { Self.fixedToken }).serialize(input, operation: operation)
            let expected = testCase["serialized"] as! [String: Any]
            var problems: [String] = []
            let expectedHost = expected["host"] as? String
            let url = request.url(endpoint: endpoint(forExpectedHost: expectedHost, hostPrefix: request.hostPrefix != nil))
            let afterScheme = url.dropFirst("https://".count)
            let host = String(afterScheme.prefix { $0 != "/" })
            let uri = String(afterScheme.dropFirst(host.count))
            if request.method != expected["method"] as? String { problems.append("method \(request.method)") }
            if let expectedURI = expected["uri"] as? String, uri != expectedURI { problems.append("uri \(uri), expected \(expectedURI)") }
            if let expectedHost, request.hostPrefix != nil, host != expectedHost { problems.append("host \(host), expected \(expectedHost)") }
            for (name, value) in expected["headers"] as? [String: String] ?? [:] where request.headers[name] != value {
                problems.append("header \(name): \(request.headers[name] ?? "absent"), expected \(value)")
            }
            // requireHeaders lists Content-Length, which the transport sets from the body.
            var body = request.body
            if request.headers["Content-Encoding"] == "gzip" {
                body = try Gzip.decompress(body)
                let form = String(decoding: body, as: UTF8.self)
                if !form.hasPrefix("Action=\(operation.name)&") { problems.append("the gzip body does not hold the form") }
            }
            if let expectedBody = expected["body"] as? String {
                let ours = formPairs(String(decoding: body, as: UTF8.self))
                let theirs = formPairs(expectedBody)
                if ours != theirs {
                    problems.append("body differs: extra \(ours.subtracting(theirs).sorted()), missing \(theirs.subtracting(ours).sorted())")
                }
            }
            return problems
        } catch {
            return ["threw \(error)"]
        }
    }

    @Test("output and errors", arguments: [QueryEncoder.Dialect.awsQuery, .ec2Query])
    func output(dialect: QueryEncoder.Dialect) throws {
        guard let folder = SharedTestData.folder("protocol-tests") else { return }
        let name = dialect == .awsQuery ? "query" : "ec2"
        let file = try ComplianceFile(url: folder.appendingPathComponent("output/\(name).json"))
        var tally = Tally(name: "\(name) output", ignoredByBotocore: botocoreIgnoreList()[name]?["output"] ?? [])
        let codec = WireCodec(service: ServiceDescriptor(name: "Test", signingName: "test", endpointPrefix: "test", apiVersion: "",
                                                         wireProtocol: dialect == .ec2Query ? .ec2Query : .awsQuery))
        for suite in file.suites {
            for testCase in suite.cases {
                let id = testCase["id"] as! String
                tally.record(id, checkOutput(testCase, suite: suite, codec: codec))
            }
        }
        tally.report()
        #expect(tally.passed == (dialect == .awsQuery ? 38 : 29))
    }

    private func checkOutput(_ testCase: [String: Any], suite: ComplianceFile.Suite, codec: WireCodec) -> [String] {
        do {
            let operation = try suite.model.operation(testCase["given"] as! [String: Any])
            let raw = testCase["response"] as! [String: Any]
            let response = HTTPResponse(status: raw["status_code"] as? Int ?? 200,
                                        headers: HTTPHeaders((raw["headers"] as? [String: String] ?? [:]).map { ($0.key, $0.value) }),
                                        body: Array((raw["body"] as? String ?? "").utf8))
            if let expectedCode = testCase["errorCode"] as? String {
                guard let details = codec.decodeError(response, operation: operation) else { return ["no error decoded"] }
                var problems: [String] = []
                if details.code != expectedCode { problems.append("code \(details.code), expected \(expectedCode)") }
                if let message = testCase["errorMessage"] as? String, details.message != message {
                    problems.append("message \(details.message ?? "nil"), expected \(message)")
                }
                if let expectedFields = testCase["error"] as? [String: Any] {
                    guard let shape = details.shape else { return problems + ["no modelled error shape matched \(details.code)"] }
                    let expected = try value(fromTestJSON: expectedFields, shape: shape)
                    if details.fields != expected { problems.append("error fields \(details.fields.map(\.description) ?? "nil"), expected \(expected)") }
                }
                if details.requestId == nil { problems.append("no request id") }
                return problems
            }
            let decoded = try codec.decodeOutput(response, operation: operation)
            let expected = try operation.output.map { try value(fromTestJSON: testCase["result"] ?? [:], shape: $0) } ?? .structure([:])
            return decoded == expected ? [] : ["decoded \(decoded)\n   expected \(expected)"]
        } catch {
            return ["threw \(error)"]
        }
    }
}
