import DemarcCore

extension Calendar {
    /// The close date of the period holding `day` (DETAILS.md 13).
    ///
    /// The earliest date of `closes` after the period's last day and not after the next
    /// period's last day wins; otherwise the period closes `grace` (whole days, rounded down)
    /// after its last day.
    public func closeDate(for day: Day) -> Day {
        let last = lastDay(ofPeriodHolding: day)
        let nextLast = lastDay(ofPeriodHolding: Day(daysSinceEpoch: last.daysSinceEpoch &+ 1))
        if let close = closes.filter({ $0 > last && $0 <= nextLast }).min() { return close }
        var graceDays = graceMillis / 86_400_000
        if graceMillis % 86_400_000 < 0 { graceDays -= 1 }
        let target = Int64(last.daysSinceEpoch) + graceDays
        return Day(daysSinceEpoch: Int32(clamping: target))
    }

    /// The last day of the month, quarter or year holding `day`.
    func lastDay(ofPeriodHolding day: Day) -> Day {
        let (y, m, _) = day.civil
        let month: Int
        switch period {
        case .month: month = m
        case .quarter: month = ((m - 1) / 3) * 3 + 3
        case .year: month = 12
        }
        return Day(year: y, month: month, day: Day.daysInMonth(year: y, month: month)) ?? day
    }
}
