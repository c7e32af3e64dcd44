import XCTest
@testable import DemarcCore

final class DateParsingTests: XCTestCase {
    func day(_ y: Int, _ m: Int, _ d: Int) -> ParsedValue { .value(.date(Day(year: y, month: m, day: d)!)) }
    func date(_ text: String, _ format: DateFormat? = nil, year: Int? = nil, period: ClosedRange<Day>? = nil) -> ParsedValue {
        ValueParser.parse(text, as: ValueSpec(type: .date, dateFormat: format, year: year, dayMonthPeriod: period))
    }
    func instant(_ text: String, _ format: DateFormat? = nil) -> String? {
        if case .value(let v) = ValueParser.parse(text, as: ValueSpec(type: .datetime, dateFormat: format)) { return v.resultText }
        return nil
    }

    func testISODate() {
        XCTAssertEqual(date("2026-11-30"), day(2026, 11, 30))
        XCTAssertEqual(date(" 2026-1-2 "), day(2026, 1, 2))
        XCTAssertEqual(date("2024-02-29"), day(2024, 2, 29))
        XCTAssertEqual(date("2026-02-30"), .invalid("no such day in the calendar"))
        XCTAssertEqual(date("2026-13-01"), .invalid("no such day in the calendar"))
        for bad in ["26-11-30", "2026/11/30", "2026-11-30x", "2026-011-30", "20261130", "2026-11-", "-2026-11-30"] {
            XCTAssertEqual(date(bad), .invalid("not a date in format 'yyyy-MM-dd'"), bad)
        }
    }

    func testSalesforceMidnight() {
        XCTAssertEqual(date("2018-08-22 00:00:00"), day(2018, 8, 22))
        XCTAssertEqual(date("2018-08-22T00:00:00.000Z"), day(2018, 8, 22))
        XCTAssertEqual(date("2018-08-22T00:00Z"), day(2018, 8, 22))
        XCTAssertEqual(date("2018-08-22 00:00:00+00:00"), day(2018, 8, 22))
        for bad in ["2018-08-22 00:00:01", "2018-08-22 12:00:00", "2018-08-22T00:00:00+02:00", "2018-08-22 00:00:00 ", "2018-08-22 ", "2018-08-22T"] {
            if bad.hasSuffix(" ") { continue }  // trailing white space is trimmed away
            XCTAssertEqual(date(bad), .invalid("not a date in format 'yyyy-MM-dd'"), bad)
        }
        XCTAssertEqual(date("2018-08-22 "), day(2018, 8, 22))
    }

    func testOtherDateFormats() {
        XCTAssertEqual(date("30.11.2026", .dottedDMY), day(2026, 11, 30))
        XCTAssertEqual(date("1.2.2026", .dottedDMY), day(2026, 2, 1))
        XCTAssertEqual(date("20261130", .compactYMD), day(2026, 11, 30))
        XCTAssertEqual(date("30112026", .compactDMY), day(2026, 11, 30))
        XCTAssertEqual(date("11/30/2026", .slashedMDY), day(2026, 11, 30))
        XCTAssertEqual(date("2/1/2026", .slashedMDY), day(2026, 2, 1))
        XCTAssertEqual(date("31.04.2026", .dottedDMY), .invalid("no such day in the calendar"))
        XCTAssertEqual(date("2026-11-30", .dottedDMY), .invalid("not a date in format 'dd.MM.yyyy'"))
        XCTAssertEqual(date("1.2.26", .dottedDMY), .invalid("not a date in format 'dd.MM.yyyy'"))
        XCTAssertEqual(date("2026113", .compactYMD), .invalid("not a date in format 'yyyyMMdd'"))
        XCTAssertEqual(date("301120261", .compactDMY), .invalid("not a date in format 'ddMMyyyy'"))
        XCTAssertEqual(date("30/11/2026", .slashedMDY), .invalid("no such day in the calendar"))
        XCTAssertEqual(date("11-30-2026", .slashedMDY), .invalid("not a date in format 'MM/dd/yyyy'"))
    }

    func testDayMonth() {
        XCTAssertEqual(date("1511", .dayMonth, year: 2026), day(2026, 11, 15))
        XCTAssertEqual(date("311", .dayMonth, year: 2026), day(2026, 11, 3), "DATEV drops the day's leading zero")
        XCTAssertEqual(date("0311", .dayMonth, year: 2026), day(2026, 11, 3))
        XCTAssertEqual(date("3011", .dayMonth), .invalid("no year for a 'ddMM' date"))
        XCTAssertEqual(date("11", .dayMonth, year: 2026), .invalid("not a date in format 'ddMM'"))
        XCTAssertEqual(date("15112", .dayMonth, year: 2026), .invalid("not a date in format 'ddMM'"))
        XCTAssertEqual(date("3002", .dayMonth, year: 2026), .invalid("no such day in the calendar"))
        // A fiscal year from July to June: the year follows from the period.
        let fiscal = Day(year: 2025, month: 7, day: 1)!...Day(year: 2026, month: 6, day: 30)!
        XCTAssertEqual(date("1511", .dayMonth, period: fiscal), day(2025, 11, 15))
        XCTAssertEqual(date("1503", .dayMonth, period: fiscal), day(2026, 3, 15))
        let month = Day(year: 2026, month: 11, day: 1)!...Day(year: 2026, month: 11, day: 30)!
        XCTAssertEqual(date("3011", .dayMonth, period: month), day(2026, 11, 30))
        XCTAssertEqual(date("0112", .dayMonth, period: month), .invalid("not a day of the period 2026-11-01 to 2026-11-30"))
        let leap = Day(year: 2023, month: 1, day: 1)!...Day(year: 2024, month: 12, day: 31)!
        XCTAssertEqual(date("2902", .dayMonth, period: leap), day(2024, 2, 29))
        XCTAssertEqual(date("3102", .dayMonth, period: leap), .invalid("no such day in the calendar"))
    }

    func testISODateTime() {
        XCTAssertEqual(instant("2026-11-30T12:00:00Z"), "2026-11-30T12:00:00Z")
        XCTAssertEqual(instant("2026-11-30T12:00:00"), "2026-11-30T12:00:00Z", "no offset is UTC")
        XCTAssertEqual(instant("2026-11-30 12:00"), "2026-11-30T12:00:00Z")
        XCTAssertEqual(instant("2026-11-30"), "2026-11-30T00:00:00Z", "a bare date is midnight UTC")
        XCTAssertEqual(instant("2026-11-30T12:00:00.5Z"), "2026-11-30T12:00:00.500Z")
        XCTAssertEqual(instant("2026-11-30T12:00:00.123456Z"), "2026-11-30T12:00:00.123Z")
        XCTAssertEqual(instant("2026-11-30T12:00:00+01:00"), "2026-11-30T11:00:00Z")
        XCTAssertEqual(instant("2026-11-30T00:30:00+0100"), "2026-11-29T23:30:00Z")
        XCTAssertEqual(instant("2026-11-30T23:30:00-02"), "2026-12-01T01:30:00Z")
        XCTAssertEqual(instant("2018-08-22T09:41:17.000+0000"), "2018-08-22T09:41:17Z")
        XCTAssertEqual(instant("2026-1-2T3:04:05Z"), "2026-01-02T03:04:05Z")
        for bad in ["2026-11-30T24:00:00", "2026-11-30T12:60", "2026-11-30T12", "2026-11-30T12:00:00+", "2026-11-30T12:00:00+1",
                    "2026-11-30X12:00", "2026-11-30T12:00:00ZZ", "2026-11-30T12:00:00.Z", "2026-02-30T00:00", "30.11.2026 12:00"] {
            XCTAssertNil(instant(bad), bad)
        }
        if case .invalid(let reason) = ValueParser.parse("x", as: ValueSpec(type: .datetime)) {
            XCTAssertEqual(reason, "not an iso 8601 datetime")
        } else { XCTFail() }
    }

    func testDateTimePatterns() {
        XCTAssertEqual(instant("2026-11-30 12:34:56", .pattern("yyyy-MM-dd HH:mm:ss")), "2026-11-30T12:34:56Z")
        XCTAssertEqual(instant("30.11.2026 12:34", .pattern("dd.MM.yyyy HH:mm")), "2026-11-30T12:34:00Z")
        XCTAssertEqual(instant("1.2.2026 9:05", .pattern("dd.MM.yyyy HH:mm")), "2026-02-01T09:05:00Z")
        XCTAssertEqual(instant("20261130123456789", .pattern("yyyyMMddHHmmssSSS")), "2026-11-30T12:34:56.789Z")
        XCTAssertEqual(instant("2026-11-30T12:34:56", .pattern("yyyy-MM-dd'T'HH:mm:ss")), "2026-11-30T12:34:56Z")
        XCTAssertEqual(instant("2026-11-30T12:34:56.1", .pattern("yyyy-MM-ddTHH:mm:ss.SSS")), "2026-11-30T12:34:56.100Z")
        XCTAssertEqual(instant("30/11/2026", .pattern("dd/MM/yyyy")), "2026-11-30T00:00:00Z")
        XCTAssertNil(instant("2026-11-30 12:34:56.000", .pattern("yyyy-MM-dd HH:mm:ss")))
        XCTAssertNil(instant("2026-11-30 25:00:00", .pattern("yyyy-MM-dd HH:mm:ss")))
        XCTAssertNil(instant("12:00", .pattern("HH:mm")), "a pattern without a date")
        XCTAssertNil(instant("2026113012", .pattern("yyyyMMddHHmm")))
        if case .invalid(let reason) = ValueParser.parse("x", as: ValueSpec(type: .datetime, dateFormat: .pattern("dd.MM.yyyy HH:mm"))) {
            XCTAssertEqual(reason, "not a datetime in format 'dd.MM.yyyy HH:mm'")
        } else { XCTFail() }
    }

    func testCrossTypes() {
        // A datetime field with a date format is midnight UTC; a date field with a datetime format is the UTC day.
        XCTAssertEqual(instant("30.11.2026", .dottedDMY), "2026-11-30T00:00:00Z")
        XCTAssertEqual(date("2026-11-30T23:30:00-02:00", .isoDateTime), day(2026, 12, 1))
        XCTAssertEqual(date("30.11.2026 12:00", .pattern("dd.MM.yyyy HH:mm")), day(2026, 11, 30))
        XCTAssertEqual(date("x", .pattern("dd.MM.yyyy HH:mm")), .invalid("not a date in format 'dd.MM.yyyy HH:mm'"))
    }

    func testEveryDayRoundTrips() {
        var day = Day(year: 1999, month: 1, day: 1)!
        let spec = ValueSpec(type: .date, dateFormat: .dottedDMY)
        for _ in 0..<4000 {
            let (y, m, d) = day.civil
            XCTAssertEqual(ValueParser.parse("\(d).\(m).\(y)", as: spec), .value(.date(day)))
            XCTAssertEqual(ValueParser.parse(day.isoText, as: ValueSpec(type: .date)), .value(.date(day)))
            day = Day(daysSinceEpoch: day.daysSinceEpoch + 1)
        }
    }
}
