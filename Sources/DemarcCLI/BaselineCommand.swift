import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import DemarcCore
import DemarcReaders
import DemarcRules
import DemarcEngine
import DemarcReports

/// `demarc baseline RULES -o FILE [check options]`: writes the fingerprints of today's findings.
struct BaselineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline",
        abstract: "Runs the rules and writes the fingerprints of every finding to a baseline file.")

    @Argument(help: "The rule file.")
    var rules: String

    @Option(name: [.customShort("o"), .customLong("output")], help: "The baseline file to write.")
    var output: String

    @Option(name: .customLong("source"), help: "NAME=PATH: read this source from PATH ('-' is standard input).")
    var sources: [String] = []

    @Option(name: .customLong("as-of"), help: "The date ages are measured at (yyyy-MM-dd).")
    var asOf: String?

    @Option(name: .customLong("only"), help: "A rule id or #tag to run (repeatable).")
    var only: [String] = []

    @Option(name: .customLong("skip"), help: "A rule id or #tag to skip (repeatable).")
    var skip: [String] = []

    @Option(name: .customLong("progress"), help: "auto | always | never.")
    var progress: String = "auto"

    @Flag(name: .customLong("quiet"), help: "No summary on standard error.")
    var quiet = false

    func run() throws {
        let options = try CheckOptions(sources: sources, asOf: asOf, formats: [], failOn: "never",
                                       maxFindings: nil, progress: progress)
        let file = try RuleFileLoader.load(path: rules)
        _ = try Engine.selectRules(file, only: only, skip: skip)
        let showProgress = progress == "always" || (progress == "auto" && isatty(2) != 0)
        let report: @Sendable (String) -> Void = { line in writeStandardError("demarc: \(line)\n") }
        var run = RunOptions(sourceOverrides: options.overrides, asOf: options.asOf, only: only, skip: skip,
                             progress: showProgress ? report : nil)
        run.sourceDigests = false
        let result = try Engine.run(file, options: run)
        let bytes = Triage.baselineBytes(fingerprints: result.findings.map(\.fingerprint))
        try ReportWriter.writeAtomically(bytes, to: output)
        if !quiet {
            let n = Set(result.findings.map(\.fingerprint)).count
            writeStandardError("\(n) fingerprint\(n == 1 ? "" : "s") written to \(output)\n")
        }
    }
}

/// `demarc report RESULT.json --format FORMAT[:PATH]`: renders a stored JSON result again.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Renders a stored JSON result in other formats, without reading the data again.")

    @Argument(help: "A JSON result written by 'demarc check --format json'.")
    var result: String

    @Option(name: .customLong("format"), help: "FORMAT[:PATH], repeatable: text json jsonl csv junit sarif markdown github html.")
    var formats: [String] = []

    @Option(name: .customLong("fail-on"), help: "error | warning | info | never: what counts as a failure (junit).")
    var failOn: String = "error"

    @OptionGroup var reporting: ReportingOptions

    func run() throws {
        let options = try CheckOptions(sources: [], asOf: nil, formats: formats, failOn: failOn,
                                       maxFindings: nil, progress: "never")
        let stored = try StoredResult.read(result)
        try ReportWriter.write(stored, targets: options.targets, options: reporting.reportOptions(failOn: options.failOn),
                               colorStandardOutput: reporting.colorStandardOutput())
    }
}

/// Reading a JSON result from a file (`-` is standard input).
enum StoredResult {
    static func read(_ path: String) throws -> RunResult {
        let bytes: [UInt8]
        if path == "-" {
            bytes = readAllStandardInput()
        } else {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw DemarcError.unreadableInput(SourcePosition(file: path, line: 0), "cannot read the file")
            }
            bytes = [UInt8](data)
        }
        return try ResultDecoder.decode(bytes, path: path)
    }

    private static func readAllStandardInput() -> [UInt8] {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(0, $0.baseAddress, 65_536) }
            if n <= 0 { break }
            out.append(contentsOf: buffer[0..<n])
        }
        return out
    }
}
