// EFS: the generated client and shapes are in Generated/; this file makes `import EFS`
// bring the core types (AWSClient, AWSServiceError, CurlTransport, ...) with it.
@_exported import AWSCore
