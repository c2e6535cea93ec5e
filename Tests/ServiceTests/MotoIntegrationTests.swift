import AWSCore
import AutoScaling
import CloudWatch
import EC2
import EFS
import ELB
import STS
import Foundation
import TestSupport
import Testing

/// Realistic sequences per service through the generated clients, against moto with signature
/// checking on (`../shared/tools/moto-signing-server`), so every request is also a signing check.
/// Values avoid spaces: moto re-encodes form values with `+` before checking, so it would refuse them.
@Suite("Generated clients against moto (signature checking on)", .serialized,
       .enabled(if: MotoSigningServer.isAvailable, "needs ../shared/tools/moto-signing-server"))
struct MotoIntegrationTests {
    @Test("EC2, ELB, Auto Scaling, CloudWatch, EFS and STS sequences")
    func sequences() async throws {
        let moto = try MotoSigningServer()
        defer { moto.stop() }
        let dir = try TemporaryDirectory()
        // A role profile whose source is the moto user: the chain assumes it through STS.
        try dir.write("credentials", "[moto]\naws_access_key_id = \(moto.accessKeyId)\naws_secret_access_key = \(moto.secretAccessKey)\n")
        try dir.write("config", "[profile deploy]\nrole_arn = arn:aws:iam::123456789012:role/deploy\nsource_profile = moto\nrole_session_name = rollout-test\n")
        let environment = ["AWS_ENDPOINT_URL": moto.endpoint, "AWS_ACCESS_KEY_ID": moto.accessKeyId, "AWS_SECRET_ACCESS_KEY": moto.secretAccessKey,
                           "AWS_REGION": "us-east-1", "HOME": dir.path, "AWS_CONFIG_FILE": dir.path + "/config",
                           "AWS_SHARED_CREDENTIALS_FILE": dir.path + "/credentials", "AWS_EC2_METADATA_DISABLED": "true"]
        let transport = CurlTransport()
        let configuration = try await AWSClient.Configuration.resolve(environment: environment, transport: transport)

        let (instanceIds, ami, subnet, group) = try await ec2Sequence(EC2Client(configuration: configuration))
        try await elbSequence(ELBClient(configuration: configuration), instance: instanceIds[0])
        let policyARN = try await autoScalingSequence(AutoScalingClient(configuration: configuration), ami: ami, subnet: subnet)
        try await cloudWatchSequence(CloudWatchClient(configuration: configuration), policyARN: policyARN)
        try await efsSequence(EFSClient(configuration: configuration), subnet: subnet, group: group)
        try await stsSequence(STSClient(configuration: configuration), environment: environment, transport: transport)
        _ = try await EC2Client(configuration: configuration).terminateInstances(TerminateInstancesRequest(instanceIds: instanceIds))
    }

    func ec2Sequence(_ ec2: EC2Client) async throws -> (instances: [String], ami: String, subnet: String, group: String) {
        let vpc = try #require(try await ec2.describeVpcs().vpcs?.first?.vpcId)
        let subnet = try #require(try await ec2.describeSubnets(DescribeSubnetsRequest(filters: [Filter(name: "vpc-id", values: [vpc])])).subnets?.first?.subnetId)
        let group = try #require(try await ec2.createSecurityGroup(CreateSecurityGroupRequest(description: "magento-web-servers", groupName: "magento-web", vpcId: vpc)).groupId)
        _ = try await ec2.authorizeSecurityGroupIngress(AuthorizeSecurityGroupIngressRequest(
            groupId: group, ipPermissions: [IpPermission(fromPort: 80, ipProtocol: "tcp", ipRanges: [IpRange(cidrIp: "0.0.0.0/0")], toPort: 80)]))
        let images = try await ec2.describeImages(DescribeImagesRequest(owners: ["amazon"]))
        let ami = try #require(images.images?.first?.imageId)

        // 60 reservations of 20: 1,200 instances, described in pages of 25 reservations.
        var launched: [String] = []
        for _ in 0..<60 {
            let reservation = try await ec2.runInstances(RunInstancesRequest(
                maxCount: 20, minCount: 20, imageId: ami, instanceType: .t3Medium, securityGroupIds: [group], subnetId: subnet,
                tagSpecifications: [TagSpecification(resourceType: .instance, tags: [Tag(key: "fleet", value: "magento")])]))
            launched += reservation.instances?.compactMap(\.instanceId) ?? []
        }
        #expect(launched.count == 1200)
        var pages = 0
        var seen: Set<String> = []
        for try await page in ec2.describeInstancesPaginator(DescribeInstancesRequest(filters: [Filter(name: "tag:fleet", values: ["magento"])], maxResults: 25)) {
            pages += 1
            for reservation in page.reservations ?? [] { for instance in reservation.instances ?? [] { seen.insert(instance.instanceId ?? "") } }
        }
        #expect(pages == 3, "pages: \(pages)")
        #expect(seen == Set(launched))
        print("EC2: described \(seen.count) instances in \(pages) pages")

        try await ec2.waitUntilInstanceRunning(DescribeInstancesRequest(instanceIds: Array(launched.prefix(5))))
        let image = try #require(try await ec2.createImage(CreateImageRequest(instanceId: launched[0], name: "magento-prod-1")).imageId)
        try await ec2.waitUntilImageAvailable(DescribeImagesRequest(imageIds: [image]))
        _ = try await ec2.createTags(CreateTagsRequest(resources: [image], tags: [Tag(key: "release", value: "1")]))
        let tags = try await ec2.describeTags(DescribeTagsRequest(filters: [Filter(name: "resource-id", values: [image])]))
        #expect(tags.tags?.contains { $0.key == "release" && $0.value == "1" } == true)
        let terminated = try await ec2.terminateInstances(TerminateInstancesRequest(instanceIds: Array(launched.dropFirst(2))))
        #expect(terminated.terminatingInstances?.count == 1198)
        do {
            _ = try await ec2.describeInstances(DescribeInstancesRequest(instanceIds: ["i-0123456789abcdef0"]))
            Issue.record("expected InvalidInstanceID.NotFound")
        } catch let error as AWSServiceError {
            #expect(error.code == "InvalidInstanceID.NotFound")
        }
        return (Array(launched.prefix(2)), image, subnet, group)
    }

    func elbSequence(_ elb: ELBClient, instance: String) async throws {
        _ = try await elb.createLoadBalancer(CreateAccessPointInput(
            listeners: [Listener(instancePort: 80, instanceProtocol: "HTTP", loadBalancerPort: 80, protocol: "HTTP")],
            loadBalancerName: "magento-elb", availabilityZones: ["us-east-1a"]))
        let check = try await elb.configureHealthCheck(ConfigureHealthCheckInput(
            healthCheck: HealthCheck(healthyThreshold: 3, interval: 10, target: "HTTP:80/health_check.php", timeout: 5, unhealthyThreshold: 2),
            loadBalancerName: "magento-elb"))
        #expect(check.healthCheck?.target == "HTTP:80/health_check.php")
        _ = try await elb.registerInstancesWithLoadBalancer(RegisterEndPointsInput(instances: [ELB.Instance(instanceId: instance)], loadBalancerName: "magento-elb"))
        try await elb.waitUntilInstanceInService(DescribeEndPointStateInput(loadBalancerName: "magento-elb"))
        let health = try await elb.describeInstanceHealth(DescribeEndPointStateInput(loadBalancerName: "magento-elb"))
        #expect(health.instanceStates?.map(\.instanceId) == [instance])
        _ = try await elb.deregisterInstancesFromLoadBalancer(DeregisterEndPointsInput(instances: [ELB.Instance(instanceId: instance)], loadBalancerName: "magento-elb"))
        let after = try await elb.describeInstanceHealth(DescribeEndPointStateInput(loadBalancerName: "magento-elb"))
        #expect(after.instanceStates?.isEmpty ?? true)
        do {
            _ = try await elb.describeLoadBalancers(DescribeAccessPointsInput(loadBalancerNames: ["no-such-elb"]))
            Issue.record("expected LoadBalancerNotFound")
        } catch let error as AWSServiceError {
            #expect(error.matches(ELBErrorCode.accessPointNotFoundException))
        }
    }

    func autoScalingSequence(_ asg: AutoScalingClient, ami: String, subnet: String) async throws -> String {
        try await asg.createLaunchConfiguration(CreateLaunchConfigurationType(launchConfigurationName: "magento-lc-1", imageId: ami, instanceType: "t3.medium"))
        try await asg.createAutoScalingGroup(CreateAutoScalingGroupType(
            autoScalingGroupName: "magento-asg", maxSize: 4, minSize: 1, desiredCapacity: 2, launchConfigurationName: "magento-lc-1",
            loadBalancerNames: ["magento-elb"], vpcZoneIdentifier: subnet))
        try await asg.waitUntilGroupInService(AutoScalingGroupNamesType(autoScalingGroupNames: ["magento-asg"]))
        _ = try await asg.putScalingPolicy(PutScalingPolicyType(
            autoScalingGroupName: "magento-asg", policyName: "scale-up", adjustmentType: "ChangeInCapacity", cooldown: 300,
            policyType: "SimpleScaling", scalingAdjustment: 1))
        // moto returns no PolicyARN from PutScalingPolicy; DescribePolicies has it.
        let policies = try await asg.describePolicies(DescribePoliciesType(autoScalingGroupName: "magento-asg"))
        let arn = try #require(policies.scalingPolicies?.first?.policyARN)
        try await asg.createOrUpdateTags(CreateOrUpdateTagsType(tags: [AutoScaling.Tag(
            key: "release", propagateAtLaunch: true, resourceId: "magento-asg", resourceType: "auto-scaling-group", value: "1")]))
        let tags = try await asg.describeTags(DescribeTagsType(filters: [AutoScaling.Filter(name: "auto-scaling-group", values: ["magento-asg"])]))
        #expect(tags.tags?.contains { $0.key == "release" } == true)
        let group = try #require(try await asg.describeAutoScalingGroups(AutoScalingGroupNamesType(autoScalingGroupNames: ["magento-asg"])).autoScalingGroups?.first)
        let member = try #require(group.instances?.first?.instanceId)
        _ = try await asg.terminateInstanceInAutoScalingGroup(TerminateInstanceInAutoScalingGroupType(instanceId: member, shouldDecrementDesiredCapacity: false))
        try await asg.deleteAutoScalingGroup(DeleteAutoScalingGroupType(autoScalingGroupName: "magento-asg", forceDelete: true))
        try await asg.waitUntilGroupNotExists(AutoScalingGroupNamesType(autoScalingGroupNames: ["magento-asg"]))
        try await asg.deleteLaunchConfiguration(LaunchConfigurationNameType(launchConfigurationName: "magento-lc-1"))
        return arn
    }

    func cloudWatchSequence(_ cloudWatch: CloudWatchClient, policyARN: String) async throws {
        try await cloudWatch.putMetricAlarm(PutMetricAlarmInput(
            alarmName: "magento-high-cpu", alarmActions: [policyARN], comparisonOperator: .greaterThanThreshold,
            dimensions: [Dimension(name: "AutoScalingGroupName", value: "magento-asg")], evaluationPeriods: 2,
            metricName: "CPUUtilization", namespace: "AWS/EC2", period: 300, statistic: .average, threshold: 70))
        try await cloudWatch.waitUntilAlarmExists(DescribeAlarmsInput(alarmNames: ["magento-high-cpu"]))
        try await cloudWatch.setAlarmState(SetAlarmStateInput(alarmName: "magento-high-cpu", stateReason: "load-test", stateValue: .alarm))
        let alarm = try #require(try await cloudWatch.describeAlarms(DescribeAlarmsInput(alarmNames: ["magento-high-cpu"])).metricAlarms?.first)
        #expect(alarm.stateValue == .alarm && alarm.alarmActions == [policyARN])
        try await cloudWatch.deleteAlarms(DeleteAlarmsInput(alarmNames: ["magento-high-cpu"]))
        #expect(try await cloudWatch.describeAlarms(DescribeAlarmsInput(alarmNames: ["magento-high-cpu"])).metricAlarms?.isEmpty ?? true)

        let now = Date()
        try await cloudWatch.putMetricData(PutMetricDataInput(namespace: "Magento", metricData: [
            MetricDatum(metricName: "Orders", timestamp: now, unit: .count, value: 3)]))
        let statistics = try await cloudWatch.getMetricStatistics(GetMetricStatisticsInput(
            endTime: now.addingTimeInterval(600), metricName: "Orders", namespace: "Magento", period: 60,
            startTime: now.addingTimeInterval(-600), statistics: [.sum]))
        #expect(statistics.datapoints?.first?.sum == 3)
        let data = try await cloudWatch.getMetricData(GetMetricDataInput(
            endTime: now.addingTimeInterval(600),
            metricDataQueries: [MetricDataQuery(id: "orders", metricStat: MetricStat(metric: Metric(metricName: "Orders", namespace: "Magento"), period: 60, stat: "Sum"))],
            startTime: now.addingTimeInterval(-600)))
        #expect(data.metricDataResults?.first?.values == [3])
    }

    func efsSequence(_ efs: EFSClient, subnet: String, group: String) async throws {
        let created = try await efs.createFileSystem(CreateFileSystemRequest(performanceMode: .generalPurpose, tags: [EFS.Tag(key: "Name", value: "magento-media")]))
        let id = try #require(created.fileSystemId)
        try await efs.waitUntilFileSystemAvailable(DescribeFileSystemsRequest(fileSystemId: id))
        let target = try await efs.createMountTarget(CreateMountTargetRequest(fileSystemId: id, subnetId: subnet, securityGroups: [group]))
        let targetId = try #require(target.mountTargetId)
        try await efs.waitUntilMountTargetAvailable(DescribeMountTargetsRequest(fileSystemId: id))
        let groups = try await efs.describeMountTargetSecurityGroups(DescribeMountTargetSecurityGroupsRequest(mountTargetId: targetId))
        #expect(groups.securityGroups == [group])
        try await efs.deleteMountTarget(DeleteMountTargetRequest(mountTargetId: targetId))
        try await efs.deleteFileSystem(DeleteFileSystemRequest(fileSystemId: id))
        do {
            _ = try await efs.describeFileSystems(DescribeFileSystemsRequest(fileSystemId: id))
            Issue.record("expected FileSystemNotFound")
        } catch let error as AWSServiceError {
            #expect(error.matches(EFSErrorCode.fileSystemNotFound) && error.status == 404)
        }
    }

    func stsSequence(_ sts: STSClient, environment: [String: String], transport: HTTPTransport) async throws {
        let identity = try await sts.getCallerIdentity()
        #expect(identity.arn == "arn:aws:iam::123456789012:user/tester")
        // The chain, with profile 'deploy', assumes its role through STS.
        let chain = CredentialChain.defaultChain(environment: environment, transport: transport, profile: "deploy",
                                                 assumeRole: STSClient.assumeRoleHandler(region: "us-east-1", transport: transport, environment: environment))
        let assumed = try await chain.credentials()
        #expect(assumed.accessKeyId.hasPrefix("ASIA") && assumed.sessionToken != nil && assumed.expiration != nil)
    }
}
