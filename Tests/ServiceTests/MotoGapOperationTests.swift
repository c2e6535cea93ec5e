import AWSCore
import AWSFake
import AutoScaling
import CloudWatch
import EFS
import Foundation
import Testing

/// Operations moto 5.2.1 cannot answer (HTTP 500 or not implemented), checked on the fake
/// transport instead: the request each one sends, and the typed reading of its answer.
@Suite("Operations moto cannot serve")
struct MotoGapOperationTests {
    @Test("CloudWatch DisableAlarmActions and EnableAlarmActions send the alarm names")
    func alarmActions() async throws {
        let fake = FakeTransport()
        fake.answer("monitoring", "DisableAlarmActions", with: .xml("<DisableAlarmActionsResponse><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DisableAlarmActionsResponse>"))
        fake.answer("monitoring", "EnableAlarmActions", with: .xml("<EnableAlarmActionsResponse><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></EnableAlarmActionsResponse>"))
        let cloudWatch = CloudWatchClient(configuration: fakeConfiguration(fake, clock: VirtualClock()))
        try await cloudWatch.disableAlarmActions(DisableAlarmActionsInput(alarmNames: ["magento-high-cpu", "magento-low-cpu"]))
        try await cloudWatch.enableAlarmActions(EnableAlarmActionsInput(alarmNames: ["magento-high-cpu"]))
        #expect(fake.requests.map(\.parameters) == [
            ["Action": "DisableAlarmActions", "Version": "2010-08-01", "AlarmNames.member.1": "magento-high-cpu", "AlarmNames.member.2": "magento-low-cpu"],
            ["Action": "EnableAlarmActions", "Version": "2010-08-01", "AlarmNames.member.1": "magento-high-cpu"],
        ])
    }

    @Test("EFS UpdateFileSystem puts JSON to the file system's path and reads the description")
    func updateFileSystem() async throws {
        let fake = FakeTransport()
        fake.route(service: "elasticfilesystem", method: "PUT", path: "/2015-02-01/file-systems/{FileSystemId}", operation: "UpdateFileSystem")
        fake.answer("elasticfilesystem", "UpdateFileSystem", with: .json(#"{"FileSystemId":"fs-1","ThroughputMode":"elastic","LifeCycleState":"updating","CreationTime":1800000000.5}"#, status: 202))
        let efs = EFSClient(configuration: fakeConfiguration(fake, clock: VirtualClock()))
        let updated = try await efs.updateFileSystem(UpdateFileSystemRequest(fileSystemId: "fs-1", throughputMode: .elastic))
        #expect(updated.throughputMode == .elastic && updated.lifeCycleState == .updating)
        #expect(updated.creationTime == Date(timeIntervalSince1970: 1_800_000_000.5))
        let sent = try #require(fake.requests.first?.request)
        #expect(sent.url.hasSuffix("/2015-02-01/file-systems/fs-1") && sent.method == "PUT")
        #expect(String(decoding: sent.body, as: UTF8.self) == #"{"ThroughputMode":"elastic"}"#)
    }

    @Test("Auto Scaling Instance Refresh: start, describe, cancel and roll back")
    func instanceRefresh() async throws {
        let fake = FakeTransport()
        fake.answer("autoscaling", "StartInstanceRefresh", with: .xml("<StartInstanceRefreshResponse><StartInstanceRefreshResult><InstanceRefreshId>ir-1</InstanceRefreshId></StartInstanceRefreshResult></StartInstanceRefreshResponse>"))
        fake.answer("autoscaling", "DescribeInstanceRefreshes", with: .xml("""
            <DescribeInstanceRefreshesResponse><DescribeInstanceRefreshesResult><InstanceRefreshes><member>
            <InstanceRefreshId>ir-1</InstanceRefreshId><AutoScalingGroupName>magento-asg</AutoScalingGroupName><Status>InProgress</Status>
            <PercentageComplete>50</PercentageComplete><InstancesToUpdate>1</InstancesToUpdate></member></InstanceRefreshes>
            </DescribeInstanceRefreshesResult></DescribeInstanceRefreshesResponse>
            """))
        fake.answer("autoscaling", "CancelInstanceRefresh", with: .xml("<CancelInstanceRefreshResponse><CancelInstanceRefreshResult><InstanceRefreshId>ir-1</InstanceRefreshId></CancelInstanceRefreshResult></CancelInstanceRefreshResponse>"))
        fake.answer("autoscaling", "RollbackInstanceRefresh", with: .xml("<RollbackInstanceRefreshResponse><RollbackInstanceRefreshResult><InstanceRefreshId>ir-1</InstanceRefreshId></RollbackInstanceRefreshResult></RollbackInstanceRefreshResponse>"))
        let asg = AutoScalingClient(configuration: fakeConfiguration(fake, clock: VirtualClock()))
        let started = try await asg.startInstanceRefresh(StartInstanceRefreshType(
            autoScalingGroupName: "magento-asg", preferences: RefreshPreferences(instanceWarmup: 300, minHealthyPercentage: 100)))
        #expect(started.instanceRefreshId == "ir-1")
        #expect(fake.requests.last?.parameters["Preferences.MinHealthyPercentage"] == "100")
        let refreshes = try await asg.describeInstanceRefreshes(DescribeInstanceRefreshesType(autoScalingGroupName: "magento-asg"))
        let refresh = try #require(refreshes.instanceRefreshes?.first)
        #expect(refresh.status == .inProgress && refresh.percentageComplete == 50)
        #expect(try await asg.cancelInstanceRefresh(CancelInstanceRefreshType(autoScalingGroupName: "magento-asg")).instanceRefreshId == "ir-1")
        #expect(try await asg.rollbackInstanceRefresh(RollbackInstanceRefreshType(autoScalingGroupName: "magento-asg")).instanceRefreshId == "ir-1")
    }
}
