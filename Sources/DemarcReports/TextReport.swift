import DemarcCore
import DemarcEngine

/// `--format text`: findings grouped by rule as `file:line: severity: [rule] message (key …)`,
/// then one line per rule with its count.
public struct TextReport: Report {
    /// Makes the report.
    public init() {}

    /// The report text.
    public func render(_ result: RunResult, options: ReportOptions) throws -> [UInt8] {
        var out = ""
        for f in result.findings {
            let place: String
            if let record = f.firstRecord {
                place = record.line > 0 ? "\(record.file):\(record.line)" : record.file
            } else {
                place = result.rules.file
            }
            let key = ReportText.keySuffix(f.key)
            let status = f.status == .open ? "" : " [\(f.status.rawValue)]"
            let severity = options.color ? TextReport.painted(f.severity, status: f.status) : f.severity.rawValue
            let shownPlace = options.color ? "\u{1B}[1m\(place)\u{1B}[0m" : place
            out += "\(shownPlace): \(severity): [\(f.rule)] \(f.message)\(key)\(status)\n"
        }
        if !result.summary.byRule.isEmpty && !result.findings.isEmpty { out += "\n" }
        let listed = Dictionary(grouping: result.findings, by: \.rule).mapValues(\.count)
        for count in result.summary.byRule {
            let shown = listed[count.rule] ?? 0
            let noun = count.count == 1 ? "finding" : "findings"
            let more = shown < count.count ? " (\(shown) listed)" : ""
            out += "\(count.rule): \(count.count) \(noun)\(more)\n"
        }
        if let unmatched = result.unmatchedWaivers, !unmatched.isEmpty {
            out += "\n"
            for w in unmatched { out += "warning: \(ReportText.unmatched(w))\n" }
        }
        return Array(out.utf8)
    }

    /// The severity in its terminal colour (red, yellow, blue); accepted findings dimmed.
    static func painted(_ severity: Severity, status: FindingStatus) -> String {
        if !status.counts { return "\u{1B}[2m\(severity.rawValue)\u{1B}[0m" }
        switch severity {
        case .error: return "\u{1B}[1;31merror\u{1B}[0m"
        case .warning: return "\u{1B}[1;33mwarning\u{1B}[0m"
        case .info: return "\u{1B}[1;34minfo\u{1B}[0m"
        }
    }

    /// The summary line written to standard error: `14 findings (11 errors, 3 warnings, 0 info) in 1180 cases`.
    public static func summaryLine(_ result: RunResult) -> String {
        let s = result.summary
        let noun = s.findings == 1 ? "finding" : "findings"
        var line = "\(s.findings) \(noun) (\(s.error) error\(s.error == 1 ? "" : "s"), "
            + "\(s.warning) warning\(s.warning == 1 ? "" : "s"), \(s.info) info) in \(result.cases) cases"
        if s.baselined > 0 { line += ", \(s.baselined) baselined" }
        if s.waived > 0 { line += ", \(s.waived) waived" }
        if s.expiredWaivers > 0 { line += ", \(s.expiredWaivers) expired-waiver" }
        return line
    }
}
