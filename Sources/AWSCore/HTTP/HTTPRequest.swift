/// One HTTP request as the transport sends it.
public struct HTTPRequest: Sendable {
    /// The method, for example `POST`.
    public var method: String
    /// The absolute URL, already percent-encoded for the wire.
    public var url: String
    /// The header fields.
    public var headers: HTTPHeaders
    /// The body bytes (empty for none).
    public var body: [UInt8]
    /// Time limits for this request; `nil` uses the transport's defaults.
    public var timeouts: HTTPTimeouts?

    /// Creates a request.
    public init(method: String, url: String, headers: HTTPHeaders = [:], body: [UInt8] = [], timeouts: HTTPTimeouts? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeouts = timeouts
    }
}

/// One HTTP response as the transport received it.
public struct HTTPResponse: Sendable {
    /// The status code, for example 200.
    public var status: Int
    /// The header fields of the final response (after any 100 Continue).
    public var headers: HTTPHeaders
    /// The body bytes.
    public var body: [UInt8]

    /// Creates a response.
    public init(status: Int, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The body decoded as UTF-8 (invalid bytes replaced).
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// Connect and whole-transfer time limits, in seconds.
public struct HTTPTimeouts: Sendable, Equatable {
    /// The longest wait for a TCP (and TLS) connection.
    public var connect: Double
    /// The longest time for the whole exchange, connection included.
    public var total: Double

    /// Creates limits.
    public init(connect: Double, total: Double) {
        self.connect = connect
        self.total = total
    }

    /// Limits for ordinary AWS API calls.
    public static let standard = HTTPTimeouts(connect: 10, total: 120)
}

/// Sends HTTP requests: the seam between the AWS client and the network.
///
/// The libcurl transport implements it for real traffic; a fake one answers in tests.
public protocol HTTPTransport: Sendable {
    /// Sends `request` and returns the whole response, or throws ``HTTPTransportError``.
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}
