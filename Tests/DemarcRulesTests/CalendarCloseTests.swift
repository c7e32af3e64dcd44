import XCTest
import DemarcCore
@testable import DemarcRules

final class CalendarCloseTests: XCTestCase {
    private func d(_ y: Int, _ m: Int, _ day: Int) -> Day { Day(year: y, month: m, day: day)! }
    private let dayMillis: Int64 = 86_400_000

    func testMonthWithoutGraceClosesOnItsLastDay() {
        let c = DemarcRules.Calendar(period: .month, graceMillis: 0, closes: [])
        XCTAssertEqual(c.closeDate(for: d(2026, 11, 1)), d(2026, 11, 30))
        XCTAssertEqual(c.closeDate(for: d(2026, 11, 30)), d(2026, 11, 30))
        XCTAssertEqual(c.closeDate(for: d(2028, 2, 10)), d(2028, 2, 29))
        XCTAssertEqual(c.closeDate(for: d(2026, 12, 31)), d(2026, 12, 31))
    }

    func testGraceInWholeDaysRoundedDown() {
        let c = DemarcRules.Calendar(period: .month, graceMillis: 5 * dayMillis, closes: [])
        XCTAssertEqual(c.closeDate(for: d(2026, 12, 15)), d(2027, 1, 5))
        let partial = DemarcRules.Calendar(period: .month, graceMillis: 36 * 3_600_000, closes: [])
        XCTAssertEqual(partial.closeDate(for: d(2026, 11, 15)), d(2026, 12, 1))
    }

    func testQuarterAndYear() {
        let q = DemarcRules.Calendar(period: .quarter, graceMillis: 10 * dayMillis, closes: [])
        XCTAssertEqual(q.closeDate(for: d(2026, 1, 1)), d(2026, 4, 10))
        XCTAssertEqual(q.closeDate(for: d(2026, 5, 20)), d(2026, 7, 10))
        XCTAssertEqual(q.closeDate(for: d(2026, 9, 30)), d(2026, 10, 10))
        XCTAssertEqual(q.closeDate(for: d(2026, 12, 1)), d(2027, 1, 10))
        let y = DemarcRules.Calendar(period: .year, graceMillis: 0, closes: [])
        XCTAssertEqual(y.closeDate(for: d(2026, 3, 3)), d(2026, 12, 31))
    }

    func testExplicitClosesWin() {
        // January closes on 7 February; February has no listed date in (Feb 28, Mar 31] and
        // falls back to its grace; the listed 2026-01-07 closes December 2025.
        let c = DemarcRules.Calendar(period: .month, graceMillis: 5 * dayMillis,
                                     closes: [d(2026, 1, 7), d(2026, 2, 7), d(2026, 4, 30)])
        XCTAssertEqual(c.closeDate(for: d(2025, 12, 15)), d(2026, 1, 7))
        XCTAssertEqual(c.closeDate(for: d(2026, 1, 20)), d(2026, 2, 7))
        XCTAssertEqual(c.closeDate(for: d(2026, 2, 20)), d(2026, 3, 5))
        XCTAssertEqual(c.closeDate(for: d(2026, 3, 20)), d(2026, 4, 30))
    }

    func testEarliestListedDateWinsAndMustBeAfterTheLastDay() {
        let c = DemarcRules.Calendar(period: .month, graceMillis: 0,
                                     closes: [d(2026, 1, 31), d(2026, 2, 3), d(2026, 2, 9)])
        XCTAssertEqual(c.closeDate(for: d(2026, 1, 10)), d(2026, 2, 3))
        // A date after the next period's last day does not close this one.
        let late = DemarcRules.Calendar(period: .month, graceMillis: 2 * dayMillis, closes: [d(2026, 3, 1)])
        XCTAssertEqual(late.closeDate(for: d(2026, 1, 10)), d(2026, 2, 2))
        XCTAssertEqual(late.closeDate(for: d(2026, 2, 10)), d(2026, 3, 1))
    }

    func testClosesWithoutPeriodMeanMonths() {
        // The loader turns `closes` without `period` into months; the default is a month too.
        let c = DemarcRules.Calendar(period: .month, graceMillis: 0, closes: [d(2026, 12, 4)])
        XCTAssertEqual(c.closeDate(for: d(2026, 11, 16)), d(2026, 12, 4))
    }

    func testExtremeDaysDoNotTrap() {
        let c = DemarcRules.Calendar(period: .year, graceMillis: Int64.max, closes: [])
        _ = c.closeDate(for: Day(daysSinceEpoch: Int32.max))
        _ = c.closeDate(for: Day(daysSinceEpoch: Int32.min))
    }
}
