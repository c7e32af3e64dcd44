import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import DemarcCore
import DemarcRules
import DemarcEngine
import DemarcReports

/// The options of `check` that decide how findings are judged and shown: baseline, waivers,
/// colour, timestamps and the CSV byte order mark.
struct ReportingOptions: ParsableArguments {
    @Option(name: .customLong("baseline"), help: "Findings whose fingerprint is in FILE are baselined and do not fail the run.")
    var baseline: String?

    @Option(name: .customLong("waivers"), help: "A YAML waiver file: matched findings are waived until the waiver expires.")
    var waivers: String?

    @Option(name: .customLong("color"), help: "auto | always | never: colours in the text format on standard output (auto: a terminal and no NO_COLOR).")
    var color: String = "auto"

    @Flag(name: .customLong("timestamps"), help: "Write the time of the run into json, sarif, junit, markdown and html, and the time taken into the summary.")
    var timestamps = false

    @Flag(name: .customLong("csv-bom"), help: "Start CSV reports with a UTF-8 byte order mark (for Excel).")
    var csvBOM = false

    func validate() throws {
        guard ["auto", "always", "never"].contains(color) else {
            throw DemarcError.usage("--color '\(color)': expected auto, always or never")
        }
    }

    /// The baseline and waivers for a loaded rule file (nil without either).
    func triage(for file: RuleFile) throws -> Triage? {
        guard baseline != nil || waivers != nil else { return nil }
        let prints = try baseline.map { try Triage.readBaseline(path: $0) } ?? []
        let ids = file.rules.map(\.id) + ImplicitCheck.allCases.map(\.rawValue)
        let list = try waivers.map { try WaiverFileLoader.load(path: $0, ruleIds: ids) }
        return Triage(baseline: prints, waivers: list)
    }

    /// Sets `generated_at` under `--timestamps`.
    func stamp(_ result: inout RunResult) {
        if timestamps { result.generatedAt = Self.nowUTC() }
    }

    /// A warning on standard error per waiver that matched no finding.
    func warnUnmatched(_ result: RunResult) {
        for w in result.unmatchedWaivers ?? [] {
            writeStandardError("\(w.position.file):\(w.position.line):\(w.position.column): warning: waiver for rule '\(w.rule)' key [\(w.key.map { $0.isEmpty ? "''" : $0 }.joined(separator: ", "))] matched no finding\n")
        }
    }

    /// The options every report gets.
    func reportOptions(failOn: Severity?) -> ReportOptions {
        ReportOptions(failOn: failOn, csvBOM: csvBOM)
    }

    /// Whether the text format on standard output is coloured.
    func colorStandardOutput() -> Bool {
        switch color {
        case "always": return true
        case "never": return false
        default:
            let noColor = ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty } ?? false
            return !noColor && isatty(1) != 0
        }
    }

    /// The summary line; the time taken only on a terminal or with `--timestamps`, so that
    /// tests and logs stay deterministic.
    func summaryLine(_ result: RunResult, timer: RunTimer) -> String {
        var line = TextReport.summaryLine(result)
        if timestamps || isatty(2) != 0 { line += ", \(timer.elapsedText())" }
        return line
    }

    /// Now as `yyyy-MM-ddTHH:mm:ssZ`.
    static func nowUTC() -> String {
        let seconds = Int64(Date().timeIntervalSince1970)
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = Int(seconds - days * 86_400)
        let day = Day(daysSinceEpoch: Int32(clamping: days))
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(day.isoText)T\(two(rest / 3600)):\(two(rest / 60 % 60)):\(two(rest % 60))Z"
    }
}

/// Wall-clock time since a run started.
struct RunTimer {
    private let start = DispatchTime.now().uptimeNanoseconds

    /// `0.42 s`, `12.3 s`, `2 min 5 s`.
    func elapsedText() -> String {
        let ms = Int((DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
        if ms < 10_000 { return "\(ms / 1000).\(ms % 1000 / 10 < 10 ? "0" : "")\(ms % 1000 / 10) s" }
        if ms < 60_000 { return "\(ms / 1000).\(ms % 1000 / 100) s" }
        return "\(ms / 60_000) min \(ms / 1000 % 60) s"
    }
}
