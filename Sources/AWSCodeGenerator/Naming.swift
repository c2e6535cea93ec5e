/// Swift names for model names.
enum Naming {
    static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout", "internal",
        "let", "open", "operator", "private", "protocol", "public", "rethrows", "static", "struct", "subscript", "typealias",
        "var", "break", "case", "continue", "default", "defer", "do", "else", "fallthrough", "for", "guard", "if", "in",
        "repeat", "return", "switch", "where", "while", "as", "Any", "catch", "false", "is", "nil", "super", "self", "Self",
        "throw", "throws", "true", "try", "Type", "some", "any",
    ]

    /// Type names that would hide the Swift and core types generated code uses.
    static let reservedTypes: Set<String> = [
        "String", "Int", "Double", "Bool", "Date", "Data", "Array", "Dictionary", "Set", "Error", "Result", "Optional",
        "Sendable", "Equatable", "Hashable", "AWSValue", "AWSShape", "AWSClient", "AWSOperation", "Type", "Protocol",
    ]

    /// A type name for a shape.
    static func type(_ shape: String) -> String {
        let cleaned = String(shape.filter { $0.isLetter || $0.isNumber || $0 == "_" })
        let base = cleaned.first.map { $0.isNumber ? "_" + cleaned : cleaned } ?? "_"
        let upper = base.prefix(1).uppercased() + base.dropFirst()
        return reservedTypes.contains(upper) ? upper + "Shape" : upper
    }

    /// `InstanceId` → `instanceId`, `IPv6Address` → `ipv6Address`, `VPCId` → `vpcId`.
    static func lowerCamel(_ name: String) -> String {
        let characters = Array(name.filter { $0.isLetter || $0.isNumber || $0 == "_" })
        guard !characters.isEmpty else { return "_" }
        var run = 0
        while run < characters.count, characters[run].isUppercase { run += 1 }
        var result: String
        if run == 0 {
            result = String(characters)
        } else if run == characters.count {
            result = String(characters).lowercased()
        } else if run == 1 {
            result = characters[0].lowercased() + String(characters[1...])
        } else if characters[run].isLowercase {
            // "VPCId": the run's last capital starts the next word.
            result = String(characters[0..<(run - 1)]).lowercased() + String(characters[(run - 1)...])
        } else {
            result = String(characters[0..<run]).lowercased() + String(characters[run...])
        }
        if result.first!.isNumber { result = "_" + result }
        return result
    }

    /// A property name: lower camel case, escaped when it is a keyword.
    static func property(_ name: String) -> String {
        escape(lowerCamel(name))
    }

    static func escape(_ identifier: String) -> String {
        keywords.contains(identifier) ? "`\(identifier)`" : identifier
    }

    /// An enum constant for a raw value: `shutting-down` → `shuttingDown`, `t2.micro` → `t2Micro`.
    static func enumCase(_ value: String) -> String {
        let words = value.split { !($0.isLetter || $0.isNumber) }.map(String.init)
        guard let first = words.first else { return "_empty" }
        var result = lowerCamel(first)
        for word in words.dropFirst() {
            result += word.prefix(1).uppercased() + word.dropFirst()
        }
        if result.first!.isNumber { result = "_" + result }
        return escape(result)
    }

    /// A Swift string literal for `text`.
    static func literal(_ text: String) -> String {
        var out = "\""
        for character in text {
            switch character {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out + "\""
    }
}
