import DemarcCore

/// Literal values written in a rule file outside expressions: dates, durations, tolerances.
enum LoaderValues {
    /// `yyyy-MM-dd`, a date that exists.
    static func isoDate(_ text: String) -> Day? {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let year = digits(bytes[0..<4]), let month = digits(bytes[5..<7]),
              let day = digits(bytes[8..<10]) else { return nil }
        return Day(year: year, month: month, day: day)
    }

    /// `14d`, `2w`, `36h` as milliseconds; nil when malformed or too large.
    static func durationMillis(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 2, bytes.count <= 12, let unit = bytes.last,
              let count = digits(bytes[0..<(bytes.count - 1)]) else { return nil }
        let unitMillis: Int64
        switch unit {
        case UInt8(ascii: "w"): unitMillis = 7 * 86_400_000
        case UInt8(ascii: "d"): unitMillis = 86_400_000
        case UInt8(ascii: "h"): unitMillis = 3_600_000
        default: return nil
        }
        let (millis, overflow) = Int64(count).multipliedReportingOverflow(by: unitMillis)
        return overflow ? nil : millis
    }

    /// A decimal ≥ 0 in plain notation (`0.01`, `5`); nil when malformed or too large.
    static func nonNegativeDecimal(_ text: String) -> FixedDecimal? {
        var units: Int64 = 0
        var scale: UInt8 = 0
        var seenMark = false
        var seenDigit = false
        for byte in text.utf8 {
            if byte == UInt8(ascii: ".") {
                if seenMark { return nil }
                seenMark = true
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            seenDigit = true
            let (times10, o1) = units.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
            if o1 || o2 { return nil }
            units = sum
            if seenMark {
                if scale >= 18 { return nil }
                scale += 1
            }
        }
        guard seenDigit, text.utf8.last != UInt8(ascii: ".") else { return nil }
        return FixedDecimal(units: units, scale: scale)
    }

    /// The decimal digits as a number; nil if any byte is not a digit or there are none.
    static func digits(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 11 else { return nil }
        var value = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }
}
