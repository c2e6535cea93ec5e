import AWSCore

extension ServiceDescriptor {
    /// Auto Scaling (API version 2011-01-01); operations: https://docs.aws.amazon.com/autoscaling/ec2/APIReference/
    public static let autoScaling = ServiceDescriptor(
        name: "Auto Scaling", signingName: "autoscaling", endpointPrefix: "autoscaling", apiVersion: "2011-01-01", wireProtocol: .awsQuery)
}
