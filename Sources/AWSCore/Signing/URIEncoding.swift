/// Percent-encoding as SigV4 defines it: every byte but `A-Z a-z 0-9 - _ . ~` becomes `%XX`
/// (upper-case hex), with `/` kept in paths.
public enum URIEncoding {
    /// Encodes `text` for a query name or value (slashes encoded).
    public static func encodeQueryComponent(_ text: String) -> String {
        encode(text, keepSlash: false)
    }

    /// Encodes `path`, keeping its slashes.
    public static func encodePath(_ path: String) -> String {
        encode(path, keepSlash: true)
    }

    /// Decodes `%XX` escapes; malformed escapes are kept as they are. `+` stays `+`.
    public static func decode(_ text: String) -> String {
        guard text.utf8.contains(0x25) else { return text }
        var out = [UInt8]()
        out.reserveCapacity(text.utf8.count)
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x25, i + 2 < bytes.count, let hi = hexValue(bytes[i + 1]), let lo = hexValue(bytes[i + 2]) {
                out.append(hi << 4 | lo)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `text` percent-encoded to `out`.
    static func appendEncoded(_ text: String, keepSlash: Bool, to out: inout [UInt8]) {
        for byte in text.utf8 {
            if isUnreserved(byte) || (keepSlash && byte == 0x2F) {
                out.append(byte)
            } else {
                out.append(0x25)
                out.append(upperHex[Int(byte >> 4)])
                out.append(upperHex[Int(byte & 0x0F)])
            }
        }
    }

    static func encode(_ text: String, keepSlash: Bool) -> String {
        let utf8 = text.utf8
        if utf8.allSatisfy({ isUnreserved($0) || (keepSlash && $0 == 0x2F) }) { return text }
        var out = [UInt8]()
        out.reserveCapacity(utf8.count * 3)
        appendEncoded(text, keepSlash: keepSlash, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @inline(__always)
    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2D, 0x2E, 0x5F, 0x7E: return true
        default: return false
        }
    }

    private static let upperHex = Array("0123456789ABCDEF".utf8)

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte - 0x30
        case 0x41...0x46: return byte - 0x37
        case 0x61...0x66: return byte - 0x57
        default: return nil
        }
    }
}
