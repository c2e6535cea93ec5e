import AWSCore
import AWSFake
@testable import AutoScaling
@testable import CloudWatch
@testable import EC2
@testable import EFS
@testable import ELB
@testable import STS
import Foundation
import Testing

/// One response recorded from moto by `scripts/record-responses`.
struct Recording {
    var module: String
    var file: String
    var operation: String
    var status: Int
    var contentType: String
    var body: String
    /// The error code the recording was made to show, from its file name (`Op.error-Code.json`).
    var expectedError: String?

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Recorded")

    static func all() throws -> [Recording] {
        var result: [Recording] = []
        for module in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() {
            let moduleFolder = folder.appendingPathComponent(module)
            for file in try FileManager.default.contentsOfDirectory(atPath: moduleFolder.path).sorted() where file.hasSuffix(".json") {
                let object = try JSONSerialization.jsonObject(with: Data(contentsOf: moduleFolder.appendingPathComponent(file))) as! [String: Any]
                let expectedError = file.range(of: ".error-").map { String(file[$0.upperBound...].dropLast(".json".count)) }
                result.append(Recording(module: module, file: file, operation: object["operation"] as! String, status: object["status"] as! Int,
                                        contentType: object["content_type"] as? String ?? "", body: object["body"] as! String, expectedError: expectedError))
            }
        }
        return result
    }
}

/// Per module: the embedded model, the output types and the protocol.
struct ModuleUnderTest {
    var model: AWSServiceModel
    var outputTypes: [String: any AWSShape.Type]
    var descriptor: ServiceDescriptor

    static let all: [String: ModuleUnderTest] = [
        "EC2": .init(model: EC2Model.shared, outputTypes: EC2Client.outputTypes, descriptor: .ec2),
        "ELB": .init(model: ELBModel.shared, outputTypes: ELBClient.outputTypes, descriptor: .elb),
        "AutoScaling": .init(model: AutoScalingModel.shared, outputTypes: AutoScalingClient.outputTypes, descriptor: .autoScaling),
        "CloudWatch": .init(model: CloudWatchModel.shared, outputTypes: CloudWatchClient.outputTypes, descriptor: .cloudWatch),
        "EFS": .init(model: EFSModel.shared, outputTypes: EFSClient.outputTypes, descriptor: .efs),
        "STS": .init(model: STSModel.shared, outputTypes: STSClient.outputTypes, descriptor: .sts),
    ]

    /// The recording as the HTTP response it was; a REST error's code travels in its header.
    func response(_ recording: Recording) -> HTTPResponse {
        var headers: HTTPHeaders = ["Content-Type": recording.contentType]
        if descriptor.wireProtocol == .restJson1, let code = recording.expectedError { headers.add(name: "x-amzn-ErrorType", value: code) }
        return HTTPResponse(status: recording.status, headers: headers, body: Array(recording.body.utf8))
    }

    func decodeOutput(_ recording: Recording) throws -> AWSValue {
        try WireCodec(service: descriptor).decodeOutput(response(recording), operation: model.operation(recording.operation))
    }

    func decodeError(_ recording: Recording) -> ErrorDetails? {
        WireCodec(service: descriptor).decodeError(response(recording), operation: model.operation(recording.operation))
    }
}

@Suite("Recorded responses decode through the generated types")
struct RecordedResponseTests {
    @Test("every recording decodes, and the typed value carries every decoded field")
    func everyRecording() throws {
        let recordings = try Recording.all()
        var decoded = 0
        var errors = 0
        for recording in recordings {
            let module = try #require(ModuleUnderTest.all[recording.module], "\(recording.module)")
            let label = "\(recording.module)/\(recording.file)"
            if let expected = recording.expectedError {
                let details = module.decodeError(recording)
                #expect(details?.code == expected, "\(label): decoded \(String(describing: details))")
                #expect(details?.message?.isEmpty == false, "\(label): no message")
                errors += 1
                continue
            }
            let value = try module.decodeOutput(recording)
            if let type = module.outputTypes[recording.operation] {
                let typed = try type.init(awsValue: value)
                #expect(typed.awsValue == value, "\(label): the typed value lost or changed fields")
            }
            decoded += 1
        }
        print("recorded responses: \(decoded) outputs and \(errors) errors decoded across \(Set(recordings.map(\.module)).count) services")
        let modules = Set(ModuleUnderTest.all.keys)
        #expect(Set(recordings.filter { $0.expectedError != nil }.map(\.module)) == modules, "every service has a recorded error")
        #expect(Set(recordings.filter { $0.expectedError == nil }.map(\.module)) == modules, "every service has recorded outputs")
        #expect(decoded >= 80)
    }

    /// The recording for `operation` of `module` (the first of several).
    func recorded(_ module: String, _ operation: String, _ index: Int = 1) throws -> FakeTransport.Response {
        let file = "\(operation)\(index == 1 ? "" : ".\(index)").json"
        let recording = try #require(try Recording.all().first { $0.module == module && $0.file == file })
        return FakeTransport.Response(status: recording.status, headers: ["Content-Type": recording.contentType], body: Array(recording.body.utf8))
    }

    func configuration(_ fake: FakeTransport) -> AWSClient.Configuration {
        struct Static: CredentialProvider {
            let name = "static"
            func credentials() async throws -> AWSCredentials { AWSCredentials(accessKeyId: "AKIDTEST", secretAccessKey: "s") }
        }
        return AWSClient.Configuration(region: "us-east-1", credentials: Static(), transport: fake, clock: VirtualClock())
    }

    @Test("EC2: instances, images and launch templates read as typed values")
    func ec2() async throws {
        let fake = FakeTransport()
        fake.answer("ec2", "DescribeInstances", with: try recorded("EC2", "DescribeInstances"))
        fake.answer("ec2", "CreateImage", with: try recorded("EC2", "CreateImage"))
        fake.answer("ec2", "DescribeLaunchTemplateVersions", with: try recorded("EC2", "DescribeLaunchTemplateVersions"))
        let ec2 = EC2Client(configuration: configuration(fake))
        let described = try await ec2.describeInstances(DescribeInstancesRequest(instanceIds: ["i-any"]))
        let instance = try #require(described.reservations?.first?.instances?.first)
        #expect(instance.instanceId?.hasPrefix("i-") == true)
        #expect(instance.state?.name == .running)
        #expect(instance.instanceType == .t3Medium)
        #expect(instance.launchTime != nil)
        #expect(instance.tags?.contains(Tag(key: "Name", value: "magento-intermediate")) == true)
        #expect(fake.requests.last?.parameters["InstanceId.1"] == "i-any")
        let image = try await ec2.createImage(CreateImageRequest(instanceId: "i-any", name: "magento-prod"))
        #expect(image.imageId?.hasPrefix("ami-") == true)
        let versions = try await ec2.describeLaunchTemplateVersions(DescribeLaunchTemplateVersionsRequest(launchTemplateName: "magento"))
        #expect(versions.launchTemplateVersions?.count == 2)
    }

    @Test("ELB, Auto Scaling, CloudWatch, EFS and STS read as typed values")
    func others() async throws {
        let fake = FakeTransport()
        fake.answer("elasticloadbalancing", "DescribeInstanceHealth", with: try recorded("ELB", "DescribeInstanceHealth"))
        fake.answer("autoscaling", "DescribeAutoScalingGroups", with: try recorded("AutoScaling", "DescribeAutoScalingGroups"))
        fake.answer("monitoring", "DescribeAlarms", with: try recorded("CloudWatch", "DescribeAlarms"))
        fake.answer("sts", "AssumeRole", with: try recorded("STS", "AssumeRole"))
        fake.route(service: "elasticfilesystem", method: "GET", path: "/2015-02-01/file-systems", operation: "DescribeFileSystems")
        fake.answer("elasticfilesystem", "DescribeFileSystems", with: try recorded("EFS", "DescribeFileSystems"))
        let config = configuration(fake)

        let health = try await ELBClient(configuration: config).describeInstanceHealth(DescribeEndPointStateInput(loadBalancerName: "magento-elb"))
        #expect(health.instanceStates?.first?.state == "InService")

        let groups = try await AutoScalingClient(configuration: config).describeAutoScalingGroups(AutoScalingGroupNamesType(autoScalingGroupNames: ["magento-asg"]))
        let group = try #require(groups.autoScalingGroups?.first)
        #expect(group.autoScalingGroupName == "magento-asg" && group.desiredCapacity == 2 && group.loadBalancerNames == ["magento-elb"])
        #expect(group.instances?.allSatisfy { $0.lifecycleState == LifecycleState.inService } == true)

        let alarms = try await CloudWatchClient(configuration: config).describeAlarms(DescribeAlarmsInput(alarmNames: ["magento-high-cpu"]))
        let alarm = try #require(alarms.metricAlarms?.first)
        #expect(alarm.threshold == 70 && alarm.comparisonOperator == .greaterThanThreshold && alarm.dimensions?.first?.value == "magento-asg")

        let systems = try await EFSClient(configuration: config).describeFileSystems(DescribeFileSystemsRequest())
        let system = try #require(systems.fileSystems?.first)
        #expect(system.fileSystemId?.hasPrefix("fs-") == true && system.lifeCycleState == .available)
        #expect(system.tags?.contains(EFS.Tag(key: "Name", value: "magento-media")) == true)

        let role = try await STSClient(configuration: config).assumeRole(AssumeRoleRequest(roleArn: "arn:aws:iam::123456789012:role/deploy", roleSessionName: "rollout"))
        let credentials = try #require(role.credentials)
        #expect(credentials.accessKeyId?.hasPrefix("ASIA") == true && credentials.secretAccessKey?.isEmpty == false)
    }
}
