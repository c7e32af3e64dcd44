import DemarcCore
import DemarcReaders
import DemarcRules

/// Everything a `demarc check` run found, as written in the JSON result of CLI.md.
public struct RunResult: Sendable {
    /// The result format version (`"demarc": 1`).
    public var formatVersion: Int
    /// `demarc 0.1.0`.
    public var tool: String
    /// The rule file that was run.
    public var rules: RuleFileInfo
    /// The date ages were measured at.
    public var asOf: Day
    /// One entry per source, in the rule file's order.
    public var sources: [SourceSummary]
    /// Cases formed by matching (malformed records take no part).
    public var cases: Int
    /// Counts over every finding, listed or not.
    public var summary: RunSummary
    /// The listed findings in result order (DETAILS.md 24), after `--max-findings`.
    public var findings: FindingList
    /// The rules that ran (selected by `--only`/`--skip`) then the implicit checks, in order.
    public var checks: [CheckInfo]
    /// With `--waivers`: the waivers that matched no finding (empty list: all matched); nil without.
    public var unmatchedWaivers: [Waiver]? = nil
    /// With `--timestamps`: when the result was made (ISO 8601 UTC); nil keeps reports byte-identical.
    public var generatedAt: String? = nil

    /// Makes a result.
    public init(formatVersion: Int = 1, tool: String = DemarcVersion.toolName, rules: RuleFileInfo,
                asOf: Day, sources: [SourceSummary], cases: Int, summary: RunSummary,
                findings: [Finding], checks: [CheckInfo]) {
        self.formatVersion = formatVersion; self.tool = tool; self.rules = rules; self.asOf = asOf
        self.sources = sources; self.cases = cases; self.summary = summary
        self.findings = FindingList(findings); self.checks = checks
    }

    /// A result whose findings are made when read (`FindingList`).
    init(rules: RuleFileInfo, asOf: Day, sources: [SourceSummary], cases: Int, summary: RunSummary,
         findings: FindingList, checks: [CheckInfo]) {
        self.init(rules: rules, asOf: asOf, sources: sources, cases: cases, summary: summary, findings: [], checks: checks)
        self.findings = findings
    }
}

/// `rules` of the JSON result: which rule file ran.
public struct RuleFileInfo: Sendable, Hashable {
    /// The path as given.
    public var file: String
    /// `name:` of the rule file, if any.
    public var name: String?
    /// Lowercase hex SHA-256 of the rule file's bytes.
    public var sha256: String

    /// Makes the info.
    public init(file: String, name: String?, sha256: String) {
        self.file = file; self.name = name; self.sha256 = sha256
    }
}

/// One rule or implicit check as it ran (for per-rule reports such as junit).
public struct CheckInfo: Sendable, Hashable {
    /// The rule id or implicit check id.
    public var id: String
    /// The rule kind (`counterpart`, …) or `implicit`.
    public var kind: String
    public var severity: Severity
    public var title: String?

    /// Makes the info.
    public init(id: String, kind: String, severity: Severity, title: String?) {
        self.id = id; self.kind = kind; self.severity = severity; self.title = title
    }
}

/// `sources[]` of the JSON result.
public struct SourceSummary: Sendable, Hashable {
    public var name: String
    /// As given in the rule file or to `--source` (`-` for standard input).
    public var file: String
    /// `csv`, `xml` or `datev`.
    public var format: String
    public var encoding: String
    public var sha256: String
    /// Every record read, malformed ones included.
    public var records: Int
    /// Records with a `malformed-record` or `malformed-value` finding.
    public var malformed: Int
    /// Records in a case that holds records of at least one other source.
    public var matched: Int
    /// Records in a case of their own source only. `matched + unmatched` is `records` minus
    /// the records malformed as a whole (checked on every run).
    public var unmatched: Int

    /// A source whose `file` is a pattern: each file read, in reading order (nil otherwise).
    public var files: [SourceFileSummary]?

    /// Makes a summary.
    public init(name: String, file: String, format: String, encoding: String, sha256: String,
                records: Int, malformed: Int, matched: Int = 0, unmatched: Int = 0,
                files: [SourceFileSummary]? = nil) {
        self.name = name; self.file = file; self.format = format; self.encoding = encoding
        self.sha256 = sha256; self.records = records; self.malformed = malformed
        self.matched = matched; self.unmatched = unmatched; self.files = files
    }
}

/// `sources[].files[]` of the JSON result: one file of a source given by a pattern.
public struct SourceFileSummary: Sendable, Hashable {
    /// The file, shown relative to the folder the pattern was written for.
    public var file: String
    /// Lowercase hex SHA-256 of the file's bytes.
    public var sha256: String
    /// Records read from this file, malformed ones included.
    public var records: Int

    /// Makes the entry.
    public init(file: String, sha256: String, records: Int) {
        self.file = file; self.sha256 = sha256; self.records = records
    }
}

/// `summary` of the JSON result.
public struct RunSummary: Sendable, Hashable {
    public var findings: Int
    public var error: Int
    public var warning: Int
    public var info: Int
    public var baselined: Int
    public var waived: Int
    /// Findings whose waiver has expired (they fail like open ones).
    public var expiredWaivers: Int = 0
    /// Rules with findings only, in result order, with their full counts.
    public var byRule: [RuleCount]
    /// Findings whose status can fail the run (open, expired-waiver), per severity; not written.
    public var failing: [Severity: Int] = [:]

    /// Makes a summary.
    public init(findings: Int = 0, error: Int = 0, warning: Int = 0, info: Int = 0,
                baselined: Int = 0, waived: Int = 0, byRule: [RuleCount] = []) {
        self.findings = findings; self.error = error; self.warning = warning; self.info = info
        self.baselined = baselined; self.waived = waived; self.byRule = byRule
    }
}

extension RunResult {
    /// Whether a finding at or above `severity` with a failing status exists (nil: `never`).
    public func fails(at severity: Severity?) -> Bool {
        guard let severity else { return false }
        return summary.failing.contains { $0.key >= severity && $0.value > 0 }
    }
}

/// How many findings one rule produced.
public struct RuleCount: Sendable, Hashable {
    public var rule: String
    public var count: Int
    /// Makes a count.
    public init(rule: String, count: Int) { self.rule = rule; self.count = count }
}

/// `status` of a finding (CLI.md).
public enum FindingStatus: String, Sendable, Hashable, CaseIterable {
    case open
    case baselined
    case waived
    case expiredWaiver = "expired-waiver"

    /// Whether a finding with this status can fail the run.
    public var counts: Bool { self == .open || self == .expiredWaiver }
}

/// One finding: a case (or record) where the boundary blurred.
public struct Finding: Sendable, Hashable {
    /// The rule id or implicit check id.
    public var rule: String
    /// `indefinite`, `missing-counterpart`, …, or the implicit check id.
    public var kind: String
    public var severity: Severity
    public var status: FindingStatus
    /// The normalized key parts.
    public var key: [String]
    public var message: String
    /// The source where the correction belongs; nil when none can be named.
    public var fixIn: String?
    /// Lowercase hex SHA-256 (DETAILS.md 25).
    public var fingerprint: String
    /// Per source (in the rule file's order), the records the rule looked at.
    public var records: [SourceRecords]
    /// `as_of` of the first result the finding appeared in, when a diff or history says so.
    public var firstSeen: String? = nil

    /// Makes a finding.
    public init(rule: String, kind: String, severity: Severity, status: FindingStatus = .open,
                key: [String], message: String, fixIn: String?, fingerprint: String,
                records: [SourceRecords]) {
        self.rule = rule; self.kind = kind; self.severity = severity; self.status = status
        self.key = key; self.message = message; self.fixIn = fixIn
        self.fingerprint = fingerprint; self.records = records
    }

    /// The first record concerned (for `file:line` in text reports).
    public var firstRecord: FindingRecord? { records.first { !$0.records.isEmpty }?.records.first }
}

/// The records of one source that a finding shows.
public struct SourceRecords: Sendable, Hashable {
    public var source: String
    public var records: [FindingRecord]
    /// Makes the list.
    public init(source: String, records: [FindingRecord]) { self.source = source; self.records = records }
}

/// One record shown in a finding.
public struct FindingRecord: Sendable, Hashable {
    public var file: String
    /// The physical line where the record starts.
    public var line: Int
    /// Every field of the source in the source's field order, as result text.
    public var values: [FieldText]
    /// The raw text of a malformed record.
    public var raw: String?

    /// Makes a record.
    public init(file: String, line: Int, values: [FieldText], raw: String? = nil) {
        self.file = file; self.line = line; self.values = values; self.raw = raw
    }
}

/// One field's name and its value as result text.
public struct FieldText: Sendable, Hashable {
    public var name: String
    public var text: String
    /// Makes a pair.
    public init(_ name: String, _ text: String) { self.name = name; self.text = text }
}

/// What `demarc check` was asked to do beyond the rule file.
public struct RunOptions: Sendable {
    /// `--source NAME=PATH`: replaces the rule file's `file` of that source.
    public var sourceOverrides: [String: InputFile]
    /// `--as-of`; wins over the rule file's `as_of`.
    public var asOf: Day?
    /// `--only`: rule ids or `#tags`; empty means every rule.
    public var only: [String]
    /// `--skip`: rule ids or `#tags`.
    public var skip: [String]
    /// `--max-findings`: per rule, at most this many findings are listed.
    public var maxFindings: Int?
    /// The date used when neither `--as-of` nor the file gives one (nil: today, UTC).
    public var today: Day?
    /// `--progress`: called with a short line at each phase of a run (reading, matching, …).
    public var progress: (@Sendable (String) -> Void)?
    /// `--progress`: records and bytes read per source, updated while the sources are read.
    public var readProgress: ReadProgress?
    /// `--baseline` and `--waivers`: set the status of findings; nil leaves every finding open.
    public var triage: Triage? = nil
    /// Whether two `cardinality: one` sources stream the larger one past an index of the
    /// smaller (`StreamingRun`); nil: when possible, unless `DEMARC_ENGINE=full`.
    public var streaming: Bool? = nil
    /// Streaming: records of the larger source per block.
    public var streamBlockRecords = 65_536
    /// Whether each source's SHA-256 is computed (`sources[].sha256`, empty when not): only the
    /// JSON result shows it (`OutputFormat.showsSourceDigests`).
    public var sourceDigests = true

    /// Makes options.
    public init(sourceOverrides: [String: InputFile] = [:], asOf: Day? = nil, only: [String] = [],
                skip: [String] = [], maxFindings: Int? = nil, today: Day? = nil,
                progress: (@Sendable (String) -> Void)? = nil) {
        self.sourceOverrides = sourceOverrides; self.asOf = asOf; self.only = only
        self.skip = skip; self.maxFindings = maxFindings; self.today = today; self.progress = progress
    }
}
