import AWSCore
import AWSFake
import EC2
import EFS
import ELB
import Foundation
import STS
import Synchronization
import Testing

func fakeConfiguration(_ fake: FakeTransport, clock: VirtualClock) -> AWSClient.Configuration {
    struct Static: CredentialProvider {
        let name = "static"
        func credentials() async throws -> AWSCredentials { AWSCredentials(accessKeyId: "AKIDTEST", secretAccessKey: "s") }
    }
    return AWSClient.Configuration(region: "us-east-1", credentials: Static(), transport: fake, clock: clock)
}

func instancesXML(_ states: [String]) -> FakeTransport.Response {
    let items = states.enumerated().map { "<item><instanceId>i-\($0.offset)</instanceId><instanceState><code>0</code><name>\($0.element)</name></instanceState></item>" }
    return .xml("<DescribeInstancesResponse><reservationSet><item><reservationId>r-1</reservationId><instancesSet>\(items.joined())</instancesSet></item></reservationSet></DescribeInstancesResponse>")
}

@Suite("Waiters and paginators on a virtual clock")
struct WaiterAndPaginatorTests {
    @Test("InstanceRunning polls through pending every 15 s until all are running, reporting progress")
    func instanceRunning() async throws {
        let fake = FakeTransport()
        fake.answer("ec2", "DescribeInstances", with: instancesXML(["pending", "pending"]), instancesXML(["pending", "running"]), instancesXML(["running", "running"]))
        let clock = VirtualClock()
        let seen = Mutex<[String]>([])
        try await EC2Client(configuration: fakeConfiguration(fake, clock: clock)).waitUntilInstanceRunning(
            DescribeInstancesRequest(instanceIds: ["i-0", "i-1"]), progress: { attempt, max, observed in seen.withLock { $0.append("\(attempt)/\(max) \(observed)") } })
        #expect(fake.calls("ec2", "DescribeInstances") == 3)
        #expect(clock.sleeps == [.seconds(15), .seconds(15)])
        let lines = seen.withLock { $0 }
        #expect(lines.count == 3 && lines[0].hasPrefix("1/40") && lines[2].contains("all Reservations[].Instances[].State.Name = \"running\""))
    }

    @Test("a failure state ends the wait at once; a not-yet-visible instance is retried")
    func failureAndRetry() async throws {
        let fake = FakeTransport()
        fake.answer("ec2", "DescribeInstances", with: .error("InvalidInstanceID.NotFound", message: "not yet", service: "ec2"), instancesXML(["pending", "terminated"]))
        let clock = VirtualClock()
        do {
            try await EC2Client(configuration: fakeConfiguration(fake, clock: clock)).waitUntilInstanceRunning(DescribeInstancesRequest(instanceIds: ["i-0"]))
            Issue.record("expected a failure state")
        } catch let failure as AWSWaiter.Failure {
            guard case .failureState(let what) = failure.reason else { Issue.record("\(failure)"); return }
            #expect(what.contains("terminated") && failure.attempts == 2)
        }
        #expect(clock.sleeps == [.seconds(15)])
    }

    @Test("the wait gives up after its attempts, having slept only virtually")
    func timeout() async throws {
        let fake = FakeTransport()
        fake.answer("ec2", "DescribeInstances", with: instancesXML(["pending"]))
        let clock = VirtualClock()
        await #expect {
            try await EC2Client(configuration: fakeConfiguration(fake, clock: clock)).waitUntilInstanceRunning(DescribeInstancesRequest(instanceIds: ["i-0"]))
        } throws: { error in
            guard let failure = error as? AWSWaiter.Failure, case .timedOut = failure.reason else { return false }
            return failure.attempts == 40
        }
        #expect(fake.calls("ec2", "DescribeInstances") == 40)
        #expect(clock.totalSlept == .seconds(15 * 39))
    }

    @Test("an error no acceptor expects stops the wait with that error")
    func unexpectedError() async throws {
        let fake = FakeTransport()
        fake.answer("elasticloadbalancing", "DescribeInstanceHealth", with: .error("AccessDenied", message: "no", status: 403, service: "elasticloadbalancing"))
        await #expect {
            try await ELBClient(configuration: fakeConfiguration(fake, clock: VirtualClock())).waitUntilInstanceInService(DescribeEndPointStateInput(loadBalancerName: "magento-elb"))
        } throws: { error in
            guard let failure = error as? AWSWaiter.Failure, case .unexpectedError(let inner) = failure.reason else { return false }
            return (inner as? AWSServiceError)?.code == "AccessDenied"
        }
    }

    @Test("the project's own EFS waiter follows the file system to available")
    func efsWaiter() async throws {
        let fake = FakeTransport()
        fake.route(service: "elasticfilesystem", method: "GET", path: "/2015-02-01/file-systems", operation: "DescribeFileSystems")
        func system(_ state: String) -> FakeTransport.Response {
            .json(#"{"FileSystems":[{"FileSystemId":"fs-1","LifeCycleState":"\#(state)","CreationTime":1800000000,"CreationToken":"t","OwnerId":"1","NumberOfMountTargets":0,"PerformanceMode":"generalPurpose","SizeInBytes":{"Value":0},"Tags":[]}]}"#)
        }
        fake.answer("elasticfilesystem", "DescribeFileSystems", with: system("creating"), system("available"))
        let clock = VirtualClock()
        try await EFSClient(configuration: fakeConfiguration(fake, clock: clock)).waitUntilFileSystemAvailable(DescribeFileSystemsRequest(fileSystemId: "fs-1"))
        #expect(clock.sleeps == [.seconds(5)])
        #expect(fake.requests.last?.request.url.hasSuffix("/2015-02-01/file-systems?FileSystemId=fs-1") == true)
    }

    @Test("a paginator follows NextToken and stops when it is absent or repeats")
    func paginator() async throws {
        let fake = FakeTransport()
        func page(_ ids: [String], next: String?) -> FakeTransport.Response {
            let items = ids.map { "<item><imageId>\($0)</imageId></item>" }.joined()
            return .xml("<DescribeImagesResponse><imagesSet>\(items)</imagesSet>\(next.map { "<nextToken>\($0)</nextToken>" } ?? "")</DescribeImagesResponse>")
        }
        fake.answer("ec2", "DescribeImages", with: page(["ami-1", "ami-2"], next: "t1"), page(["ami-3"], next: "t2"), page(["ami-4"], next: nil))
        let ec2 = EC2Client(configuration: fakeConfiguration(fake, clock: VirtualClock()))
        var ids: [String] = []
        for try await response in ec2.describeImagesPaginator(DescribeImagesRequest(owners: ["self"])) {
            ids += response.images?.compactMap(\.imageId) ?? []
        }
        #expect(ids == ["ami-1", "ami-2", "ami-3", "ami-4"])
        #expect(fake.requests.map { $0.parameters["NextToken"] } == [nil, "t1", "t2"])
        #expect(fake.requests.allSatisfy { $0.parameters["Owner.1"] == "self" })

        let looping = FakeTransport()
        looping.answer("ec2", "DescribeImages", with: page(["ami-1"], next: "same"))
        var pages = 0
        for try await _ in EC2Client(configuration: fakeConfiguration(looping, clock: VirtualClock())).describeImagesPaginator() { pages += 1 }
        #expect(pages == 2, "a repeated token ends the iteration")
    }

    @Test("web identity assumes the role with an unsigned call carrying the token")
    func webIdentity() async throws {
        let fake = FakeTransport()
        fake.answer("sts", "AssumeRoleWithWebIdentity", with: .xml("""
            <AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>
            <AccessKeyId>ASIAWEB</AccessKeyId><SecretAccessKey>web-secret</SecretAccessKey><SessionToken>web-token</SessionToken>
            <Expiration>2030-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>
            """))
        let folder = NSTemporaryDirectory() + "web-identity-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "eyJ.oidc.token\n".write(toFile: folder + "/token", atomically: true, encoding: .utf8)
        let environment = ["AWS_WEB_IDENTITY_TOKEN_FILE": folder + "/token", "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/ci",
                           "AWS_ROLE_SESSION_NAME": "ci-run", "HOME": folder, "AWS_EC2_METADATA_DISABLED": "true"]
        let chain = CredentialChain.defaultChain(environment: environment, transport: fake,
                                                 assumeRole: STSClient.assumeRoleHandler(region: "us-east-1", transport: fake, environment: environment))
        let credentials = try await chain.credentials()
        #expect(credentials.accessKeyId == "ASIAWEB" && credentials.sessionToken == "web-token")
        let sent = try #require(fake.requests.first)
        #expect(sent.request.headers["Authorization"] == nil)
        #expect(sent.parameters["WebIdentityToken"] == "eyJ.oidc.token" && sent.parameters["RoleSessionName"] == "ci-run")
        #expect(sent.request.url == "https://sts.us-east-1.amazonaws.com/")
    }
}
