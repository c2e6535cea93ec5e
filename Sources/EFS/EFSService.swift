import AWSCore

extension ServiceDescriptor {
    /// EFS (API version 2015-02-01); operations: https://docs.aws.amazon.com/efs/latest/ug/api-reference.html
    public static let efs = ServiceDescriptor(
        name: "EFS", signingName: "elasticfilesystem", endpointPrefix: "elasticfilesystem", apiVersion: "2015-02-01", wireProtocol: .restJson1)
}
