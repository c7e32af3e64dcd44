import DemarcCore
import Foundation
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

    /// The report in pieces, in order: each goes to `emit` as soon as it is made (after which
    /// `emit` may take its bytes). Formats with a finding per line or element write a piece
    /// per batch of findings (`ReportPieces.inParallel`), so a report of millions of findings
    /// is never whole in memory; the others write one piece, `render`'s.
    func write(_ result: RunResult, options: ReportOptions, to emit: (inout [UInt8]) throws -> Void) throws
}

extension Report {
    public func write(_ result: RunResult, options: ReportOptions, to emit: (inout [UInt8]) throws -> Void) throws {
        var bytes = try render(result, options: options)
        try emit(&bytes)
    }
}

/// Pieced reports (`Report.write`).
public enum ReportPieces {
    /// The whole report from its pieces (`render` of a pieced format).
    public static func joined(_ write: ((inout [UInt8]) throws -> Void) throws -> Void) rethrows -> [UInt8] {
        var all: [UInt8] = []
        try write { piece in
            if all.isEmpty { swap(&all, &piece) } else { all += piece }
        }
        return all
    }

    /// Items per batch of `inParallel`; tests lower it to cut everywhere.
    nonisolated(unsafe) public static var batch = 4096

    /// Writes items `0..<count` in order: `render` writes a range of `batch` items to a buffer,
    /// on this thread and on one more, and each buffer goes to `emit` in turn, on this thread.
    /// For formats with one finding per line, whose findings are made (records decoded, texts
    /// escaped) as they are written: that is most of a large report's time.
    ///
    /// Each thread takes the next batch when it is free (`PieceRing`); this one writes what is
    /// ready first. Two batches at a time, written once both were made, left the other thread
    /// idle while this one wrote (in `perf` at 5M records a side, a quarter to a half of its
    /// time in the report phase).
    public static func inParallel(count: Int, batch: Int = ReportPieces.batch,
                                  render: @escaping @Sendable (Range<Int>, inout [UInt8]) -> Void,
                                  emit: (inout [UInt8]) throws -> Void) rethrows {
        guard count > 0 else { return }
        let batch = max(1, batch)
        if count <= batch {
            var out: [UInt8] = []
            render(0..<count, &out)
            if !out.isEmpty { try emit(&out) }
            return
        }
        let ring = PieceRing(batches: (count + batch - 1) / batch) { i, out in
            render(i * batch..<min(count, (i + 1) * batch), &out)
        }
        // A worker of the pool that ran the engine's parallel steps (a thread of its own, with
        // an allocator arena of its own, held about 5 MiB more at the peak of a 1M run). The
        // ring never waits for a helper that has not started.
        DispatchQueue.global().async { ring.help() }
        do {
            try ring.drive(emit)
        } catch {
            ring.stop()
            throw error
        }
        ring.stop()
    }
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

    /// Whether the report shows the SHA-256 of each source file (`sources[].sha256`); a run
    /// whose reports do not skips hashing every input byte.
    public var showsSourceDigests: Bool {
        switch self {
        case .json: return true
        case .text, .jsonl, .csv, .junit, .sarif, .markdown, .github, .html: return false
        }
    }
}
