extension Value {
    /// The canonical text written in results' `values` (CLI.md): decimals plain with `.` and the
    /// input's digits after it (`-0.00` → `0.00`), dates yyyy-MM-dd, datetimes ISO 8601 UTC
    /// (`2026-11-30T12:00:00Z`, millis only when non-zero), bools true/false, unknown "".
    /// Durations use the largest unit that divides them exactly: `14d`, `36h`, `90m`, `30s`, `1500ms`.
    public var resultText: String {
        switch self {
        case .unknown: return ""
        case .text(let text): return text
        case .decimal(let decimal): return decimal.plainText
        case .integer(let integer): return String(integer)
        case .date(let day): return day.isoText
        case .datetime(let instant): return instant.isoText
        case .bool(let bool): return bool ? "true" : "false"
        case .duration(let millis): return Value.durationText(millis)
        }
    }

    static func durationText(_ millis: Int64) -> String {
        let units: [(Int64, String)] = [(86_400_000, "d"), (3_600_000, "h"), (60_000, "m"), (1_000, "s")]
        for (size, name) in units where millis % size == 0 {
            return "\(millis / size)\(name)"
        }
        return "\(millis)ms"
    }
}

extension FixedDecimal {
    /// Plain notation with `.` and exactly `scale` digits after it; no sign for zero.
    public var plainText: String {
        withPlainText { String(decoding: $0, as: UTF8.self) }
    }

    /// `plainText`'s UTF-8 bytes appended to `bytes`: a call that needs no specializing of the
    /// generic `withPlainText` in the module that writes (unspecialized, it was 800
    /// instructions a decimal in a jsonl report).
    public func appendPlainText(to bytes: inout [UInt8]) {
        withPlainText { bytes.append(contentsOf: $0) }
    }

    /// The most bytes `plainText` can have.
    public var plainTextLimit: Int { Int(scale) + 24 }

    /// `plainText`'s UTF-8 bytes written at `start` (room for `plainTextLimit`); returns how
    /// many. Not generic, like `appendPlainText`.
    public func writePlainText(to start: UnsafeMutablePointer<UInt8>) -> Int {
        withPlainText { text in
            if let from = text.baseAddress { start.update(from: from, count: text.count) }
            return text.count
        }
    }

    /// `plainText`'s UTF-8 bytes, handed to `body` (reports write them without a `String`).
    public func withPlainText<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        // Digits written backwards into a buffer, the mark after `scale` of them: findings
        // write millions of these, and the text operations this replaced were 7% of a report.
        let scale = Int(self.scale)
        let capacity = scale + 24   // 20 digits of an Int64, the mark, a sign, a leading zero
        return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
            var i = capacity
            var rest = units.magnitude
            var written = 0
            repeat {
                i -= 1
                buffer[i] = 0x30 &+ UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
                written += 1
                if written == scale {
                    i -= 1
                    buffer[i] = UInt8(ascii: ".")
                }
            } while rest != 0 || written <= scale
            if units < 0 {
                i -= 1
                buffer[i] = UInt8(ascii: "-")
            }
            return try body(UnsafeBufferPointer(rebasing: buffer[i..<capacity]))
        }
    }
}

extension Instant {
    /// `yyyy-MM-ddTHH:mm:ssZ`, with `.SSS` before the `Z` only when the milliseconds are not zero.
    public var isoText: String {
        let ms = millisSinceEpoch
        var dayMillis = ms % 86_400_000
        if dayMillis < 0 { dayMillis += 86_400_000 }
        let day = Day(instant: self)
        let h = dayMillis / 3_600_000
        let m = dayMillis / 60_000 % 60
        let s = dayMillis / 1_000 % 60
        let f = dayMillis % 1_000
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        var text = "\(day.isoText)T\(two(h)):\(two(m)):\(two(s))"
        if f != 0 { text += f < 10 ? ".00\(f)" : (f < 100 ? ".0\(f)" : ".\(f)") }
        return text + "Z"
    }
}
