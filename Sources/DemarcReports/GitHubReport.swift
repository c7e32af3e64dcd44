import DemarcCore
import DemarcEngine
import Foundation

/// `--format github`: GitHub Actions workflow commands, one per finding, so that each shows as
/// an annotation at its first record: `::error file=…,line=…,title=…::message`. Severity error
/// is `error`, warning `warning`, info `notice`; a baselined or waived finding is a `notice`
/// whatever its severity (it does not fail the run). Escaping follows GitHub's runner: `%`, CR
/// and LF everywhere, and `:` and `,` in properties.
public struct GitHubReport: Report {
    /// Makes the report.
    public init() {}

    /// One workflow command per line.
    public func render(_ result: RunResult, options: ReportOptions) throws -> [UInt8] {
        var out = ""
        for f in result.findings {
            let command: String
            switch (f.status, f.severity) {
            case (.baselined, _), (.waived, _), (_, .info): command = "notice"
            case (_, .error): command = "error"
            case (_, .warning): command = "warning"
            }
            var properties: [String] = []
            if let record = f.firstRecord {
                properties.append("file=" + GitHubReport.property(record.file))
                if record.line > 0 { properties.append("line=\(record.line)") }
            } else {
                properties.append("file=" + GitHubReport.property(result.rules.file))
            }
            let status = f.status == .open ? "" : " (\(f.status.rawValue))"
            properties.append("title=" + GitHubReport.property("[\(f.rule)] key \(ReportText.key(f.key))\(status)"))
            var message = f.message
            for group in f.records {
                for r in group.records { message += "\n\(group.source): \(ReportText.place(r)) \(ReportText.values(r))" }
            }
            out += "::\(command) \(properties.joined(separator: ","))::\(GitHubReport.data(message))\n"
        }
        for w in result.unmatchedWaivers ?? [] {
            out += "::warning file=\(GitHubReport.property(w.position.file)),line=\(w.position.line)::"
                + GitHubReport.data(ReportText.unmatched(w)) + "\n"
        }
        return Array(out.utf8)
    }

    /// Escapes the message of a workflow command.
    public static func data(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25")
            .replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    /// Escapes a property value of a workflow command.
    public static func property(_ text: String) -> String {
        data(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}
