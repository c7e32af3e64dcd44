import DemarcCore
import DemarcEngine

/// `--format csv`: one row per finding for spreadsheets (RFC 4180, UTF-8, CRLF).
///
/// Columns: `rule, severity, status, key, message, fix_in`, then per source in the rule file's
/// order `SOURCE file`, `SOURCE line` and one column per field (`SOURCE.FIELD`), so that a
/// spreadsheet can filter on any value; a source with malformed records gets `SOURCE raw`.
/// Last: `fingerprint`. A finding with several records of one source (a group) holds one line
/// per record in each of that source's cells. Key parts are joined by `, `.
///
/// A cell that begins with `=`, `+`, `-`, `@`, TAB or CR gets a leading `'` so that a
/// spreadsheet never runs it as a formula, unless the whole cell is a plain number as demarc writes it (`-150.00`; `+1` is guarded).
public struct CSVReport: Report {
    /// Makes the report.
    public init() {}

    /// The CSV text, with a byte order mark first under `--csv-bom`.
    public func render(_ result: RunResult, options: ReportOptions) throws -> [UInt8] {
        try ReportPieces.joined { try write(result, options: options, to: $0) }
    }

    /// `render` in pieces: the header, then the rows a batch at a time (two at once).
    public func write(_ result: RunResult, options: ReportOptions, to emit: (inout [UInt8]) throws -> Void) throws {
        let layout = Layout(result)
        var out: [UInt8] = options.csvBOM ? [0xEF, 0xBB, 0xBF] : []
        var header = ["rule", "severity", "status", "key", "message", "fix_in"]
        for s in layout.sources {
            header += ["\(s.name) file", "\(s.name) line"] + s.fields.map { "\(s.name).\($0)" }
            if s.hasRaw { header.append("\(s.name) raw") }
        }
        header.append("fingerprint")
        CSVReport.appendRow(header, to: &out)
        try emit(&out)
        let findings = result.findings
        try ReportPieces.inParallel(count: findings.count, render: { range, out in
            for i in range { CSVReport.appendRow(CSVReport.row(findings[i], layout: layout), to: &out) }
        }, emit: emit)
    }

    /// The cells of one finding's row.
    static func row(_ f: Finding, layout: Layout) -> [String] {
        var row = [f.rule, f.severity.rawValue, f.status.rawValue, ReportText.key(f.key), f.message, f.fixIn ?? ""]
        for s in layout.sources {
            let records = f.records.first { $0.source == s.name }?.records ?? []
            row.append(records.map(\.file).joined(separator: "\n"))
            row.append(records.map { String($0.line) }.joined(separator: "\n"))
            for field in s.fields {
                row.append(records.map { r in r.values.first { $0.name == field }?.text ?? "" }.joined(separator: "\n"))
            }
            if s.hasRaw { row.append(records.map { $0.raw ?? "" }.joined(separator: "\n")) }
        }
        row.append(f.fingerprint)
        return row
    }

    /// The columns per source: fields in the order the findings show them.
    struct Layout {
        struct Source {
            var name: String
            var fields: [String] = []
            var hasRaw = false
        }
        var sources: [Source]

        init(_ result: RunResult) {
            var writer = LayoutWriter(sources: result.sources.map { Source(name: $0.name) })
            let findings = result.findings
            findings.write(findings.indices, to: &writer)
            sources = writer.sources
        }
    }

    /// Collects the layout from the findings' parts, without making each finding (a run's
    /// findings are made from drafts when read: for the rows that follow, once is enough).
    /// A source the result does not list (a result edited by hand) gets columns after the
    /// others when first seen.
    private struct LayoutWriter: FindingWriter {
        var sources: [Layout.Source]
        /// The current group's source.
        private var current: Int?

        init(sources: [Layout.Source]) { self.sources = sources }

        mutating func beginSource(_ name: String) {
            current = sources.firstIndex { $0.name == name }
            if current == nil {
                sources.append(Layout.Source(name: name))
                current = sources.count - 1
            }
        }

        mutating func value(_ name: String, _ value: Value) {
            guard let i = current, !sources[i].fields.contains(name) else { return }
            sources[i].fields.append(name)
        }

        mutating func endRecord(raw: String?) {
            if raw != nil, let i = current { sources[i].hasRaw = true }
        }

        mutating func beginFinding(rule: String, kind: String, severity: Severity, status: FindingStatus, key: [String],
                                   message: String, fixIn: String?, fingerprint: String, firstSeen: String?) {}
        mutating func beginRecord(file: String, line: Int) {}
        mutating func endSource() { current = nil }
        mutating func endFinding() {}
    }

    /// One record: guarded, quoted where needed, CRLF at the end.
    static func appendRow(_ cells: [String], to out: inout [UInt8]) {
        for (i, cell) in cells.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            let text = guarded(cell)
            if text.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
                out.append(0x22)
                for b in text.utf8 {
                    if b == 0x22 { out.append(0x22) }
                    out.append(b)
                }
                out.append(0x22)
            } else {
                out.append(contentsOf: text.utf8)
            }
        }
        out.append(contentsOf: [0x0D, 0x0A])
    }

    /// The cell with a leading `'` when a spreadsheet would read it as a formula.
    public static func guarded(_ cell: String) -> String {
        guard let first = cell.utf8.first else { return cell }
        switch first {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D:
            return isPlainNumber(cell) ? cell : "'" + cell
        default:
            return cell
        }
    }

    /// `-?digits[.digits]`, the way demarc writes decimals: a spreadsheet reads it as a number,
    /// never as a formula. A leading `+` is not demarc's notation, so `+1` is guarded as text.
    static func isPlainNumber(_ cell: String) -> Bool {
        var bytes = Substring(cell).utf8[...]
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        let parts = bytes.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false)
        guard !parts.isEmpty, parts.count <= 2 else { return false }
        return parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
    }
}
