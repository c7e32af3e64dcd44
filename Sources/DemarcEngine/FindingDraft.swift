import DemarcCore

/// A finding before ordering, truncation and materialization of its records' values.
struct FindingDraft {
    /// The check's position: rules in file order, then the implicit checks.
    var rank: Int
    var rule: String
    var kind: String
    var severity: Severity
    var key: [String]
    var message: String
    var fixIn: String?
    /// The fingerprint's digest (`Finding.fingerprint` is its hex).
    var fingerprint: SHA256Digest
    /// Well-formed records shown, per source (table order), in file order.
    var records: [(source: Int, records: [Int])]
    /// A malformed record shown instead (`malformed-record`): table and entry index.
    var malformed: (source: Int, entry: Int)?
    /// Tie-breakers after key and fingerprint (DETAILS.md 24).
    var sourceRank: Int
    var line: Int
    var fieldRank: Int
    /// Open until a baseline or waiver says otherwise.
    var status: FindingStatus = .open

    /// Puts the drafts in result order. Sorts small keys, then moves each draft once along the
    /// cycles of the permutation: sorting the drafts themselves moved large structs (0.8 s for
    /// 160k findings), and building a sorted copy held every draft twice at a run's peak.
    static func sort(_ drafts: inout [FindingDraft]) {
        struct SortKey {
            var rank: Int
            var key: [String]
            var fingerprint: SHA256Digest
            var source: Int
            var line: Int
            var field: Int
            var index: Int
        }
        var keys = drafts.enumerated().map { i, d in
            SortKey(rank: d.rank, key: d.key, fingerprint: d.fingerprint, source: d.sourceRank,
                    line: d.line, field: d.fieldRank, index: i)
        }
        keys.sort { a, b in
            if a.rank != b.rank { return a.rank < b.rank }
            if a.key != b.key { return keyLess(a.key, b.key) }
            if a.fingerprint != b.fingerprint { return a.fingerprint < b.fingerprint }
            if a.source != b.source { return a.source < b.source }
            if a.line != b.line { return a.line < b.line }
            if a.field != b.field { return a.field < b.field }
            return a.index < b.index
        }
        let from = keys.map(\.index)   // position p takes the draft now at from[p]
        keys = []
        var placed = [Bool](repeating: false, count: drafts.count)
        for start in drafts.indices where !placed[start] {
            let first = drafts[start]
            var p = start
            while true {
                placed[p] = true
                let q = from[p]
                if q == start { drafts[p] = first; break }
                drafts[p] = drafts[q]
                p = q
            }
        }
    }

    /// Result order (DETAILS.md 24).
    static func precedes(_ a: FindingDraft, _ b: FindingDraft) -> Bool {
        if a.rank != b.rank { return a.rank < b.rank }
        if a.key != b.key { return keyLess(a.key, b.key) }
        if a.fingerprint != b.fingerprint { return a.fingerprint < b.fingerprint }
        if a.sourceRank != b.sourceRank { return a.sourceRank < b.sourceRank }
        if a.line != b.line { return a.line < b.line }
        return a.fieldRank < b.fieldRank
    }
}
