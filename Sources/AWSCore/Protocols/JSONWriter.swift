import Foundation

/// Writes ``AWSValue``s as JSON by their shapes: timestamps as epoch seconds, blobs as base64,
/// non-finite doubles as the strings `NaN`, `Infinity`, `-Infinity`.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []

    mutating func write(_ value: AWSValue, member: Member) throws {
        switch (member.shape.kind, value) {
        case (.structure, .structure(let fields)):
            try writeStructure(fields, shape: member.shape)
        case (.list, .list(let items)):
            bytes.append(0x5B)
            for (index, item) in items.enumerated() {
                if index > 0 { bytes.append(0x2C) }
                try write(item, member: member.shape.listMember!)
            }
            bytes.append(0x5D)
        case (.map, .map(let entries)):
            bytes.append(0x7B)
            for (index, entry) in entries.enumerated() {
                if index > 0 { bytes.append(0x2C) }
                writeString(entry.key)
                bytes.append(0x3A)
                try write(entry.value, member: member.shape.mapValue!)
            }
            bytes.append(0x7D)
        case (.string, .string(let text)):
            writeString(text)
        case (.boolean, .boolean(let flag)):
            bytes.append(contentsOf: (flag ? "true" : "false").utf8)
        case (.integer, .integer(let number)), (.long, .integer(let number)):
            bytes.append(contentsOf: String(number).utf8)
        case (.float, .double(let number)), (.double, .double(let number)):
            if number.isFinite {
                bytes.append(contentsOf: QueryEncoder.doubleText(number).utf8)
            } else {
                writeString(QueryEncoder.doubleText(number))
            }
        case (.float, .integer(let number)), (.double, .integer(let number)):
            bytes.append(contentsOf: String(number).utf8)
        case (.blob, .blob(let data)):
            writeString(Data(data).base64EncodedString())
        case (.timestamp, .timestamp(let date)):
            switch member.timestampFormat(default: .unixTimestamp) {
            case .unixTimestamp: bytes.append(contentsOf: Timestamps.epochSeconds(date).utf8)
            case .iso8601: writeString(Timestamps.iso8601(date))
            case .rfc822: writeString(Timestamps.httpDate(date))
            }
        default:
            throw AWSSerializationError(description: "\(member.name): a \(member.shape.kind.rawValue) cannot hold \(value)")
        }
    }

    /// Writes the members of `fields` that `include` admits (REST bodies leave out bound members).
    mutating func writeStructure(_ fields: [String: AWSValue], shape: Shape, include: (Member) -> Bool = { _ in true }) throws {
        bytes.append(0x7B)
        var first = true
        for member in shape.members where include(member) {
            guard let field = fields[member.name] else { continue }
            if !first { bytes.append(0x2C) }
            first = false
            writeString(member.wireName)
            bytes.append(0x3A)
            try write(field, member: member)
        }
        bytes.append(0x7D)
    }

    mutating func writeString(_ text: String) {
        bytes.append(0x22)
        for byte in text.utf8 {
            switch byte {
            case 0x22: bytes.append(contentsOf: [0x5C, 0x22])
            case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: bytes.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: bytes.append(contentsOf: [0x5C, 0x72])
            case 0x09: bytes.append(contentsOf: [0x5C, 0x74])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(0x22)
    }
}

/// Reads JSON (Foundation's parser) into ``AWSValue``s by their shapes; unknown fields are ignored.
struct JSONShapeReader {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func parse(_ bytes: [UInt8]) throws -> Any {
        do {
            return try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        } catch {
            throw Failure(description: "the body is not valid JSON (\(bytes.count) bytes)")
        }
    }

    static func value(_ json: Any, member: Member, path: String) throws -> AWSValue? {
        if json is NSNull { return nil }
        func bad() -> Failure { Failure(description: "\(path): unexpected \(type(of: json)) for a \(member.shape.kind.rawValue)") }
        switch member.shape.kind {
        case .structure:
            guard let object = json as? [String: Any] else { throw bad() }
            return .structure(try structure(object, shape: member.shape, path: path))
        case .list:
            guard let array = json as? [Any], let item = member.shape.listMember else { throw bad() }
            return .list(try array.compactMap { try value($0, member: item, path: path + "[]") })
        case .map:
            guard let object = json as? [String: Any], let valueMember = member.shape.mapValue else { throw bad() }
            return .map(try object.keys.sorted().compactMap { key in
                try value(object[key]!, member: valueMember, path: path + "." + key).map { AWSValue.MapEntry(key: key, value: $0) }
            })
        case .string:
            guard let text = json as? String else { throw bad() }
            return .string(text)
        case .boolean:
            guard let number = json as? NSNumber else { throw bad() }
            return .boolean(number.boolValue)
        case .integer, .long:
            guard let number = json as? NSNumber else { throw bad() }
            return .integer(number.int64Value)
        case .float, .double:
            if let text = json as? String {
                guard let number = QueryEncoder.specialDouble(text) else { throw bad() }
                return .double(number)
            }
            guard let number = json as? NSNumber else { throw bad() }
            return .double(number.doubleValue)
        case .blob:
            guard let text = json as? String, let data = Data(base64Encoded: text) else { throw bad() }
            return .blob(Array(data))
        case .timestamp:
            if let number = json as? NSNumber { return .timestamp(Date(timeIntervalSince1970: number.doubleValue)) }
            guard let text = json as? String, let date = Timestamps.parse(text) else { throw bad() }
            return .timestamp(date)
        }
    }

    static func structure(_ object: [String: Any], shape: Shape, path: String, include: (Member) -> Bool = { _ in true }) throws -> [String: AWSValue] {
        var fields: [String: AWSValue] = [:]
        for member in shape.members where include(member) {
            guard let raw = object[member.wireName] else { continue }
            if let decoded = try value(raw, member: member, path: path + "." + member.wireName) { fields[member.name] = decoded }
        }
        return fields
    }
}
