import DemarcCore
import DemarcEngine

/// What every report format gets besides the result.
public struct ReportOptions: Sendable {
    /// `--fail-on`: the lowest severity that fails the run; nil for `never`.
    public var failOn: Severity?

    /// Makes options.
    public init(failOn: Severity? = .error) { self.failOn = failOn }
}

/// A report format: a pure function from a result to bytes.
public protocol Report: Sendable {
    /// The whole report.
    func render(_ result: RunResult, options: ReportOptions) throws -> [UInt8]
}

/// The formats of CLI.md; the `switch` in `report` is exhaustive, so a missing one does not compile.
public enum OutputFormat: String, Sendable, Hashable, CaseIterable {
    case text, json, jsonl, csv, junit, sarif, markdown, github, html

    /// The renderer of this format; formats not built yet are a usage error.
    public func report() throws -> any Report {
        switch self {
        case .text: return TextReport()
        case .json: return JSONReport()
        case .jsonl: return JSONLinesReport()
        case .csv, .junit, .sarif, .markdown, .github, .html:
            throw DemarcError.usage("format '\(rawValue)' is not available yet")
        }
    }
}
