import COpenSSL

/// SHA-256 and HMAC-SHA256 over libcrypto's SHA-256 block functions.
public enum Digest {
    /// The SHA-256 digest (32 bytes) of `data`.
    public static func sha256(_ data: UnsafeRawBufferPointer) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 32) { output, count in
            cossl_sha256(data.baseAddress, data.count, output.baseAddress)
            count = 32
        }
    }

    /// HMAC-SHA256 (32 bytes) of `data` under `key`.
    public static func hmacSHA256(key: UnsafeRawBufferPointer, _ data: UnsafeRawBufferPointer) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 32) { output, count in
            cossl_hmac_sha256(key.baseAddress, key.count, data.baseAddress, data.count, output.baseAddress)
            count = 32
        }
    }

    /// HMAC-SHA256 (32 bytes) of the UTF-8 bytes of `text` under `key`.
    public static func hmacSHA256(key: [UInt8], _ text: String) -> [UInt8] {
        var text = text
        return key.withUnsafeBytes { k in text.withUTF8 { hmacSHA256(key: k, UnsafeRawBufferPointer($0)) } }
    }

    /// The lower-case hexadecimal SHA-256 digest of `data`, in one allocation.
    public static func sha256Hex(_ data: [UInt8]) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { digest in
            data.withUnsafeBytes { cossl_sha256($0.baseAddress, $0.count, digest.baseAddress) }
            return String(unsafeUninitializedCapacity: 64) { out in
                for i in 0..<32 {
                    out[2 * i] = hexDigit(digest[i] >> 4)
                    out[2 * i + 1] = hexDigit(digest[i] & 0x0F)
                }
                return 64
            }
        }
    }

    /// Appends the lower-case hexadecimal of `bytes` to `buffer`.
    static func appendHex(_ bytes: UnsafeRawBufferPointer, to buffer: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count * 2) { out in
            for (i, byte) in bytes.enumerated() {
                out[2 * i] = hexDigit(byte >> 4)
                out[2 * i + 1] = hexDigit(byte & 0x0F)
            }
            buffer.append(contentsOf: out)
        }
    }

    @inline(__always)
    static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? 0x30 + nibble : 0x57 + nibble
    }
}

/// An HMAC-SHA256 key whose padded inner and outer hash states are computed once, so each MAC
/// costs only the message's blocks and two final blocks.
public struct PreparedHMACKey: Sendable {
    private var state = cossl_hmac_key()

    /// Prepares `key`.
    public init(_ key: [UInt8]) {
        key.withUnsafeBytes { cossl_hmac_prepare(&state, $0.baseAddress, $0.count) }
    }

    /// HMAC-SHA256 of `data` into `output` (32 bytes).
    func mac(_ data: UnsafeRawBufferPointer, into output: UnsafeMutablePointer<UInt8>) {
        withUnsafePointer(to: state) { cossl_hmac_finish($0, data.baseAddress, data.count, output) }
    }
}
