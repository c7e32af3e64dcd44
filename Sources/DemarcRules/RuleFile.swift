import DemarcCore
import DemarcReaders

/// A validated rule file (RULES.md, "Whole file"). Built only by `RuleFileLoader`.
public struct RuleFile: Sendable {
    /// The path as the user gave it.
    public var path: String
    /// Lowercase hex SHA-256 of the file's bytes.
    public var sha256: String
    public var name: String?
    public var description: String?
    public var asOf: Day?
    public var calendar: Calendar?
    /// In file order.
    public var sources: [SourceDef]
    public var match: MatchDef
    /// Severity per implicit check (defaults `error`).
    public var implicitSeverity: [ImplicitCheck: Severity]
    /// In file order.
    public var rules: [Rule]

    public init(path: String, sha256: String, name: String?, description: String?, asOf: Day?,
                calendar: Calendar?, sources: [SourceDef], match: MatchDef,
                implicitSeverity: [ImplicitCheck: Severity], rules: [Rule]) {
        self.path = path; self.sha256 = sha256; self.name = name; self.description = description
        self.asOf = asOf; self.calendar = calendar; self.sources = sources; self.match = match
        self.implicitSeverity = implicitSeverity; self.rules = rules
    }

    /// The source named `name`.
    public func source(_ name: String) -> SourceDef? { sources.first { $0.name == name } }
}

/// `calendar:` (RULES.md; DETAILS.md 13).
public struct Calendar: Sendable, Hashable {
    public enum Period: String, Sendable, Hashable { case month, quarter, year }
    public var period: Period
    /// Milliseconds after the period's last day (plus one day) that it closes; `5d` grace.
    public var graceMillis: Int64
    /// Explicit close dates, sorted.
    public var closes: [Day]
    public init(period: Period, graceMillis: Int64, closes: [Day]) {
        self.period = period; self.graceMillis = graceMillis; self.closes = closes
    }
}

/// The five implicit checks, in result order (DETAILS.md 24).
public enum ImplicitCheck: String, Sendable, Hashable, CaseIterable {
    case unclassifiedState = "unclassified-state"
    case duplicateKey = "duplicate-key"
    case missingKey = "missing-key"
    case malformedValue = "malformed-value"
    case malformedRecord = "malformed-record"
}

/// The file format of a source.
public enum SourceFormat: String, Sendable, Hashable {
    case csv, xml, datev
    /// A GoBD / GDPdU export: one table of an `index.xml` (`gobd: { index, table }`).
    case gobd
}

/// `gobd:` of a source: the index and the table read from it.
public struct GoBDSourceDef: Sendable, Hashable {
    /// The index path, resolved against the rule file's folder.
    public var index: String
    /// `index:` as written.
    public var indexAsWritten: String
    /// The table as the index describes it.
    public var table: GoBDTable
    public init(index: String, indexAsWritten: String, table: GoBDTable) {
        self.index = index; self.indexAsWritten = indexAsWritten; self.table = table
    }
}

/// One source of a rule file.
public struct SourceDef: Sendable {
    public var name: String
    /// Path resolved against the rule file's folder (`--source` overrides it at run time).
    public var file: String?
    /// `file:` as written in the rule file, for results (DETAILS.md 28); nil without `file:`.
    public var fileAsWritten: String?
    /// Where `file:` stands in the rule file.
    public var position: SourcePosition
    public var format: SourceFormat
    /// CSV and DATEV (DATEV: the preset's defaults, overridable).
    public var csv: CSVOptions
    /// The source-wide decimal and thousands marks.
    public var decimalMark: UInt8
    public var thousandsMark: UInt8?
    public var xml: XMLOptions?
    /// `format: gobd`: the index and table.
    public var gobd: GoBDSourceDef?
    /// Field names forming the key, in order.
    public var key: [String]
    public var cardinality: Cardinality
    /// In file order; derived fields included.
    public var fields: [FieldDef]
    /// `cardinality: many`: aggregation per field name (others: `last`).
    public var group: [String: Aggregation]
    public var state: StateDef?

    public init(name: String, file: String?, position: SourcePosition, format: SourceFormat,
                csv: CSVOptions, decimalMark: UInt8, thousandsMark: UInt8?, xml: XMLOptions?,
                key: [String], cardinality: Cardinality, fields: [FieldDef],
                group: [String: Aggregation], state: StateDef?, fileAsWritten: String? = nil,
                gobd: GoBDSourceDef? = nil) {
        self.gobd = gobd
        self.name = name; self.file = file; self.position = position; self.format = format
        self.fileAsWritten = fileAsWritten
        self.csv = csv; self.decimalMark = decimalMark; self.thousandsMark = thousandsMark
        self.xml = xml; self.key = key; self.cardinality = cardinality; self.fields = fields
        self.group = group; self.state = state
    }

    /// The field named `name`.
    public func field(_ name: String) -> FieldDef? { fields.first { $0.name == name } }
}

public enum Cardinality: String, Sendable, Hashable { case one, many }

/// `group:` aggregations (RULES.md, Matching; DETAILS.md 18).
public enum Aggregation: String, Sendable, Hashable, CaseIterable {
    case sum, min, max, first, last, count, any, all, join
}

/// XML `repeated:` (RULES.md, Sources).
public enum Repeated: String, Sendable, Hashable, CaseIterable {
    case sum, count, join, first, last
}

/// Negate a value when another column holds one of these values (`sign:`).
public struct SignDef: Sendable, Hashable {
    public var selector: FieldSelector
    /// Compared after trimming, case-sensitively.
    public var negative: [String]
    public init(selector: FieldSelector, negative: [String]) {
        self.selector = selector; self.negative = negative
    }
}

/// One field of a source (RULES.md, Fields).
public struct FieldDef: Sendable {
    public var name: String
    public var position: SourcePosition
    /// Where the raw value comes from; nil for a derived field.
    public var selector: FieldSelector?
    /// A derived field's expression.
    public var expr: Expr?
    public var type: FieldType
    public var dateFormat: DateFormat?
    /// `year:` for `ddMM` dates.
    public var year: Int?
    public var decimalMark: UInt8?
    public var thousandsMark: UInt8?
    public var required: Bool
    public var sign: SignDef?
    public var repeated: Repeated?

    public init(name: String, position: SourcePosition, selector: FieldSelector?, expr: Expr?,
                type: FieldType, dateFormat: DateFormat? = nil, year: Int? = nil,
                decimalMark: UInt8? = nil, thousandsMark: UInt8? = nil, required: Bool = false,
                sign: SignDef? = nil, repeated: Repeated? = nil) {
        self.name = name; self.position = position; self.selector = selector; self.expr = expr
        self.type = type; self.dateFormat = dateFormat; self.year = year
        self.decimalMark = decimalMark; self.thousandsMark = thousandsMark
        self.required = required; self.sign = sign; self.repeated = repeated
    }
}

/// A state class name: `booked`, `not_booked` (definite), or any other (transitional).
public struct StateClass: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public init(_ name: String) { self.name = name }
    public var isDefinite: Bool { name == "booked" || name == "not_booked" }
    public var description: String { name }
}

/// `state:` of a source (RULES.md, States).
public enum StateDef: Sendable {
    /// Form 1: classes by value of `field`.
    case byValue(field: String, classes: [(StateClass, [String])], caseSensitive: Bool)
    /// Form 2: the first condition that is true wins.
    case byCondition([(StateClass, Expr)])

    /// Every class the source declares, in file order.
    public var classes: [StateClass] {
        switch self {
        case .byValue(_, let classes, _): return classes.map(\.0)
        case .byCondition(let list): return list.map(\.0)
        }
    }
}

/// `match:` (RULES.md, Matching).
public struct MatchDef: Sendable, Hashable {
    public var normalize: [Normalizer]
    public init(normalize: [Normalizer] = [.trim]) { self.normalize = normalize }
}

public enum Normalizer: String, Sendable, Hashable, CaseIterable {
    case trim, upper, lower
    case collapseSpaces = "collapse_spaces"
    case stripLeadingZeros = "strip_leading_zeros"
    case alnum
}

/// One rule (RULES.md, Rules).
public struct Rule: Sendable {
    public var id: String
    public var position: SourcePosition
    public var title: String?
    public var severity: Severity
    public var kind: RuleKind
    public var `where`: Expr?
    /// The message template as written (`{crm.stage}` placeholders).
    public var message: String?
    /// Parsed placeholders of `message`, in order of appearance.
    public var messagePlaceholders: [Expr]
    /// The source where the correction belongs; nil = the kind's default.
    public var fixIn: String?
    public var tags: [String]

    public init(id: String, position: SourcePosition, title: String?, severity: Severity,
                kind: RuleKind, where: Expr?, message: String?, messagePlaceholders: [Expr],
                fixIn: String?, tags: [String]) {
        self.id = id; self.position = position; self.title = title; self.severity = severity
        self.kind = kind; self.where = `where`; self.message = message
        self.messagePlaceholders = messagePlaceholders; self.fixIn = fixIn; self.tags = tags
    }
}

/// The six rule kinds and their parameters.
public enum RuleKind: Sendable {
    case definite(source: String)
    case counterpart(of: String, in: String)
    case agree(String, String, transitionalAllowed: Bool)
    case owned(field: String, owner: String, copies: [String], tolerance: FixedDecimal)
    case stale(source: String, classes: [StateClass]?, since: String, limit: StaleLimit)
    case expect(Expr)

    /// The kind's name as written in a rule file.
    public var name: String {
        switch self {
        case .definite: return "definite"
        case .counterpart: return "counterpart"
        case .agree: return "agree"
        case .owned: return "owned"
        case .stale: return "stale"
        case .expect: return "expect"
        }
    }

    /// The kind of finding it produces (RULES.md table).
    public var findingKind: String {
        switch self {
        case .definite: return "indefinite"
        case .counterpart: return "missing-counterpart"
        case .agree: return "disagreement"
        case .owned: return "ownership"
        case .stale: return "stale"
        case .expect: return "violation"
        }
    }
}

/// `stale`'s limit: `max: 14d` or `until: period_close`.
public enum StaleLimit: Sendable, Hashable {
    case maxAge(millis: Int64)
    case untilPeriodClose
}
