/// One parsed AWS shared config or credentials file: sections of `key = value` settings.
///
/// The format is the AWS CLI's INI dialect: `[section]` headers, `#` or `;` comments, and
/// indented lines under a key with an empty value forming a sub-section (kept as `key.sub`).
public struct ConfigFile: Sendable, Equatable {
    /// The file's path, for messages.
    public var path: String
    /// Section name → settings; keys are lower-cased.
    public var sections: [String: [String: String]]

    /// Creates a file from already-parsed sections.
    public init(path: String, sections: [String: [String: String]]) {
        self.path = path
        self.sections = sections
    }

    /// Parses `text`; errors name `path`, the line and the problem.
    public init(path: String, text: String) throws(CredentialError) {
        self.path = path
        sections = [:]
        var current: String?
        var parentKey: String?
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            let trimmed = line.trimmingSpaces()
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }

            if trimmed.hasPrefix("[") {
                guard let close = trimmed.lastIndex(of: "]") else {
                    throw .malformedFile(path: path, line: lineNumber, problem: "the section header has no closing ']'")
                }
                let rest = trimmed[trimmed.index(after: close)...].trimmingSpaces()
                guard rest.isEmpty || rest.hasPrefix("#") || rest.hasPrefix(";") else {
                    throw .malformedFile(path: path, line: lineNumber, problem: "unexpected text after the section header")
                }
                let name = trimmed[trimmed.index(after: trimmed.startIndex)..<close].trimmingSpaces()
                guard !name.isEmpty else {
                    throw .malformedFile(path: path, line: lineNumber, problem: "the section name is empty")
                }
                current = String(name)
                parentKey = nil
                if sections[String(name)] == nil { sections[String(name)] = [:] }
                continue
            }

            guard let section = current else {
                throw .malformedFile(path: path, line: lineNumber, problem: "a setting appears before any [section] header")
            }
            let indented = line.first == " " || line.first == "\t"
            guard let equals = trimmed.firstIndex(of: "=") else {
                throw .malformedFile(path: path, line: lineNumber, problem: "expected 'name = value', found no '='")
            }
            let key = trimmed[..<equals].trimmingSpaces().lowercased()
            var value = trimmed[trimmed.index(after: equals)...].trimmingSpaces()
            if let comment = value.range(of: " #") ?? value.range(of: "\t#") ?? value.range(of: " ;") {
                value = value[..<comment.lowerBound].trimmingSpaces()
            }
            guard !key.isEmpty else {
                throw .malformedFile(path: path, line: lineNumber, problem: "the setting has no name before '='")
            }
            if indented, let parent = parentKey {
                sections[section]![parent + "." + key] = String(value)
                continue
            }
            sections[section]![key] = String(value)
            parentKey = value.isEmpty ? key : nil
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    func trimmingSpaces() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return Substring() }
        let last = lastIndex(where: { !isSpace($0) })!
        return Substring(self[first...last])
    }
}
