import AWSCore

extension ServiceDescriptor {
    /// Elastic Load Balancing (API version 2012-06-01); operations: https://docs.aws.amazon.com/elasticloadbalancing/2012-06-01/APIReference/
    public static let elb = ServiceDescriptor(
        name: "Elastic Load Balancing", signingName: "elasticloadbalancing", endpointPrefix: "elasticloadbalancing", apiVersion: "2012-06-01", wireProtocol: .awsQuery)
}
