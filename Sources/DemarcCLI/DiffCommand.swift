import ArgumentParser
import DemarcCore
import DemarcEngine
import DemarcReports

/// `demarc diff OLD.json NEW.json`: per finding: new, still open (since when), resolved.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compares two JSON results: new findings, still open ones (since when) and resolved ones.")

    @Argument(help: "The older JSON result.")
    var old: String

    @Argument(help: "The newer JSON result.")
    var new: String

    @Option(name: .customLong("format"), help: "text | json (to standard output).")
    var format: String = "text"

    @Option(name: .customLong("fail-on"), help: "error | warning | info | never: the lowest severity of a new finding that makes the exit code 1.")
    var failOn: String = "error"

    func run() throws {
        guard format == "text" || format == "json" else {
            throw DemarcError.usage("--format '\(format)': diff writes text or json")
        }
        let options = try CheckOptions(sources: [], asOf: nil, formats: [], failOn: failOn,
                                       maxFindings: nil, progress: "never")
        guard old != "-" || new != "-" else { throw DemarcError.usage("only one result may be standard input ('-')") }
        let diff = ResultDiff(old: try StoredResult.read(old), new: try StoredResult.read(new))
        ReportWriter.writeStandardOutput(format == "json" ? diff.json() : diff.text())
        if diff.fails(at: options.failOn) { throw ExitCode(1) }
    }
}
