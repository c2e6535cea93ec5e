import Foundation

/// The AWS shared config (`~/.aws/config`) and credentials (`~/.aws/credentials`) files, and the
/// profile selected by `AWS_PROFILE`.
public struct SharedConfig: Sendable, Equatable {
    /// The config file's path (from `AWS_CONFIG_FILE` or `~/.aws/config`).
    public var configPath: String
    /// The credentials file's path (from `AWS_SHARED_CREDENTIALS_FILE` or `~/.aws/credentials`).
    public var credentialsPath: String
    /// The parsed config file, `nil` when it does not exist.
    public var configFile: ConfigFile?
    /// The parsed credentials file, `nil` when it does not exist.
    public var credentialsFile: ConfigFile?
    /// The selected profile: `AWS_PROFILE`, else `default`.
    public var profileName: String
    /// Whether the profile was chosen explicitly (then a missing profile is an error).
    public var profileIsExplicit: Bool

    /// Reads both files as `environment` locates them. Missing files are fine; malformed ones throw.
    public static func load(environment: [String: String]) throws(CredentialError) -> SharedConfig {
        let home = environment["HOME"] ?? NSHomeDirectory()
        func expand(_ path: String) -> String {
            path == "~" ? home : path.hasPrefix("~/") ? home + path.dropFirst(1) : path
        }
        let configPath = expand(environment["AWS_CONFIG_FILE"] ?? "~/.aws/config")
        let credentialsPath = expand(environment["AWS_SHARED_CREDENTIALS_FILE"] ?? "~/.aws/credentials")
        let explicit = environment["AWS_PROFILE"].map { !$0.isEmpty } ?? false
        return SharedConfig(
            configPath: configPath, credentialsPath: credentialsPath,
            configFile: try read(configPath), credentialsFile: try read(credentialsPath),
            profileName: explicit ? environment["AWS_PROFILE"]! : "default", profileIsExplicit: explicit)
    }

    private static func read(_ path: String) throws(CredentialError) -> ConfigFile? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .malformedFile(path: path, line: 0, problem: "the file cannot be read (check its permissions)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .malformedFile(path: path, line: 0, problem: "the file is not valid UTF-8")
        }
        return try ConfigFile(path: path, text: text)
    }

    /// The settings of profile `name`, merged from both files (the credentials file wins), or `nil`.
    public func profile(_ name: String) -> Profile? {
        let configSection = name == "default"
            ? (configFile?.sections["default"] ?? configFile?.sections["profile default"])
            : configFile?.sections["profile \(name)"]
        let credentialsSection = credentialsFile?.sections[name]
        if configSection == nil && credentialsSection == nil { return nil }
        var settings: [String: String] = [:]
        var sources: [String: String] = [:]
        for (key, value) in configSection ?? [:] {
            settings[key] = value
            sources[key] = configPath
        }
        for (key, value) in credentialsSection ?? [:] {
            settings[key] = value
            sources[key] = credentialsPath
        }
        return Profile(name: name, settings: settings, sources: sources)
    }

    /// The selected profile, or `nil` when it is `default` and absent.
    /// - Throws: ``CredentialError/profileNotFound(profile:searched:)`` when `AWS_PROFILE` names a missing profile.
    public func selectedProfile() throws(CredentialError) -> Profile? {
        if let profile = profile(profileName) { return profile }
        if profileIsExplicit {
            throw .profileNotFound(profile: profileName, searched: searchedDescription)
        }
        return nil
    }

    /// The two files, each marked when absent, for messages.
    var searchedDescription: [String] {
        [configPath + (configFile == nil ? " (absent)" : ""), credentialsPath + (credentialsFile == nil ? " (absent)" : "")]
    }
}

/// One profile's merged settings and where each came from.
public struct Profile: Sendable, Equatable {
    /// The profile's name.
    public var name: String
    /// Lower-cased setting name → value.
    public var settings: [String: String]
    /// Setting name → the file it came from.
    public var sources: [String: String]

    /// Creates a profile from its settings.
    public init(name: String, settings: [String: String], sources: [String: String] = [:]) {
        self.name = name
        self.settings = settings
        self.sources = sources
    }

    /// The value of setting `key`, `nil` when absent or empty.
    public subscript(key: String) -> String? {
        guard let value = settings[key], !value.isEmpty else { return nil }
        return value
    }

    /// The file a setting came from, for messages.
    public func source(of key: String) -> String { sources[key] ?? "no file" }
}
