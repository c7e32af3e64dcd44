import DemarcCore

extension Calendar {
    /// The close date of the period holding `day` (DETAILS.md 13).
    public func closeDate(for day: Day) -> Day {
        day
    }
}
