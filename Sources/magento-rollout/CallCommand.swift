import AWSCore
import ArgumentParser
import AutoScaling
import CloudWatch
import EC2
import ELB
import EFS
import Foundation
import STS

/// `magento-rollout call`: one signed query-protocol request, printed as the service answered it.
struct CallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "call",
        abstract: "Send one signed AWS query API request and print the response.",
        discussion: """
            Useful to check credentials, region and endpoint before a rollout. Examples:

              magento-rollout call ec2 DescribeRegions
              magento-rollout call autoscaling DescribeAutoScalingGroups \\
                  -p AutoScalingGroupNames.member.1=magento-asg
              magento-rollout call sts GetCallerIdentity --endpoint-url http://127.0.0.1:5000

            Throttling and server errors are retried as the AWS SDKs do (AWS_MAX_ATTEMPTS, \
            AWS_RETRY_MODE). The response body is printed on standard output. The exit status is \
            0 for a 2xx answer, 1 for an AWS error (the error goes to standard error), 3 when \
            credentials, region or endpoint cannot be resolved or reached.
            """)

    static let services: [String: ServiceDescriptor] = [
        "ec2": .ec2, "elb": .elb, "autoscaling": .autoScaling, "cloudwatch": .cloudWatch, "sts": .sts,
    ]

    @Argument(help: ArgumentHelp("The service: \(services.keys.sorted().joined(separator: ", ")).", valueName: "service"))
    var service: String

    @Argument(help: ArgumentHelp("The API action, for example DescribeInstances.", valueName: "action"))
    var action: String

    @Option(name: [.short, .customLong("param")], help: ArgumentHelp("A request parameter as Name=Value (repeatable).", valueName: "name=value"))
    var parameters: [String] = []

    @Option(help: "The region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile, instance metadata).")
    var region: String?

    @Option(help: "The named profile from ~/.aws/config (default: AWS_PROFILE, else default).")
    var profile: String?

    @Option(help: ArgumentHelp("Send to this endpoint instead of AWS's, for example a local moto server.", valueName: "url"))
    var endpointURL: String?

    @Flag(name: [.short, .long], help: "Log each attempt (status, latency, request id) and each retry on standard error.")
    var verbose = false

    func validate() throws {
        guard Self.services[service.lowercased()] != nil else {
            throw ValidationError("Unknown service '\(service)'. Choose one of: \(Self.services.keys.sorted().joined(separator: ", ")). (EFS is a REST API and is not called this way.)")
        }
        for parameter in parameters where !parameter.contains("=") {
            throw ValidationError("The parameter '\(parameter)' has no '='; write it as Name=Value, for example -p InstanceId.1=i-0abc.")
        }
    }

    func run() async throws {
        let descriptor = Self.services[service.lowercased()]!
        var environment = ProcessInfo.processInfo.environment
        if let profile { environment["AWS_PROFILE"] = profile }

        var configuration: AWSClient.Configuration
        let transport = CurlTransport()
        // Role and web-identity profiles assume their role through STS (regional endpoint).
        let stsRegion = region ?? environment["AWS_REGION"] ?? environment["AWS_DEFAULT_REGION"] ?? "us-east-1"
        do {
            configuration = try await AWSClient.Configuration.resolve(
                environment: environment, transport: transport, region: region,
                assumeRole: STSClient.assumeRoleHandler(region: stsRegion, transport: transport, environment: environment))
        } catch {
            printError("\(error)")
            throw ExitCode(3)
        }
        configuration.endpoint = endpointURL
        configuration.logger.logLevel = verbose ? .debug : .warning
        let client = AWSClient(service: descriptor, configuration: configuration)
        let pairs = parameters.map { parameter -> (name: String, value: String) in
            let parts = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (String(parts[0]), String(parts[1]))
        }
        let request = SerializedRequest(
            method: "POST", path: "/", headers: ["Content-Type": "application/x-www-form-urlencoded; charset=utf-8"],
            body: QueryEncoder.body(action: action, version: descriptor.apiVersion, parameters: pairs))
        do {
            let response = try await client.send(request, operation: AWSOperation(name: action))
            print(response.bodyText)
        } catch let error as AWSServiceError {
            printError(error.description)
            throw ExitCode(1)
        } catch let error as CredentialError {
            printError(error.description)
            throw ExitCode(3)
        } catch let error as HTTPTransportError where error.kind == .invalidRequest {
            printError("\(descriptor.name) \(action): \(error.detail). Pass --endpoint-url like http://127.0.0.1:5000.")
            throw ExitCode(3)
        } catch let error as HTTPTransportError {
            printError("\(descriptor.name) \(action) could not be sent to \(client.endpoint.url) (endpoint from \(client.endpoint.source)): \(error.detail)")
            throw ExitCode(3)
        }
    }

    private func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
