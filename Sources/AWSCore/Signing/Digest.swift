import COpenSSL

/// SHA-256 and HMAC-SHA256 over libcrypto, with the algorithm fetched once.
public enum Digest {
    /// libcrypto's SHA-256 implementation, fetched on first use and kept for the process.
    // An immutable algorithm handle: libcrypto allows its use from any thread.
    nonisolated(unsafe) private static let sha256Method: OpaquePointer = {
        guard let method = cossl_fetch_sha256() else { fatalError("libcrypto has no SHA-256 implementation") }
        return method
    }()

    /// The SHA-256 digest (32 bytes) of `data`.
    public static func sha256(_ data: UnsafeRawBufferPointer) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 32) { output, count in
            _ = cossl_sha256(sha256Method, data.baseAddress, data.count, output.baseAddress)
            count = 32
        }
    }

    /// The SHA-256 digest (32 bytes) of `data`.
    public static func sha256(_ data: [UInt8]) -> [UInt8] {
        data.withUnsafeBytes { sha256($0) }
    }

    /// The SHA-256 digest (32 bytes) of the UTF-8 bytes of `text`.
    public static func sha256(_ text: String) -> [UInt8] {
        var text = text
        return text.withUTF8 { sha256(UnsafeRawBufferPointer($0)) }
    }

    /// HMAC-SHA256 (32 bytes) of `data` under `key`.
    public static func hmacSHA256(key: UnsafeRawBufferPointer, _ data: UnsafeRawBufferPointer) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 32) { output, count in
            // HMAC needs non-null pointers even for empty inputs.
            let empty = UnsafeRawPointer(bitPattern: 1)!
            _ = cossl_hmac_sha256(
                sha256Method, key.baseAddress ?? empty, key.count, data.baseAddress ?? empty, data.count,
                output.baseAddress)
            count = 32
        }
    }

    /// HMAC-SHA256 (32 bytes) of the UTF-8 bytes of `text` under `key`.
    public static func hmacSHA256(key: [UInt8], _ text: String) -> [UInt8] {
        var text = text
        return key.withUnsafeBytes { k in text.withUTF8 { hmacSHA256(key: k, UnsafeRawBufferPointer($0)) } }
    }

    /// Lower-case hexadecimal of `bytes`.
    public static func hex(_ bytes: [UInt8]) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { out in
            var i = 0
            for byte in bytes {
                out[i] = hexDigit(byte >> 4)
                out[i + 1] = hexDigit(byte & 0x0F)
                i += 2
            }
            return i
        }
    }

    @inline(__always)
    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? 0x30 + nibble : 0x57 + nibble
    }
}
