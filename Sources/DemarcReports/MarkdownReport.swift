import DemarcCore
import DemarcEngine
import Foundation

/// `--format markdown`: a summary table and the findings per rule, with one column per source,
/// fit for a CI job summary (`$GITHUB_STEP_SUMMARY`). Text from the data is escaped: `|` and the
/// Markdown marks get a backslash, `<`, `>` and `&` become entities, line breaks become `<br>`.
public struct MarkdownReport: Report {
    /// Makes the report.
    public init() {}

    /// The Markdown text.
    public func render(_ result: RunResult, options: ReportOptions) throws -> [UInt8] {
        let s = result.summary
        let esc = MarkdownReport.escape
        var out = "## demarc: \(esc(result.rules.name ?? result.rules.file))\n\n"
        out += "Rule file `\(result.rules.file.replacingOccurrences(of: "`", with: "'"))`, as of \(result.asOf.isoText), "
        out += "\(result.cases) cases"
        if let at = result.generatedAt { out += ", generated \(at)" }
        out += ".\n\n"
        out += "| findings | error | warning | info | " + ReportText.statusCounts(s).map(\.0).joined(separator: " | ") + " |\n"
        out += "|---:|---:|---:|---:|" + String(repeating: "---:|", count: 4) + "\n"
        out += "| \(s.findings) | \(s.error) | \(s.warning) | \(s.info) | "
            + ReportText.statusCounts(s).map { String($0.1) }.joined(separator: " | ") + " |\n\n"
        out += "| source | file | records | malformed |\n|---|---|---:|---:|\n"
        for src in result.sources { out += "| \(esc(src.name)) | \(esc(src.file)) | \(src.records) | \(src.malformed) |\n" }
        if !s.byRule.isEmpty {
            out += "\n| rule | severity | findings |\n|---|---|---:|\n"
            for count in s.byRule {
                let severity = result.checks.first { $0.id == count.rule }?.severity.rawValue
                    ?? result.findings.first { $0.rule == count.rule }?.severity.rawValue ?? ""
                out += "| \(esc(count.rule)) | \(severity) | \(count.count) |\n"
            }
        }
        let sourceNames = result.sources.map(\.name)
        var rule: String?
        for f in result.findings {
            if f.rule != rule {
                rule = f.rule
                let total = s.byRule.first { $0.rule == f.rule }?.count ?? 0
                out += "\n### \(esc(f.rule)) (\(f.severity.rawValue), \(total) finding\(total == 1 ? "" : "s"))\n\n"
                out += "| status | key | message | fix in | " + sourceNames.map(esc).joined(separator: " | ") + " |\n"
                out += "|---|---|---|---|" + String(repeating: "---|", count: sourceNames.count) + "\n"
            }
            var cells = [f.status.rawValue, esc(ReportText.key(f.key)), esc(f.message), esc(f.fixIn ?? "")]
            for name in sourceNames {
                let records = f.records.first { $0.source == name }?.records ?? []
                cells.append(records.map { "\(esc(ReportText.place($0)))<br>\(esc(ReportText.values($0)))" }
                    .joined(separator: "<br><br>"))
            }
            out += "| " + cells.joined(separator: " | ") + " |\n"
        }
        if let unmatched = result.unmatchedWaivers, !unmatched.isEmpty {
            out += "\n### Waivers that matched no finding\n\n"
            for w in unmatched { out += "- \(esc(ReportText.unmatched(w)))\n" }
        }
        return Array(out.utf8)
    }

    /// Data text made inert inside a table cell.
    static func escape(_ text: String) -> String {
        var out = ""
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\r": continue
            case "\n": out += "<br>"
            case "|", "\\", "`", "*", "_", "[", "]", "#", "~", "!": out += "\\" + String(c)
            default:
                if c.value < 0x20 || c.value == 0x7F { out += " " } else { out.unicodeScalars.append(c) }
            }
        }
        return out
    }
}
