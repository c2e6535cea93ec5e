import AWSCore
import Foundation
import TestSupport
import Testing

/// Our signer against a real server that checks signatures: moto with signature checking on.
@Suite("Signatures accepted by moto", .serialized,
       .enabled(if: MotoSigningServer.isAvailable, "needs ../shared/tools/moto-signing-server"))
struct MotoSignatureTests {
    static func send(_ moto: MotoSigningServer, service: String, method: String, path: String, body: String,
                     secret: String? = nil) async throws -> HTTPResponse {
        var request = HTTPRequest(method: method, url: moto.endpoint + path, body: Array(body.utf8))
        if !body.isEmpty { request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded; charset=utf-8") }
        let creds = AWSCredentials(accessKeyId: moto.accessKeyId, secretAccessKey: secret ?? moto.secretAccessKey)
        try SigV4Signer(region: "us-east-1", service: service).signHeaders(&request, credentials: creds, date: Date())
        return try await CurlTransport().send(request)
    }

    @Test("EC2, STS and EFS requests signed by us are accepted; a wrong secret is refused")
    func acceptedAndRefused() async throws {
        let moto = try MotoSigningServer()
        defer { moto.stop() }

        let ec2 = try await Self.send(moto, service: "ec2", method: "POST", path: "/", body: "Action=DescribeRegions&Version=2016-11-15")
        #expect(ec2.status == 200, "EC2: \(ec2.bodyText.prefix(300))")
        #expect(ec2.bodyText.contains("<regionName>us-east-1</regionName>"))

        let sts = try await Self.send(moto, service: "sts", method: "POST", path: "/", body: "Action=GetCallerIdentity&Version=2011-06-15")
        #expect(sts.status == 200, "STS: \(sts.bodyText.prefix(300))")
        #expect(sts.bodyText.contains("<Arn>arn:aws:iam::123456789012:user/tester</Arn>"))

        let efs = try await Self.send(moto, service: "elasticfilesystem", method: "GET", path: "/2015-02-01/file-systems?MaxItems=10", body: "")
        #expect(efs.status == 200, "EFS: \(efs.bodyText.prefix(300))")

        let wrongEC2 = try await Self.send(moto, service: "ec2", method: "POST", path: "/", body: "Action=DescribeRegions&Version=2016-11-15", secret: "wrong-secret")
        #expect(wrongEC2.status == 401)
        #expect(wrongEC2.bodyText.contains("AuthFailure"))
        let wrongSTS = try await Self.send(moto, service: "sts", method: "POST", path: "/", body: "Action=GetCallerIdentity&Version=2011-06-15", secret: "wrong-secret")
        #expect(wrongSTS.status == 403)
        #expect(wrongSTS.bodyText.contains("SignatureDoesNotMatch"))

        try await clientCalls(moto)
    }

    /// The whole client stack (protocol, signing, libcurl, decoding) for each protocol, with moto
    /// found through AWS_ENDPOINT_URL as a user would point at it.
    func clientCalls(_ moto: MotoSigningServer) async throws {
        let environment = ["AWS_ENDPOINT_URL": moto.endpoint, "AWS_ACCESS_KEY_ID": moto.accessKeyId,
                           "AWS_SECRET_ACCESS_KEY": moto.secretAccessKey, "AWS_REGION": "us-east-1",
                           "HOME": "/nonexistent", "AWS_EC2_METADATA_DISABLED": "true"]
        let configuration = try await AWSClient.Configuration.resolve(environment: environment, transport: CurlTransport())

        let ec2 = AWSClient(service: TestModels.ec2, configuration: configuration)
        #expect(ec2.endpoint.source == "AWS_ENDPOINT_URL")
        let regions = try await ec2.call(TestModels.describeRegions, input: .structure(["RegionNames": .list([.string("eu-west-1")])]))
        guard case .list(let items)? = regions["Regions"] else { Issue.record("no regions: \(regions)"); return }
        #expect(items.map { $0["RegionName"] } == [.string("eu-west-1")])

        let sts = AWSClient(service: TestModels.sts, configuration: configuration)
        let identity = try await sts.call(TestModels.getCallerIdentity, input: nil)
        #expect(identity["Arn"] == .string("arn:aws:iam::123456789012:user/tester"))

        let efs = AWSClient(service: TestModels.efs, configuration: configuration)
        let created = try await efs.call(TestModels.createFileSystem, input: .structure([
            "PerformanceMode": .string("generalPurpose"),
            "Tags": .list([.structure(["Key": .string("Name"), "Value": .string("magento-media")])])]))
        let id = try #require(created["FileSystemId"]?.stringValue)
        // CreationToken is an idempotency token: left out, it is filled with a fresh UUID.
        #expect(created["CreationToken"]?.stringValue.flatMap(UUID.init(uuidString:)) != nil)
        guard case .timestamp? = created["CreationTime"] else { Issue.record("CreationTime not decoded: \(created)"); return }
        let listed = try await efs.call(TestModels.describeFileSystems, input: .structure(["FileSystemId": .string(id)]))
        guard case .list(let systems)? = listed["FileSystems"] else { Issue.record("no file systems: \(listed)"); return }
        #expect(systems.first?["FileSystemId"] == .string(id))
        _ = try await efs.call(TestModels.deleteFileSystem, input: .structure(["FileSystemId": .string(id)]))
        await #expect {
            try await efs.call(TestModels.deleteFileSystem, input: .structure(["FileSystemId": .string(id)]))
        } throws: { error in
            (error as? AWSServiceError)?.code == "FileSystemNotFound" && (error as? AWSServiceError)?.status == 404
        }
    }
}
