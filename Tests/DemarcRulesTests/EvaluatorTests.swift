import XCTest
import DemarcCore
@testable import DemarcRules

final class EvaluatorTests: XCTestCase {
    let T = Value.bool(true), F = Value.bool(false), U = Value.unknown

    var context: TestContext {
        var c = TestContext()
        c.present = ["crm", "accounting"]
        c.values = [
            "crm": ["amount": .decimal(FixedDecimal(units: 12050, scale: 2)), "stage": .text("Closed Won"),
                    "qty": .integer(3), "closed": .bool(true),
                    "modified": .datetime(Instant(millisSinceEpoch: Day(year: 2026, month: 11, day: 10)!.instant.millisSinceEpoch + 3_600_000)),
                    "close_date": .date(Day(year: 2026, month: 11, day: 16)!), "pad": .text("  hi "),
                    "zero": .integer(0)],
            "accounting": ["total": .decimal(FixedDecimal(units: 1205, scale: 1))],
            "": ["bare": .integer(7)],
        ]
        c.classes = ["crm": "clarification", "accounting": "booked"]
        c.counts = ["crm": 2, "accounting": 1]
        c.headers = ["date_from": .date(Day(year: 2026, month: 1, day: 1)!)]
        return c
    }

    private func eval(_ text: String, _ c: TestContext? = nil, calendar: DemarcRules.Calendar? = nil,
                      file: StaticString = #filePath, line: UInt = #line) -> Value {
        guard let e = parsed(text, file: file, line: line) else { return .text("parse error") }
        return Evaluator.evaluate(e, in: c ?? context, calendar: calendar)
    }

    private func dec(_ units: Int64, _ scale: UInt8) -> Value { .decimal(FixedDecimal(units: units, scale: scale)) }
    private func day(_ y: Int, _ m: Int, _ d: Int) -> Value { .date(Day(year: y, month: m, day: d)!) }

    // MARK: - Three-valued logic

    func testKleeneTruthTables() {
        let names: [(String, Value)] = [("true", T), ("false", F), ("crm.nothing", U)]
        for (a, va) in names {
            XCTAssertEqual(eval("not \(a)"), va == U ? U : (va == T ? F : T), "not \(a)")
            for (b, vb) in names {
                let and: Value = (va == F || vb == F) ? F : ((va == T && vb == T) ? T : U)
                let or: Value = (va == T || vb == T) ? T : ((va == F && vb == F) ? F : U)
                XCTAssertEqual(eval("\(a) and \(b)"), and, "\(a) and \(b)")
                XCTAssertEqual(eval("\(a) or \(b)"), or, "\(a) or \(b)")
            }
        }
    }

    func testUnknownPropagatesThroughComparisonsAndArithmetic() {
        for op in ["==", "!=", "<", "<=", ">", ">="] {
            XCTAssertEqual(eval("crm.nothing \(op) 1"), U, op)
            XCTAssertEqual(eval("1 \(op) crm.nothing"), U, op)
        }
        for op in ["+", "-", "*", "/"] {
            XCTAssertEqual(eval("crm.nothing \(op) 1"), U, op)
            XCTAssertEqual(eval("1 \(op) crm.nothing"), U, op)
        }
        XCTAssertEqual(eval("-crm.nothing"), U)
        XCTAssertEqual(eval("crm.nothing in [1, 2]"), U)
        XCTAssertEqual(eval("crm.nothing not in [1, 2]"), U)
        XCTAssertEqual(eval("accounting.total == 0 or true"), T)
        XCTAssertEqual(eval("bank.amount == 0 and false"), F)
    }

    // MARK: - Comparisons and arithmetic

    func testComparisons() {
        XCTAssertEqual(eval("crm.amount == accounting.total"), T)
        XCTAssertEqual(eval("crm.amount != 120.5"), F)
        XCTAssertEqual(eval("crm.qty < 3.5"), T)
        XCTAssertEqual(eval("crm.qty <= 3"), T)
        XCTAssertEqual(eval("crm.qty > 3"), F)
        XCTAssertEqual(eval("crm.qty >= 3.0"), T)
        XCTAssertEqual(eval("crm.close_date > crm.modified"), T)
        XCTAssertEqual(eval("2026-11-10 < crm.modified"), T)
        XCTAssertEqual(eval("14d == 2w"), T)
        XCTAssertEqual(eval("crm.closed == true"), T)
        XCTAssertEqual(eval("crm.stage == 'Closed Won'"), T)
        XCTAssertEqual(eval("crm.stage == 'closed won'"), F)
    }

    func testTextOrderIsByteOrderAndEqualityIsExact() {
        XCTAssertEqual(eval("'Z' < 'a'"), T)
        XCTAssertEqual(eval("'a' < 'ab'"), T)
        XCTAssertEqual(eval("'é' > 'z'"), T)
        // Precomposed and decomposed é are canonically equivalent, but not the same bytes.
        XCTAssertEqual(eval("'\u{E9}' == 'e\u{301}'"), F)
        XCTAssertEqual(eval("'\u{E9}' != 'e\u{301}'"), T)
    }

    func testMembership() {
        XCTAssertEqual(eval("crm.stage in ['Open', 'Closed Won']"), T)
        XCTAssertEqual(eval("crm.stage in ['Open']"), F)
        XCTAssertEqual(eval("crm.stage not in ['Open']"), T)
        XCTAssertEqual(eval("crm.stage not in ['Closed Won']"), F)
        XCTAssertEqual(eval("crm.qty in [1, 3.00]"), T)
        XCTAssertEqual(eval("crm.stage in ['Open', crm.nothing]"), U)
        XCTAssertEqual(eval("crm.stage in [crm.nothing, 'Closed Won']"), T)
        XCTAssertEqual(eval("crm.stage not in [crm.nothing]"), U)
        XCTAssertEqual(eval("crm.stage in []"), F)
    }

    func testArithmetic() {
        XCTAssertEqual(eval("crm.qty + 2"), .integer(5))
        XCTAssertEqual(eval("crm.qty - 5"), .integer(-2))
        XCTAssertEqual(eval("crm.qty * 4"), .integer(12))
        XCTAssertEqual(eval("crm.qty / 2"), dec(15, 1))
        XCTAssertEqual(eval("10 / 3"), dec(3_333_333, 6))
        XCTAssertEqual(eval("crm.amount - accounting.total"), dec(0, 2))
        XCTAssertEqual(eval("crm.amount * 2"), dec(24100, 2))
        XCTAssertEqual(eval("0.1 + 0.2 == 0.3"), T)
        XCTAssertEqual(eval("-crm.amount"), dec(-12050, 2))
        XCTAssertEqual(eval("crm.amount / crm.zero"), U)
        XCTAssertEqual(eval("1 / 0"), U)
        XCTAssertEqual(eval("9223372036854775807 + 1"), U)
        XCTAssertEqual(eval("-9223372036854775807 - 1 - 1"), U)
        XCTAssertEqual(eval("9223372036854775807 * 2"), U)
    }

    func testTimeArithmetic() {
        XCTAssertEqual(eval("crm.close_date + 14d"), day(2026, 11, 30))
        XCTAssertEqual(eval("14d + crm.close_date"), day(2026, 11, 30))
        XCTAssertEqual(eval("crm.close_date - 1w"), day(2026, 11, 9))
        XCTAssertEqual(eval("crm.close_date - 36h"), day(2026, 11, 14))
        XCTAssertEqual(eval("as_of - crm.close_date"), .duration(14 * 86_400_000))
        XCTAssertEqual(eval("crm.modified + 1h"), .datetime(Instant(millisSinceEpoch: Day(year: 2026, month: 11, day: 10)!.instant.millisSinceEpoch + 7_200_000)))
        XCTAssertEqual(eval("crm.close_date - crm.modified"), .duration(6 * 86_400_000 - 3_600_000))
        XCTAssertEqual(eval("14d * 2"), .duration(28 * 86_400_000))
        XCTAssertEqual(eval("1.5 * 1d"), .duration(36 * 3_600_000))
        XCTAssertEqual(eval("1d / 3"), .duration(28_800_000))
        XCTAssertEqual(eval("36h / 1d"), dec(15, 1))
        XCTAssertEqual(eval("1d / 0"), U)
        XCTAssertEqual(eval("-14d"), .duration(-14 * 86_400_000))
    }

    // MARK: - Functions

    func testFunctions() {
        XCTAssertEqual(eval("abs(-crm.amount)"), dec(12050, 2))
        XCTAssertEqual(eval("abs(0 - crm.qty)"), .integer(3))
        XCTAssertEqual(eval("abs(-14d)"), .duration(14 * 86_400_000))
        XCTAssertEqual(eval("abs(crm.nothing)"), U)
        XCTAssertEqual(eval("age(crm.close_date)"), .duration(14 * 86_400_000))
        XCTAssertEqual(eval("age(crm.modified)"), .duration(20 * 86_400_000 - 3_600_000))
        XCTAssertEqual(eval("age(crm.close_date) > 14d"), F)
        XCTAssertEqual(eval("age(crm.nothing)"), U)
        XCTAssertEqual(eval("days(14d)"), dec(14, 0))
        XCTAssertEqual(eval("days(36h)"), dec(15, 1))
        XCTAssertEqual(eval("days(age(crm.close_date)) == 14"), T)
        XCTAssertEqual(eval("days(crm.nothing)"), U)
        XCTAssertEqual(eval("count(crm)"), .integer(2))
        XCTAssertEqual(eval("count(bank)"), .integer(0))
        XCTAssertEqual(eval("present(crm.amount)"), T)
        XCTAssertEqual(eval("present(crm.nothing)"), F)
        XCTAssertEqual(eval("present(bank.amount)"), F)
        XCTAssertEqual(eval("empty(crm.nothing)"), T)
        XCTAssertEqual(eval("empty(crm.amount)"), F)
        XCTAssertEqual(eval("empty(trim('  '))"), T)
        XCTAssertEqual(eval("lower(crm.stage)"), .text("closed won"))
        XCTAssertEqual(eval("upper('straße')"), .text("STRASSE"))
        XCTAssertEqual(eval("trim(crm.pad)"), .text("hi"))
        XCTAssertEqual(eval("lower(crm.nothing)"), U)
        XCTAssertEqual(eval("coalesce(crm.nothing, bank.amount, crm.qty, 5)"), .integer(3))
        XCTAssertEqual(eval("coalesce(crm.nothing, 0)"), .integer(0))
        XCTAssertEqual(eval("coalesce(crm.nothing, bank.amount)"), U)
        XCTAssertEqual(eval("bare + 1"), .integer(8))
        XCTAssertEqual(eval("header.date_from"), day(2026, 1, 1))
        XCTAssertEqual(eval("header.nothing"), U)
        XCTAssertEqual(eval("as_of"), day(2026, 11, 30))
    }

    func testPeriodClose() {
        let calendar = DemarcRules.Calendar(period: .month, graceMillis: 5 * 86_400_000, closes: [])
        XCTAssertEqual(eval("period_close(crm.close_date)", calendar: calendar), day(2026, 12, 5))
        XCTAssertEqual(eval("period_close(crm.modified)", calendar: calendar), day(2026, 12, 5))
        XCTAssertEqual(eval("as_of > period_close(crm.close_date)", calendar: calendar), F)
        XCTAssertEqual(eval("period_close(crm.close_date)"), U)
        XCTAssertEqual(eval("period_close(crm.nothing)", calendar: calendar), U)
    }

    // MARK: - States

    func testStateTestsOnPresentSources() {
        XCTAssertEqual(eval("crm is clarification"), T)
        XCTAssertEqual(eval("crm is not clarification"), F)
        XCTAssertEqual(eval("crm is transitional"), T)
        XCTAssertEqual(eval("crm is definite"), F)
        XCTAssertEqual(eval("crm is unclassified"), F)
        XCTAssertEqual(eval("accounting is booked"), T)
        XCTAssertEqual(eval("accounting is definite"), T)
        XCTAssertEqual(eval("accounting is transitional"), F)
        XCTAssertEqual(eval("accounting is not_booked"), F)
        XCTAssertEqual(eval("crm.state"), .text("clarification"))
        XCTAssertEqual(eval("crm exists"), T)
        XCTAssertEqual(eval("crm missing"), F)
    }

    func testStateTestsOnUnclassifiedRecords() {
        var c = context
        c.classes["crm"] = nil
        XCTAssertEqual(eval("crm is unclassified", c), T)
        XCTAssertEqual(eval("crm is not unclassified", c), F)
        XCTAssertEqual(eval("crm is definite", c), F)
        XCTAssertEqual(eval("crm is transitional", c), F)
        XCTAssertEqual(eval("crm is clarification", c), F)
        XCTAssertEqual(eval("crm is not booked", c), T)
        XCTAssertEqual(eval("crm.state", c), U)
        XCTAssertEqual(eval("crm.state == 'x'", c), U)
    }

    func testStateTestsOnAbsentSources() {
        var c = context
        c.present = ["accounting"]
        for test in ["booked", "not booked", "definite", "not transitional", "unclassified", "not unclassified"] {
            XCTAssertEqual(eval("crm is \(test)", c), U, test)
        }
        XCTAssertEqual(eval("crm.state", c), U)
        XCTAssertEqual(eval("crm.amount", c), U)
        XCTAssertEqual(eval("crm exists", c), F)
        XCTAssertEqual(eval("crm missing", c), T)
        XCTAssertEqual(eval("not (crm is clarification)", c), U)
    }
}
