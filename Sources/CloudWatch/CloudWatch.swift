// CloudWatch: the generated client and shapes are in Generated/; this file makes `import CloudWatch`
// bring the core types (AWSClient, AWSServiceError, CurlTransport, ...) with it.
@_exported import AWSCore
