import DemarcCore
@testable import DemarcRules
import XCTest

/// Expressions in a rule file: positions, derived fields, types (RULES.md, Expressions;
/// DETAILS.md 14). Rules start on line 27; crm's extra fields on line 10.
final class LoaderExpressionTests: XCTestCase {
    private func parserOnly() throws {
        guard case .success = ExprParser.parse("1", at: SourcePosition(file: "t", line: 1, column: 1)) else {
            throw XCTSkip("the expression parser is not implemented yet (branch expr)")
        }
    }

    func testPeriodCloseNeedsACalendar() throws {
        try requireExpressions()
        assertErrors(validFile(rules: "  - id: a\n    expect: \"as_of <= period_close(as_of)\"\n"), [
            "r.yaml:28:23: error: 'period_close' needs 'calendar'",
        ])
    }

    func testDerivedFieldsInACycle() throws {
        try parserOnly()
        assertErrors(validFile(crmFields: "      a: { expr: 'b + 1' }\n      b: { expr: 'c + 1' }\n      c: { expr: 'a + 1' }\n"), [
            "r.yaml:10:19: error: derived fields form a cycle: a -> b -> c -> a",
        ])
    }

    func testDerivedFieldReferringToItself() throws {
        try parserOnly()
        assertErrors(validFile(crmFields: "      a: { expr: 'crm.a + 1' }\n"), [
            "r.yaml:10:19: error: derived fields form a cycle: a -> a",
        ])
    }

    func testParseErrorIsPositionedInsideTheQuotedScalar() throws {
        try parserOnly()
        let errors = loadErrors(validFile(rules: "  - id: a\n    expect: \"crm.amount >\"\n"))
        XCTAssertEqual(errors.count, 1)
        XCTAssertTrue(errors.first?.hasPrefix("r.yaml:28:26: error: ") ?? false, "\(errors)")
    }

    func testDerivedTypeMustEqualDeclaredType() throws {
        try requireExpressions()
        assertErrors(validFile(crmFields: "      net: { expr: 'amount * 2', type: integer }\n"), [
            "r.yaml:10:40: error: field 'net' is declared integer but its expression is decimal",
        ])
    }

    func testDerivedFieldCannotBeADuration() throws {
        try requireExpressions()
        assertErrors(validFile(crmFields: "      wait: { expr: 'age(modified)' }\n"), [
            "r.yaml:10:22: error: derived field 'wait' has type duration; a field must be text, decimal, integer, date, datetime or bool",
        ])
    }

    func testDerivedFieldsTypeInDependencyOrder() throws {
        try requireExpressions()
        let yaml = validFile(crmFields: "      b: { expr: 'a * 2' }\n      a: { expr: 'amount + 1' }\n")
        let crm = try XCTUnwrap(try RuleFileLoader.load(yaml: yaml, path: "r.yaml").source("crm"))
        XCTAssertEqual(crm.field("a")?.type, .decimal)
        XCTAssertEqual(crm.field("b")?.type, .decimal)
        XCTAssertEqual(crm.field("b")?.expr?.text, "a * 2")
    }

    func testWhereMustBeABoolean() throws {
        try requireExpressions()
        let errors = loadErrors(validFile(rules: "  - id: a\n    definite: crm\n    where: \"crm.amount + 1\"\n"))
        XCTAssertEqual(errors.count, 1)
        XCTAssertTrue(errors.first?.hasPrefix("r.yaml:29:13: error: ") ?? false, "\(errors)")
    }

    func testUnknownFieldInExpect() throws {
        try requireExpressions()
        let errors = loadErrors(validFile(rules: "  - id: a\n    expect: \"crm.amout > 0\"\n"))
        XCTAssertEqual(errors.count, 1)
        XCTAssertTrue(errors.first?.hasPrefix("r.yaml:28:") ?? false, "\(errors)")
        XCTAssertTrue(errors.first?.contains("did you mean 'amount'?") ?? false, "\(errors)")
    }

    func testStateTestOnSourceWithoutStateInExpect() throws {
        try requireExpressions()
        let yaml = validFile(sources: "  bank:\n    key: id\n    fields: { id: Id }\n",
                             rules: "  - id: a\n    expect: \"bank is booked\"\n")
        let errors = loadErrors(yaml)
        XCTAssertEqual(errors.count, 1)
        XCTAssertTrue(errors.first?.hasPrefix("r.yaml:31:") ?? false, "\(errors)")
    }

    func testMessagePlaceholderIsTypeChecked() throws {
        try requireExpressions()
        let errors = loadErrors(validFile(rules: "  - id: a\n    definite: crm\n    message: \"stage {crm.stag}\"\n"))
        XCTAssertEqual(errors.count, 1)
        XCTAssertTrue(errors.first?.hasPrefix("r.yaml:29:") ?? false, "\(errors)")
    }

    func testClassifyUsesBareFieldsAndDatevHeader() throws {
        try requireExpressions()
        let yaml = validFile(sources: """
              datev:
                format: datev
                key: beleg
                fields: { beleg: 11, betrag: { column: 1, type: decimal } }
                state:
                  classify:
                    - booked: "header.festschreibung and betrag > 0"
                    - open: "true"

            """)
        let datev = try XCTUnwrap(try RuleFileLoader.load(yaml: yaml, path: "r.yaml").source("datev"))
        guard case .byCondition(let list)? = datev.state else { return XCTFail("form 2 expected") }
        XCTAssertEqual(list.map(\.0.name), ["booked", "open"])
    }

    func testRulesMDExamplesLoad() throws {
        try requireExpressions()
        let file = try RuleFileLoader.load(path: ruleFixture("rules-md-examples.yaml"))
        XCTAssertEqual(file.rules.map(\.kind.name), ["definite", "counterpart", "counterpart", "agree", "owned",
                                                     "stale", "stale", "expect"])
    }
}
