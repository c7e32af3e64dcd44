import DemarcCore
import DemarcEngine
import DemarcRules

/// `--format json`: the JSON result of CLI.md, keys in the documented order.
public struct JSONReport: Report {
    /// Makes the report.
    public init() {}

    /// The result as one pretty-printed object followed by a line break.
    public func render(_ result: RunResult, options: ReportOptions) throws -> [UInt8] {
        try ReportPieces.joined { try write(result, options: options, to: $0) }
    }

    /// `render` in pieces: the head, the findings a batch at a time (two at once), the tail.
    public func write(_ result: RunResult, options: ReportOptions, to emit: (inout [UInt8]) throws -> Void) throws {
        var w = JSONWriter(pretty: true)
        w.beginObject()
        w.field("demarc", result.formatVersion)
        w.field("tool", result.tool)
        if let at = result.generatedAt { w.field("generated_at", at) }
        w.key("rules")
        w.beginObject()
        w.field("file", result.rules.file)
        w.key("name"); w.optionalString(result.rules.name)
        w.field("sha256", result.rules.sha256)
        w.endObject()
        w.field("as_of", result.asOf.isoText)
        w.key("sources")
        w.beginArray()
        for s in result.sources {
            w.beginObject()
            w.field("name", s.name)
            w.field("file", s.file)
            w.field("format", s.format)
            w.field("encoding", s.encoding)
            w.field("sha256", s.sha256)
            w.field("records", s.records)
            w.field("malformed", s.malformed)
            w.field("matched", s.matched)
            w.field("unmatched", s.unmatched)
            if let files = s.files { JSONReport.writeFiles(files, to: &w) }
            w.endObject()
        }
        w.endArray()
        w.field("cases", result.cases)
        w.key("summary")
        JSONReport.writeSummary(result.summary, to: &w, waivers: result.unmatchedWaivers != nil)
        w.key("findings")
        w.beginArray()
        try w.flush(emit)
        let findings = result.findings
        let base = w
        try ReportPieces.inParallel(count: findings.count, render: { range, out in
            var lane = base.detached(afterElement: range.lowerBound > 0)
            swap(&lane.bytes, &out)
            JSONFindingWriter.using(&lane) { writer in
                findings.write(range, to: &writer)
            }
            swap(&lane.bytes, &out)
        }, emit: emit)
        if !findings.isEmpty { w.noteElementsWritten() }
        w.endArray()
        // Added keys go after the ones CLI.md shows, so its order holds as written.
        JSONReport.writeChecks(result.checks, to: &w)
        if let unmatched = result.unmatchedWaivers { JSONReport.writeUnmatchedWaivers(unmatched, to: &w) }
        w.endObject()
        w.endLine()
        try w.flush(emit)
    }

    /// `sources[].files` of a source given by a pattern: file, sha256 and records of each.
    public static func writeFiles(_ files: [SourceFileSummary], to w: inout JSONWriter) {
        w.key("files")
        w.beginArray()
        for f in files {
            w.beginObject()
            w.field("file", f.file)
            w.field("sha256", f.sha256)
            w.field("records", f.records)
            w.endObject()
        }
        w.endArray()
    }

    /// `summary` as an object.
    public static func writeSummary(_ s: RunSummary, to w: inout JSONWriter, waivers: Bool = false) {
        w.beginObject()
        w.field("findings", s.findings)
        w.field("error", s.error)
        w.field("warning", s.warning)
        w.field("info", s.info)
        w.field("baselined", s.baselined)
        w.field("waived", s.waived)
        if waivers { w.field("expired_waiver", s.expiredWaivers) }
        w.key("by_rule")
        w.beginObject()
        for count in s.byRule { w.field(count.rule, count.count) }
        w.endObject()
        w.endObject()
    }

    /// One finding as an object.
    public static func writeFinding(_ f: Finding, to w: inout JSONWriter) {
        JSONFindingWriter.using(&w) { f.write(to: &$0) }
    }
}

/// Writes a finding's parts as its JSON object (`FindingList.write`, `Finding.write`).
struct JSONFindingWriter: FindingWriter {
    var w: JSONWriter

    /// Writes with `w` (moved in and back: its text is not copied).
    static func using(_ w: inout JSONWriter, _ body: (inout JSONFindingWriter) -> Void) {
        var writer = JSONFindingWriter(w: JSONWriter(pretty: false))
        swap(&writer.w, &w)
        body(&writer)
        swap(&writer.w, &w)
    }

    mutating func beginFinding(rule: String, kind: String, severity: Severity, status: FindingStatus, key: [String],
                               message: String, fixIn: String?, fingerprint: String, firstSeen: String?) {
        w.beginObject()
        w.field("rule", rule)
        w.field("kind", kind)
        w.field("severity", severity.rawValue)
        w.field("status", status.rawValue)
        w.key("key")
        w.beginArray()
        for part in key { w.string(part) }
        w.endArray()
        w.field("message", message)
        w.key("fix_in"); w.optionalString(fixIn)
        w.field("fingerprint", fingerprint)
        if let seen = firstSeen { w.field("first_seen", seen) }
        w.key("records")
        w.beginObject()
    }

    mutating func beginSource(_ name: String) {
        w.key(name)
        w.beginArray()
    }

    mutating func beginRecord(file: String, line: Int) {
        w.beginObject()
        w.field("file", file)
        w.field("line", line)
        w.key("values")
        w.beginObject()
    }

    mutating func value(_ name: String, _ value: Value) {
        w.key(name)
        w.string(value)
    }

    mutating func endRecord(raw: String?) {
        w.endObject()
        if let raw { w.field("raw", raw) }
        w.endObject()
    }

    mutating func endSource() { w.endArray() }

    mutating func endFinding() {
        w.endObject()
        w.endObject()
    }
}

/// `--format jsonl`: one finding per line, then `{"summary": {…}}`.
public struct JSONLinesReport: Report {
    /// Makes the report.
    public init() {}

    /// Bytes the writer gathers before it hands them to the batch's buffer.
    static let handOver = 1 << 16

    /// One compact line per listed finding, then the summary line.
    public func render(_ result: RunResult, options: ReportOptions) throws -> [UInt8] {
        try ReportPieces.joined { try write(result, options: options, to: $0) }
    }

    /// `render` in pieces: the findings a batch at a time (two at once), then the summary.
    public func write(_ result: RunResult, options: ReportOptions, to emit: (inout [UInt8]) throws -> Void) throws {
        let findings = result.findings
        try ReportPieces.inParallel(count: findings.count, render: { range, out in
            // Lines gathered in the writer's bytes and handed over 64 KiB at a time: one append
            // per hundred findings or so, and no second copy of the whole batch in memory.
            var writer = CompactFindingWriter(capacity: JSONLinesReport.handOver + 4096)
            out.reserveCapacity(range.count * 512)   // about 500 bytes a finding: no doubling
            findings.write(range, to: &writer) { writer in
                writer.endLine()
                if writer.count >= JSONLinesReport.handOver { writer.moveAll(to: &out) }
            }
            writer.moveAll(to: &out)
        }, emit: emit)
        var w = JSONWriter(pretty: false)
        w.beginObject()
        w.key("summary")
        JSONReport.writeSummary(result.summary, to: &w, waivers: result.unmatchedWaivers != nil)
        w.endObject()
        w.endLine()
        try w.flush(emit)
    }
}

extension JSONReport {
    /// `checks`: the rules that ran, then the implicit checks (what per-rule reports need).
    static func writeChecks(_ checks: [CheckInfo], to w: inout JSONWriter) {
        w.key("checks")
        w.beginArray()
        for c in checks {
            w.beginObject()
            w.field("id", c.id)
            w.field("kind", c.kind)
            w.field("severity", c.severity.rawValue)
            w.key("title"); w.optionalString(c.title)
            w.endObject()
        }
        w.endArray()
    }

    /// `unmatched_waivers`: waivers that matched no finding (only with `--waivers`).
    static func writeUnmatchedWaivers(_ waivers: [Waiver], to w: inout JSONWriter) {
        w.key("unmatched_waivers")
        w.beginArray()
        for v in waivers {
            w.beginObject()
            w.field("rule", v.rule)
            w.key("key")
            w.beginArray()
            for part in v.key { w.string(part) }
            w.endArray()
            w.field("reason", v.reason)
            w.key("owner"); w.optionalString(v.owner)
            w.key("ticket"); w.optionalString(v.ticket)
            w.field("expires", v.expires.isoText)
            w.field("file", v.position.file)
            w.field("line", v.position.line)
            w.field("column", v.position.column)
            w.endObject()
        }
        w.endArray()
    }
}
