// AutoScaling: the generated client and shapes are in Generated/; this file makes `import AutoScaling`
// bring the core types (AWSClient, AWSServiceError, CurlTransport, ...) with it.
@_exported import AWSCore
