import AWSCore
import Foundation
import Synchronization

/// An ``HTTPTransport`` that answers from recorded responses, for tests that run without AWS.
///
/// Answers are keyed by service (the SigV4 signing name, for example `ec2`) and operation (the
/// query `Action`, or a registered REST route). A sequence of answers plays in order and its last
/// answer repeats, which suits polling (`pending`, `pending`, `available`). Faults can replace the
/// Nth call of an operation. Every request is recorded. A request with no answer fails at once,
/// naming the service and operation.
public final class FakeTransport: HTTPTransport {
    /// One recorded answer.
    public struct Response: Sendable {
        public var status: Int
        public var headers: HTTPHeaders
        public var body: [UInt8]

        public init(status: Int = 200, headers: HTTPHeaders = [:], body: [UInt8] = []) {
            self.status = status
            self.headers = headers
            self.body = body
        }

        /// A 200 answer with an XML body.
        public static func xml(_ text: String, status: Int = 200) -> Response {
            Response(status: status, headers: ["Content-Type": "text/xml", "x-amzn-RequestId": "fake-request-id"], body: Array(text.utf8))
        }

        /// A 200 answer with a JSON body.
        public static func json(_ text: String, status: Int = 200) -> Response {
            Response(status: status, headers: ["Content-Type": "application/json", "x-amzn-RequestId": "fake-request-id"], body: Array(text.utf8))
        }

        /// An error in the service's own format: EC2's, awsQuery's, or restJson1's.
        public static func error(_ code: String, message: String = "", status: Int = 400, service: String) -> Response {
            let escaped = message.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            switch service {
            case "ec2":
                return xml("<Response><Errors><Error><Code>\(code)</Code><Message>\(escaped)</Message></Error></Errors><RequestID>fake-request-id</RequestID></Response>", status: status)
            case "elasticfilesystem":
                var response = json("{\"ErrorCode\":\"\(code)\",\"Message\":\"\(message)\"}", status: status)
                response.headers.add(name: "x-amzn-ErrorType", value: code)
                return response
            default:
                return xml("<ErrorResponse><Error><Type>Sender</Type><Code>\(code)</Code><Message>\(escaped)</Message></Error><RequestId>fake-request-id</RequestId></ErrorResponse>", status: status)
            }
        }
    }

    /// A failure to play instead of an answer.
    public enum Fault: Sendable, Equatable {
        /// The service's throttling error (HTTP 400, `Throttling` / `RequestLimitExceeded`).
        case throttling
        /// An HTTP 5xx with the service's `InternalError`.
        case serverError(Int)
        /// The transfer times out.
        case timeout
        /// The connection is reset mid-response.
        case connectionReset
        /// A 200 whose body is cut off.
        case malformedBody
    }

    /// A request the fake saw.
    public struct RecordedRequest: Sendable {
        /// The signing name of the service.
        public var service: String
        /// The operation.
        public var operation: String
        /// The request as sent (signed).
        public var request: HTTPRequest
        /// The decoded form parameters of a query request.
        public var parameters: [String: String]
    }

    /// No answer was set for a request.
    public struct Unanswered: Error, CustomStringConvertible {
        public var service: String
        public var operation: String
        public var url: String
        public var description: String {
            "FakeTransport has no answer for \(service) \(operation) (\(url)); add one with answer(\"\(service)\", \"\(operation)\", …)"
        }
    }

    private struct Key: Hashable {
        var service: String
        var operation: String
    }

    private struct Route {
        var service: String
        var method: String
        var segments: [Substring]
        var operation: String
    }

    private struct State {
        var answers: [Key: [Response]] = [:]
        var calls: [Key: Int] = [:]
        var faults: [Key: [Int: Fault]] = [:]
        var routes: [Route] = []
        var requests: [RecordedRequest] = []
    }

    private let state = Mutex(State())

    public init() {}

    /// Sets the answers for `operation` of `service`, played in order; the last one repeats.
    public func answer(_ service: String, _ operation: String, with responses: Response...) {
        answer(service, operation, sequence: responses)
    }

    /// Sets the answers for `operation` of `service` from an array.
    public func answer(_ service: String, _ operation: String, sequence responses: [Response]) {
        precondition(!responses.isEmpty, "give at least one response")
        state.withLock { $0.answers[Key(service: service, operation: operation)] = responses }
    }

    /// Plays `fault` instead of the answer on call number `call` (1-based) of `operation`.
    public func inject(_ fault: Fault, service: String, operation: String, onCall call: Int) {
        state.withLock { $0.faults[Key(service: service, operation: operation), default: [:]][call] = fault }
    }

    /// Names REST requests: `method` and a path template such as `/2015-02-01/file-systems/{FileSystemId}`.
    public func route(service: String, method: String, path: String, operation: String) {
        state.withLock { $0.routes.append(Route(service: service, method: method, segments: path.split(separator: "/"), operation: operation)) }
    }

    /// Every request seen, in order.
    public var requests: [RecordedRequest] { state.withLock { $0.requests } }

    /// How many calls `operation` of `service` has had.
    public func calls(_ service: String, _ operation: String) -> Int {
        state.withLock { $0.calls[Key(service: service, operation: operation)] ?? 0 }
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try Task.checkCancellation()
        let service = Self.service(of: request)
        let parameters = Self.formParameters(request)
        let operation = parameters["Action"] ?? routeOperation(service: service, request: request) ?? "\(request.method) \(Self.path(of: request.url))"
        let key = Key(service: service, operation: operation)
        let (response, fault): (Response?, Fault?) = state.withLock { state in
            state.requests.append(RecordedRequest(service: service, operation: operation, request: request, parameters: parameters))
            let call = (state.calls[key] ?? 0) + 1
            state.calls[key] = call
            if let fault = state.faults[key]?[call] { return (nil, fault) }
            guard let answers = state.answers[key] else { return (nil, nil) }
            return (answers[min(call, answers.count) - 1], nil)
        }
        if let fault { return try play(fault, service: service, url: request.url) }
        guard let response else { throw Unanswered(service: service, operation: operation, url: request.url) }
        return HTTPResponse(status: response.status, headers: response.headers, body: response.body)
    }

    private func play(_ fault: Fault, service: String, url: String) throws -> HTTPResponse {
        let display = String(url.prefix { $0 != "?" })
        switch fault {
        case .throttling:
            let response = Response.error(service == "ec2" ? "RequestLimitExceeded" : "Throttling", message: "Rate exceeded", status: service == "ec2" ? 503 : 400, service: service)
            return HTTPResponse(status: response.status, headers: response.headers, body: response.body)
        case .serverError(let status):
            let response = Response.error("InternalError", message: "injected server error", status: status, service: service)
            return HTTPResponse(status: response.status, headers: response.headers, body: response.body)
        case .timeout:
            throw HTTPTransportError(kind: .timedOut, url: display, detail: "injected timeout")
        case .connectionReset:
            throw HTTPTransportError(kind: .connectionLost, url: display, detail: "injected connection reset")
        case .malformedBody:
            return HTTPResponse(status: 200, headers: ["Content-Type": "text/xml"], body: Array("<Resp><Res".utf8))
        }
    }

    private func routeOperation(service: String, request: HTTPRequest) -> String? {
        let segments = Self.path(of: request.url).split(separator: "/")
        return state.withLock { state in
            state.routes.first { route in
                route.service == service && route.method == request.method && route.segments.count == segments.count
                    && zip(route.segments, segments).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
            }?.operation
        }
    }

    /// The signing name from the Authorization header's credential scope, else the host's first label.
    static func service(of request: HTTPRequest) -> String {
        if let authorization = request.headers["Authorization"], let credential = authorization.range(of: "Credential=") {
            let scope = authorization[credential.upperBound...].prefix { $0 != "," }.split(separator: "/")
            if scope.count >= 5 { return String(scope[3]) }
        }
        let afterScheme = request.url.range(of: "://").map { request.url[$0.upperBound...] } ?? Substring(request.url)
        return String(afterScheme.prefix { $0 != "." && $0 != "/" && $0 != ":" })
    }

    static func path(of url: String) -> String {
        let afterScheme = url.range(of: "://").map { url[$0.upperBound...] } ?? Substring(url)
        let path = afterScheme.drop { $0 != "/" }.prefix { $0 != "?" }
        return path.isEmpty ? "/" : String(path)
    }

    static func formParameters(_ request: HTTPRequest) -> [String: String] {
        guard request.headers["Content-Type"]?.hasPrefix("application/x-www-form-urlencoded") == true else { return [:] }
        var body = request.body
        if request.headers["Content-Encoding"] == "gzip", let plain = try? Gzip.decompress(body) { body = plain }
        var parameters: [String: String] = [:]
        for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            parameters[URIEncoding.decode(String(parts[0]))] = parts.count > 1 ? URIEncoding.decode(String(parts[1])) : ""
        }
        return parameters
    }
}
