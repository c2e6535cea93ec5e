/// An error answer from an AWS service: which call, the HTTP status, and the service's code,
/// message and request id.
public struct AWSServiceError: Error, Sendable, CustomStringConvertible {
    /// The service, for example `EC2`.
    public var service: String
    /// The operation, for example `DescribeInstances`.
    public var operation: String
    /// The HTTP status.
    public var status: Int
    /// Everything the body said.
    public var details: ErrorDetails

    /// The error code, for example `InvalidInstanceID.NotFound`.
    public var code: String { details.code }
    /// The service's message.
    public var message: String? { details.message }
    /// The request id, for AWS support.
    public var requestId: String? { details.requestId }

    public init(service: String, operation: String, status: Int, details: ErrorDetails) {
        self.service = service
        self.operation = operation
        self.status = status
        self.details = details
    }

    public var description: String {
        var text = "\(service) \(operation) failed: \(code) (HTTP \(status))"
        if let message, !message.isEmpty { text += ": \(message)" }
        if let requestId { text += " [request id \(requestId)]" }
        return text
    }
}

/// A response that arrived but could not be read as the operation's output.
public struct AWSResponseDecodeError: Error, Sendable, CustomStringConvertible {
    public var service: String
    public var operation: String
    public var status: Int
    /// What was wrong.
    public var detail: String
    /// The request id from the headers, when present.
    public var requestId: String?

    public init(service: String, operation: String, status: Int, detail: String, requestId: String?) {
        self.service = service
        self.operation = operation
        self.status = status
        self.detail = detail
        self.requestId = requestId
    }

    public var description: String {
        "\(service) \(operation): the HTTP \(status) response could not be decoded: \(detail)" + (requestId.map { " [request id \($0)]" } ?? "")
    }
}
