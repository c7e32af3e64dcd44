import DemarcCore

/// The metadata line (line 1) of a DATEV-Format file, by the names of DETAILS.md 9.
///
/// Types are fixed per position, so rules can be type-checked before a file is read:
/// dates (yyyyMMdd) are `.date`, `festschreibung` is `.bool` (1/0), numbers are `.integer`,
/// the rest `.text`. `created` and `imported` (yyyyMMddHHmmssSSS) are kept as `.text`: they
/// are timestamps, not quantities, and their fixed width orders them correctly as text.
/// An empty field, a missing one, or one that does not parse as its type is `.unknown`.
public struct DatevHeader: Sendable {
    /// The 22 names, in position order (position = index + 1).
    public static let names: [String] = [
        "kennzeichen", "version", "format_category", "format_name", "format_version", "created",
        "imported", "origin", "exported_by", "imported_by", "consultant", "client",
        "fiscal_year_start", "account_length", "date_from", "date_to", "label", "dictation",
        "booking_type", "purpose", "festschreibung", "currency",
    ]

    /// The type of each name's value (for type-checking `header.<name>`).
    public static let types: [String: FieldType] = {
        var types: [String: FieldType] = [:]
        for (index, name) in names.enumerated() { types[name] = fieldType(position: index + 1) }
        return types
    }()

    /// The named values in position order.
    public var values: [(name: String, value: Value)]

    /// Builds the header from the fields of the metadata line (quotes already removed);
    /// nil when the first field is not `EXTF` or `DTVF`.
    public init?(fields: [String]) {
        guard let mark = fields.first.map(DatevHeader.trimmed), mark == "EXTF" || mark == "DTVF" else { return nil }
        var values: [(name: String, value: Value)] = []
        for (index, name) in DatevHeader.names.enumerated() {
            let text = index < fields.count ? DatevHeader.trimmed(fields[index]) : ""
            values.append((name, DatevHeader.parse(text, as: DatevHeader.fieldType(position: index + 1))))
        }
        self.values = values
    }

    /// The value named `name` (`header.<name>`); nil for a name DETAILS.md 9 does not have.
    public func value(_ name: String) -> Value? {
        values.first { $0.name == name }?.value
    }

    /// Datum vom ... Datum bis, when both are dates in that order.
    public var period: ClosedRange<Day>? {
        guard case .date(let from)? = value("date_from"), case .date(let to)? = value("date_to"),
              from <= to else { return nil }
        return from...to
    }

    /// The date of `day`.`month` in the year that puts it inside `period` (the earliest such
    /// year); nil when no year can, or without a period (DETAILS.md 8).
    public func resolveDayMonth(day: Int, month: Int) -> Day? {
        guard let period else { return nil }
        let first = period.lowerBound.civil.year, last = period.upperBound.civil.year
        for year in first...last {
            if let date = Day(year: year, month: month, day: day), period.contains(date) { return date }
        }
        return nil
    }

    /// Day and month of a DATEV `ddMM` text of 3 or 4 digits (`2102`, or `311` for 03.11 whose
    /// leading zero was lost when written unquoted); surrounding spaces are ignored. nil for
    /// anything else or an impossible day or month.
    public static func dayMonth(fromRaw bytes: UnsafeRawBufferPointer) -> (day: Int, month: Int)? {
        var digits: [Int] = []
        for byte in bytes where byte != 0x20 && byte != 0x09 {
            guard byte >= 0x30, byte <= 0x39, digits.count < 4 else { return nil }
            digits.append(Int(byte - 0x30))
        }
        guard digits.count == 3 || digits.count == 4 else { return nil }
        if digits.count == 3 { digits.insert(0, at: 0) }
        let day = digits[0] * 10 + digits[1], month = digits[2] * 10 + digits[3]
        guard (1...31).contains(day), (1...12).contains(month) else { return nil }
        return (day, month)
    }

    /// Day and month of a DATEV `ddMM` text; see `dayMonth(fromRaw:)` for bytes.
    public static func dayMonth(fromRaw text: String) -> (day: Int, month: Int)? {
        var utf8 = Array(text.utf8)
        return utf8.withUnsafeMutableBytes { dayMonth(fromRaw: UnsafeRawBufferPointer($0)) }
    }

    // MARK: - Parsing

    private static func fieldType(position: Int) -> FieldType {
        switch position {
        case 13, 15, 16: return .date
        case 21: return .bool
        case 2, 3, 5, 11, 12, 14, 19, 20: return .integer
        default: return .text
        }
    }

    private static func trimmed(_ text: String) -> String {
        var slice = Substring(text)
        while let c = slice.first, c == " " || c == "\t" { slice = slice.dropFirst() }
        while let c = slice.last, c == " " || c == "\t" { slice = slice.dropLast() }
        return String(slice)
    }

    private static func parse(_ text: String, as type: FieldType) -> Value {
        guard !text.isEmpty else { return .unknown }
        switch type {
        case .integer:
            return Int64(text).map(Value.integer) ?? .unknown
        case .date:
            let digits = Array(text.utf8)
            guard digits.count == 8, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return .unknown }
            func number(_ range: Range<Int>) -> Int { range.reduce(0) { $0 * 10 + Int(digits[$1] - 0x30) } }
            return Day(year: number(0..<4), month: number(4..<6), day: number(6..<8)).map(Value.date) ?? .unknown
        case .bool:
            switch text {
            case "1": return .bool(true)
            case "0": return .bool(false)
            default: return .unknown
            }
        case .text, .decimal, .datetime:
            return .text(text)
        }
    }
}
