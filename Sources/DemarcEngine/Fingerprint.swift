import DemarcCore

/// The stable identity of a finding (DETAILS.md 25).
public enum Fingerprint {
    /// The separator between parts: U+001F (unit separator).
    public static let separator: UInt8 = 0x1F

    /// Lowercase hex SHA-256 of the UTF-8 of the rule id, each key part, then `extra`, joined by
    /// U+001F.
    public static func make(rule: String, key: [String], extra: [String]) -> String {
        digest(rule: rule, key: key, extra: extra).hex
    }

    /// `make`'s digest, before it is written as hex (findings keep it so until they are shown).
    static func digest(rule: String, key: [String], extra: [String]) -> SHA256Digest {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64)
        bytes.append(contentsOf: rule.utf8)
        for part in key {
            bytes.append(separator)
            bytes.append(contentsOf: part.utf8)
        }
        for part in extra {
            bytes.append(separator)
            bytes.append(contentsOf: part.utf8)
        }
        return bytes.withUnsafeBytes { SHA256.digest($0) }
    }
}

/// Byte-wise order of UTF-8 text, independent of locale and Unicode collation.
@inline(__always) func utf8Less(_ a: String, _ b: String) -> Bool {
    a.utf8.lexicographicallyPrecedes(b.utf8)
}

/// Byte-wise order of key part lists: part by part, a shorter prefix first.
func keyLess(_ a: [String], _ b: [String]) -> Bool {
    for (x, y) in zip(a, b) where x != y { return utf8Less(x, y) }
    return a.count < b.count
}
