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
            let key = f.key.isEmpty ? "" : " (key \(f.key.map { $0.isEmpty ? "''" : $0 }.joined(separator: ", ")))"
            out += "\(place): \(f.severity.rawValue): [\(f.rule)] \(f.message)\(key)\n"
        }
        if !result.summary.byRule.isEmpty && !result.findings.isEmpty { out += "\n" }
        let listed = Dictionary(grouping: result.findings, by: \.rule).mapValues(\.count)
        for count in result.summary.byRule {
            let shown = listed[count.rule] ?? 0
            let noun = count.count == 1 ? "finding" : "findings"
            let more = shown < count.count ? " (\(shown) listed)" : ""
            out += "\(count.rule): \(count.count) \(noun)\(more)\n"
        }
        return Array(out.utf8)
    }

    /// The summary line written to standard error: `14 findings (11 errors, 3 warnings, 0 info) in 1180 cases`.
    public static func summaryLine(_ result: RunResult) -> String {
        let s = result.summary
        let noun = s.findings == 1 ? "finding" : "findings"
        var line = "\(s.findings) \(noun) (\(s.error) error\(s.error == 1 ? "" : "s"), "
            + "\(s.warning) warning\(s.warning == 1 ? "" : "s"), \(s.info) info) in \(result.cases) cases"
        if s.baselined > 0 { line += ", \(s.baselined) baselined" }
        if s.waived > 0 { line += ", \(s.waived) waived" }
        return line
    }
}
