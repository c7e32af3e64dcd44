import XCTest
import DemarcCore
@testable import DemarcRules

final class EvaluatorUnknownTests: XCTestCase {
    var context: TestContext {
        var c = TestContext()
        c.present = ["crm", "accounting"]
        c.values = ["crm": ["stage": .text("Open"), "qty": .integer(2), "zero": .integer(0)],
                    "accounting": ["total": .integer(5)]]
        c.classes = ["accounting": "booked"]
        return c
    }

    private func reason(_ text: String, _ c: TestContext? = nil, calendar: DemarcRules.Calendar? = nil,
                        file: StaticString = #filePath, line: UInt = #line) -> String? {
        guard let e = parsed(text, file: file, line: line) else { return "parse error" }
        return Evaluator.firstUnknown(e, in: c ?? context, calendar: calendar)
    }

    func testEmptyFieldOfPresentSource() {
        XCTAssertEqual(reason("crm.amount > 0"), "crm.amount is empty")
        XCTAssertEqual(reason("accounting.total == crm.amount"), "crm.amount is empty")
    }

    func testAbsentSource() {
        XCTAssertEqual(reason("bank.amount > 0"), "bank is absent")
        XCTAssertEqual(reason("bank is booked"), "bank is absent")
        XCTAssertEqual(reason("not (bank is not definite)"), "bank is absent")
        XCTAssertEqual(reason("bank.state == 'x'"), "bank is absent")
    }

    func testUnclassifiedState() {
        XCTAssertEqual(reason("crm.state == 'open'"), "crm.state is unclassified")
    }

    func testFirstFromTheLeft() {
        XCTAssertEqual(reason("crm.a + crm.b > 0"), "crm.a is empty")
        XCTAssertEqual(reason("crm.stage == 'Open' and crm.b > bank.c"), "crm.b is empty")
        XCTAssertEqual(reason("crm.b > 1 or bank.c > 1"), "crm.b is empty")
        // A known-false side of `or` does not hide the unknown one.
        XCTAssertEqual(reason("crm.qty > 5 or bank.c > 1"), "bank is absent")
        XCTAssertEqual(reason("crm.x in [1, 2]"), "crm.x is empty")
        XCTAssertEqual(reason("crm.qty in [1, crm.y]"), "crm.y is empty")
        XCTAssertEqual(reason("coalesce(crm.a, crm.b) > 0"), "crm.a is empty")
        XCTAssertEqual(reason("abs(crm.a) > 0"), "crm.a is empty")
        XCTAssertEqual(reason("x > 0"), "x is empty")
        XCTAssertEqual(reason("header.date_from < as_of"), "header.date_from is empty")
    }

    func testUndefinedOperations() {
        XCTAssertEqual(reason("crm.qty / crm.zero > 1"), "crm.qty / crm.zero is undefined")
        XCTAssertEqual(reason("period_close(2026-01-01) < as_of"), "period_close(2026-01-01) has no calendar")
    }

    func testKnownGivesNil() {
        XCTAssertNil(reason("crm.qty > 5"))
        XCTAssertNil(reason("crm.stage == 'Open'"))
        XCTAssertNil(reason("bank missing"))
        XCTAssertNil(reason("crm.a > 0 and false"))
    }
}
