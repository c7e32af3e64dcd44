import ArgumentParser
import CSystem
import DemarcCore
#if canImport(Glibc)
import Glibc
#endif

/// The `demarc` command and its subcommands.
public struct Demarc: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "demarc",
        abstract: "Checks the boundary between a CRM and accounting.",
        version: "\(DemarcVersion.toolName) (rule format \(DemarcVersion.ruleFormat))",
        subcommands: [
            CheckCommand.self,
            LintCommand.self,
            RulesCommand.self,
            ExplainCommand.self,
            ProfileCommand.self,
            InitCommand.self,
            BaselineCommand.self,
            DiffCommand.self,
            ReportCommand.self,
        ]
    )

    public init() {}

    /// Has glibc's allocator keep memory the run frees for the run's next allocations: arrays
    /// up to 32 MiB from the heap rather than each from a mapping of its own, the heap never
    /// trimmed, and grown 64 MiB at a time. A run frees and allocates large arrays phase after
    /// phase (keys, indexes, cases, drafts, sort keys); each new mapping was new pages for the
    /// kernel to fault in and clear. At 5M records a side: 136k -> 112-117k page faults, system
    /// time 0.81-0.94 -> 0.67-0.81 s, wall 2.92-3.02 -> 2.77-2.93 s, peak RSS 372 -> 374 MiB
    /// (bench/RESULTS.md). A command-line run ends soon after its peak, so nothing is lost by
    /// not handing memory back.
    static func keepFreedMemory() {
        demarc_keep_freed_memory()
    }

    /// Parses the arguments, runs the command and exits with the code of CLI.md.
    public static func runMain(_ arguments: [String]? = nil) -> Never {
        keepFreedMemory()
        var command: ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            // --help and --version are clean exits; everything else is a usage error. The
            // parser's own code for those is 64 (EX_USAGE); CLI.md says 2.
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Glibc.exit(0)
            }
            writeStandardError(fullMessage(for: error) + "\n")
            Glibc.exit(2)
        }
        SignalGuard.install()
        do {
            try command.run()
            Glibc.exit(0)
        } catch let error as DemarcError {
            writeStandardError(error.description + "\n")
            Glibc.exit(error.exitCode)
        } catch let error as ExitCode {
            Glibc.exit(error.rawValue)
        } catch let error as ValidationError {
            writeStandardError("error: \(error.message)\n")
            Glibc.exit(2)
        } catch {
            // `demarc` and `demarc --help` reach here as the parser's help request (the root
            // command has no run of its own); a parser usage error as EX_USAGE.
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Glibc.exit(0)
            }
            if code == .validationFailure {
                writeStandardError(fullMessage(for: error) + "\n")
                Glibc.exit(2)
            }
            writeStandardError("internal error: \(error)\n")
            Glibc.exit(4)
        }
    }
}

/// Writes text to standard error unbuffered.
public func writeStandardError(_ text: String) {
    var bytes = Array(text.utf8)
    bytes.withUnsafeMutableBytes { buffer in
        var offset = 0
        while offset < buffer.count {
            let n = write(2, buffer.baseAddress! + offset, buffer.count - offset)
            if n <= 0 { break }
            offset += n
        }
    }
}
