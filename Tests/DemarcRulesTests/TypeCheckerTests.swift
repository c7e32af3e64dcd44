import XCTest
import DemarcCore
@testable import DemarcRules

final class TypeCheckerTests: XCTestCase {
    let scope = TypeScope(sources: [
        "crm": .init(fields: ["amount": .decimal, "stage": .text, "qty": .integer, "closed": .bool,
                              "modified": .datetime, "close_date": .date],
                     classes: ["booked", "not_booked", "open", "clarification"]),
        "accounting": .init(fields: ["total": .decimal, "date": .date, "locked": .bool], classes: ["booked", "not_booked"]),
        "bank": .init(fields: ["amount": .decimal], classes: nil),
    ])

    private func type(_ text: String, _ s: TypeScope? = nil, expected: ExprType? = nil,
                      file: StaticString = #filePath, line: UInt = #line) -> ExprType? {
        guard let e = parsed(text, file: file, line: line) else { return nil }
        switch TypeChecker.check(e, in: s ?? scope, expected: expected) {
        case .success(let t): return t
        case .failure(let d):
            XCTFail("unexpected: \(d)", file: file, line: line)
            return nil
        }
    }

    private func errors(_ text: String, _ s: TypeScope? = nil, expected: ExprType? = nil) -> [String] {
        guard let e = parsed(text) else { return [] }
        switch TypeChecker.check(e, in: s ?? scope, expected: expected) {
        case .success(let t): return ["no error, type \(t)"]
        case .failure(let ds): return ds.map { "\($0.position.line):\($0.position.column): \($0.message)" }
        }
    }

    func testLiteralAndReferenceTypes() {
        XCTAssertEqual(type("12"), .integer)
        XCTAssertEqual(type("0.01"), .decimal)
        XCTAssertEqual(type("'x'"), .text)
        XCTAssertEqual(type("2026-11-30"), .date)
        XCTAssertEqual(type("14d"), .duration)
        XCTAssertEqual(type("true"), .bool)
        XCTAssertEqual(type("as_of"), .date)
        XCTAssertEqual(type("crm.amount"), .decimal)
        XCTAssertEqual(type("crm.state"), .text)
        XCTAssertEqual(type("crm.modified"), .datetime)
    }

    func testNumericMixing() {
        XCTAssertEqual(type("crm.qty + 1"), .integer)
        XCTAssertEqual(type("crm.qty * 2"), .integer)
        XCTAssertEqual(type("crm.qty / 2"), .decimal)
        XCTAssertEqual(type("crm.qty + crm.amount"), .decimal)
        XCTAssertEqual(type("-crm.amount"), .decimal)
        XCTAssertEqual(type("crm.amount == 1"), .bool)
    }

    func testTimeArithmetic() {
        XCTAssertEqual(type("crm.close_date + 14d"), .date)
        XCTAssertEqual(type("14d + crm.close_date"), .date)
        XCTAssertEqual(type("crm.modified - 36h"), .datetime)
        XCTAssertEqual(type("as_of - crm.close_date"), .duration)
        XCTAssertEqual(type("as_of - crm.modified"), .duration)
        XCTAssertEqual(type("14d + 2w"), .duration)
        XCTAssertEqual(type("14d * 2"), .duration)
        XCTAssertEqual(type("2 * 14d"), .duration)
        XCTAssertEqual(type("14d / 2"), .duration)
        XCTAssertEqual(type("14d / 2d"), .decimal)
        XCTAssertEqual(type("crm.modified < crm.close_date"), .bool)
        XCTAssertEqual(type("-14d"), .duration)
    }

    func testFunctions() {
        XCTAssertEqual(type("abs(crm.amount)"), .decimal)
        XCTAssertEqual(type("abs(crm.qty)"), .integer)
        XCTAssertEqual(type("age(crm.modified)"), .duration)
        XCTAssertEqual(type("age(crm.close_date) > 14d"), .bool)
        XCTAssertEqual(type("days(age(crm.close_date))"), .decimal)
        XCTAssertEqual(type("count(crm)"), .integer)
        XCTAssertEqual(type("present(crm.amount)"), .bool)
        XCTAssertEqual(type("empty(crm.stage)"), .bool)
        XCTAssertEqual(type("lower(crm.stage)"), .text)
        XCTAssertEqual(type("upper(crm.stage)"), .text)
        XCTAssertEqual(type("trim(crm.stage)"), .text)
        XCTAssertEqual(type("coalesce(crm.qty, 0)"), .integer)
        XCTAssertEqual(type("coalesce(crm.amount, 0)"), .decimal)
        XCTAssertEqual(type("coalesce(crm.close_date, crm.modified)"), .datetime)
        XCTAssertEqual(type("period_close(crm.close_date)"), .date)
    }

    func testConditions() {
        XCTAssertEqual(type("crm is booked and accounting is not definite", expected: .bool), .bool)
        XCTAssertEqual(type("crm is transitional or crm is unclassified", expected: .bool), .bool)
        XCTAssertEqual(type("crm is not_booked", expected: .bool), .bool)
        XCTAssertEqual(type("crm exists and bank missing", expected: .bool), .bool)
        XCTAssertEqual(type("crm.stage in ['a', 'b']"), .bool)
        XCTAssertEqual(type("crm.amount not in [1, 2.5]"), .bool)
        XCTAssertEqual(type("crm.stage < 'm'"), .bool)
        XCTAssertEqual(type("crm.closed == true"), .bool)
        XCTAssertEqual(type("crm.state == 'open'"), .bool)
    }

    func testBareFieldsAndHeader() {
        let classify = TypeScope(sources: scope.sources, bareSource: "accounting", header: ["date_from": .date])
        XCTAssertEqual(type("locked and total > 0", classify, expected: .bool), .bool)
        XCTAssertEqual(type("date >= header.date_from", classify), .bool)
        XCTAssertEqual(errors("lockd", classify), ["7:10: unknown field 'lockd'; did you mean 'locked'?"])
        XCTAssertEqual(errors("header.date_fro", classify), ["7:10: unknown header field 'date_fro'; did you mean 'date_from'?"])
        XCTAssertEqual(errors("header.date_from"), ["7:10: 'header.date_from' is only available in 'classify' of a datev source"])
    }

    func testUnknownNamesSuggest() {
        XCTAssertEqual(errors("cmr.amount > 0"), ["7:10: unknown source 'cmr'; did you mean 'crm'?"])
        XCTAssertEqual(errors("crm.amout > 0"), ["7:10: source 'crm' has no field 'amout'; did you mean 'amount'?"])
        XCTAssertEqual(errors("crm is clarfication"), ["7:10: source 'crm' has no class 'clarfication'; did you mean 'clarification'?"])
        XCTAssertEqual(errors("crm is definte"), ["7:10: source 'crm' has no class 'definte'; did you mean 'definite'?"])
        XCTAssertEqual(errors("crm is zzz"), ["7:10: source 'crm' has no class 'zzz'"])
        XCTAssertEqual(errors("total > 0"), ["7:10: unknown name 'total'; did you mean 'accounting.total'?"])
        XCTAssertEqual(errors("crm"), ["7:10: 'crm' is a source, not a value; name one of its fields as 'crm.<field>'"])
        XCTAssertEqual(errors("acounting exists"), ["7:10: unknown source 'acounting'; did you mean 'accounting'?"])
        XCTAssertEqual(errors("count(crn) > 1"), ["7:16: unknown source 'crn'; did you mean 'crm'?"])
        XCTAssertEqual(errors("count(crm.amount) > 1"), ["7:10: 'count' takes a source name, found 'crm.amount'"])
    }

    func testSourceWithoutState() {
        XCTAssertEqual(errors("bank is booked"), ["7:10: source 'bank' has no state"])
        XCTAssertEqual(errors("bank.state == 'x'"), ["7:10: source 'bank' has no state"])
        XCTAssertEqual(type("bank exists"), .bool)
    }

    func testTypeMismatches() {
        XCTAssertEqual(errors("crm.stage + 'x'"), ["7:10: operator '+' cannot combine text and text"])
        XCTAssertEqual(errors("crm.closed < true"), ["7:10: cannot order bool values with '<'"])
        XCTAssertEqual(errors("crm.close_date > 5.0"), ["7:10: cannot compare date with decimal using '>'"])
        XCTAssertEqual(errors("crm.close_date == crm.amount"), ["7:10: cannot compare date with decimal using '=='"])
        XCTAssertEqual(errors("crm.close_date + 1"), ["7:10: operator '+' cannot combine date and integer"])
        XCTAssertEqual(errors("14d - crm.close_date"), ["7:10: operator '-' cannot combine duration and date"])
        XCTAssertEqual(errors("crm.amount * 14d * crm.stage"), ["7:10: operator '*' cannot combine duration and text"])
        XCTAssertEqual(errors("crm.amount and true"), ["7:10: 'and' needs bool operands, found decimal and bool"])
        XCTAssertEqual(errors("not crm.amount"), ["7:10: 'not' needs a bool, found a decimal 'crm.amount'"])
        XCTAssertEqual(errors("-crm.stage"), ["7:10: '-' needs a number or duration, found a text 'crm.stage'"])
        XCTAssertEqual(errors("crm.stage in ['a', 2]"), ["7:29: cannot compare text with integer in 'in' list: '2'"])
        XCTAssertEqual(errors("abs(crm.stage)"), ["7:14: 'abs' needs a number or duration, found a text 'crm.stage'"])
        XCTAssertEqual(errors("age(crm.amount)"), ["7:14: 'age' needs a date or datetime, found a decimal 'crm.amount'"])
        XCTAssertEqual(errors("days(crm.amount)"), ["7:15: 'days' needs a duration, found a decimal 'crm.amount'"])
        XCTAssertEqual(errors("lower(crm.qty)"), ["7:16: 'lower' needs text, found an integer 'crm.qty'"])
        XCTAssertEqual(errors("period_close(1)"), ["7:23: 'period_close' needs a date or datetime, found an integer '1'"])
        XCTAssertEqual(errors("coalesce(crm.amount, 'x')"), ["7:31: 'coalesce' arguments must have one type, found decimal and text ''x''"])
    }

    func testExpectedType() {
        XCTAssertEqual(errors("crm.amount + 1", expected: .bool), ["7:10: expected a bool expression, found a decimal 'crm.amount + 1'"])
        XCTAssertEqual(type("crm.amount + 1", expected: .decimal), .decimal)
    }

    func testEveryErrorIsReportedWithoutCascades() {
        XCTAssertEqual(errors("cmr.amount > 0 and crm.amout > 0 or crm.stage + 1 == 2"), [
            "7:10: unknown source 'cmr'; did you mean 'crm'?",
            "7:29: source 'crm' has no field 'amout'; did you mean 'amount'?",
            "7:46: operator '+' cannot combine text and integer",
        ])
    }
}
