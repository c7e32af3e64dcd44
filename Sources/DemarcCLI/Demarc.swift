import ArgumentParser
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

    /// Parses the arguments, runs the command and exits with the code of CLI.md.
    public static func runMain(_ arguments: [String]? = nil) -> Never {
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
