import Foundation
import TestSupport
import Testing

/// The built `magento-rollout` binary, next to the test bundle.
func cliPath() -> String {
    URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("magento-rollout").path
}

/// Runs the CLI with `arguments` and exactly `environment`; returns status, stdout and stderr.
func runCLI(_ arguments: [String], environment: [String: String]) throws -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: cliPath())
    process.arguments = arguments
    process.environment = environment
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
}

@Suite("magento-rollout command line", .enabled(if: FileManager.default.isExecutableFile(atPath: cliPath()), "needs the built magento-rollout"))
struct CLITests {
    let base = ["HOME": "/nonexistent", "AWS_EC2_METADATA_DISABLED": "true", "PATH": "/usr/bin:/bin"]

    @Test("requests go through the proxy named by http_proxy")
    func proxy() throws {
        let proxy = try LoopbackHTTPServer { _ in
            .init(text: "<GetCallerIdentityResponse><GetCallerIdentityResult><Account>123</Account></GetCallerIdentityResult></GetCallerIdentityResponse>")
        }
        var env = base
        env.merge(["http_proxy": proxy.baseURL, "AWS_ACCESS_KEY_ID": "AKIDPROXY", "AWS_SECRET_ACCESS_KEY": "s", "AWS_REGION": "us-east-1"]) { $1 }
        let result = try runCLI(["call", "sts", "GetCallerIdentity", "--endpoint-url", "http://sts.proxy-test.invalid"], environment: env)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("<Account>123</Account>"))
        let seen = try #require(proxy.requests.first)
        #expect(seen.target == "http://sts.proxy-test.invalid/")
        #expect(seen.header("Host") == "sts.proxy-test.invalid")
        #expect(seen.header("Authorization")?.contains("Credential=AKIDPROXY/") == true)
    }

    @Test("no credentials: exit status 3 and every place tried, on standard error")
    func noCredentials() throws {
        let result = try runCLI(["call", "ec2", "DescribeRegions", "--region", "us-east-1"], environment: base)
        #expect(result.status == 3)
        #expect(result.stderr.contains("No AWS credentials found") && result.stderr.contains("environment variables"))
        #expect(result.stdout.isEmpty)
    }

    @Test("an AWS error: exit status 1 and the service's code and message")
    func awsError() throws {
        let server = try LoopbackHTTPServer { _ in
            .init(status: 400, text: "<Response><Errors><Error><Code>InvalidParameterValue</Code><Message>bad value</Message></Error></Errors><RequestID>req-1</RequestID></Response>")
        }
        var env = base
        env.merge(["AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "s", "AWS_REGION": "us-east-1"]) { $1 }
        let result = try runCLI(["call", "ec2", "DescribeRegions", "--endpoint-url", server.baseURL], environment: env)
        #expect(result.status == 1)
        #expect(result.stderr.contains("EC2 DescribeRegions failed: InvalidParameterValue (HTTP 400): bad value [request id req-1]"))
    }

    @Test("bad input names the field and the fix")
    func usage() throws {
        let unknown = try runCLI(["call", "s3", "ListBuckets"], environment: base)
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("Unknown service 's3'"))
        let param = try runCLI(["call", "ec2", "DescribeInstances", "-p", "InstanceId.1"], environment: base)
        #expect(param.stderr.contains("has no '='"))
    }
}
