import DemarcCore
import DemarcEngine

/// `demarc diff OLD.json NEW.json`: what changed between two results, per fingerprint.
///
/// A finding of NEW whose fingerprint OLD lacks is new; one in both is still open, with
/// `first_seen` taken from OLD's finding when it has one (a diff of diffs keeps the first date),
/// else OLD's `as_of`; one of OLD that NEW lacks is resolved. Only listed findings take part:
/// results written with `--max-findings` may show hidden findings as resolved.
public struct ResultDiff: Sendable {
    public var old: RunResult
    public var new: RunResult
    /// Findings of NEW not in OLD, in NEW's order.
    public var added: [Finding]
    /// Findings of NEW also in OLD, in NEW's order, with `firstSeen` set.
    public var stillOpen: [Finding]
    /// Findings of OLD not in NEW, in OLD's order.
    public var resolved: [Finding]

    /// Compares two results.
    public init(old: RunResult, new: RunResult) {
        self.old = old; self.new = new
        var before: [String: Finding] = [:]
        for f in old.findings where before[f.fingerprint] == nil { before[f.fingerprint] = f }
        let after = Set(new.findings.map(\.fingerprint))
        added = []; stillOpen = []
        for var f in new.findings {
            if let was = before[f.fingerprint] {
                f.firstSeen = was.firstSeen ?? old.asOf.isoText
                stillOpen.append(f)
            } else {
                added.append(f)
            }
        }
        resolved = old.findings.filter { !after.contains($0.fingerprint) }
    }

    /// Whether a new finding at or above `failOn` can fail (open or under an expired waiver).
    public func fails(at failOn: Severity?) -> Bool {
        added.contains { ReportText.fails($0, failOn: failOn) }
    }

    /// The diff as text: one line per finding, prefixed `new`, `open since DATE` or `resolved`,
    /// then a count line.
    public func text() -> [UInt8] {
        var out = ""
        func line(_ label: String, _ f: Finding) {
            let place = f.firstRecord.map(ReportText.place) ?? new.rules.file
            let status = f.status == .open ? "" : " [\(f.status.rawValue)]"
            out += "\(label): \(place): \(f.severity.rawValue): [\(f.rule)] \(f.message)\(ReportText.keySuffix(f.key))\(status)\n"
        }
        for f in added { line("new", f) }
        for f in stillOpen { line("open since \(f.firstSeen ?? "")", f) }
        for f in resolved { line("resolved", f) }
        if !(added.isEmpty && stillOpen.isEmpty && resolved.isEmpty) { out += "\n" }
        out += "\(added.count) new, \(stillOpen.count) still open, \(resolved.count) resolved "
            + "(\(old.asOf.isoText) → \(new.asOf.isoText))\n"
        return Array(out.utf8)
    }

    /// The diff as JSON: `{"demarc_diff": 1, "old": …, "new": …, "summary": …, "new_findings":
    /// […], "still_open": […], "resolved": […]}`; findings as in the JSON result.
    public func json() -> [UInt8] {
        var w = JSONWriter(pretty: true)
        w.beginObject()
        w.field("demarc_diff", 1)
        for (name, r) in [("old", old), ("new", new)] {
            w.key(name)
            w.beginObject()
            w.field("rules", r.rules.file)
            w.field("as_of", r.asOf.isoText)
            w.field("findings", r.findings.count)
            w.endObject()
        }
        w.key("summary")
        w.beginObject()
        w.field("new", added.count)
        w.field("still_open", stillOpen.count)
        w.field("resolved", resolved.count)
        w.endObject()
        for (name, list) in [("new_findings", added), ("still_open", stillOpen), ("resolved", resolved)] {
            w.key(name)
            w.beginArray()
            for f in list { JSONReport.writeFinding(f, to: &w) }
            w.endArray()
        }
        w.endObject()
        w.endLine()
        return w.bytes
    }
}
