/// A shape from an AWS service model (botocore's `service-2.json` terms), carrying what the
/// wire protocols need: kind, members and serialization traits.
///
/// Shapes form a graph that may be recursive, so they are reference types; a model builds them
/// in two phases (create, then connect) and never changes them afterwards.
public final class Shape: @unchecked Sendable, CustomStringConvertible {
    /// The kinds of shape the protocols distinguish.
    public enum Kind: String, Sendable {
        case structure, list, map, string, integer, long, float, double, boolean, blob, timestamp
    }

    /// The shape's name in the model.
    public let name: String
    /// Its kind.
    public let kind: Kind
    /// Structure members, in model order.
    public internal(set) var members: [Member] = []
    /// A list's member.
    public internal(set) var listMember: Member?
    /// A map's key.
    public internal(set) var mapKey: Member?
    /// A map's value.
    public internal(set) var mapValue: Member?
    /// Whether the list or map is flattened wherever it appears.
    public let flattened: Bool
    /// The timestamp format this shape asks for.
    public let timestampFormat: TimestampFormat?
    /// The XML name the shape itself gives (rare; members usually name themselves).
    public let locationName: String?
    /// The error code an exception shape answers to, when it differs from the shape's name.
    public let errorCode: String?
    /// Whether the shape is an exception.
    public let isException: Bool
    /// The allowed values of a string enum (informational: unknown values are kept).
    public let enumValues: [String]?
    /// The member sent as the whole HTTP body (REST `payload` trait), if any.
    public let payloadMember: String?
    /// Whether the shape is an untyped JSON document.
    public let isDocument: Bool
    private var memberIndex: [String: Int] = [:]

    /// Creates a shape without members; a model connects them afterwards.
    public init(name: String, kind: Kind, flattened: Bool = false, timestampFormat: TimestampFormat? = nil,
                locationName: String? = nil, errorCode: String? = nil, isException: Bool = false, enumValues: [String]? = nil,
                payloadMember: String? = nil, isDocument: Bool = false) {
        self.name = name
        self.kind = kind
        self.flattened = flattened
        self.timestampFormat = timestampFormat
        self.locationName = locationName
        self.errorCode = errorCode
        self.isException = isException
        self.enumValues = enumValues
        self.payloadMember = payloadMember
        self.isDocument = isDocument
    }

    /// Sets a structure's members (model building only).
    public func setMembers(_ members: [Member]) {
        self.members = members
        memberIndex = Dictionary(members.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Sets a list's member (model building only).
    public func setListMember(_ member: Member) { listMember = member }

    /// Sets a map's key and value (model building only).
    public func setMapEntry(key: Member, value: Member) {
        mapKey = key
        mapValue = value
    }

    /// The member called `name`, if any.
    public func member(named name: String) -> Member? {
        memberIndex[name].map { members[$0] }
    }

    public var description: String { "Shape(\(name): \(kind.rawValue))" }
}

/// A reference from a structure, list or map to a shape, with the traits set at that reference.
public struct Member: Sendable {
    /// Where a REST member travels.
    public enum Location: String, Sendable {
        case body, uri, querystring, header, headers, statusCode
    }

    /// The member's name (for list members `member`, map parts `key`/`value`).
    public let name: String
    /// The target shape.
    public let shape: Shape
    /// The wire name (`locationName`): XML element, query key, header or label name.
    public let locationName: String?
    /// EC2's query name (`queryName`), preferred over everything for ec2Query input.
    public let queryName: String?
    /// Whether a list or map member is flattened.
    public let flattened: Bool
    /// A timestamp format set on the member.
    public let timestampFormat: TimestampFormat?
    /// Where the member travels in REST protocols.
    public let location: Location
    /// Whether the member fills a `{label}` in the endpoint's host prefix.
    public let hostLabel: Bool
    /// Whether a missing value is filled with a random UUID.
    public let idempotencyToken: Bool
    /// Whether the member must be present.
    public let required: Bool

    /// Creates a member reference.
    public init(name: String, shape: Shape, locationName: String? = nil, queryName: String? = nil, flattened: Bool = false,
                timestampFormat: TimestampFormat? = nil, location: Location = .body, hostLabel: Bool = false,
                idempotencyToken: Bool = false, required: Bool = false) {
        self.name = name
        self.shape = shape
        self.locationName = locationName
        self.queryName = queryName
        self.flattened = flattened
        self.timestampFormat = timestampFormat
        self.location = location
        self.hostLabel = hostLabel
        self.idempotencyToken = idempotencyToken
        self.required = required
    }

    /// The member's wire name: `locationName`, else its own name.
    public var wireName: String { locationName ?? name }
    /// Whether the list or map is flattened, by the member or by its shape.
    public var isFlattened: Bool { flattened || shape.flattened }
    /// The timestamp format in force: the member's, the shape's, else `fallback`.
    public func timestampFormat(default fallback: TimestampFormat) -> TimestampFormat {
        timestampFormat ?? shape.timestampFormat ?? fallback
    }
}

/// How a timestamp is written on the wire.
public enum TimestampFormat: String, Sendable {
    /// `2015-01-25T08:00:00Z` (ISO 8601 / RFC 3339).
    case iso8601
    /// Seconds since 1970, possibly fractional.
    case unixTimestamp
    /// `Sun, 25 Jan 2015 08:00:00 GMT` (RFC 7231).
    case rfc822
}

/// An operation's wire facts.
public struct AWSOperation: Sendable {
    /// The operation's name, which is also the query `Action`.
    public let name: String
    /// The HTTP method.
    public let method: String
    /// The request URI template, for example `/2015-02-01/file-systems/{FileSystemId}`.
    public let requestURI: String
    /// The input shape, if any.
    public let input: Shape?
    /// The output shape, if any.
    public let output: Shape?
    /// The element wrapping an awsQuery result; `<Name>Result` when the model gives none.
    public let resultWrapper: String?
    /// The modelled errors.
    public let errors: [Shape]
    /// A host prefix such as `foo.{label}.`.
    public let hostPrefix: String?
    /// Encodings the service accepts for compressed request bodies (`requestcompression`).
    public let requestCompression: [String]
    /// Whether requests are signed; `false` for operations the model marks `authtype: none`.
    public let requiresSigning: Bool

    /// Creates an operation.
    public init(name: String, method: String = "POST", requestURI: String = "/", input: Shape? = nil, output: Shape? = nil,
                resultWrapper: String? = nil, errors: [Shape] = [], hostPrefix: String? = nil, requestCompression: [String] = [],
                requiresSigning: Bool = true) {
        self.name = name
        self.method = method
        self.requestURI = requestURI
        self.input = input
        self.output = output
        self.resultWrapper = resultWrapper
        self.errors = errors
        self.hostPrefix = hostPrefix
        self.requestCompression = requestCompression
        self.requiresSigning = requiresSigning
    }
}
