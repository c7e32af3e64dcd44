import DemarcCore

// Type inference for `demarc profile`: every column starts with all candidates alive; a value
// that a candidate's parser rejects removes it; the first candidate left wins. The order:
//   1. bool written as 0/1 (Salesforce's IsClosed, IsWon: a rule wants `type: bool` there);
//   2. ddMM dates (DATEV only, inside the metadata line's period);
//   3. 8-digit dates (yyyyMMdd, ddMMyyyy) with a year in 1900...2199, before integers;
//   4. integer; 5. decimals: `.` or `,` mark, then with a thousands mark;
//   6. dates (yyyy-MM-dd, also written as midnight, dd.MM.yyyy, MM/dd/yyyy);
//   7. datetimes (ISO 8601, then common patterns); 8. bool words; else text.
// A number written with a leading zero (`007`) is not an integer or decimal: it is an
// identifier, and reading it as a number would lose the zero.

/// One type a column may have, and the spec that tests a value against it.
struct TypeCandidate {
    let type: InferredType
    let spec: ValueSpec
    let kind: Kind

    enum Kind { case zeroOne, number, eightDigitDate, other }

    static func ordered(dayMonthPeriod: ClosedRange<Day>?) -> [TypeCandidate] {
        var list: [TypeCandidate] = [TypeCandidate(type: .bool(zeroOne: true), spec: ValueSpec(type: .bool), kind: .zeroOne)]
        if let period = dayMonthPeriod {
            list.append(TypeCandidate(type: .date(.dayMonth),
                                      spec: ValueSpec(type: .date, dateFormat: .dayMonth, dayMonthPeriod: period), kind: .other))
        }
        for format in [DateFormat.compactYMD, .compactDMY] {
            list.append(TypeCandidate(type: .date(format), spec: ValueSpec(type: .date, dateFormat: format), kind: .eightDigitDate))
        }
        list.append(TypeCandidate(type: .integer, spec: ValueSpec(type: .integer), kind: .number))
        let dot = UInt8(ascii: "."), comma = UInt8(ascii: ","), apostrophe = UInt8(ascii: "'"), space = UInt8(ascii: " ")
        let marks: [(UInt8, UInt8?)] = [(dot, nil), (comma, nil), (dot, comma), (comma, dot), (dot, apostrophe),
                                         (comma, space), (dot, space)]
        for (mark, thousands) in marks {
            list.append(TypeCandidate(type: .decimal(mark: mark, thousands: thousands),
                                      spec: ValueSpec(type: .decimal, decimalMark: mark, thousandsMark: thousands), kind: .number))
        }
        for format in [DateFormat.isoDate, .dottedDMY, .slashedMDY] {
            list.append(TypeCandidate(type: .date(format), spec: ValueSpec(type: .date, dateFormat: format), kind: .other))
        }
        let datetimes: [DateFormat] = [.isoDateTime, .pattern("dd.MM.yyyy HH:mm:ss"), .pattern("dd.MM.yyyy HH:mm"),
                                       .pattern("MM/dd/yyyy HH:mm:ss"), .pattern("MM/dd/yyyy HH:mm")]
        for format in datetimes {
            list.append(TypeCandidate(type: .datetime(format), spec: ValueSpec(type: .datetime, dateFormat: format), kind: .other))
        }
        list.append(TypeCandidate(type: .bool(zeroOne: false), spec: ValueSpec(type: .bool), kind: .other))
        return list
    }

    /// Whether `raw` (not blank) parses as this candidate; updates the largest decimal scale.
    func accepts(_ raw: UnsafeRawBufferPointer, leadingZero: Bool, maxScale: inout Int) -> Bool {
        switch kind {
        case .zeroOne:
            return isZeroOrOne(raw)
        case .number:
            if leadingZero { return false }
        case .eightDigitDate, .other:
            break
        }
        switch ValueParser.parse(raw, as: spec) {
        case .value(.decimal(let decimal)):
            maxScale = max(maxScale, Int(decimal.scale))
            return true
        case .value(.date(let day)):
            if kind == .eightDigitDate {
                let year = day.civil.year
                return year >= 1900 && year < 2200
            }
            return true
        case .value:
            return true
        case .empty, .invalid:
            return false
        }
    }

    private func isZeroOrOne(_ raw: UnsafeRawBufferPointer) -> Bool {
        var digit: UInt8?
        for byte in raw where !isSpace(byte) {
            guard digit == nil, byte == UInt8(ascii: "0") || byte == UInt8(ascii: "1") else { return false }
            digit = byte
        }
        return digit != nil
    }
}

extension InferredType {
    /// For people: `decimal (mark ',', thousands '.')`, `date (dd.MM.yyyy)`, `bool (0/1)`.
    public var description: String {
        switch self {
        case .empty: return "empty"
        case .integer: return "integer"
        case .text: return "text"
        case .bool(let zeroOne): return zeroOne ? "bool (0/1)" : "bool"
        case .date(let format): return "date (\(format.displayPattern))"
        case .datetime(let format): return "datetime (\(format.displayPattern))"
        case .decimal(let mark, let thousands):
            let group = thousands.map { "thousands '\(String(UnicodeScalar($0)))'" } ?? "no thousands mark"
            return "decimal (mark '\(String(UnicodeScalar(mark)))', \(group))"
        }
    }
}
