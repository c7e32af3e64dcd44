import XCTest
@testable import DemarcCore
@testable import DemarcReaders

final class ProfileColumnTests: XCTestCase {
    func profile(_ values: [String?], limits: ProfileLimits = ProfileLimits(), period: ClosedRange<Day>? = nil) -> ColumnProfile {
        var column = ColumnProfiler(name: "c", position: 1, limits: limits, dayMonthPeriod: period)
        for value in values {
            if let value {
                var bytes = Array(value.utf8)
                bytes.withUnsafeMutableBytes { column.add(UnsafeRawBufferPointer($0)) }
            } else {
                column.add(nil)
            }
        }
        return column.finish()
    }

    func testInfersTypes() {
        XCTAssertEqual(profile(["1", "0", "1", ""]).type, .bool(zeroOne: true))
        XCTAssertEqual(profile(["1", "2", "-30"]).type, .integer)
        XCTAssertEqual(profile(["007", "123"]).type, .text, "a leading zero is an identifier")
        XCTAssertEqual(profile(["1.5", "2", "-0.25"]).type, .decimal(mark: UInt8(ascii: "."), thousands: nil))
        XCTAssertEqual(profile(["1.5", "2", "-0.25"]).maxScale, 2)
        XCTAssertEqual(profile(["2300,00", "-24,95", "1"]).type, .decimal(mark: UInt8(ascii: ","), thousands: nil))
        XCTAssertEqual(profile(["1.234,50", "12,00"]).type, .decimal(mark: UInt8(ascii: ","), thousands: UInt8(ascii: ".")))
        XCTAssertEqual(profile(["1,234.50", "12.00"]).type, .decimal(mark: UInt8(ascii: "."), thousands: UInt8(ascii: ",")))
        XCTAssertEqual(profile(["2026-01-14 00:00:00", "2026-1-2"]).type, .date(.isoDate))
        XCTAssertEqual(profile(["30.11.2026", "1.2.2026"]).type, .date(.dottedDMY))
        XCTAssertEqual(profile(["11/30/2026"]).type, .date(.slashedMDY))
        XCTAssertEqual(profile(["20261130", "20250101"]).type, .date(.compactYMD))
        XCTAssertEqual(profile(["20261130", "12345678"]).type, .integer)
        XCTAssertEqual(profile(["2026-01-20 09:12:44", "2026-01-14 00:00:00"]).type, .datetime(.isoDateTime))
        XCTAssertEqual(profile(["30.11.2026 12:00:00"]).type, .datetime(.pattern("dd.MM.yyyy HH:mm:ss")))
        XCTAssertEqual(profile(["ja", "nein", "x"]).type, .bool(zeroOne: false))
        XCTAssertEqual(profile(["true", "0"]).type, .bool(zeroOne: false))
        XCTAssertEqual(profile(["Closed Won", "1"]).type, .text)
        XCTAssertEqual(profile(["", "  ", nil]).type, .empty)
    }

    func testDayMonthOnlyWithAPeriod() {
        let period = Day(year: 2018, month: 2, day: 1)!...Day(year: 2018, month: 2, day: 28)!
        XCTAssertEqual(profile(["102", "2802"], period: period).type, .date(.dayMonth))
        XCTAssertEqual(profile(["102", "2802"]).type, .integer)
        XCTAssertEqual(profile(["102", "3103"], period: period).type, .integer)
    }

    func testCountsAndLowCardinalityValues() {
        let stages = ["Closed Won", "Closed Won", "Closed Lost", "Prospecting", "Closed Won", "", "Prospecting", "Closed Lost"]
        let p = profile(stages)
        XCTAssertEqual(p.values, 7)
        XCTAssertEqual(p.empties, 1)
        XCTAssertEqual(p.distinct, 3)
        XCTAssertEqual(p.unique, false)
        XCTAssertEqual(p.valueCounts, [ValueCount(value: "Closed Lost", count: 2), ValueCount(value: "Closed Won", count: 3),
                                       ValueCount(value: "Prospecting", count: 2)])
        XCTAssertEqual(p.examples, ["Closed Won", "Closed Lost", "Prospecting"])
        XCTAssertFalse(p.isKeyCandidate)
    }

    func testUniqueColumnsAreKeyCandidates() {
        let ids = profile((1...50).map { "ID-\($0)" })
        XCTAssertEqual(ids.unique, true)
        XCTAssertTrue(ids.isKeyCandidate)
        XCTAssertNil(ids.valueCounts, "unique values are not listed")
        let withEmpty = profile(["a", "b", ""])
        XCTAssertEqual(withEmpty.unique, true)
        XCTAssertFalse(withEmpty.isKeyCandidate, "an empty key is a missing key")
    }

    func testMemoryCapsKeepUniquenessExact() {
        var limits = ProfileLimits()
        limits.distinct = 10
        limits.uniqueness = 100
        let unique = profile((1...80).map { "k\($0)" }, limits: limits)
        XCTAssertEqual(unique.distinct, 10)
        XCTAssertFalse(unique.distinctExact)
        XCTAssertEqual(unique.unique, true)
        let lateDuplicate = profile((1...80).map { "k\($0)" } + ["k3"], limits: limits)
        XCTAssertEqual(lateDuplicate.unique, false)
        let tooMany = profile((1...150).map { "k\($0)" }, limits: limits)
        XCTAssertNil(tooMany.unique)
        XCTAssertTrue(tooMany.text.contains("more than 10 distinct"))
        let earlyDuplicate = profile(["a", "a"] + (1...150).map { "k\($0)" }, limits: limits)
        XCTAssertEqual(earlyDuplicate.unique, false)
    }

    func testJSONQuoting() {
        XCTAssertEqual(JSONObject.quote("a\"b\\c\n\u{1}é"), "\"a\\\"b\\\\c\\n\\u0001é\"")
    }
}

extension ColumnProfile {
    var text: String { textLines.joined(separator: "\n") }
}
