/// The facts about one AWS service that the core needs to call it.
public struct ServiceDescriptor: Sendable, Hashable {
    /// The wire protocols the core speaks.
    public enum WireProtocol: String, Sendable, Hashable {
        /// Form-encoded requests, XML responses wrapped in `<OpResult>` (ELB, Auto Scaling, CloudWatch, STS).
        case awsQuery
        /// EC2's dialect of the query protocol.
        case ec2Query
        /// REST paths with JSON bodies (EFS).
        case restJson1
    }

    /// The service's model name, for example `EC2` (also the suffix of `AWS_ENDPOINT_URL_<SERVICE>`).
    public var name: String
    /// The name SigV4 signs with, for example `elasticloadbalancing`.
    public var signingName: String
    /// The host prefix of the regional endpoint, for example `autoscaling`.
    public var endpointPrefix: String
    /// The API version sent with query requests, for example `2016-11-15`.
    public var apiVersion: String
    /// The wire protocol.
    public var wireProtocol: WireProtocol

    /// Creates a descriptor.
    public init(name: String, signingName: String, endpointPrefix: String, apiVersion: String, wireProtocol: WireProtocol) {
        self.name = name
        self.signingName = signingName
        self.endpointPrefix = endpointPrefix
        self.apiVersion = apiVersion
        self.wireProtocol = wireProtocol
    }
}
