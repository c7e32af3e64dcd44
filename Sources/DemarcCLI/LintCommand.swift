import ArgumentParser
import DemarcCore
import DemarcRules

/// `demarc lint RULES...`: checks rule files without reading any data (CLI.md).
struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Checks rule files without reading data; prints every problem as file:line:col: error: message.",
        discussion: "Each clean file is reported as 'FILE: ok' on standard output. The exit code is 0 when every file is clean, else 2."
    )

    @Argument(help: "The rule files to check.")
    var rules: [String] = []

    func run() throws {
        guard !rules.isEmpty else { throw DemarcError.usage("lint needs at least one rule file") }
        var failed = false
        for path in rules {
            do {
                _ = try RuleFileLoader.load(path: path)
                print("\(path): ok")
            } catch let error as DemarcError {
                // Every file is checked; each one's problems are printed as soon as they are known.
                guard error.exitCode == 2 else { throw error }
                failed = true
                writeStandardError(error.description + "\n")
            }
        }
        if failed { throw ExitCode(2) }
    }
}
