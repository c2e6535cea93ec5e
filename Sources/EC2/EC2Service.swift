import AWSCore

extension ServiceDescriptor {
    /// EC2 (API version 2016-11-15); operations: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/
    public static let ec2 = ServiceDescriptor(
        name: "EC2", signingName: "ec2", endpointPrefix: "ec2", apiVersion: "2016-11-15", wireProtocol: .ec2Query)
}
