import AWSCore
import TestSupport
import Testing

@Suite("Shared config files")
struct ConfigFileTests {
    @Test("sections, comments and sub-sections parse")
    func parses() throws {
        let file = try ConfigFile(path: "/x/config", text: """
            # a comment
            [default]
            region = eu-west-1   # trailing comment
            output=json
            ; another comment
            [profile prod]
            role_arn = arn:aws:iam::123456789012:role/deploy
            s3 =
              max_concurrent_requests = 20
            source_profile = base
            """)
        #expect(file.sections["default"] == ["region": "eu-west-1", "output": "json"])
        #expect(file.sections["profile prod"]?["s3.max_concurrent_requests"] == "20")
        #expect(file.sections["profile prod"]?["source_profile"] == "base")
    }

    @Test("a malformed file names the file, the line and the problem",
          arguments: [
            ("key = value\n", 1, "before any [section]"),
            ("[default]\n\n[broken\n", 3, "no closing ']'"),
            ("[default]\nregion eu-west-1\n", 2, "no '='"),
            ("[default]\n = value\n", 2, "no name"),
            ("[]\n", 1, "name is empty"),
          ])
    func malformed(text: String, line: Int, problem: String) {
        #expect {
            try ConfigFile(path: "/home/u/.aws/config", text: text)
        } throws: { error in
            guard case let CredentialError.malformedFile(path, errorLine, message) = error else { return false }
            let description = "\(error)"
            return path == "/home/u/.aws/config" && errorLine == line && message.contains(problem)
                && description.contains("/home/u/.aws/config, line \(line)")
        }
    }

    @Test("config and credentials files merge, the credentials file winning")
    func merge() throws {
        let dir = try TemporaryDirectory()
        try dir.write("config", "[profile dev]\nregion = us-west-2\naws_access_key_id = FROMCONFIG\n[default]\nregion = eu-central-1\n")
        try dir.write("credentials", "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = secret-dev\n")
        let config = try SharedConfig.load(environment: ["HOME": dir.path, "AWS_CONFIG_FILE": dir.path + "/config",
                                                         "AWS_SHARED_CREDENTIALS_FILE": dir.path + "/credentials", "AWS_PROFILE": "dev"])
        let profile = try #require(try config.selectedProfile())
        #expect(profile["region"] == "us-west-2")
        #expect(profile["aws_access_key_id"] == "AKIDDEV")
        #expect(profile.source(of: "aws_access_key_id") == dir.path + "/credentials")
    }

    @Test("~/.aws is found through HOME")
    func home() throws {
        let dir = try TemporaryDirectory()
        try dir.write(".aws/config", "[default]\nregion = ap-south-1\n")
        let config = try SharedConfig.load(environment: ["HOME": dir.path])
        #expect(config.configPath == dir.path + "/.aws/config")
        #expect(try config.selectedProfile()?["region"] == "ap-south-1")
    }
}
