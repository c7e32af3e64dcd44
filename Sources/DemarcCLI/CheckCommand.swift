import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import DemarcCore
import DemarcReaders
import DemarcRules
import DemarcEngine
import DemarcReports

/// `demarc check RULES [options]`: reads the sources, runs the rules, reports findings.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Reads the sources, runs the rules and reports findings.")

    @Argument(help: "The rule file.")
    var rules: String

    @Option(name: .customLong("source"), help: "NAME=PATH: read this source from PATH ('-' is standard input).")
    var sources: [String] = []

    @Option(name: .customLong("as-of"), help: "The date ages are measured at (yyyy-MM-dd).")
    var asOf: String?

    @Option(name: .customLong("format"), help: "FORMAT[:PATH], repeatable: text json jsonl csv junit sarif markdown github html.")
    var formats: [String] = []

    @Option(name: .customLong("fail-on"), help: "error | warning | info | never: the lowest severity that fails the run.")
    var failOn: String = "error"

    @Option(name: .customLong("only"), help: "A rule id or #tag to run (repeatable).")
    var only: [String] = []

    @Option(name: .customLong("skip"), help: "A rule id or #tag to skip (repeatable).")
    var skip: [String] = []

    @Option(name: .customLong("max-findings"), help: "At most N findings listed per rule (all are counted).")
    var maxFindings: Int?

    @Option(name: .customLong("progress"), help: "auto | always | never.")
    var progress: String = "auto"

    @Flag(name: .customLong("quiet"), help: "No summary on standard error.")
    var quiet = false

    @OptionGroup var reporting: ReportingOptions

    func run() throws {
        let options = try CheckOptions(sources: sources, asOf: asOf, formats: formats, failOn: failOn,
                                       maxFindings: maxFindings, progress: progress)
        let file = try RuleFileLoader.load(path: rules)
        _ = try Engine.selectRules(file, only: only, skip: skip)
        let showProgress = progress == "always" || (progress == "auto" && isatty(2) != 0)
        let report: @Sendable (String) -> Void = { line in writeStandardError("demarc: \(line)\n") }
        var run = RunOptions(sourceOverrides: options.overrides, asOf: options.asOf, only: only, skip: skip,
                             maxFindings: maxFindings, progress: showProgress ? report : nil)
        run.triage = try reporting.triage(for: file)
        run.sourceDigests = options.targets.contains { $0.format.showsSourceDigests }
        let ticker = showProgress ? ProgressTicker(sources: file.sources.map(\.name), terminal: isatty(2) != 0) : nil
        run.readProgress = ticker?.counters
        var clock = PhaseClock()
        let started = RunTimer()
        ticker?.start()
        defer { ticker?.stop() }
        var result = try Engine.run(file, options: run)
        ticker?.stop()
        clock.lap("engine")
        reporting.stamp(&result)
        reporting.warnUnmatched(result)
        try ReportWriter.write(result, targets: options.targets, options: reporting.reportOptions(failOn: options.failOn),
                               colorStandardOutput: reporting.colorStandardOutput())
        clock.lap("reports")
        if !quiet { writeStandardError(reporting.summaryLine(result, timer: started) + "\n") }
        let fails = result.fails(at: options.failOn)
        KeptUntilExit.keep(result)
        if fails { throw ExitCode(1) }
    }
}

/// What a command leaves to the end of the process rather than free: `Demarc.runMain` exits
/// right after the command, and freeing a large run's records and findings one by one took
/// 70 ms of a 4 s run with 5M records a side.
enum KeptUntilExit {
    nonisolated(unsafe) private static var kept: [Any] = []

    static func keep(_ value: Any) { kept.append(value) }
}

/// The command-line options of `check`, validated before the rule file is read.
struct CheckOptions {
    var overrides: [String: InputFile] = [:]
    var asOf: Day?
    var targets: [ReportTarget] = []
    var failOn: Severity?

    init(sources: [String], asOf: String?, formats: [String], failOn: String, maxFindings: Int?,
         progress: String) throws {
        for spec in sources {
            guard let eq = spec.firstIndex(of: "="), eq != spec.startIndex else {
                throw DemarcError.usage("--source '\(spec)': expected NAME=PATH")
            }
            let name = String(spec[..<eq])
            let path = String(spec[spec.index(after: eq)...])
            guard !path.isEmpty else { throw DemarcError.usage("--source '\(spec)': the path is empty") }
            guard overrides[name] == nil else { throw DemarcError.usage("--source '\(name)' is given twice") }
            overrides[name] = path == "-" ? .standardInput : .file(path)
        }
        if let asOf {
            guard case .value(.date(let day)) = ValueParser.parse(asOf, as: ValueSpec(type: .date)) else {
                throw DemarcError.usage("--as-of '\(asOf)': expected a date yyyy-MM-dd")
            }
            self.asOf = day
        }
        targets = try (formats.isEmpty ? ["text"] : formats).map(ReportTarget.init)
        switch failOn {
        case "never": self.failOn = nil
        default:
            guard let severity = Severity(rawValue: failOn) else {
                throw DemarcError.usage("--fail-on '\(failOn)': expected error, warning, info or never")
            }
            self.failOn = severity
        }
        if let maxFindings, maxFindings < 0 {
            throw DemarcError.usage("--max-findings '\(maxFindings)': expected a number of 0 or more")
        }
        guard ["auto", "always", "never"].contains(progress) else {
            throw DemarcError.usage("--progress '\(progress)': expected auto, always or never")
        }
    }
}
