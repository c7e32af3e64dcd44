import DemarcCore
@testable import DemarcRules
import XCTest

/// `state:` in both forms (RULES.md, States; DETAILS.md 11).
final class LoaderStateTests: XCTestCase {
    /// The skeleton with crm's state (lines 10-14) replaced by `state` (indented 4).
    private func crmState(_ state: String) -> String {
        validFile().replacingOccurrences(of: "    state:\n      field: stage\n      classes:\n        booked: [Won]\n        open: [Open]\n",
                                         with: state)
    }

    func testClassValuesAreTheTextAsWritten() throws {
        let yaml = crmState("    state:\n      field: stage\n      classes:\n        booked: [yes, 1, 1.0, true]\n        open: [~, '', null]\n")
        guard case .byValue(_, let classes, let caseSensitive)? = try RuleFileLoader.load(yaml: yaml, path: "r.yaml").source("crm")?.state else {
            return XCTFail("form 1 expected")
        }
        XCTAssertTrue(caseSensitive)
        XCTAssertEqual(classes.map(\.1), [["yes", "1", "1.0", "true"], ["", "", ""]])
    }

    func testUnknownStateField() {
        assertErrors(crmState("    state: { field: stag, classes: { booked: [Won] } }\n"), [
            "r.yaml:10:21: error: unknown field 'stag' in source 'crm'; did you mean 'stage'?",
        ])
    }

    func testUnknownStateKey() {
        assertErrors(crmState("    state: { field: stage, clases: { booked: [Won] } }\n"), [
            "r.yaml:10:5: error: missing required key 'classes' in 'state' of source 'crm'",
            "r.yaml:10:28: error: unknown key 'clases'; did you mean 'classes'?",
        ])
    }

    func testStateNeedsAForm() {
        assertErrors(crmState("    state: { case_sensitive: true }\n"), [
            "r.yaml:10:5: error: 'state' needs 'field' and 'classes', or 'classify'",
        ])
    }

    func testFormsDoNotMix() {
        assertErrors(crmState("    state: { field: stage, classify: [ booked: 'true' ] }\n"), [
            "r.yaml:10:14: error: 'field' belongs to the other form of 'state'; use 'field' and 'classes', or 'classify'",
        ])
    }

    func testBadClassName() {
        assertErrors(crmState("    state: { field: stage, classes: { Booked: [Won] } }\n"), [
            "r.yaml:10:39: error: class name 'Booked' must match [a-z][a-z0-9_]*",
        ])
    }

    func testReservedClassName() {
        assertErrors(crmState("    state: { field: stage, classes: { definite: [Won] } }\n"), [
            "r.yaml:10:39: error: class name 'definite' is reserved for state tests",
        ])
    }

    func testValueInTwoClasses() {
        assertErrors(crmState("    state: { field: stage, classes: { booked: [Won], open: [Open, Won] } }\n"), [
            "r.yaml:10:67: error: value 'Won' is listed under both 'booked' and 'open'",
        ])
    }

    func testValueInTwoClassesIgnoringCase() {
        assertErrors(crmState("    state: { field: stage, case_sensitive: false, classes: { booked: [Won], open: [WON] } }\n"), [
            "r.yaml:10:84: error: value 'WON' is listed under both 'booked' and 'open'",
        ])
        XCTAssertNoThrow(try RuleFileLoader.load(
            yaml: crmState("    state: { field: stage, classes: { booked: [Won], open: [WON] } }\n"), path: "r.yaml"))
    }

    func testCaseSensitiveMustBeABool() {
        assertErrors(crmState("    state: { field: stage, case_sensitive: nope, classes: { booked: [Won] } }\n"), [
            "r.yaml:10:44: error: 'case_sensitive' must be true or false, not 'nope'",
        ])
    }

    func testClassifyForm() throws {
        try requireExpressions()
        let yaml = crmState("    state:\n      classify:\n        - booked: \"stage == 'Won'\"\n        - open: |\n            amount > 0\n")
        let crm = try XCTUnwrap(try RuleFileLoader.load(yaml: yaml, path: "r.yaml").source("crm"))
        guard case .byCondition(let list)? = crm.state else { return XCTFail("form 2 expected") }
        XCTAssertEqual(list.map(\.0.name), ["booked", "open"])
        XCTAssertEqual(list[0].1.position, SourcePosition(file: "r.yaml", line: 12, column: 20))
        XCTAssertEqual(list[1].1.position, SourcePosition(file: "r.yaml", line: 14, column: 13))
    }

    func testClassifyItemsAreSingleKeyMaps() {
        assertErrors(crmState("    state:\n      classify:\n        - booked: 'true'\n          open: 'false'\n        - 'x'\n"), [
            "r.yaml:12:11: error: each item of 'classify' must be one 'class: condition'",
            "r.yaml:14:11: error: each item of 'classify' must be one 'class: condition'",
        ])
    }

    func testClassifyMustBeAList() {
        assertErrors(crmState("    state: { classify: { booked: 'true' } }\n"), [
            "r.yaml:10:24: error: 'classify' must be a list of 'class: condition' items",
        ])
    }

    func testClassifyClassName() throws {
        try requireExpressions()
        assertErrors(crmState("    state: { classify: [ Open: 'true' ] }\n"), [
            "r.yaml:10:26: error: class name 'Open' must match [a-z][a-z0-9_]*",
        ])
    }
}
