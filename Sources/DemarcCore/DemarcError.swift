/// A position in a text file that a person can jump to: `file:line:col`.
public struct SourcePosition: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The file as the user named it (rule file path, `--source` path, or `-`).
    public var file: String
    /// 1-based line; 0 when unknown.
    public var line: Int
    /// 1-based column; 0 when unknown.
    public var column: Int

    public init(file: String, line: Int, column: Int = 0) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String {
        if line <= 0 { return file }
        if column <= 0 { return "\(file):\(line)" }
        return "\(file):\(line):\(column)"
    }

    public static func < (a: SourcePosition, b: SourcePosition) -> Bool {
        (a.file, a.line, a.column) < (b.file, b.line, b.column)
    }
}

/// One problem in a rule file or on the command line, printed as `file:line:col: error: message`.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    public var position: SourcePosition
    public var message: String

    public init(_ position: SourcePosition, _ message: String) {
        self.position = position
        self.message = message
    }

    public var description: String { "\(position): error: \(message)" }
}

/// Every way a demarc run can fail; each case knows its exit code (CLI.md, "Exit codes").
public enum DemarcError: Error, Sendable, CustomStringConvertible {
    /// The command line is invalid (exit 2).
    case usage(String)
    /// One or more problems in a rule file or waiver file, all reported at once (exit 2).
    case invalidConfiguration([Diagnostic])
    /// An input could not be read at all (exit 3): missing file, not XML, a needed column absent,
    /// a DOCTYPE or entity declaration.
    case unreadableInput(SourcePosition, String)
    /// A report or output file could not be written (exit 3 is for inputs; writing fails as 4
    /// only when it is our bug, so this is reported as exit 3: the environment refused).
    case cannotWrite(path: String, String)
    /// A bug in demarc (exit 4).
    case internalError(String)
    /// SIGINT (exit 130) or SIGTERM (exit 143).
    case interrupted(signal: Int32)

    /// The process exit code for this error.
    public var exitCode: Int32 {
        switch self {
        case .usage, .invalidConfiguration: return 2
        case .unreadableInput, .cannotWrite: return 3
        case .internalError: return 4
        case .interrupted(let signal): return signal == 15 ? 143 : 130
        }
    }

    /// What is printed on standard error, one line per problem.
    public var description: String {
        switch self {
        case .usage(let message): return "error: \(message)"
        case .invalidConfiguration(let diagnostics):
            return diagnostics.map(\.description).joined(separator: "\n")
        case .unreadableInput(let position, let message): return "\(position): error: \(message)"
        case .cannotWrite(let path, let message): return "\(path): error: cannot write: \(message)"
        case .internalError(let message): return "internal error: \(message)"
        case .interrupted: return "interrupted"
        }
    }
}
