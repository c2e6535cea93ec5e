import AWSCore

extension ServiceDescriptor {
    /// STS (API version 2011-06-15); operations: https://docs.aws.amazon.com/STS/latest/APIReference/
    public static let sts = ServiceDescriptor(
        name: "STS", signingName: "sts", endpointPrefix: "sts", apiVersion: "2011-06-15", wireProtocol: .awsQuery)
}
