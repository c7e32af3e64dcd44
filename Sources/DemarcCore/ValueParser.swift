/// How the raw text of one field is parsed.
public struct ValueSpec: Sendable, Hashable {
    /// The declared type of the field.
    public var type: FieldType
    /// nil: `.isoDate` for date, `.isoDateTime` for datetime.
    public var dateFormat: DateFormat?
    /// The year of `.dayMonth` dates, when the field says `year:`.
    public var year: Int?
    /// The decimal mark of decimal fields (`.` or `,`).
    public var decimalMark: UInt8
    /// The grouping mark of decimal and integer fields (`.`, `,`, `'`, ` `), or none.
    public var thousandsMark: UInt8?
    /// For .dayMonth without `year`: the period that picks the year (DATEV Datum vom/bis).
    public var dayMonthPeriod: ClosedRange<Day>?

    /// A spec; every argument but the type has the default of RULES.md.
    public init(type: FieldType, dateFormat: DateFormat? = nil, year: Int? = nil,
                decimalMark: UInt8 = UInt8(ascii: "."), thousandsMark: UInt8? = nil,
                dayMonthPeriod: ClosedRange<Day>? = nil) {
        self.type = type
        self.dateFormat = dateFormat
        self.year = year
        self.decimalMark = decimalMark
        self.thousandsMark = thousandsMark
        self.dayMonthPeriod = dayMonthPeriod
    }
}

/// The outcome of parsing one field's raw text.
public enum ParsedValue: Sendable, Hashable {
    /// Empty or white space only (DETAILS.md 3).
    case empty
    /// A typed value.
    case value(Value)
    /// The text does not parse as the field's type; the payload says why, in lowercase.
    case invalid(String)
}

/// Turns the raw UTF-8 text of a field into a typed `Value` (RULES.md, Fields).
///
/// Every parser works on bytes and allocates nothing unless the result is text or invalid.
/// White space is ASCII white space (space, TAB, LF, CR, VT, FF).
public enum ValueParser {
    /// Parses UTF-8 bytes (trimmed first for typed values; text keeps its bytes except that
    /// empty-or-whitespace is .empty). Never traps.
    public static func parse(_ bytes: UnsafeRawBufferPointer, as spec: ValueSpec) -> ParsedValue {
        var lo = 0
        var hi = bytes.count
        while lo < hi && isSpace(bytes[lo]) { lo += 1 }
        while hi > lo && isSpace(bytes[hi - 1]) { hi -= 1 }
        if lo == hi { return .empty }
        let field = ByteSpan(bytes: bytes, lo: lo, hi: hi)
        switch spec.type {
        case .text:
            return .value(.text(String(decoding: bytes, as: UTF8.self)))
        case .decimal:
            return parseDecimal(field, mark: spec.decimalMark, thousands: spec.thousandsMark)
        case .integer:
            return parseInteger(field, thousands: spec.thousandsMark)
        case .bool:
            return parseBool(field)
        case .date:
            return parseDate(field, spec: spec)
        case .datetime:
            return parseDateTime(field, spec: spec)
        }
    }

    /// `parse(_:as:)` of a decimal field, given its marks rather than its spec (copying a spec
    /// per field, with the `String` inside its date format, showed in profiles of the loader).
    @inline(__always)
    public static func parseDecimal(_ bytes: UnsafeRawBufferPointer, mark: UInt8, thousands: UInt8?) -> ParsedValue {
        var lo = 0
        var hi = bytes.count
        while lo < hi && isSpace(bytes[lo]) { lo += 1 }
        while hi > lo && isSpace(bytes[hi - 1]) { hi -= 1 }
        if lo == hi { return .empty }
        return parseDecimal(ByteSpan(bytes: bytes, lo: lo, hi: hi), mark: mark, thousands: thousands)
    }

    /// `parseDecimal(bytes, mark:thousands:)` of a field in the common shape, `-?digits(mark
    /// digits)?` with at most 18 digits and nothing around them, as the decimal's units and
    /// scale: no `ParsedValue` and no `Value` made (the loader's step per amount). nil for any
    /// other text, which `parseDecimal` then decides (the same units and scale for this shape).
    public static func plainDecimalUnits(_ bytes: UnsafeRawBufferPointer, mark: UInt8) -> (units: Int64, scale: UInt8)? {
        plainDecimal(ByteSpan(bytes: bytes, lo: 0, hi: bytes.count), mark: mark)
    }

    /// Parses a String's UTF-8 text, as `parse(_:as:)` on bytes does.
    public static func parse(_ text: String, as spec: ValueSpec) -> ParsedValue {
        var copy = text
        return copy.withUTF8 { parse(UnsafeRawBufferPointer($0), as: spec) }
    }

    // MARK: - Bool

    /// `true/false`, `1/0`, `yes/no`, `ja/nein`, `x` (true), case-insensitively.
    static func parseBool(_ field: ByteSpan) -> ParsedValue {
        switch field.count {
        case 1:
            switch field[0] {
            case UInt8(ascii: "1"), UInt8(ascii: "x"), UInt8(ascii: "X"): return .value(.bool(true))
            case UInt8(ascii: "0"): return .value(.bool(false))
            default: break
            }
        case 2:
            if field.equalsLowercased("ja") { return .value(.bool(true)) }
            if field.equalsLowercased("no") { return .value(.bool(false)) }
        case 3:
            if field.equalsLowercased("yes") { return .value(.bool(true)) }
        case 4:
            if field.equalsLowercased("true") { return .value(.bool(true)) }
            if field.equalsLowercased("nein") { return .value(.bool(false)) }
        case 5:
            if field.equalsLowercased("false") { return .value(.bool(false)) }
        default:
            break
        }
        return .invalid("not a bool")
    }

    @inline(__always) static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }
}

/// A trimmed, non-empty slice of a field's bytes; reading outside it yields 0, never a trap.
struct ByteSpan {
    let bytes: UnsafeRawBufferPointer
    let lo: Int
    let hi: Int

    var count: Int { hi - lo }

    /// The byte at `offset` from the start, or 0 when outside the span.
    @inline(__always) subscript(offset: Int) -> UInt8 {
        let index = lo + offset
        return index >= lo && index < hi ? bytes[index] : 0
    }

    /// Whether the span equals `word` (lowercase ASCII) ignoring ASCII case.
    func equalsLowercased(_ word: StaticString) -> Bool {
        guard word.utf8CodeUnitCount == count else { return false }
        let p = word.utf8Start
        for i in 0..<count {
            var c = bytes[lo + i]
            if c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z") { c |= 0x20 }
            if c != p[i] { return false }
        }
        return true
    }

    /// The span's text, for messages.
    var text: String { String(decoding: UnsafeRawBufferPointer(rebasing: bytes[lo..<hi]), as: UTF8.self) }
}
