import DemarcCore
import DemarcEngine

/// `--format sarif`: SARIF 2.1.0 for code-scanning dashboards. One run; its driver lists the
/// rules that ran with the descriptions `demarc explain` gives; each finding is a result with
/// `ruleId`, `level` (`error`, `warning`, `note`), its fingerprint under
/// `partialFingerprints["demarc/v1"]` and one location per source file it shows. Baselined
/// findings carry `baselineState: unchanged`; baselined and waived ones an external suppression.
public struct SARIFReport: Report {
    /// Makes the report.
    public init() {}

    /// The SARIF log.
    public func render(_ result: RunResult, options: ReportOptions) throws -> [UInt8] {
        var w = JSONWriter(pretty: true)
        w.beginObject()
        w.field("$schema", "https://json.schemastore.org/sarif-2.1.0.json")
        w.field("version", "2.1.0")
        w.key("runs")
        w.beginArray()
        w.beginObject()
        w.key("tool"); w.beginObject(); w.key("driver"); w.beginObject()
        w.field("name", "demarc")
        w.field("semanticVersion", DemarcVersion.toolName.split(separator: " ").last.map(String.init) ?? "0")
        w.key("rules")
        w.beginArray()
        var ruleIndex: [String: Int] = [:]
        var rules = result.checks
        for f in result.findings where !rules.contains(where: { $0.id == f.rule }) {
            rules.append(CheckInfo(id: f.rule, kind: f.kind, severity: f.severity, title: nil))
        }
        for (i, check) in rules.enumerated() {
            ruleIndex[check.id] = i
            let text = ReportText.description(of: check)
            w.beginObject()
            w.field("id", check.id)
            w.key("shortDescription"); w.beginObject(); w.field("text", text.short); w.endObject()
            w.key("fullDescription"); w.beginObject(); w.field("text", text.full); w.endObject()
            w.key("defaultConfiguration"); w.beginObject(); w.field("level", SARIFReport.level(check.severity)); w.endObject()
            w.key("properties"); w.beginObject(); w.field("kind", check.kind); w.endObject()
            w.endObject()
        }
        w.endArray()
        w.endObject(); w.endObject()
        if let at = result.generatedAt {
            w.key("invocations"); w.beginArray(); w.beginObject()
            w.key("executionSuccessful"); w.bool(true)
            w.field("startTimeUtc", at)
            w.endObject(); w.endArray()
        }
        w.key("results")
        w.beginArray()
        for f in result.findings { SARIFReport.writeResult(f, ruleIndex: ruleIndex[f.rule] ?? 0, to: &w) }
        w.endArray()
        w.key("properties"); w.beginObject()
        w.field("rules", result.rules.file)
        w.field("as_of", result.asOf.isoText)
        w.field("cases", result.cases)
        w.endObject()
        w.endObject()
        w.endArray()
        w.endObject()
        w.endLine()
        return w.bytes
    }

    static func writeResult(_ f: Finding, ruleIndex: Int, to w: inout JSONWriter) {
        w.beginObject()
        w.field("ruleId", f.rule)
        w.field("ruleIndex", ruleIndex)
        w.field("level", level(f.severity))
        w.key("message"); w.beginObject()
        w.field("text", "\(f.message)\(ReportText.keySuffix(f.key))")
        w.endObject()
        w.key("locations")
        w.beginArray()
        for group in f.records {
            guard let r = group.records.first else { continue }
            w.beginObject()
            w.key("physicalLocation"); w.beginObject()
            w.key("artifactLocation"); w.beginObject(); w.field("uri", uri(r.file)); w.endObject()
            if r.line > 0 { w.key("region"); w.beginObject(); w.field("startLine", r.line); w.endObject() }
            w.endObject()
            w.key("message"); w.beginObject(); w.field("text", "\(group.source): \(ReportText.values(r))"); w.endObject()
            w.endObject()
        }
        w.endArray()
        w.key("partialFingerprints"); w.beginObject(); w.field("demarc/v1", f.fingerprint); w.endObject()
        if f.status == .baselined { w.field("baselineState", "unchanged") }
        if f.status == .baselined || f.status == .waived {
            w.key("suppressions"); w.beginArray(); w.beginObject()
            w.field("kind", "external")
            w.field("justification", f.status.rawValue)
            w.endObject(); w.endArray()
        }
        w.key("properties"); w.beginObject()
        w.field("kind", f.kind)
        w.field("status", f.status.rawValue)
        w.key("key"); w.beginArray(); for part in f.key { w.string(part) }; w.endArray()
        w.key("fix_in"); w.optionalString(f.fixIn)
        if let seen = f.firstSeen { w.field("first_seen", seen) }
        w.endObject()
        w.endObject()
    }

    /// SARIF's level for a severity.
    static func level(_ s: Severity) -> String {
        switch s {
        case .error: return "error"
        case .warning: return "warning"
        case .info: return "note"
        }
    }

    /// A relative URI reference for a file name: bytes outside unreserved characters and `/`
    /// are percent-encoded; standard input (`-`) stays `-`.
    static func uri(_ path: String) -> String {
        var out = ""
        for b in path.utf8 {
            switch b {
            case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                 UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                out += "%" + String(b, radix: 16, uppercase: true).leftPadded
            }
        }
        return out
    }
}

private extension String {
    var leftPadded: String { count == 1 ? "0" + self : self }
}
