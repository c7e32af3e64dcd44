import DemarcCore

/// The type `demarc profile` infers for a column: what a rule author would write as `type:`
/// (and `format:`, `decimal:`, `thousands:`).
public enum InferredType: Sendable, Hashable {
    /// No non-empty value to infer from.
    case empty
    case integer
    case decimal(mark: UInt8, thousands: UInt8?)
    case date(DateFormat)
    case datetime(DateFormat)
    /// `zeroOne`: every value is `0` or `1` (Salesforce writes booleans so).
    case bool(zeroOne: Bool)
    case text

    /// The field type a rule file would declare.
    public var fieldType: FieldType? {
        switch self {
        case .empty: return nil
        case .integer: return .integer
        case .decimal: return .decimal
        case .date: return .date
        case .datetime: return .datetime
        case .bool: return .bool
        case .text: return .text
        }
    }
}

/// What `demarc profile` learnt about one column (CSV) or path (XML).
public struct ColumnProfile: Sendable, Hashable {
    /// 1-based position (CSV column, or the path's order of discovery in XML).
    public var position: Int
    /// The header name or the path below the record; empty for a CSV without header.
    public var name: String
    public var type: InferredType
    /// For decimals: the most digits seen after the mark.
    public var maxScale: Int?
    /// Non-empty values.
    public var values: Int
    /// Empty, white-space-only or absent values.
    public var empties: Int
    /// Distinct non-empty values; a lower bound when `distinctExact` is false.
    public var distinct: Int
    /// False once the column had more distinct values than the profiler tracks.
    public var distinctExact: Bool
    /// Whether every non-empty value occurs once; nil when too many values to tell.
    public var unique: Bool?
    /// Every distinct value with its count, sorted by value, for low-cardinality columns.
    public var valueCounts: [ValueCount]?
    /// The first few distinct values in file order.
    public var examples: [String]
    /// XML: whether the path matched more than once within one record (a rule needs
    /// `repeated:` there); nil for CSV.
    public var repeatsInRecord: Bool? = nil

    /// Text or integer, unique, never empty, more than one record: a key the rules could match on.
    /// (Unique amounts and timestamps happen by chance; they are not keys.)
    public var isKeyCandidate: Bool {
        guard unique == true, empties == 0, values > 1 else { return false }
        return type == .text || type == .integer
    }
}

/// One distinct value and how often it occurs.
public struct ValueCount: Sendable, Hashable {
    public var value: String
    public var count: Int
}

/// Limits that keep a profile's memory bounded on files of any size.
public struct ProfileLimits: Sendable, Hashable {
    /// Distinct values counted per column; beyond it the count is reported as "more than".
    public var distinct: Int = 10_000
    /// Values remembered per column to decide uniqueness; beyond it uniqueness is unknown.
    public var uniqueness: Int = 1_000_000
    /// Columns with at most this many distinct values list them all with counts ...
    public var lowCardinality: Int = 25
    /// ... when every value occurs on average at least this often (so IDs are not listed).
    public var minimumRepeat: Int = 2
    /// Examples kept per column.
    public var examples: Int = 3

    /// The defaults.
    public init() {}
}

/// Accumulates one column's values while a file streams by.
struct ColumnProfiler {
    var name: String
    var position: Int
    private let limits: ProfileLimits
    private let candidates: [TypeCandidate]
    /// Bit i set: candidate i has accepted every value so far.
    private var alive: UInt64
    private var maxScales: [Int]
    private(set) var values = 0
    private(set) var empties = 0
    private var counts: [String: Int] = [:]
    /// Once `counts` outgrows `limits.distinct` while no value repeated: the values, for uniqueness.
    private var seen: Set<String>? = nil
    private var distinctOverflow = false
    private var repeated = false
    private var uniquenessUnknown = false
    private var examples: [String] = []

    init(name: String, position: Int, limits: ProfileLimits, dayMonthPeriod: ClosedRange<Day>?) {
        self.name = name
        self.position = position
        self.limits = limits
        self.candidates = TypeCandidate.ordered(dayMonthPeriod: dayMonthPeriod)
        self.alive = candidates.count >= 64 ? UInt64.max : (1 << UInt64(candidates.count)) - 1
        self.maxScales = Array(repeating: 0, count: candidates.count)
    }

    /// Records that `count` records had no value for this column (e.g. before an XML path appeared).
    mutating func addAbsent(_ count: Int) { empties += count }

    /// Adds one raw value (nil: the record has no such field).
    mutating func add(_ raw: UnsafeRawBufferPointer?) {
        guard let raw, !isBlank(raw) else {
            empties += 1
            return
        }
        values += 1
        if alive != 0 { narrowTypes(raw) }
        track(String(decoding: raw, as: UTF8.self))
    }

    private mutating func narrowTypes(_ raw: UnsafeRawBufferPointer) {
        let leadingZero = hasLeadingZero(raw)
        var bits = alive
        while bits != 0 {
            let i = bits.trailingZeroBitCount
            bits &= bits - 1
            if !candidates[i].accepts(raw, leadingZero: leadingZero, maxScale: &maxScales[i]) {
                alive &= ~(1 << UInt64(i))
            }
        }
    }

    private mutating func track(_ value: String) {
        if examples.count < limits.examples && counts[value] == nil && !(seen?.contains(value) ?? false)
            && !examples.contains(value) {
            examples.append(value)
        }
        if !distinctOverflow {
            counts[value, default: 0] += 1
            if counts[value] ?? 0 > 1 { repeated = true }
            if counts.count > limits.distinct {
                distinctOverflow = true
                if !repeated && limits.uniqueness > limits.distinct { seen = Set(counts.keys) }
                counts = [:]
            }
            return
        }
        guard !repeated, !uniquenessUnknown, var set = seen else { return }
        seen = nil  // keep the set uniquely referenced while it grows
        if !set.insert(value).inserted {
            repeated = true
            return
        }
        if set.count > limits.uniqueness {
            uniquenessUnknown = true
            return
        }
        seen = set
    }

    /// The profile of everything added.
    func finish() -> ColumnProfile {
        var type = InferredType.empty
        var maxScale: Int?
        if values > 0 {
            type = .text
            // A constant 0 (or 1) says nothing about being a bool: the next candidate decides.
            var alive = self.alive
            if case .bool(zeroOne: true) = candidates[0].type, distinctOverflow || counts.count < 2 { alive &= ~1 }
            if alive != 0 {
                let i = alive.trailingZeroBitCount
                type = candidates[i].type
                if case .decimal = type { maxScale = maxScales[i] }
            }
        }
        let distinct = distinctOverflow ? limits.distinct : counts.count
        var unique: Bool? = !repeated
        if uniquenessUnknown || (distinctOverflow && !repeated && limits.uniqueness <= limits.distinct) { unique = nil }
        if repeated { unique = false }
        if values == 0 { unique = nil }
        var valueCounts: [ValueCount]?
        if !distinctOverflow && counts.count <= limits.lowCardinality && counts.count * limits.minimumRepeat <= values {
            valueCounts = counts.map { ValueCount(value: $0.key, count: $0.value) }
                .sorted { Array($0.value.utf8).lexicographicallyPrecedes(Array($1.value.utf8)) }
        }
        return ColumnProfile(position: position, name: name, type: type, maxScale: maxScale, values: values,
                             empties: empties, distinct: distinct, distinctExact: !distinctOverflow, unique: unique,
                             valueCounts: valueCounts, examples: examples)
    }

    private func isBlank(_ raw: UnsafeRawBufferPointer) -> Bool {
        for byte in raw where !isSpace(byte) { return false }
        return true
    }

    /// `007`, `-01.5`: a number written with a leading zero is an identifier, not a quantity.
    private func hasLeadingZero(_ raw: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        while i < raw.count && isSpace(raw[i]) { i += 1 }
        if i < raw.count && (raw[i] == UInt8(ascii: "-") || raw[i] == UInt8(ascii: "+")) { i += 1 }
        return i + 1 < raw.count && raw[i] == UInt8(ascii: "0") && raw[i + 1] >= UInt8(ascii: "0") && raw[i + 1] <= UInt8(ascii: "9")
    }
}

/// ASCII white space, as the value parsers trim it.
@inline(__always) func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }
