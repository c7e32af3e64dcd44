import XCTest
import DemarcCore
@testable import DemarcRules

final class ExprParserTests: XCTestCase {
    private func tree(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> String? {
        parsed(text, file: file, line: line).map(sexpr)
    }

    func testPrecedenceLoosestFirst() {
        XCTAssertEqual(tree("a or b and c"), "(or a (and b c))")
        XCTAssertEqual(tree("a and b or c"), "(or (and a b) c)")
        XCTAssertEqual(tree("not a and b"), "(and (not a) b)")
        XCTAssertEqual(tree("not a == b"), "(not (== a b))")
        XCTAssertEqual(tree("a + b == c * d"), "(== (+ a b) (* c d))")
        XCTAssertEqual(tree("a + b * c"), "(+ a (* b c))")
        XCTAssertEqual(tree("a * b + c"), "(+ (* a b) c)")
        XCTAssertEqual(tree("-a * b"), "(* (neg a) b)")
        XCTAssertEqual(tree("(a + b) * c"), "(* (+ a b) c)")
        XCTAssertEqual(tree("- - a"), "(neg (neg a))")
        XCTAssertEqual(tree("not not a"), "(not (not a))")
    }

    func testLeftAssociativity() {
        XCTAssertEqual(tree("a - b - c"), "(- (- a b) c)")
        XCTAssertEqual(tree("a / b / c"), "(/ (/ a b) c)")
        XCTAssertEqual(tree("a or b or c"), "(or (or a b) c)")
        XCTAssertEqual(tree("a and b and c"), "(and (and a b) c)")
    }

    func testEveryComparison() {
        for op in ["==", "!=", "<", "<=", ">", ">="] {
            XCTAssertEqual(tree("crm.amount \(op) 1"), "(\(op) crm.amount int:1)")
        }
        XCTAssertEqual(tree("x in ['a', 'b']"), "(in x ['a' 'b'])")
        XCTAssertEqual(tree("x not in [1, 2 + 3]"), "(notin x [int:1 (+ int:2 int:3)])")
        XCTAssertEqual(tree("x in []"), "(in x [])")
    }

    func testStateTestsAndPresence() {
        XCTAssertEqual(tree("crm is booked"), "(is crm class:booked)")
        XCTAssertEqual(tree("crm is not transitional"), "(isnot crm transitional)")
        XCTAssertEqual(tree("accounting is definite"), "(is accounting definite)")
        XCTAssertEqual(tree("crm is unclassified"), "(is crm unclassified)")
        XCTAssertEqual(tree("crm is clarification"), "(is crm class:clarification)")
        XCTAssertEqual(tree("crm exists and accounting missing"), "(and (exists crm) (missing accounting))")
        XCTAssertEqual(tree("not (crm is clarification)"), "(not (is crm class:clarification))")
    }

    func testLiterals() {
        XCTAssertEqual(tree("12"), "int:12")
        XCTAssertEqual(tree("0.01"), "dec:1e-2")
        XCTAssertEqual(tree("1.50"), "dec:150e-2")
        XCTAssertEqual(tree("'it''s'"), "'it's'")
        XCTAssertEqual(tree("\"say \"\"hi\"\"\""), "'say \"hi\"'")
        XCTAssertEqual(tree("'a\\n'"), "'a\\n'")
        XCTAssertEqual(tree("\"'\""), "'''")
        XCTAssertEqual(tree("2026-11-30"), "date:2026-11-30")
        XCTAssertEqual(tree("14d"), "dur:1209600000")
        XCTAssertEqual(tree("2w"), "dur:1209600000")
        XCTAssertEqual(tree("36h"), "dur:129600000")
        XCTAssertEqual(tree("90m"), "dur:5400000")
        XCTAssertEqual(tree("true"), "true")
        XCTAssertEqual(tree("false"), "false")
        XCTAssertEqual(tree("2026 - 11 - 30"), "(- (- int:2026 int:11) int:30)")
    }

    func testReferences() {
        XCTAssertEqual(tree("crm.amount"), "crm.amount")
        XCTAssertEqual(tree("crm.state"), "crm.state")
        XCTAssertEqual(tree("as_of"), "as_of")
        XCTAssertEqual(tree("amount"), "amount")
        XCTAssertEqual(tree("header.date_from"), "header.date_from")
    }

    func testFunctions() {
        XCTAssertEqual(tree("abs(x)"), "(abs x)")
        XCTAssertEqual(tree("age(crm.modified) > 14d"), "(> (age crm.modified) dur:1209600000)")
        XCTAssertEqual(tree("days(d)"), "(days d)")
        XCTAssertEqual(tree("count(crm)"), "(count crm)")
        XCTAssertEqual(tree("present(x) and empty(y)"), "(and (present x) (empty y))")
        XCTAssertEqual(tree("lower(upper(trim(s)))"), "(lower (upper (trim s)))")
        XCTAssertEqual(tree("coalesce(debit, 0) - coalesce(credit, 0)"), "(- (coalesce debit int:0) (coalesce credit int:0))")
        XCTAssertEqual(tree("period_close(d)"), "(period_close d)")
    }

    func testPositionsAndTexts() throws {
        let e = try XCTUnwrap(parsed("crm.amount  == accounting.total"))
        XCTAssertEqual(e.position, SourcePosition(file: "rules.yaml", line: 7, column: 10))
        XCTAssertEqual(e.text, "crm.amount  == accounting.total")
        guard case .binary(_, let l, let r) = e.node else { return XCTFail() }
        XCTAssertEqual(l.text, "crm.amount")
        XCTAssertEqual(r.text, "accounting.total")
        XCTAssertEqual(r.position.column, 25)
        let p = try XCTUnwrap(parsed("(a + b) * c"))
        guard case .binary(_, let inner, _) = p.node else { return XCTFail() }
        XCTAssertEqual(inner.text, "(a + b)")
        XCTAssertEqual(inner.position.column, 10)
    }

    func testMultiLineTextCountsLines() throws {
        let e = try XCTUnwrap(parsed("a and\n  b.c"))
        guard case .binary(_, _, let r) = e.node else { return XCTFail() }
        XCTAssertEqual(r.position.line, 8)
        XCTAssertEqual(r.position.column, 3)
        XCTAssertEqual(parseError("a and\n  b +"), "8:6: expected a value, found the end of the expression")
    }

    func testErrorsWithPositions() {
        XCTAssertEqual(parseError("(a + b"), "7:16: expected ')' after '(a + b', found the end of the expression")
        XCTAssertEqual(parseError("a < b < c"), "7:16: comparisons do not chain, join them with 'and' before '<'")
        XCTAssertEqual(parseError("a == b in [1]"), "7:17: comparisons do not chain, join them with 'and' before 'in'")
        XCTAssertEqual(parseError("a = b"), "7:12: unexpected '='; did you mean '=='?")
        XCTAssertEqual(parseError("a ! b"), "7:12: unexpected '!'; did you mean 'not' or '!='?")
        XCTAssertEqual(parseError("a # b"), "7:12: unexpected character '#'")
        XCTAssertEqual(parseError("'abc"), "7:10: unterminated string, expected a closing \"'\"")
        XCTAssertEqual(parseError("2026-02-30"), "7:10: invalid date '2026-02-30'")
        XCTAssertEqual(parseError("x > 14x"), "7:14: invalid duration '14x', expected a whole number and d, w, h or m")
        XCTAssertEqual(parseError("1.5d"), "7:10: invalid duration '1.5d', expected a whole number and d, w, h or m")
        XCTAssertEqual(parseError("99999999999999999999"), "7:10: number '99999999999999999999' is too large")
        XCTAssertEqual(parseError("abss(x)"), "7:10: unknown function 'abss'; did you mean 'abs'?")
        XCTAssertEqual(parseError("abs(x, y)"), "7:10: 'abs' takes 1 argument, found 2")
        XCTAssertEqual(parseError("coalesce()"), "7:10: 'coalesce' takes at least 1 argument, found 0")
        XCTAssertEqual(parseError("a b"), "7:12: expected an operator or the end of the expression, found 'b'")
        XCTAssertEqual(parseError("a and"), "7:15: expected a value, found the end of the expression")
        XCTAssertEqual(parseError("a and or"), "7:16: expected a value, found 'or'")
        XCTAssertEqual(parseError("x in 1"), "7:15: expected '[' after 'in', found '1'")
        XCTAssertEqual(parseError("x in [1 2]"), "7:18: expected ',' or ']' in the list, found '2'")
        XCTAssertEqual(parseError("x not 1"), "7:16: expected 'in' after 'not', found '1'")
        XCTAssertEqual(parseError("crm is"), "7:16: expected a class name after 'is', found the end of the expression")
        XCTAssertEqual(parseError("crm.a is booked"), "7:10: expected a source name before 'is', found 'crm.a'")
        XCTAssertEqual(parseError("(a) exists"), "7:10: expected a source name before 'exists', found '(a)'")
        XCTAssertEqual(parseError("crm."), "7:14: expected a field name after 'crm.', found the end of the expression")
        XCTAssertEqual(parseError(""), "7:10: expected a value, found the end of the expression")
        XCTAssertEqual(parseError("abs(x"), "7:15: expected ',' or ')' in the arguments of 'abs', found the end of the expression")
    }

    func testDeepNestingIsADiagnosticNotACrash() {
        let parens = String(repeating: "(", count: 10_000) + "a" + String(repeating: ")", count: 10_000)
        XCTAssertEqual(parseError(parens), "7:210: expression nested deeper than 200 levels")
        let nots = String(repeating: "not ", count: 10_000) + "a"
        XCTAssertEqual(parseError(nots), "7:810: expression nested deeper than 200 levels")
        let negations = String(repeating: "-", count: 10_000) + "a"
        XCTAssertEqual(parseError(negations), "7:210: expression nested deeper than 200 levels")
        let chain = Array(repeating: "a", count: 10_000).joined(separator: " + ")
        XCTAssertEqual(parseError(chain), "7:812: expression nested deeper than 200 levels")
        let ands = Array(repeating: "a", count: 10_000).joined(separator: " and ")
        XCTAssertNotNil(parseError(ands))
        let calls = String(repeating: "abs(", count: 10_000) + "a" + String(repeating: ")", count: 10_000)
        XCTAssertNotNil(parseError(calls))
    }

    func testNestingUpToTheLimitParses() {
        let parens = String(repeating: "(", count: 200) + "a" + String(repeating: ")", count: 200)
        XCTAssertNotNil(parsed(parens))
        let chain = Array(repeating: "a", count: 200).joined(separator: " + ")
        XCTAssertNotNil(parsed(chain))
    }
}
