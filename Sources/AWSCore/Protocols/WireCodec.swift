import Foundation

/// A service's wire protocol in one place: serializes input (compressing bodies the operation
/// allows), decodes output, and reads error answers. The client, the compliance suites and the
/// recorded-response tests all go through it.
public struct WireCodec: Sendable {
    private enum Codec: Sendable {
        case query(QuerySerializer, XMLResponseDecoder)
        case restJSON(RestJSONProtocol)
    }

    private let codec: Codec
    private let compression: RequestCompression

    /// Creates the codec for `service`'s protocol.
    public init(service: ServiceDescriptor, idempotencyToken: @escaping @Sendable () -> String = WireCodec.randomToken,
                compression: RequestCompression = RequestCompression()) {
        switch service.wireProtocol {
        case .awsQuery, .ec2Query:
            let dialect: QueryEncoder.Dialect = service.wireProtocol == .ec2Query ? .ec2Query : .awsQuery
            codec = .query(QuerySerializer(encoder: QueryEncoder(dialect: dialect, idempotencyToken: idempotencyToken), apiVersion: service.apiVersion),
                           XMLResponseDecoder(dialect: dialect))
        case .restJson1:
            codec = .restJSON(RestJSONProtocol(idempotencyToken: idempotencyToken))
        }
        self.compression = compression
    }

    /// A fresh random UUID, the default idempotency token.
    public static let randomToken: @Sendable () -> String = { UUID().uuidString.lowercased() }

    /// The request for `operation` with `input`, its body gzip-compressed when the operation
    /// accepts that and the body is large enough.
    public func serialize(_ input: AWSValue?, operation: AWSOperation) throws -> SerializedRequest {
        var request: SerializedRequest
        switch codec {
        case .query(let serializer, _): request = try serializer.serialize(input, operation: operation)
        case .restJSON(let rest): request = try rest.serialize(input, operation: operation)
        }
        try compression.apply(to: &request, operation: operation)
        return request
    }

    /// Decodes a successful response into the operation's output structure.
    public func decodeOutput(_ response: HTTPResponse, operation: AWSOperation) throws -> AWSValue {
        switch codec {
        case .query(_, let decoder): return try decoder.decodeOutput(response.body, operation: operation)
        case .restJSON(let rest): return try rest.decodeOutput(response, operation: operation)
        }
    }

    /// Reads an error answer, or `nil` when the body is not an AWS error. The request id falls
    /// back to the `x-amzn-RequestId` header.
    public func decodeError(_ response: HTTPResponse, operation: AWSOperation?) -> ErrorDetails? {
        var details: ErrorDetails?
        switch codec {
        case .query(_, let decoder): details = decoder.decodeError(response.body, operation: operation)
        case .restJSON(let rest): details = rest.decodeError(response, operation: operation)
        }
        if details?.requestId == nil { details?.requestId = response.headers["x-amzn-RequestId"] }
        return details
    }
}
