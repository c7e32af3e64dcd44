import DemarcCore
import DemarcEngine

/// `--format html`: one self-contained page (inline style, script and SVG; a content security
/// policy that forbids every network fetch) for finance users: the summary, charts of findings
/// by rule and by age (`HTMLChart`), then the findings by rule with one column per source so
/// that both sides' records (file:line and values) stand side by side, and filters by rule,
/// severity, status and free text that work from `file://`. Every text from the data is escaped.
public struct HTMLReport: Report {
    /// Makes the report.
    public init() {}

    /// The HTML page.
    public func render(_ result: RunResult, options: ReportOptions) throws -> [UInt8] {
        let x = ReportText.escapeMarkup
        let s = result.summary
        let title = "demarc: " + (result.rules.name ?? result.rules.file)
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<title>\(x(title))</title>\n<style>\n\(HTMLAssets.style)</style>\n</head>\n<body>\n"
        out += "<header><h1>\(x(title))</h1><p>rule file \(x(result.rules.file)) · as of \(result.asOf.isoText) · "
        out += "\(result.cases) cases"
        if let at = result.generatedAt { out += " · generated \(x(at))" }
        out += " · \(x(result.tool))</p></header>\n<main>\n"
        out += summary(result)
        out += "<div class=\"charts\">"
        out += HTMLChart.bars("Findings by rule", s.byRule.map { ($0.rule, $0.count) }, id: "chart-rule")
        let buckets = Dictionary(grouping: result.findings) { HTMLChart.ageBucket($0, asOf: result.asOf) }
        out += HTMLChart.bars("Findings by age (listed)", HTMLChart.ageBuckets.map { ($0, buckets[$0]?.count ?? 0) }, id: "chart-age")
        out += "</div>\n"
        out += filters(result)
        out += findings(result)
        if let unmatched = result.unmatchedWaivers, !unmatched.isEmpty {
            out += "<section id=\"unmatched-waivers\" class=\"rule\"><h2>Waivers that matched no finding</h2><ul>"
            for w in unmatched {
                out += "<li>\(x(w.position.file)):\(w.position.line): rule \(x(w.rule)), key \(x(ReportText.key(w.key))), "
                    + "expires \(w.expires.isoText): \(x(w.reason))</li>"
            }
            out += "</ul></section>\n"
        }
        out += "</main>\n<script>\n\(HTMLAssets.script)</script>\n</body>\n</html>\n"
        return Array(out.utf8)
    }

    private func summary(_ result: RunResult) -> String {
        let x = ReportText.escapeMarkup
        let s = result.summary
        var out = "<div class=\"cards\" id=\"summary\">"
        var cards = [("findings", s.findings), ("error", s.error), ("warning", s.warning), ("info", s.info)]
        cards += ReportText.statusCounts(s)
        for (label, n) in cards { out += "<div class=\"card\" data-count=\"\(label)\"><b>\(n)</b><span>\(label)</span></div>" }
        out += "</div>\n<table class=\"sources\"><tr><th>source</th><th>file</th><th>format</th><th>records</th><th>malformed</th></tr>"
        for src in result.sources {
            out += "<tr><td>\(x(src.name))</td><td>\(x(src.file))</td><td>\(x(src.format))</td>"
                + "<td>\(src.records)</td><td>\(src.malformed)</td></tr>"
        }
        return out + "</table>\n"
    }

    private func filters(_ result: RunResult) -> String {
        let x = ReportText.escapeMarkup
        var out = "<div class=\"filters\"><label>rule <select id=\"f-rule\"><option value=\"\">all</option>"
        var seen = Set<String>()
        for f in result.findings where seen.insert(f.rule).inserted { out += "<option>\(x(f.rule))</option>" }
        out += "</select></label><label>severity <select id=\"f-severity\"><option value=\"\">all</option>"
        for sev in Severity.allCases { out += "<option>\(sev.rawValue)</option>" }
        out += "</select></label><label>status <select id=\"f-status\"><option value=\"\">all</option>"
        for st in FindingStatus.allCases { out += "<option>\(st.rawValue)</option>" }
        out += "</select></label><label>text <input id=\"f-q\" type=\"search\" placeholder=\"key, value, message\"></label>"
        out += "<span id=\"shown\"><span id=\"shown-count\">\(result.findings.count)</span> of "
        out += "<span id=\"listed-count\">\(result.findings.count)</span> findings shown</span></div>\n"
        return out
    }

    private func findings(_ result: RunResult) -> String {
        let x = ReportText.escapeMarkup
        let names = result.sources.map(\.name)
        var out = ""
        var rule: String?
        for f in result.findings {
            if f.rule != rule {
                if rule != nil { out += "</tbody></table></section>\n" }
                rule = f.rule
                let total = result.summary.byRule.first { $0.rule == f.rule }?.count ?? 0
                let check = result.checks.first { $0.id == f.rule }
                let heading = check.map { ReportText.description(of: $0).short } ?? f.kind
                out += "<section class=\"rule\" data-rule=\"\(x(f.rule))\"><h2>\(x(f.rule)) "
                    + "<span class=\"sev-\(f.severity.rawValue)\">\(f.severity.rawValue)</span> · \(total) finding\(total == 1 ? "" : "s")"
                    + " · <small>\(x(heading))</small></h2>"
                out += "<table><thead><tr><th>status</th><th>key</th><th>message</th><th>fix in</th>"
                for n in names { out += "<th>\(x(n))</th>" }
                out += "</tr></thead><tbody>"
            }
            out += "<tr class=\"finding\" data-rule=\"\(x(f.rule))\" data-severity=\"\(f.severity.rawValue)\" "
                + "data-status=\"\(f.status.rawValue)\" data-fingerprint=\"\(x(f.fingerprint))\">"
            out += "<td><span class=\"st st-\(f.status.rawValue)\">\(f.status.rawValue)</span></td>"
            out += "<td>\(x(ReportText.key(f.key)))</td><td>\(x(f.message))</td><td>\(x(f.fixIn ?? ""))</td>"
            for n in names {
                let records = f.records.first { $0.source == n }?.records ?? []
                out += "<td class=\"rec\">" + records.map { r in
                    var cell = "<b>\(x(ReportText.place(r)))</b>"
                    for v in r.values { cell += "\n\(x(v.name)) = \(x(v.text))" }
                    if let raw = r.raw { cell += "\nraw: \(x(raw))" }
                    return cell
                }.joined(separator: "\n\n") + "</td>"
            }
            out += "</tr>"
        }
        if rule != nil { out += "</tbody></table></section>\n" }
        return out
    }
}
