import DemarcCore
import DemarcEngine

/// What every report format gets besides the result.
public struct ReportOptions: Sendable {
    /// `--fail-on`: the lowest severity that fails the run; nil for `never`.
    public var failOn: Severity?
    /// `--csv-bom`: a UTF-8 byte order mark first, so that Excel reads the CSV as UTF-8.
    public var csvBOM: Bool
    /// Terminal colours in the text format (`--color`, `NO_COLOR`).
    public var color: Bool

    /// Makes options.
    public init(failOn: Severity? = .error, csvBOM: Bool = false, color: Bool = false) {
        self.failOn = failOn; self.csvBOM = csvBOM; self.color = color
    }
}

/// A report format: a pure function from a result to bytes.
public protocol Report: Sendable {
    /// The whole report.
    func render(_ result: RunResult, options: ReportOptions) throws -> [UInt8]
}

/// The formats of CLI.md; the `switch` in `report` is exhaustive, so a missing one does not compile.
public enum OutputFormat: String, Sendable, Hashable, CaseIterable {
    case text, json, jsonl, csv, junit, sarif, markdown, github, html

    /// The renderer of this format.
    public func report() throws -> any Report {
        switch self {
        case .text: return TextReport()
        case .json: return JSONReport()
        case .jsonl: return JSONLinesReport()
        case .csv: return CSVReport()
        case .junit: return JUnitReport()
        case .sarif: return SARIFReport()
        case .markdown: return MarkdownReport()
        case .github: return GitHubReport()
        case .html: return HTMLReport()
        }
    }
}
