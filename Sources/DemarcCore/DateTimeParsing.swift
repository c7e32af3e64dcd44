// Date and datetime parsing (RULES.md "Fields", DETAILS.md 6 and 8).
//
// - Where separators delimit them, day, month, hour, minute and second may have one digit
//   (`1.2.2026`, `2026-1-2`); years always have four digits.
// - `type: date` with the default format also accepts a trailing midnight, as Salesforce writes
//   dates (`2018-08-22 00:00:00`, `2018-08-22T00:00:00.000Z`): ` ` or `T`, then `00:00`,
//   optionally `:00`, a fraction of zeros, and `Z` or a zero offset. Any other time is invalid,
//   since the date of a non-midnight instant depends on a time zone the file does not name.
// - `type: date` with a datetime format (ISO or a pattern) takes the UTC day of the instant;
//   `type: datetime` with a date format is midnight UTC of that day.
// - Datetimes without an offset are UTC; fractions beyond milliseconds are truncated.

extension ValueParser {
    static func parseDate(_ field: ByteSpan, spec: ValueSpec) -> ParsedValue {
        let format = spec.dateFormat ?? .isoDate
        switch format {
        case .isoDateTime, .pattern:
            switch parseInstant(field, format: format) {
            case .value(.datetime(let instant)):
                return .value(.date(Day(instant: instant)))
            case .invalid:
                return .invalid("not a date in format '\(format.displayPattern)'")
            default:
                return .invalid("not a date")
            }
        case .dayMonth:
            return parseDayMonth(field, spec: spec)
        default:
            guard let (y, m, d) = scanCalendarDate(field, format: format) else {
                return .invalid("not a date in format '\(format.displayPattern)'")
            }
            guard let day = Day(year: y, month: m, day: d) else { return .invalid("no such day in the calendar") }
            return .value(.date(day))
        }
    }

    static func parseDateTime(_ field: ByteSpan, spec: ValueSpec) -> ParsedValue {
        let format = spec.dateFormat ?? .isoDateTime
        switch format {
        case .isoDateTime, .pattern:
            return parseInstant(field, format: format)
        default:
            switch parseDate(field, spec: spec) {
            case .value(.date(let day)): return .value(.datetime(day.instant))
            case .invalid(let reason): return .invalid(reason)
            default: return .invalid("not a datetime")
            }
        }
    }

    // MARK: - Dates

    /// Year, month and day as written (not yet checked against the calendar).
    static func scanCalendarDate(_ field: ByteSpan, format: DateFormat) -> (Int, Int, Int)? {
        var s = Scanner(field: field)
        let y, m, d: Int
        switch format {
        case .isoDate:
            guard let yy = s.fixed(4), s.skip(UInt8(ascii: "-")), let mm = s.upTo2(),
                  s.skip(UInt8(ascii: "-")), let dd = s.upTo2() else { return nil }
            (y, m, d) = (yy, mm, dd)
            if !s.atEnd && !s.midnightSuffix() { return nil }
        case .dottedDMY:
            guard let dd = s.upTo2(), s.skip(UInt8(ascii: ".")), let mm = s.upTo2(),
                  s.skip(UInt8(ascii: ".")), let yy = s.fixed(4) else { return nil }
            (y, m, d) = (yy, mm, dd)
        case .slashedMDY:
            guard let mm = s.upTo2(), s.skip(UInt8(ascii: "/")), let dd = s.upTo2(),
                  s.skip(UInt8(ascii: "/")), let yy = s.fixed(4) else { return nil }
            (y, m, d) = (yy, mm, dd)
        case .compactYMD:
            guard let yy = s.fixed(4), let mm = s.fixed(2), let dd = s.fixed(2) else { return nil }
            (y, m, d) = (yy, mm, dd)
        case .compactDMY:
            guard let dd = s.fixed(2), let mm = s.fixed(2), let yy = s.fixed(4) else { return nil }
            (y, m, d) = (yy, mm, dd)
        case .dayMonth, .isoDateTime, .pattern:
            return nil
        }
        return s.atEnd ? (y, m, d) : nil
    }

    /// `ddMM` or `dMM` (DATEV drops the day's leading zero: `311` is 3 November).
    static func parseDayMonth(_ field: ByteSpan, spec: ValueSpec) -> ParsedValue {
        var s = Scanner(field: field)
        let dayDigits = field.count - 2
        guard dayDigits == 1 || dayDigits == 2, let d = s.fixed(dayDigits), let m = s.fixed(2), s.atEnd else {
            return .invalid("not a date in format 'ddMM'")
        }
        if let year = spec.year {
            guard let day = Day(year: year, month: m, day: d) else { return .invalid("no such day in the calendar") }
            return .value(.date(day))
        }
        guard let period = spec.dayMonthPeriod else { return .invalid("no year for a 'ddMM' date") }
        let first = period.lowerBound.civil.year
        let last = period.upperBound.civil.year
        if first <= last && last - first <= 400 {
            for year in first...last {
                if let day = Day(year: year, month: m, day: d), period.contains(day) { return .value(.date(day)) }
            }
        }
        // 2000 is a leap year: a day it lacks exists in no year.
        guard Day(year: 2000, month: m, day: d) != nil else { return .invalid("no such day in the calendar") }
        return .invalid("not a day of the period \(period.lowerBound.isoText) to \(period.upperBound.isoText)")
    }

    // MARK: - Datetimes

    static func parseInstant(_ field: ByteSpan, format: DateFormat) -> ParsedValue {
        if case .pattern(let pattern) = format {
            var pattern = pattern
            let parts: DateTimeParts? = pattern.withUTF8 { scanPattern(field, pattern: UnsafeRawBufferPointer($0)) }
            guard let p = parts else { return .invalid("not a datetime in format '\(format.displayPattern)'") }
            return instant(from: p)
        }
        guard let p = scanISODateTime(field) else { return .invalid("not an iso 8601 datetime") }
        return instant(from: p)
    }

    static func instant(from p: DateTimeParts) -> ParsedValue {
        guard let day = Day(year: p.year, month: p.month, day: p.day) else {
            return .invalid("no such day in the calendar")
        }
        guard p.hour < 24, p.minute < 60, p.second < 60 else { return .invalid("no such time of day") }
        let millis = Int64(day.daysSinceEpoch) * 86_400_000 + Int64(p.hour) * 3_600_000
            + Int64(p.minute) * 60_000 + Int64(p.second) * 1_000 + Int64(p.millis)
            - Int64(p.offsetMinutes) * 60_000
        return .value(.datetime(Instant(millisSinceEpoch: millis)))
    }

    /// `yyyy-MM-dd[(T| )HH:mm[:ss[.fff]]][Z|±HH[:MM]|±HHMM]`; a bare date is midnight UTC.
    static func scanISODateTime(_ field: ByteSpan) -> DateTimeParts? {
        var s = Scanner(field: field)
        var p = DateTimeParts()
        guard let y = s.fixed(4), s.skip(UInt8(ascii: "-")), let m = s.upTo2(),
              s.skip(UInt8(ascii: "-")), let d = s.upTo2() else { return nil }
        (p.year, p.month, p.day) = (y, m, d)
        if s.atEnd { return p }
        let sep = s.peek
        guard sep == UInt8(ascii: "T") || sep == UInt8(ascii: "t") || sep == UInt8(ascii: " ") else { return nil }
        s.index += 1
        guard let hh = s.upTo2(), s.skip(UInt8(ascii: ":")), let mm = s.upTo2() else { return nil }
        (p.hour, p.minute) = (hh, mm)
        if s.skip(UInt8(ascii: ":")) {
            guard let ss = s.upTo2() else { return nil }
            p.second = ss
            if s.skip(UInt8(ascii: ".")) || s.skip(UInt8(ascii: ",")) {
                guard let ms = s.fraction() else { return nil }
                p.millis = ms
            }
        }
        if s.atEnd { return p }
        guard let offset = s.offset(), s.atEnd else { return nil }
        p.offsetMinutes = offset
        return p
    }

    /// A pattern of `yyyy MM dd HH mm ss SSS` and literals (`'…'` quotes letters; other
    /// letters are literal too). A field followed by a literal or the end may have fewer digits.
    static func scanPattern(_ field: ByteSpan, pattern: UnsafeRawBufferPointer) -> DateTimeParts? {
        var s = Scanner(field: field)
        var p = DateTimeParts()
        var seen = (year: false, month: false, day: false)
        var k = 0
        let n = pattern.count
        while k < n {
            let c = pattern[k]
            if c == UInt8(ascii: "'") {  // quoted literal; '' is a quote
                k += 1
                if k < n && pattern[k] == UInt8(ascii: "'") {
                    guard s.skip(c) else { return nil }
                    k += 1
                    continue
                }
                while k < n && pattern[k] != UInt8(ascii: "'") {
                    guard s.skip(pattern[k]) else { return nil }
                    k += 1
                }
                k += 1
                continue
            }
            guard Scanner.isPatternLetter(c) else {
                guard s.skip(c) else { return nil }
                k += 1
                continue
            }
            var run = 1
            while k + run < n && pattern[k + run] == c { run += 1 }
            k += run
            let delimited = k >= n || !Scanner.isPatternLetter(pattern[k])
            switch c {
            case UInt8(ascii: "y"):
                guard let v = s.fixed(4) else { return nil }
                p.year = v
                seen.year = true
            case UInt8(ascii: "S"):
                if delimited {
                    guard let v = s.fraction() else { return nil }
                    p.millis = v
                } else {
                    guard let v = s.fixed(3) else { return nil }
                    p.millis = v
                }
            default:
                guard let v = delimited ? s.upTo2() : s.fixed(2) else { return nil }
                switch c {
                case UInt8(ascii: "M"): p.month = v; seen.month = true
                case UInt8(ascii: "d"): p.day = v; seen.day = true
                case UInt8(ascii: "H"): p.hour = v
                case UInt8(ascii: "m"): p.minute = v
                default: p.second = v
                }
            }
        }
        guard s.atEnd, seen.year, seen.month, seen.day else { return nil }
        return p
    }
}

/// The parts of a datetime as written.
struct DateTimeParts {
    var year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, millis = 0
    /// East of UTC is positive.
    var offsetMinutes = 0
}

/// A cursor over a field's bytes; every read is bounds-checked through `ByteSpan`.
struct Scanner {
    let field: ByteSpan
    var index = 0

    init(field: ByteSpan) { self.field = field }

    var atEnd: Bool { index >= field.count }
    var peek: UInt8 { field[index] }

    static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

    static func isPatternLetter(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "y"), UInt8(ascii: "M"), UInt8(ascii: "d"), UInt8(ascii: "H"),
             UInt8(ascii: "m"), UInt8(ascii: "s"), UInt8(ascii: "S"): return true
        default: return false
        }
    }

    /// Consumes `byte` if it is next.
    mutating func skip(_ byte: UInt8) -> Bool {
        guard !atEnd, field[index] == byte else { return false }
        index += 1
        return true
    }

    /// Exactly `count` digits.
    mutating func fixed(_ count: Int) -> Int? {
        var value = 0
        for _ in 0..<count {
            let c = field[index]
            guard !atEnd, Scanner.isDigit(c) else { return nil }
            value = value * 10 + Int(c - UInt8(ascii: "0"))
            index += 1
        }
        return value
    }

    /// One or two digits (a delimited field).
    mutating func upTo2() -> Int? {
        guard let first = fixed(1) else { return nil }
        if !atEnd && Scanner.isDigit(peek) {
            index += 1
            return first * 10 + Int(field[index - 1] - UInt8(ascii: "0"))
        }
        return first
    }

    /// One or more fraction digits as milliseconds (`5` → 500); digits after the third are dropped.
    mutating func fraction() -> Int? {
        var millis = 0
        var count = 0
        while !atEnd && Scanner.isDigit(peek) {
            if count < 3 { millis = millis * 10 + Int(peek - UInt8(ascii: "0")) }
            count += 1
            index += 1
        }
        guard count > 0 else { return nil }
        for _ in count..<max(count, 3) { millis *= 10 }
        return millis
    }

    /// `Z`, `±HH`, `±HH:MM` or `±HHMM`, as minutes east of UTC.
    mutating func offset() -> Int? {
        if skip(UInt8(ascii: "Z")) || skip(UInt8(ascii: "z")) { return 0 }
        let sign = peek
        guard sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return nil }
        index += 1
        guard let hours = fixed(2) else { return nil }
        var minutes = 0
        if !atEnd {
            _ = skip(UInt8(ascii: ":"))
            guard let mm = fixed(2) else { return nil }
            minutes = mm
        }
        guard hours < 24, minutes < 60 else { return nil }
        let total = hours * 60 + minutes
        return sign == UInt8(ascii: "-") ? -total : total
    }

    /// ` 00:00[:00[.000]][Z|±00[:00]]` (or with `T`): a date written as a midnight datetime.
    mutating func midnightSuffix() -> Bool {
        let sep = peek
        guard sep == UInt8(ascii: " ") || sep == UInt8(ascii: "T") || sep == UInt8(ascii: "t") else { return false }
        index += 1
        guard fixed(2) == 0, skip(UInt8(ascii: ":")), fixed(2) == 0 else { return false }
        if skip(UInt8(ascii: ":")) {
            guard fixed(2) == 0 else { return false }
            if skip(UInt8(ascii: ".")) {
                guard fraction() == 0 else { return false }
            }
        }
        if atEnd { return true }
        guard offset() == 0 else { return false }
        return atEnd
    }
}

extension Day {
    /// The UTC day that holds `instant`.
    init(instant: Instant) {
        let ms = instant.millisSinceEpoch
        var days = ms / 86_400_000
        if ms % 86_400_000 < 0 { days -= 1 }
        self.init(daysSinceEpoch: Int32(truncatingIfNeeded: days))
    }
}

extension DateFormat {
    /// The format as a rule file writes it (`dd.MM.yyyy`), for messages.
    public var displayPattern: String {
        switch self {
        case .isoDate: return "yyyy-MM-dd"
        case .dottedDMY: return "dd.MM.yyyy"
        case .compactYMD: return "yyyyMMdd"
        case .compactDMY: return "ddMMyyyy"
        case .slashedMDY: return "MM/dd/yyyy"
        case .dayMonth: return "ddMM"
        case .isoDateTime: return "ISO 8601"
        case .pattern(let pattern): return pattern
        }
    }
}
