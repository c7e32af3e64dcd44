/// The key choice of `demarc init`: which column of each source matches the other's, judged
/// by the values they share after normalization.

/// The distinct values of one column of one source, as read.
public struct KeyColumnValues: Sendable {
    public var source: String
    /// The field name the column gets in the rule file.
    public var field: String
    /// The column as written in the export (header name or path).
    public var column: String
    public var values: Set<String>

    public init(source: String, field: String, column: String, values: Set<String>) {
        self.source = source; self.field = field; self.column = column; self.values = values
    }
}

/// How well two columns of two sources match.
public struct KeyOverlap: Sendable, Hashable {
    public var left: String, leftField: String, leftColumn: String
    public var right: String, rightField: String, rightColumn: String
    /// The normalizers applied (always starting with `trim`).
    public var normalize: [Normalizer]
    /// Distinct normalized values of each side, and how many both have.
    public var leftDistinct: Int, rightDistinct: Int, common: Int

    /// Shared values over the smaller side's distinct values (1 = one side's values all occur in the other).
    public var score: Double { common == 0 ? 0 : Double(common) / Double(min(leftDistinct, rightDistinct)) }

    /// `9 of 14 crm values (64%) are in accounting; 9 of 9 accounting values (100%) are in crm`.
    public var figures: String {
        func share(_ part: Int, _ whole: Int) -> String { whole == 0 ? "0%" : "\(Int((Double(part) * 100 / Double(whole)).rounded()))%" }
        return "\(common) of \(leftDistinct) \(left) values (\(share(common, leftDistinct))) are in \(right); "
            + "\(common) of \(rightDistinct) \(right) values (\(share(common, rightDistinct))) are in \(left)"
    }
}

/// Chooses key columns by value overlap.
public enum KeyMatcher {
    /// The normalizers `init` tries beside `trim`, in the order `match.normalize` lists them.
    public static let optional: [Normalizer] = [.upper, .collapseSpaces, .stripLeadingZeros, .alnum]

    /// `text` after `normalizers`, with the meaning of RULES.md (Matching).
    public static func normalize(_ text: String, _ normalizers: [Normalizer]) -> String {
        var value = text
        for normalizer in normalizers {
            switch normalizer {
            case .trim:
                value = String(value.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
            case .upper: value = value.uppercased()
            case .lower: value = value.lowercased()
            case .collapseSpaces:
                var out = ""
                var inSpace = false
                for c in value {
                    if c.isWhitespace { if !inSpace { out.append(" ") }; inSpace = true } else { out.append(c); inSpace = false }
                }
                value = out
            case .stripLeadingZeros:
                let stripped = value.drop { $0 == "0" }
                value = stripped.isEmpty && !value.isEmpty ? "0" : String(stripped)
            case .alnum: value = String(value.filter { $0.isLetter || $0.isNumber })
            }
        }
        return value
    }

    /// The overlap of two columns after `normalizers`.
    public static func overlap(_ a: KeyColumnValues, _ b: KeyColumnValues, _ normalizers: [Normalizer]) -> KeyOverlap {
        var left = Set<String>(), right = Set<String>()
        for v in a.values { let n = normalize(v, normalizers); if !n.isEmpty { left.insert(n) } }
        for v in b.values { let n = normalize(v, normalizers); if !n.isEmpty { right.insert(n) } }
        let (small, large) = left.count <= right.count ? (left, right) : (right, left)
        let common = small.reduce(0) { $0 + (large.contains($1) ? 1 : 0) }
        return KeyOverlap(left: a.source, leftField: a.field, leftColumn: a.column,
                          right: b.source, rightField: b.field, rightColumn: b.column, normalize: normalizers,
                          leftDistinct: left.count, rightDistinct: right.count, common: common)
    }

    /// The best normalizers for two columns: `[trim]`, `trim` plus each optional one, and
    /// `trim` plus every one that helped; ties go to the shorter list.
    public static func bestOverlap(_ a: KeyColumnValues, _ b: KeyColumnValues) -> KeyOverlap {
        let base = overlap(a, b, [.trim])
        var best = base
        var helping: [Normalizer] = []
        for extra in optional {
            let candidate = overlap(a, b, [.trim, extra])
            if candidate.common > base.common { helping.append(extra) }
            if isBetter(candidate, than: best) { best = candidate }
        }
        if helping.count > 1 {
            let combined = overlap(a, b, [.trim] + helping)
            if isBetter(combined, than: best) { best = combined }
        }
        return best
    }

    /// Every column pair of two sources, best first (pairs without a shared value left out).
    public static func rank(_ left: [KeyColumnValues], _ right: [KeyColumnValues]) -> [KeyOverlap] {
        var all: [KeyOverlap] = []
        for a in left { for b in right { let o = bestOverlap(a, b); if o.common > 0 { all.append(o) } } }
        return all.sorted { isBetter($0, than: $1) }
    }

    /// More shared values relative to the smaller side, then more shared values, then fewer
    /// normalizers, then names (deterministic).
    static func isBetter(_ a: KeyOverlap, than b: KeyOverlap) -> Bool {
        if a.score != b.score { return a.score > b.score }
        if a.common != b.common { return a.common > b.common }
        if a.normalize.count != b.normalize.count { return a.normalize.count < b.normalize.count }
        return (a.leftField, a.rightField) < (b.leftField, b.rightField)
    }
}
