import COpenSSLCrypto

/// Incremental SHA-256, for source checksums and finding fingerprints.
///
/// Backed by OpenSSL's EVP interface, which uses the CPU's SHA extensions: every byte of every
/// input is hashed, so this sits on the hot path of each run (measured: a portable Swift
/// implementation capped the CSV reader at about 150 MB/s). A value owns its context; copies
/// share it, so use one value linearly (update..., then finalize once).
public struct SHA256: @unchecked Sendable {
    private final class Context {
        let pointer: OpaquePointer?
        init() {
            pointer = EVP_MD_CTX_new()
            if let pointer { EVP_DigestInit_ex(pointer, EVP_sha256(), nil) }
        }
        deinit { EVP_MD_CTX_free(pointer) }
    }

    private let context = Context()
    private var digest: [UInt8]?

    public init() {}

    /// Feeds bytes.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty, digest == nil, let ctx = context.pointer else { return }
        EVP_DigestUpdate(ctx, bytes.baseAddress, bytes.count)
    }

    /// Feeds bytes.
    public mutating func update<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        if let done = bytes.withContiguousStorageIfAvailable({ buffer in
            update(UnsafeRawBufferPointer(buffer))
        }) {
            return done
        }
        Array(bytes).withUnsafeBytes { update($0) }
    }

    /// The digest as 32 bytes; later calls return the same digest.
    public mutating func finalize() -> [UInt8] {
        if let digest { return digest }
        var out = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        if let ctx = context.pointer {
            out.withUnsafeMutableBufferPointer { _ = EVP_DigestFinal_ex(ctx, $0.baseAddress, &length) }
        }
        digest = out
        return out
    }

    /// The digest as lowercase hex.
    public mutating func finalizeHex() -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in finalize() {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The lowercase hex SHA-256 of a byte sequence.
    public static func hex<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalizeHex()
    }

    /// The SHA-256 of `bytes` in one call (finding fingerprints): `demarc_sha256`, no EVP context.
    public static func digest(_ bytes: UnsafeRawBufferPointer) -> SHA256Digest {
        var out = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        withUnsafeMutableBytes(of: &out) { raw in
            demarc_sha256(bytes.baseAddress, bytes.count, raw.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        return SHA256Digest(UInt64(bigEndian: out.0), UInt64(bigEndian: out.1),
                            UInt64(bigEndian: out.2), UInt64(bigEndian: out.3))
    }
}

/// A SHA-256 digest held inline, as four words read big-endian: comparing them compares the
/// bytes, and so the lowercase hex, in order.
public struct SHA256Digest: Hashable, Comparable, Sendable {
    public let a: UInt64, b: UInt64, c: UInt64, d: UInt64

    public init(_ a: UInt64, _ b: UInt64, _ c: UInt64, _ d: UInt64) {
        self.a = a; self.b = b; self.c = c; self.d = d
    }

    public static func < (x: SHA256Digest, y: SHA256Digest) -> Bool {
        (x.a, x.b, x.c, x.d) < (y.a, y.b, y.c, y.d)
    }

    /// Lowercase hex, 64 digits.
    public var hex: String {
        String(unsafeUninitializedCapacity: 64) { text in
            writeHex(to: text.baseAddress!)
            return 64
        }
    }

    /// The 64 hex digits written at `text` (room for 64 bytes), with no `String` made (jsonl
    /// writes one a finding).
    ///
    /// Eight digits a step: the nibbles of 32 bits spread to a byte each and turned into
    /// digits together (a digit at a time took about 310 instructions a digest).
    @inline(__always) public func writeHex(to text: UnsafeMutablePointer<UInt8>) {
        let raw = UnsafeMutableRawPointer(text)
        @inline(__always) func put(_ word: UInt64, at offset: Int) {
            raw.storeBytes(of: SHA256Digest.hexDigits(UInt32(truncatingIfNeeded: word >> 32)).bigEndian,
                           toByteOffset: offset, as: UInt64.self)
            raw.storeBytes(of: SHA256Digest.hexDigits(UInt32(truncatingIfNeeded: word)).bigEndian,
                           toByteOffset: offset &+ 8, as: UInt64.self)
        }
        put(a, at: 0); put(b, at: 16); put(c, at: 32); put(d, at: 48)
    }

    /// The eight lowercase hex digits of `x`, the last digit in the lowest byte.
    @inline(__always) static func hexDigits(_ x: UInt32) -> UInt64 {
        var v = UInt64(x)
        v = (v | v << 16) & 0x0000_FFFF_0000_FFFF
        v = (v | v << 8) & 0x00FF_00FF_00FF_00FF
        v = (v | v << 4) & 0x0F0F_0F0F_0F0F_0F0F   // nibble i in byte i
        let letters = ((v &+ 0x0606_0606_0606_0606) >> 4) & 0x0101_0101_0101_0101   // 1 where 10...15
        return v &+ 0x3030_3030_3030_3030 &+ letters &* 0x27   // "0" + n, or "a" + n - 10
    }
}
