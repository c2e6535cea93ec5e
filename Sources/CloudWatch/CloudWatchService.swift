import AWSCore

extension ServiceDescriptor {
    /// CloudWatch (API version 2010-08-01); operations: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/
    public static let cloudWatch = ServiceDescriptor(
        name: "CloudWatch", signingName: "monitoring", endpointPrefix: "monitoring", apiVersion: "2010-08-01", wireProtocol: .awsQuery)
}
