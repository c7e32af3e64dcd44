import DemarcCore
import DemarcEngine
import DemarcRules

/// Reads a stored JSON result (`check --format json`) back into a `RunResult`, so that
/// `demarc report` and `demarc diff` render it without reading the data again. Key order is
/// kept (sources, fields, `by_rule`), so every report renders as `check` would have written it.
public enum ResultDecoder {
    /// Decodes the bytes of a JSON result; `path` names the file in messages. Not a result is exit 2.
    public static func decode(_ bytes: [UInt8], path: String) throws -> RunResult {
        let r = Reader(path: path)
        guard let root = OrderedJSON.parse(bytes), root.entries != nil else { throw r.fail("not a JSON object") }
        guard let version = root["demarc"]?.int else { throw r.fail("no 'demarc' version") }
        guard version == 1 else { throw DemarcError.usage("\(path): result format \(version) is not supported (expected 1)") }
        let rules = try r.object(root["rules"], "rules")
        let info = RuleFileInfo(file: try r.string(rules["file"], "rules.file"), name: rules["name"]?.text,
                                sha256: try r.string(rules["sha256"], "rules.sha256"))
        let sources = try r.array(root["sources"], "sources").map { s -> SourceSummary in
            var summary = SourceSummary(name: try r.string(s["name"], "source name"), file: try r.string(s["file"], "source file"),
                          format: try r.string(s["format"], "source format"),
                          encoding: try r.string(s["encoding"], "source encoding"),
                          sha256: try r.string(s["sha256"], "source sha256"),
                          records: try r.int(s["records"], "source records"),
                          malformed: try r.int(s["malformed"], "source malformed"),
                          matched: try s["matched"].map { try r.int($0, "source matched") } ?? 0,
                          unmatched: try s["unmatched"].map { try r.int($0, "source unmatched") } ?? 0)
            if let files = s["files"]?.items { summary.files = try files.map { try r.sourceFile($0) } }
            return summary
        }
        let checks = try (root["checks"]?.items ?? []).map { c -> CheckInfo in
            CheckInfo(id: try r.string(c["id"], "check id"), kind: try r.string(c["kind"], "check kind"),
                      severity: try r.severity(c["severity"]), title: c["title"]?.text)
        }
        var result = RunResult(formatVersion: version, tool: try r.string(root["tool"], "tool"), rules: info,
                               asOf: try r.day(root["as_of"], "as_of"), sources: sources,
                               cases: try r.int(root["cases"], "cases"), summary: try r.summary(root["summary"]),
                               findings: try r.array(root["findings"], "findings").map { try r.finding($0) },
                               checks: checks)
        result.generatedAt = root["generated_at"]?.text
        if let list = root["unmatched_waivers"]?.items { result.unmatchedWaivers = try list.map { try r.waiver($0) } }
        result.summary.failing = failing(result)
        return result
    }

    /// Failing findings per severity: the listed ones by status; unlisted ones (`--max-findings`)
    /// count as open with their rule's severity.
    static func failing(_ result: RunResult) -> [Severity: Int] {
        var failing: [Severity: Int] = [:]
        var listed: [String: Int] = [:]
        for f in result.findings {
            listed[f.rule, default: 0] += 1
            if f.status.counts { failing[f.severity, default: 0] += 1 }
        }
        for count in result.summary.byRule {
            let hidden = count.count - (listed[count.rule] ?? 0)
            guard hidden > 0, let check = result.checks.first(where: { $0.id == count.rule }) else { continue }
            failing[check.severity, default: 0] += hidden
        }
        return failing
    }

    private struct Reader {
        let path: String

        func fail(_ what: String) -> DemarcError { .usage("\(path): not a demarc JSON result (\(what))") }
        func object(_ v: OrderedJSON?, _ what: String) throws -> OrderedJSON {
            guard let v, v.entries != nil else { throw fail("'\(what)' is not an object") }
            return v
        }
        func array(_ v: OrderedJSON?, _ what: String) throws -> [OrderedJSON] {
            guard let a = v?.items else { throw fail("'\(what)' is not a list") }
            return a
        }
        func string(_ v: OrderedJSON?, _ what: String) throws -> String {
            guard let s = v?.text else { throw fail("'\(what)' is not text") }
            return s
        }
        func int(_ v: OrderedJSON?, _ what: String) throws -> Int {
            guard let n = v?.int else { throw fail("'\(what)' is not a whole number") }
            return n
        }
        func day(_ v: OrderedJSON?, _ what: String) throws -> Day {
            let text = try string(v, what)
            guard case .value(.date(let day)) = ValueParser.parse(text, as: ValueSpec(type: .date)) else {
                throw fail("'\(what)' is not a date")
            }
            return day
        }
        func severity(_ v: OrderedJSON?) throws -> Severity {
            guard let s = Severity(rawValue: try string(v, "severity")) else { throw fail("unknown severity") }
            return s
        }
        func summary(_ v: OrderedJSON?) throws -> RunSummary {
            let s = try object(v, "summary")
            var summary = RunSummary(findings: try int(s["findings"], "findings"), error: try int(s["error"], "error"),
                                     warning: try int(s["warning"], "warning"), info: try int(s["info"], "info"),
                                     baselined: try int(s["baselined"], "baselined"), waived: try int(s["waived"], "waived"))
            summary.expiredWaivers = s["expired_waiver"]?.int ?? 0
            summary.byRule = try (try object(s["by_rule"], "by_rule")).entries?.map {
                RuleCount(rule: $0.0, count: try int($0.1, "by_rule count"))
            } ?? []
            return summary
        }
        func finding(_ f: OrderedJSON) throws -> Finding {
            guard let status = FindingStatus(rawValue: try string(f["status"], "status")) else { throw fail("unknown status") }
            var finding = Finding(rule: try string(f["rule"], "rule"), kind: try string(f["kind"], "kind"),
                                  severity: try severity(f["severity"]), status: status,
                                  key: try array(f["key"], "key").map { try string($0, "key") },
                                  message: try string(f["message"], "message"), fixIn: f["fix_in"]?.text,
                                  fingerprint: try string(f["fingerprint"], "fingerprint"), records: [])
            finding.firstSeen = f["first_seen"]?.text
            finding.records = try (try object(f["records"], "records")).entries?.map { source, list in
                SourceRecords(source: source, records: try array(list, "records").map { o in
                    FindingRecord(file: try string(o["file"], "file"), line: try int(o["line"], "line"),
                                  values: try (try object(o["values"], "values")).entries?.map {
                                      FieldText($0.0, try string($0.1, "value"))
                                  } ?? [],
                                  raw: o["raw"]?.text)
                })
            } ?? []
            return finding
        }
        func sourceFile(_ o: OrderedJSON) throws -> SourceFileSummary {
            SourceFileSummary(file: try string(o["file"], "source file"), sha256: try string(o["sha256"], "source sha256"),
                              records: try int(o["records"], "source records"))
        }
        func waiver(_ o: OrderedJSON) throws -> Waiver {
            Waiver(rule: try string(o["rule"], "rule"), key: try array(o["key"], "key").map { try string($0, "key") },
                   reason: try string(o["reason"], "reason"), owner: o["owner"]?.text, ticket: o["ticket"]?.text,
                   expires: try day(o["expires"], "expires"),
                   position: SourcePosition(file: try string(o["file"], "file"), line: try int(o["line"], "line"),
                                            column: o["column"]?.int ?? 0))
        }
    }
}
