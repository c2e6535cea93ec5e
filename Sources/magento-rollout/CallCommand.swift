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

            The response body is printed on standard output. The exit status is 0 for a 2xx \
            answer, 1 for an AWS error (the answer goes to standard error), 3 when credentials, \
            region or endpoint cannot be resolved.
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
        let transport = CurlTransport()

        let credentials: AWSCredentials
        let resolvedRegion: String
        do {
            credentials = try await CredentialChain.defaultChain(environment: environment, transport: transport, profile: profile).credentials()
            if let region {
                resolvedRegion = region
            } else if let found = try await RegionResolver.resolve(environment: environment, imds: InstanceMetadataClient(environment: environment, transport: transport)) {
                resolvedRegion = found.region
            } else {
                printError("No region is set. Pass --region, set AWS_REGION, or add 'region = ...' to your profile in ~/.aws/config.")
                throw ExitCode(3)
            }
        } catch let error as CredentialError {
            printError(error.description)
            throw ExitCode(3)
        }
        let endpoint = EndpointResolver.resolve(service: descriptor, region: resolvedRegion, override: endpointURL, environment: environment)

        var form = [("Action", action), ("Version", descriptor.apiVersion)]
        for parameter in parameters {
            let parts = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            form.append((String(parts[0]), String(parts[1])))
        }
        let body = form.map { "\(URIEncoding.encodeQueryComponent($0.0))=\(URIEncoding.encodeQueryComponent($0.1))" }.joined(separator: "&")
        var request = HTTPRequest(method: "POST", url: endpoint.url + "/",
                                  headers: ["Content-Type": "application/x-www-form-urlencoded; charset=utf-8"], body: Array(body.utf8))
        try SigV4Signer(region: resolvedRegion, service: descriptor.signingName).signHeaders(&request, credentials: credentials, date: Date())

        let response: HTTPResponse
        do {
            response = try await transport.send(request)
        } catch let error as HTTPTransportError {
            printError("\(descriptor.name) \(action) could not be sent to \(endpoint.url) (endpoint from \(endpoint.source)): \(error.detail)")
            throw ExitCode(3)
        }
        if (200..<300).contains(response.status) {
            print(response.bodyText)
        } else {
            printError("\(descriptor.name) \(action) failed with HTTP \(response.status) from \(endpoint.url):\n\(response.bodyText)")
            throw ExitCode(1)
        }
    }

    private func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
