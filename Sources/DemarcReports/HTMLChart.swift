import DemarcCore
import DemarcEngine

/// The inline-SVG bar charts of the HTML report and the age of a finding.
///
/// Age: `as_of` minus the finding's `first_seen` when a diff or history gave it, else minus the
/// first date-shaped value (`yyyy-MM-dd…`) of its first record in field order (the record's own
/// date, such as a close or booking date), else `unknown`. Buckets: up to 7 days, 8–30, 31–90,
/// over 90, in the future, unknown.
enum HTMLChart {
    static let ageBuckets = ["≤ 7 days", "8–30 days", "31–90 days", "> 90 days", "in the future", "unknown"]

    /// The bucket of a finding.
    static func ageBucket(_ f: Finding, asOf: Day) -> String {
        var date: Day?
        if let seen = f.firstSeen { date = day(seen) }
        if date == nil, let record = f.firstRecord {
            for v in record.values {
                if let d = day(v.text) { date = d; break }
            }
        }
        guard let date else { return ageBuckets[5] }
        let days = Int(asOf.daysSinceEpoch) - Int(date.daysSinceEpoch)
        switch days {
        case ..<0: return ageBuckets[4]
        case 0...7: return ageBuckets[0]
        case 8...30: return ageBuckets[1]
        case 31...90: return ageBuckets[2]
        default: return ageBuckets[3]
        }
    }

    /// `yyyy-MM-dd` at the start of `text` (a date or ISO datetime), as a day.
    static func day(_ text: String) -> Day? {
        let b = Array(text.utf8.prefix(11))
        guard b.count >= 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
              b.count == 10 || b[10] == UInt8(ascii: "T") else { return nil }
        func num(_ r: Range<Int>) -> Int? {
            var n = 0
            for i in r {
                guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
                n = n * 10 + Int(b[i] - 0x30)
            }
            return n
        }
        guard let y = num(0..<4), let m = num(5..<7), let d = num(8..<10) else { return nil }
        return Day(year: y, month: m, day: d)
    }

    /// A horizontal bar chart: one labelled bar per (label, count); escaped labels.
    static func bars(_ title: String, _ rows: [(String, Int)], id: String) -> String {
        let rowHeight = 20, labelWidth = 210, barWidth = 250
        let height = max(1, rows.count) * rowHeight + 28
        let most = max(1, rows.map(\.1).max() ?? 1)
        var svg = "<svg id=\"\(id)\" class=\"chart\" role=\"img\" width=\"\(labelWidth + barWidth + 60)\" height=\"\(height)\" "
            + "viewBox=\"0 0 \(labelWidth + barWidth + 60) \(height)\" xmlns=\"http://www.w3.org/2000/svg\">"
        svg += "<title>\(ReportText.escapeMarkup(title))</title>"
        svg += "<text x=\"0\" y=\"16\" class=\"chart-title\">\(ReportText.escapeMarkup(title))</text>"
        for (i, row) in rows.enumerated() {
            let y = 26 + i * rowHeight
            let width = row.1 == 0 ? 0 : max(2, row.1 * barWidth / most)
            svg += "<text x=\"\(labelWidth - 8)\" y=\"\(y + 15)\" text-anchor=\"end\">\(ReportText.escapeMarkup(row.0))</text>"
            svg += "<rect x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(width)\" height=\"16\" rx=\"2\"/>"
            svg += "<text x=\"\(labelWidth + width + 6)\" y=\"\(y + 15)\">\(row.1)</text>"
        }
        return svg + "</svg>"
    }
}
