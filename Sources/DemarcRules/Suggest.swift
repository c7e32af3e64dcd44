/// "Did you mean" suggestions for misspelled names (keys, sources, fields, classes).
public enum Suggest {
    /// The candidate closest to `word` by edit distance, when it is close enough to be a likely
    /// typo: at most a third of the longer word's length (at least 1, at most 3) edits away.
    /// Ties go to the candidate listed first. nil when nothing is close or `word` is a candidate.
    public static func closest(_ word: String, among candidates: [String]) -> String? {
        let w = Array(word.unicodeScalars)
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            if candidate == word { return nil }
            let c = Array(candidate.unicodeScalars)
            let limit = max(1, min(3, max(w.count, c.count) / 3))
            let d = distance(w, c)
            guard d <= limit else { continue }
            if best == nil || d < best!.distance { best = (candidate, d) }
        }
        return best?.name
    }

    /// Levenshtein distance with adjacent transpositions counted as one edit.
    static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var before = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var v = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    v = min(v, before[j - 2] + 1)
                }
                current[j] = v
            }
            before = previous
            previous = current
        }
        return previous[b.count]
    }
}
