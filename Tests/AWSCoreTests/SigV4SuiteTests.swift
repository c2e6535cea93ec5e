import AWSCore
import Foundation
import TestSupport
import Testing

/// The AWS SigV4 test suite from ../shared/testdata/sigv4: every case, header and presigned forms.
@Suite("SigV4 test suite")
struct SigV4SuiteTests {
    struct Case {
        var name: String
        var folder: URL
        var context: [String: Any]
        var request: SigV4Signer.Request
    }

    @Test("every case signs as the suite expects",
          .enabled(if: SharedTestData.has("sigv4/v4"), "needs ../shared/testdata/sigv4"))
    func allCases() throws {
        guard let root = SharedTestData.folder("sigv4/v4") else { return }
        let names = try FileManager.default.contentsOfDirectory(atPath: root.path).sorted()
        var headerForms = 0
        var presignedForms = 0
        for name in names {
            let folder = root.appendingPathComponent(name)
            let testCase = try load(name: name, folder: folder)
            if exists(folder, "header-signature.txt") {
                try checkHeaderForm(testCase)
                headerForms += 1
            }
            if exists(folder, "query-signature.txt") {
                try checkPresignedForm(testCase)
                presignedForms += 1
            }
        }
        print("SigV4 suite: \(names.count) cases run (\(headerForms) header-signed, \(presignedForms) presigned)")
        #expect(names.count == 38, "the suite has 38 cases; found \(names.count)")
        #expect(headerForms == names.count && presignedForms == names.count)
    }

    private func exists(_ folder: URL, _ file: String) -> Bool {
        FileManager.default.fileExists(atPath: folder.appendingPathComponent(file).path)
    }

    private func text(_ folder: URL, _ file: String) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
    }

    private func load(name: String, folder: URL) throws -> Case {
        let context = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("context.json"))) as! [String: Any]
        return Case(name: name, folder: folder, context: context, request: try parseRawRequest(text(folder, "request.txt")))
    }

    private func signer(_ testCase: Case) -> (SigV4Signer, AWSCredentials, Date, SigV4Signer.Options) {
        let c = testCase.context
        let creds = c["credentials"] as! [String: String]
        let credentials = AWSCredentials(accessKeyId: creds["access_key_id"]!, secretAccessKey: creds["secret_access_key"]!, sessionToken: creds["token"])
        let date = ISO8601DateFormatter().date(from: c["timestamp"] as! String)!
        var options = SigV4Signer.Options()
        options.normalizePath = c["normalize"] as? Bool ?? true
        options.addContentSHA256Header = c["sign_body"] as? Bool ?? false
        options.sessionToken = (c["omit_session_token"] as? Bool ?? false) ? .afterSigning : .signed
        return (SigV4Signer(region: c["region"] as! String, service: c["service"] as! String), credentials, date, options)
    }

    private func checkHeaderForm(_ testCase: Case) throws {
        let (signer, credentials, date, options) = signer(testCase)
        var request = testCase.request
        let result = signer.signHeaders(&request, credentials: credentials, date: date, options: options)
        let name = testCase.name
        #expect(result.canonicalRequest == (try text(testCase.folder, "header-canonical-request.txt")), "\(name): canonical request")
        #expect(result.stringToSign == (try text(testCase.folder, "header-string-to-sign.txt")), "\(name): string to sign")
        #expect(result.signature == (try text(testCase.folder, "header-signature.txt")).trimmingCharacters(in: .whitespacesAndNewlines), "\(name): signature")
        // The signed request's headers, compared as a set of (lower-cased name, value).
        let expected = try parseRawRequest(text(testCase.folder, "header-signed-request.txt")).headers
        let normalise: (HTTPHeaders) -> [String] = { $0.fields.map { "\($0.name.lowercased()):\($0.value)" }.sorted() }
        #expect(normalise(request.headers) == normalise(expected), "\(name): signed request headers")
    }

    private func checkPresignedForm(_ testCase: Case) throws {
        let (signer, credentials, date, options) = signer(testCase)
        var request = testCase.request
        let expires = testCase.context["expiration_in_seconds"] as? Int ?? 3600
        let result = signer.presign(&request, credentials: credentials, date: date, expires: expires, options: options)
        let name = testCase.name
        #expect(result.canonicalRequest == (try text(testCase.folder, "query-canonical-request.txt")), "\(name): presigned canonical request")
        #expect(result.stringToSign == (try text(testCase.folder, "query-string-to-sign.txt")), "\(name): presigned string to sign")
        #expect(result.signature == (try text(testCase.folder, "query-signature.txt")).trimmingCharacters(in: .whitespacesAndNewlines), "\(name): presigned signature")
        let expected = try parseRawRequest(text(testCase.folder, "query-signed-request.txt")).query
        let normalise: ([(name: String, value: String)]) -> [String] = { $0.map { "\($0.name)=\($0.value)" }.sorted() }
        #expect(normalise(request.query) == normalise(expected), "\(name): presigned query parameters")
    }
}

/// Parses the suite's raw HTTP request: request line (the target may hold spaces), headers with
/// folded continuation lines, then the body.
func parseRawRequest(_ raw: String) throws -> SigV4Signer.Request {
    var lines = raw.components(separatedBy: "\n")
    let requestLine = lines.removeFirst()
    let firstSpace = requestLine.firstIndex(of: " ")!
    let lastSpace = requestLine.lastIndex(of: " ")!
    let method = String(requestLine[..<firstSpace])
    let target = String(requestLine[requestLine.index(after: firstSpace)..<lastSpace])
    var headers = HTTPHeaders()
    var bodyLines: [String] = []
    var inBody = false
    for line in lines {
        if inBody { bodyLines.append(line); continue }
        if line.isEmpty { inBody = true; continue }
        if line.first == " " || line.first == "\t", var last = headers.fields.last {
            // A continuation line: append to the previous header's value.
            headers.remove(name: last.name)
            last.value += " " + line
            headers.add(name: last.name, value: last.value)
            continue
        }
        let colon = line.firstIndex(of: ":")!
        headers.add(name: String(line[..<colon]), value: String(line[line.index(after: colon)...]))
    }
    let path: String
    var query: [(name: String, value: String)] = []
    if let q = target.firstIndex(of: "?") {
        path = String(target[..<q])
        for pair in target[target.index(after: q)...].split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            query.append((URIEncoding.decode(String(parts[0])), parts.count > 1 ? URIEncoding.decode(String(parts[1])) : ""))
        }
    } else {
        path = target
    }
    return SigV4Signer.Request(method: method, path: path, query: query, headers: headers, body: Array(bodyLines.joined(separator: "\n").utf8))
}
