/// Why an HTTP exchange failed before a complete response arrived.
public struct HTTPTransportError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The broad kind of failure, which decides whether a retry can help.
    public enum Kind: Sendable, Equatable {
        /// The URL could not be used (bad syntax, unsupported scheme).
        case invalidRequest
        /// No connection could be made (refused, unreachable, DNS failure).
        case connectionFailed
        /// The connect or total time limit passed.
        case timedOut
        /// The TLS handshake or certificate verification failed.
        case tlsFailure
        /// The peer closed or reset the connection mid-exchange.
        case connectionLost
        /// The response body exceeded the transport's size bound.
        case responseTooLarge
        /// Anything else libcurl reported.
        case other
    }

    /// The kind of failure.
    public var kind: Kind
    /// The URL the request was for, without its query string.
    public var url: String
    /// libcurl's explanation.
    public var detail: String

    /// Creates an error.
    public init(kind: Kind, url: String, detail: String) {
        self.kind = kind
        self.url = url
        self.detail = detail
    }

    public var description: String {
        let what: String
        switch kind {
        case .invalidRequest: what = "invalid request"
        case .connectionFailed: what = "could not connect"
        case .timedOut: what = "timed out"
        case .tlsFailure: what = "TLS failure"
        case .connectionLost: what = "connection lost"
        case .responseTooLarge: what = "response too large"
        case .other: what = "HTTP transfer failed"
        }
        return "\(what) for \(url): \(detail)"
    }
}
