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
    }
}
