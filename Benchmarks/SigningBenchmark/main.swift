import AWSCore
import Foundation

// Signs the same EC2 POST that scripts/bench-signing signs with botocore and prints the time per
// signature: the best of five rounds, which is the least disturbed by other work on the machine.
// Build in release: swift build -c release --product signing-benchmark
let iterations = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 200_000
let rounds = 5
let body = Array("Action=DescribeInstances&Version=2016-11-15&Filter.1.Name=tag%3Aaws%3Aautoscaling%3AgroupName&Filter.1.Value.1=magento-asg&MaxResults=1000".utf8)
let credentials = AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: "session-token-example")
let signer = SigV4Signer(region: "us-east-1", service: "ec2")
let date = Date()

/// The request as a caller of the public HTTPRequest API has it: the signer parses the URL.
let httpRequest = HTTPRequest(method: "POST", url: "https://ec2.us-east-1.amazonaws.com/",
                              headers: ["Content-Type": "application/x-www-form-urlencoded; charset=utf-8"], body: body)
/// The same request already split into parts, as the AWS client builds it.
let splitRequest = SigV4Signer.Request(method: "POST", path: "/", headers: [
    "Host": "ec2.us-east-1.amazonaws.com", "Content-Type": "application/x-www-form-urlencoded; charset=utf-8"], body: body)

/// The best time per call of `body`, in microseconds, over `rounds` rounds of `iterations` calls.
func best(_ body: () throws -> Int) rethrows -> (Double, Int) {
    var sink = 0
    for _ in 0..<(iterations / 10) { sink &+= try body() }   // warm up: key cache, allocator
    var bestNanos = Double.infinity
    let clock = ContinuousClock()
    for _ in 0..<rounds {
        let elapsed = try clock.measure { for _ in 0..<iterations { sink &+= try body() } }
        let nanos = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
        bestNanos = min(bestNanos, nanos / Double(iterations))
    }
    return (bestNanos / 1000, sink)
}

let (viaURL, check1) = try best {
    var request = httpRequest
    return try signer.signHeaders(&request, credentials: credentials, date: date).signature.utf8.count
}
let (viaParts, check2) = best {
    var request = splitRequest
    return signer.signHeaders(&request, credentials: credentials, date: date).signature.utf8.count
}
print(String(format: "swift SigV4Signer: %.2f µs per EC2 POST signature (best of %d x %d, check %d)", viaURL, rounds, iterations, check1 % 7))
print(String(format: "swift SigV4Signer (pre-split request): %.2f µs per signature (check %d)", viaParts, check2 % 7))
