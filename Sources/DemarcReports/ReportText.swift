import DemarcCore
import DemarcEngine
import DemarcRules

/// Escaping and wording the report formats share.
enum ReportText {
    /// `&`, `<`, `>`, `"` and `'` as entities (HTML and XML text and attributes); control
    /// characters other than TAB, LF and CR, which XML 1.0 cannot hold, become U+FFFD.
    static func escapeMarkup(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// The key as people read it: parts joined by `, `, an empty part as `''`.
    static func key(_ parts: [String]) -> String {
        parts.map { $0.isEmpty ? "''" : $0 }.joined(separator: ", ")
    }

    /// ` (key RE-1)` after a message; empty for a finding without a key (`malformed-record`).
    static func keySuffix(_ parts: [String]) -> String {
        parts.isEmpty ? "" : " (key \(key(parts)))"
    }

    /// `file:line` of a record (the file alone without a line).
    static func place(_ r: FindingRecord) -> String { r.line > 0 ? "\(r.file):\(r.line)" : r.file }

    /// `name=value; …` of a record, the raw text of a malformed one last.
    static func values(_ r: FindingRecord) -> String {
        var parts = r.values.map { "\($0.name)=\($0.text)" }
        if let raw = r.raw { parts.append("raw=\(raw)") }
        return parts.joined(separator: "; ")
    }

    /// What a rule (or implicit check) is, for SARIF and HTML: the rule's title, then what its
    /// kind checks (`demarc explain`).
    static func description(of check: CheckInfo) -> (short: String, full: String) {
        let catalog = RuleCatalog.description(of: check.kind == "implicit" ? check.id : check.kind)
        let short = check.title ?? catalog?.title ?? check.id
        let full = catalog.map { "\($0.title). \($0.checks)" } ?? short
        return (short, full)
    }

    /// Counts by status over the whole run: open is what remains.
    static func statusCounts(_ s: RunSummary) -> [(String, Int)] {
        let open = s.findings - s.baselined - s.waived - s.expiredWaivers
        return [("open", open), ("baselined", s.baselined), ("waived", s.waived), ("expired-waiver", s.expiredWaivers)]
    }

    /// Whether a finding makes its rule fail under `--fail-on`.
    static func fails(_ f: Finding, failOn: Severity?) -> Bool {
        guard let failOn else { return false }
        return f.status.counts && f.severity >= failOn
    }

    /// `file:line: rule 'x' key [a, b] matched no finding` for an unmatched waiver.
    static func unmatched(_ w: Waiver) -> String {
        "\(w.position.file):\(w.position.line): waiver for rule '\(w.rule)' key [\(key(w.key))] matched no finding"
    }
}
