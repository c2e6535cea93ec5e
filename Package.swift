// swift-tools-version:6.0
import PackageDescription

/// Service modules share one shape: they depend on the core only.
let services = ["EC2", "ELB", "AutoScaling", "CloudWatch", "EFS", "STS"]

let package = Package(
    name: "magento-rollout",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "AWSCore", targets: ["AWSCore"]),
        .library(name: "EC2", targets: ["EC2"]),
        .library(name: "ELB", targets: ["ELB"]),
        .library(name: "AutoScaling", targets: ["AutoScaling"]),
        .library(name: "CloudWatch", targets: ["CloudWatch"]),
        .library(name: "EFS", targets: ["EFS"]),
        .library(name: "STS", targets: ["STS"]),
        .library(name: "AWSFake", targets: ["AWSFake"]),
        .executable(name: "magento-rollout", targets: ["magento-rollout"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    ],
    targets: [
        // System libraries, found through pkg-config. Each header carries the small typed
        // shims Swift needs (curl's variadic setopt/getinfo, SHA-256/HMAC, zlib's init macros).
        .systemLibrary(
            name: "CCurl", pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(
            name: "COpenSSL", pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]),
        .systemLibrary(
            name: "CLibXML2", pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(
            name: "CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]),

        .target(
            name: "AWSCore",
            dependencies: [
                "CCurl", "COpenSSL", "CLibXML2", "CZlib",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .executableTarget(
            name: "magento-rollout",
            dependencies: [
                "AWSCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ] + services.map { .target(name: $0) }),

        // The fake AWS for offline tests (ours and users'): recorded answers, faults, virtual time.
        .target(name: "AWSFake", dependencies: ["AWSCore"]),

        // The service code generator (see Docs/Codegen.md) and its command.
        .target(name: "AWSCodeGenerator", dependencies: ["AWSCore"]),
        .executableTarget(name: "aws-codegen", dependencies: ["AWSCodeGenerator"]),

        // Signing speed, compared with botocore by scripts/bench-signing.
        .executableTarget(name: "signing-benchmark", dependencies: ["AWSCore"], path: "Benchmarks/SigningBenchmark"),

        // Shared by the test targets: a loopback HTTP server and helpers that start
        // moto and locate ../shared/testdata.
        .target(name: "TestSupport", dependencies: ["AWSCore"], path: "Tests/Support"),
        .testTarget(name: "AWSCoreTests", dependencies: ["AWSCore", "AWSFake", "TestSupport"]),
        .testTarget(name: "AWSFakeTests", dependencies: ["AWSFake", "AWSCore"]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport"]),
        .testTarget(name: "CodegenTests", dependencies: ["AWSCodeGenerator"]),
        .testTarget(name: "ServiceTests", dependencies: ["AWSFake", "TestSupport"] + services.map { .target(name: $0) },
                    exclude: ["Recorded"]),
    ] + services.map { .target(name: $0, dependencies: ["AWSCore"]) },
    swiftLanguageModes: [.v6]
)
