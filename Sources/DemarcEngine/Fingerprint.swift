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
    /// The joined text is laid out on the stack, with no array allocated per finding.
    static func digest(rule: String, key: [String], extra: [String]) -> SHA256Digest {
        digest(rule: rule, key: .many(key), extra: extra)
    }

    /// `digest` of a draft's key parts (a one-part key without an array).
    static func digest(rule: String, key: DraftKey, extra: [String]) -> SHA256Digest {
        var count = rule.utf8.count
        switch key {
        case .one(let part): count += 1 + part.utf8.count
        case .many(let parts): for part in parts { count += 1 + part.utf8.count }
        }
        for part in extra { count += 1 + part.utf8.count }
        return withUnsafeTemporaryAllocation(byteCount: max(1, count), alignment: 1) { buffer in
            // Laid out through a plain pointer: nested functions that moved a captured offset
            // had each access to it checked for exclusivity at run time (a tenth of a draft's
            // instructions in callgrind).
            let base = buffer.baseAddress!
            var at = put(rule, at: base)
            switch key {
            case .one(let part):
                at.storeBytes(of: separator, as: UInt8.self)
                at = put(part, at: at + 1)
            case .many(let parts):
                for part in parts {
                    at.storeBytes(of: separator, as: UInt8.self)
                    at = put(part, at: at + 1)
                }
            }
            for part in extra {
                at.storeBytes(of: separator, as: UInt8.self)
                at = put(part, at: at + 1)
            }
            return SHA256.digest(UnsafeRawBufferPointer(start: base, count: count))
        }
    }

    /// Copies `text`'s UTF-8 to `at`; returns the address after it.
    @inline(__always) private static func put(_ text: String, at: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer {
        var text = text
        return text.withUTF8 { utf8 in
            if let source = utf8.baseAddress { at.copyMemory(from: source, byteCount: utf8.count) }
            return at + utf8.count
        }
    }
}

/// Byte-wise order of UTF-8 text, independent of locale and Unicode collation: eight bytes a
/// step (`CaseIndex.byteOrder`). The generic `utf8.lexicographicallyPrecedes` was a fifth of
/// putting 416,863 drafts in order in `perf`, byte by byte through the string's views.
@inline(__always) func utf8Less(_ a: String, _ b: String) -> Bool {
    CaseIndex.byteOrder(a, b) < 0
}

/// Byte-wise order of key part lists: part by part, a shorter prefix first.
func keyLess(_ a: [String], _ b: [String]) -> Bool {
    for (x, y) in zip(a, b) where x != y { return utf8Less(x, y) }
    return a.count < b.count
}
