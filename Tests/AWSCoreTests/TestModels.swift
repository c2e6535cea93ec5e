import AWSCore
import Foundation

/// Small models in botocore's format for client tests, one operation per protocol.
enum TestModels {
    static let loader: ModelLoader = try! ModelLoader(shapeDefinitions: JSONSerialization.jsonObject(with: Data("""
        {
          "DescribeRegionsRequest": {"type": "structure", "members": {
            "RegionNames": {"shape": "RegionNameStringList", "locationName": "RegionName"}}},
          "RegionNameStringList": {"type": "list", "member": {"shape": "String", "locationName": "RegionName"}},
          "DescribeRegionsResult": {"type": "structure", "members": {
            "Regions": {"shape": "RegionList", "locationName": "regionInfo"}}},
          "RegionList": {"type": "list", "member": {"shape": "Region", "locationName": "item"}},
          "Region": {"type": "structure", "members": {
            "RegionName": {"shape": "String", "locationName": "regionName"},
            "Endpoint": {"shape": "String", "locationName": "regionEndpoint"}}},
          "GetCallerIdentityRequest": {"type": "structure", "members": {}},
          "GetCallerIdentityResponse": {"type": "structure", "members": {
            "UserId": {"shape": "String"}, "Account": {"shape": "String"}, "Arn": {"shape": "String"}}},
          "CreateFileSystemRequest": {"type": "structure", "required": ["CreationToken"], "members": {
            "CreationToken": {"shape": "String", "idempotencyToken": true},
            "PerformanceMode": {"shape": "String"},
            "Tags": {"shape": "Tags"}}},
          "Tags": {"type": "list", "member": {"shape": "Tag"}},
          "Tag": {"type": "structure", "members": {"Key": {"shape": "String"}, "Value": {"shape": "String"}}},
          "FileSystemDescription": {"type": "structure", "members": {
            "FileSystemId": {"shape": "String"}, "CreationToken": {"shape": "String"},
            "CreationTime": {"shape": "Timestamp"}, "LifeCycleState": {"shape": "String"},
            "NumberOfMountTargets": {"shape": "Integer"}}},
          "DescribeFileSystemsRequest": {"type": "structure", "members": {
            "MaxItems": {"shape": "Integer", "location": "querystring", "locationName": "MaxItems"},
            "FileSystemId": {"shape": "String", "location": "querystring", "locationName": "FileSystemId"}}},
          "DescribeFileSystemsResponse": {"type": "structure", "members": {
            "FileSystems": {"shape": "FileSystemDescriptions"}, "NextMarker": {"shape": "String"}}},
          "FileSystemDescriptions": {"type": "list", "member": {"shape": "FileSystemDescription"}},
          "DeleteFileSystemRequest": {"type": "structure", "members": {
            "FileSystemId": {"shape": "String", "location": "uri", "locationName": "FileSystemId"}}},
          "FileSystemNotFound": {"type": "structure", "members": {"ErrorCode": {"shape": "String"}, "Message": {"shape": "String"}},
            "exception": true},
          "String": {"type": "string"}, "Integer": {"type": "integer"}, "Timestamp": {"type": "timestamp"}
        }
        """.utf8)) as! [String: Any])

    static func operation(_ json: String) -> AWSOperation {
        try! loader.operation(JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any])
    }

    static let describeRegions = operation("""
        {"name": "DescribeRegions", "http": {"method": "POST", "requestUri": "/"},
         "input": {"shape": "DescribeRegionsRequest"}, "output": {"shape": "DescribeRegionsResult"}}
        """)
    static let getCallerIdentity = operation("""
        {"name": "GetCallerIdentity", "http": {"method": "POST", "requestUri": "/"},
         "input": {"shape": "GetCallerIdentityRequest"},
         "output": {"shape": "GetCallerIdentityResponse", "resultWrapper": "GetCallerIdentityResult"}}
        """)
    static let createFileSystem = operation("""
        {"name": "CreateFileSystem", "http": {"method": "POST", "requestUri": "/2015-02-01/file-systems", "responseCode": 201},
         "input": {"shape": "CreateFileSystemRequest"}, "output": {"shape": "FileSystemDescription"}}
        """)
    static let describeFileSystems = operation("""
        {"name": "DescribeFileSystems", "http": {"method": "GET", "requestUri": "/2015-02-01/file-systems"},
         "input": {"shape": "DescribeFileSystemsRequest"}, "output": {"shape": "DescribeFileSystemsResponse"}}
        """)
    static let deleteFileSystem = operation("""
        {"name": "DeleteFileSystem", "http": {"method": "DELETE", "requestUri": "/2015-02-01/file-systems/{FileSystemId}", "responseCode": 204},
         "input": {"shape": "DeleteFileSystemRequest"}, "errors": [{"shape": "FileSystemNotFound"}]}
        """)

    static let ec2 = ServiceDescriptor(name: "EC2", signingName: "ec2", endpointPrefix: "ec2", apiVersion: "2016-11-15", wireProtocol: .ec2Query)
    static let sts = ServiceDescriptor(name: "STS", signingName: "sts", endpointPrefix: "sts", apiVersion: "2011-06-15", wireProtocol: .awsQuery)
    static let efs = ServiceDescriptor(name: "EFS", signingName: "elasticfilesystem", endpointPrefix: "elasticfilesystem", apiVersion: "2015-02-01", wireProtocol: .restJson1)

    static let regionsXML = """
        <DescribeRegionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r-1</requestId>
        <regionInfo><item><regionName>eu-west-1</regionName><regionEndpoint>ec2.eu-west-1.amazonaws.com</regionEndpoint></item>
        <item><regionName>us-east-1</regionName><regionEndpoint>ec2.us-east-1.amazonaws.com</regionEndpoint></item></regionInfo>
        </DescribeRegionsResponse>
        """
}
