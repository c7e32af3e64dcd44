/// The declared type of a field (RULES.md, Fields).
public enum FieldType: String, Sendable, Hashable, CaseIterable {
    case text, decimal, integer, date, datetime, bool
}

/// A typed value of one field, or the result of an expression.
///
/// `.unknown` is the empty value: an empty field, an absent source, or an operation on an
/// unknown operand (three-valued logic).
public enum Value: Sendable, Hashable {
    case unknown
    case text(String)
    case decimal(FixedDecimal)
    case integer(Int64)
    /// Days since 1970-01-01.
    case date(Day)
    /// Milliseconds since 1970-01-01T00:00:00Z.
    case datetime(Instant)
    case bool(Bool)
    /// A span of time in milliseconds (expressions only: `14d`, `age(x)`).
    case duration(Int64)

    public var isUnknown: Bool {
        if case .unknown = self { return true }
        return false
    }
}

/// A calendar date as days since 1970-01-01 (proleptic Gregorian, UTC).
public struct Day: Sendable, Hashable, Comparable {
    public var daysSinceEpoch: Int32
    public init(daysSinceEpoch: Int32) { self.daysSinceEpoch = daysSinceEpoch }
    public static func < (a: Day, b: Day) -> Bool { a.daysSinceEpoch < b.daysSinceEpoch }
}

/// A point in time as milliseconds since 1970-01-01T00:00:00Z.
public struct Instant: Sendable, Hashable, Comparable {
    public var millisSinceEpoch: Int64
    public init(millisSinceEpoch: Int64) { self.millisSinceEpoch = millisSinceEpoch }
    public static func < (a: Instant, b: Instant) -> Bool { a.millisSinceEpoch < b.millisSinceEpoch }
}

/// An exact decimal number: `units / 10^scale`. Money is never binary floating point.
public struct FixedDecimal: Sendable {
    /// The number times 10^scale.
    public var units: Int64
    /// Digits after the decimal mark, as written in the input (`2300,00` has scale 2).
    public var scale: UInt8
    public init(units: Int64, scale: UInt8) {
        self.units = units
        self.scale = scale
    }
}

/// Severity of a rule's findings (RULES.md, Rules).
public enum Severity: String, Sendable, Hashable, CaseIterable, Comparable {
    case error, warning, info

    /// Higher is more severe.
    public var rank: Int {
        switch self {
        case .error: return 3
        case .warning: return 2
        case .info: return 1
        }
    }

    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// Date formats (RULES.md, Fields).
public enum DateFormat: Sendable, Hashable {
    case isoDate            // yyyy-MM-dd (default)
    case dottedDMY          // dd.MM.yyyy
    case compactYMD         // yyyyMMdd
    case compactDMY         // ddMMyyyy
    case slashedMDY         // MM/dd/yyyy
    case dayMonth           // ddMM; year from the preset or the field's `year:`
    case isoDateTime        // ISO 8601 with or without offset (default for datetime)
    /// A datetime pattern made of yyyy MM dd HH mm ss (and SSS) and literal separators.
    case pattern(String)
}

