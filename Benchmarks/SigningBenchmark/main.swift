import AWSCore
import Foundation

// Signs the same EC2 POST that scripts/bench-signing signs with botocore, and prints the time per
// signature. Build in release: swift build -c release --product signing-benchmark
let iterations = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 200_000
let body = Array("Action=DescribeInstances&Version=2016-11-15&Filter.1.Name=tag%3Aaws%3Aautoscaling%3AgroupName&Filter.1.Value.1=magento-asg&MaxResults=1000".utf8)
let credentials = AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: "session-token-example")
let signer = SigV4Signer(region: "us-east-1", service: "ec2")
let template = HTTPRequest(method: "POST", url: "https://ec2.us-east-1.amazonaws.com/",
                           headers: ["Content-Type": "application/x-www-form-urlencoded; charset=utf-8"], body: body)
let date = Date()

func run(_ count: Int) throws -> Int {
    var total = 0
    for _ in 0..<count {
        var request = template
        let signature = try signer.signHeaders(&request, credentials: credentials, date: date)
        total &+= signature.signature.utf8.count
    }
    return total
}

_ = try run(iterations / 10)   // warm up: key cache, allocator
let clock = ContinuousClock()
var sink = 0
let elapsed = try clock.measure { sink = try run(iterations) }
let nanos = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
print(String(format: "swift SigV4Signer: %.2f µs per EC2 POST signature (%d iterations, check %d)", nanos / Double(iterations) / 1000, iterations, sink % 7))
