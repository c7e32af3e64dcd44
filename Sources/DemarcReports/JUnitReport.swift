import DemarcCore
import DemarcEngine

/// `--format junit`: one testsuite for the rule file, one testcase per rule and implicit check
/// (valid against the Ant JUnit XSD that CI servers read). A rule with findings at or above
/// `--fail-on` that are open or under an expired waiver is a `failure` listing its first
/// findings; every other finding (lower severity, baselined, waived) goes to `system-out`.
/// `timestamp` is the `as_of` day at midnight unless `--timestamps` gives the run's time, so the
/// report stays byte-identical between runs; `hostname` is `demarc` for the same reason.
public struct JUnitReport: Report {
    /// Findings listed in one failure.
    static let listedPerFailure = 10

    /// Makes the report.
    public init() {}

    /// The XML document.
    public func render(_ result: RunResult, options: ReportOptions) throws -> [UInt8] {
        let x = ReportText.escapeMarkup
        let byRule = Dictionary(grouping: result.findings, by: \.rule)
        var failures = 0
        var cases = ""
        var systemOut = ""
        for check in result.checks {
            let findings = byRule[check.id] ?? []
            let failing = findings.filter { ReportText.fails($0, failOn: options.failOn) }
            for f in findings where !ReportText.fails(f, failOn: options.failOn) { systemOut += JUnitReport.line(f) + "\n" }
            cases += "    <testcase name=\"\(x(check.id))\" classname=\"\(x(JUnitReport.className(result)))\" time=\"0\""
            guard !failing.isEmpty else { cases += "/>\n"; continue }
            failures += 1
            let total = result.summary.byRule.first { $0.rule == check.id }?.count ?? findings.count
            let message = "\(total) finding\(total == 1 ? "" : "s"): \(check.title ?? failing[0].message)"
            var body = failing.prefix(JUnitReport.listedPerFailure).map(JUnitReport.line).joined(separator: "\n")
            if failing.count > JUnitReport.listedPerFailure {
                body += "\n… and \(failing.count - JUnitReport.listedPerFailure) more"
            }
            cases += ">\n      <failure message=\"\(x(message))\" type=\"\(check.severity.rawValue)\">\(x(body))</failure>\n"
            cases += "    </testcase>\n"
        }
        for w in result.unmatchedWaivers ?? [] { systemOut += ReportText.unmatched(w) + "\n" }
        let stamp = result.generatedAt.map { String($0.prefix(19)) } ?? "\(result.asOf.isoText)T00:00:00"
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
        out += "  <testsuite name=\"\(x(result.rules.name ?? result.rules.file))\" package=\"demarc\" id=\"0\""
        out += " timestamp=\"\(stamp)\" hostname=\"demarc\" tests=\"\(result.checks.count)\" failures=\"\(failures)\""
        out += " errors=\"0\" skipped=\"0\" time=\"0\">\n"
        out += "    <properties>\n"
        var properties = [("rules", result.rules.file), ("rules_sha256", result.rules.sha256), ("as_of", result.asOf.isoText),
                          ("cases", String(result.cases)), ("findings", String(result.summary.findings))]
        for s in result.sources { properties.append(("source.\(s.name)", s.file)) }
        for (name, value) in properties { out += "      <property name=\"\(x(name))\" value=\"\(x(value))\"/>\n" }
        out += "    </properties>\n"
        out += cases
        out += "    <system-out>\(x(systemOut))</system-out>\n"
        out += "    <system-err></system-err>\n"
        out += "  </testsuite>\n</testsuites>\n"
        return Array(out.utf8)
    }

    /// `demarc.<rule file name>`: a class name CI servers group test cases by.
    static func className(_ result: RunResult) -> String {
        let file = result.rules.file.split(separator: "/").last.map(String.init) ?? result.rules.file
        return "demarc." + (file.hasSuffix(".yaml") ? String(file.dropLast(5)) : file)
    }

    /// `file:line: severity: [rule] message (key …) [status]`.
    static func line(_ f: Finding) -> String {
        let place = f.firstRecord.map(ReportText.place) ?? ""
        let status = f.status == .open ? "" : " [\(f.status.rawValue)]"
        return "\(place): \(f.severity.rawValue): [\(f.rule)] \(f.message)\(ReportText.keySuffix(f.key))\(status)"
    }
}
