import Foundation

/// Finds a service's endpoint URL: an explicit override, `AWS_ENDPOINT_URL_<SERVICE>`,
/// `AWS_ENDPOINT_URL`, or the regional endpoint of the region's partition.
public enum EndpointResolver {
    /// Where the endpoint came from, for messages.
    public struct Resolved: Sendable, Equatable {
        /// The base URL, without a trailing slash.
        public var url: String
        /// Its source, for example `AWS_ENDPOINT_URL_EC2`.
        public var source: String
    }

    /// The DNS suffix of the partition `region` belongs to (aws, aws-cn or aws-us-gov).
    public static func dnsSuffix(region: String) -> String {
        region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
    }

    /// The environment variable that overrides `service`'s endpoint: `AWS_ENDPOINT_URL_` and the
    /// service id upper-cased with spaces as underscores (`Auto Scaling` → `AWS_ENDPOINT_URL_AUTO_SCALING`).
    public static func environmentVariable(for service: ServiceDescriptor) -> String {
        "AWS_ENDPOINT_URL_" + service.name.uppercased().replacingOccurrences(of: " ", with: "_").replacingOccurrences(of: "-", with: "_")
    }

    /// Resolves `service`'s endpoint in `region`.
    public static func resolve(service: ServiceDescriptor, region: String, override: String? = nil,
                               environment: [String: String]) -> Resolved {
        func trimmed(_ url: String) -> String {
            var url = url
            while url.hasSuffix("/") { url.removeLast() }
            return url
        }
        if let override, !override.isEmpty { return Resolved(url: trimmed(override), source: "explicit endpoint") }
        let variable = environmentVariable(for: service)
        if let url = environment[variable], !url.isEmpty { return Resolved(url: trimmed(url), source: variable) }
        if let url = environment["AWS_ENDPOINT_URL"], !url.isEmpty { return Resolved(url: trimmed(url), source: "AWS_ENDPOINT_URL") }
        return Resolved(url: "https://\(service.endpointPrefix).\(region).\(dnsSuffix(region: region))", source: "region \(region)")
    }
}
