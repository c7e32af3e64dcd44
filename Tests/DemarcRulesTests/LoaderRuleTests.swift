import DemarcCore
@testable import DemarcRules
import XCTest

/// `rules:` and the six kinds (RULES.md, Rules; DETAILS.md 12). Rules start on line 27.
final class LoaderRuleTests: XCTestCase {
    private func rules(_ text: String, top: String = "") -> String { validFile(rules: text, top: top) }

    func testMissingID() {
        assertErrors(rules("  - definite: crm\n"), ["r.yaml:27:5: error: missing required key 'id' in a rule"])
    }

    func testBadID() {
        assertErrors(rules("  - id: Won_Deal\n    definite: crm\n"), [
            "r.yaml:27:9: error: rule id 'Won_Deal' must match [a-z0-9][a-z0-9-]*",
        ])
    }

    func testDuplicateIDIsReportedAtTheSecond() {
        assertErrors(rules("  - id: a\n    definite: crm\n  - id: a\n    definite: acc\n"), [
            "r.yaml:29:9: error: duplicate rule id 'a'; first used on line 27",
        ])
    }

    func testRuleNeedsAKind() {
        assertErrors(rules("  - id: a\n    title: nothing\n"), [
            "r.yaml:27:5: error: rule 'a' needs one kind: definite, counterpart, agree, owned, stale or expect",
        ])
    }

    func testRuleHasOneKind() {
        assertErrors(rules("  - id: a\n    definite: crm\n    expect: 'true'\n"), [
            "r.yaml:29:5: error: rule 'a' has two kinds, 'definite' and 'expect'; give exactly one",
        ])
    }

    func testUnknownRuleKey() {
        assertErrors(rules("  - id: a\n    definite: crm\n    severty: info\n"), [
            "r.yaml:29:5: error: unknown key 'severty'; did you mean 'severity'?",
        ])
    }

    func testUnknownSeverity() {
        assertErrors(rules("  - id: a\n    definite: crm\n    severity: fatal\n"), [
            "r.yaml:29:15: error: unknown severity 'fatal'; expected 'error', 'warning', 'info'",
        ])
    }

    func testUnknownSourceSuggestsClosest() {
        assertErrors(rules("  - id: a\n    definite: ac\n"), ["r.yaml:28:15: error: unknown source 'ac'; did you mean 'acc'?"])
    }

    func testDefiniteNeedsState() {
        assertErrors(validFile(sources: "  bank:\n    key: id\n    fields: { id: Id }\n", rules: "  - id: a\n    definite: bank\n"), [
            "r.yaml:31:15: error: source 'bank' has no 'state'; 'definite' needs one",
        ])
    }

    func testCounterpart() {
        assertErrors(rules("  - id: a\n    counterpart: { of: crm }\n"), [
            "r.yaml:28:5: error: missing required key 'in' in 'counterpart'",
        ])
        assertErrors(rules("  - id: a\n    counterpart: { of: crm, in: crm }\n"), [
            "r.yaml:28:33: error: 'of' and 'in' name the same source 'crm'",
        ])
        assertErrors(rules("  - id: a\n    counterpart: { of: crm, on: acc }\n"), [
            "r.yaml:28:5: error: missing required key 'in' in 'counterpart'",
            "r.yaml:28:29: error: unknown key 'on'; did you mean 'of'?",
        ])
    }

    func testAgreeTakesTwoSources() {
        assertErrors(rules("  - id: a\n    agree: [crm]\n"), ["r.yaml:28:12: error: 'agree' takes exactly two sources, not 1"])
        assertErrors(rules("  - id: a\n    agree: [crm, crm]\n"), ["r.yaml:28:18: error: 'agree' needs two different sources"])
    }

    func testTransitional() {
        assertErrors(rules("  - id: a\n    definite: crm\n    transitional: allow\n"), [
            "r.yaml:29:5: error: 'transitional' applies to agree rules only",
        ])
        assertErrors(rules("  - id: a\n    agree: [crm, acc]\n    transitional: allowed\n"), [
            "r.yaml:29:19: error: 'transitional' accepts 'allow' only",
        ])
    }

    func testOwnedFieldMustExistInOwnerAndCopies() {
        assertErrors(rules("  - id: a\n    owned: { field: stage, owner: crm, copies: [acc] }\n"), [
            "r.yaml:28:49: error: unknown field 'stage' in source 'acc'",
        ])
        assertErrors(rules("  - id: a\n    owned: { field: amout, owner: acc, copies: [crm] }\n"), [
            "r.yaml:28:21: error: unknown field 'amout' in source 'acc'; did you mean 'amount'?",
            "r.yaml:28:49: error: unknown field 'amout' in source 'crm'; did you mean 'amount'?",
        ])
    }

    func testOwnedTolerance() {
        assertErrors(rules("  - id: a\n    owned: { field: amount, owner: acc, copies: [crm], tolerance: -1 }\n"), [
            "r.yaml:28:67: error: 'tolerance' must be a decimal of 0 or more, such as '0.01', not '-1'",
        ])
        assertErrors(rules("  - id: a\n    owned: { field: id, owner: acc, copies: [crm], tolerance: 1 }\n"), [
            "r.yaml:28:52: error: 'tolerance' applies to decimal and integer fields; 'id' is text",
        ])
    }

    func testOwnedTypesMustMatch() {
        assertErrors(validFile(crmFields: "      total: Total\n", rules: "  - id: a\n    owned: { field: amount, owner: acc, copies: [crm] }\n")
            .replacingOccurrences(of: "amount: { column: Amount, type: decimal }", with: "amount: Amount"), [
            "r.yaml:29:50: error: field 'amount' is decimal in 'acc' but text in 'crm'",
        ])
    }

    func testOwnedOwnerIsNoCopy() {
        assertErrors(rules("  - id: a\n    owned: { field: amount, owner: acc, copies: [acc] }\n"), [
            "r.yaml:28:50: error: source 'acc' is the owner; it cannot be its own copy",
        ])
    }

    func testStaleClassesMustExist() {
        assertErrors(rules("  - id: a\n    stale: { source: crm, classes: [opn], since: modified, max: 14d }\n"), [
            "r.yaml:28:37: error: unknown class 'opn' of source 'crm'; did you mean 'open'?",
        ])
    }

    func testStaleSinceIsADateField() {
        assertErrors(rules("  - id: a\n    stale: { source: crm, since: stage, max: 14d }\n"), [
            "r.yaml:28:34: error: 'since' needs a date or datetime field; 'stage' is text",
        ])
    }

    func testStaleMaxIsADuration() {
        assertErrors(rules("  - id: a\n    stale: { source: crm, since: modified, max: 14 }\n"), [
            "r.yaml:28:49: error: 'max' must be a duration such as '14d', '2w' or '36h', not '14'",
        ])
    }

    func testStaleNeedsMaxOrUntil() {
        assertErrors(rules("  - id: a\n    stale: { source: crm, since: modified }\n"), [
            "r.yaml:28:5: error: 'stale' needs 'max' (a duration such as '14d') or 'until: period_close'",
        ])
        assertErrors(rules("  - id: a\n    stale: { source: crm, since: modified, max: 1d, until: period_close }\n", top: "calendar: {}\n"), [
            "r.yaml:29:53: error: 'stale' takes 'max' or 'until', not both",
        ])
    }

    func testStaleUntilIsPeriodCloseWithACalendar() {
        assertErrors(rules("  - id: a\n    stale: { source: crm, since: modified, until: period_close }\n"), [
            "r.yaml:28:51: error: 'until: period_close' needs 'calendar' in the rule file",
        ])
        assertErrors(rules("  - id: a\n    stale: { source: crm, since: modified, until: month_end }\n", top: "calendar: {}\n"), [
            "r.yaml:29:51: error: 'until' accepts 'period_close' only, not 'month_end'",
        ])
    }

    func testStaleSourceNeedsState() {
        assertErrors(validFile(sources: "  bank:\n    key: id\n    fields: { id: Id, d: { column: D, type: date } }\n",
                               rules: "  - id: a\n    stale: { source: bank, since: d, max: 1d }\n"), [
            "r.yaml:31:22: error: source 'bank' has no 'state'; 'stale' needs one",
        ])
    }

    func testFixInNamesASource() {
        assertErrors(rules("  - id: a\n    definite: crm\n    fix_in: cmr\n"), [
            "r.yaml:29:13: error: unknown source 'cmr'; did you mean 'crm'?",
        ])
    }

    func testTagsAreWords() {
        assertErrors(rules("  - id: a\n    definite: crm\n    tags: [ok, 'two words']\n"), [
            "r.yaml:29:16: error: tag 'two words' must be one word of letters, digits, '-' and '_'",
        ])
    }

    func testMessagePlaceholders() {
        assertErrors(rules("  - id: a\n    definite: crm\n    message: 'stage {crm.stage'\n"), [
            "r.yaml:29:21: error: unclosed '{' in 'message'",
        ])
        assertErrors(rules("  - id: a\n    definite: crm\n    message: 'stage { }'\n"), [
            "r.yaml:29:22: error: empty placeholder '{}' in 'message'",
        ])
    }

    func testRuleMustBeAMapping() {
        assertErrors(rules("  - definite\n"), ["r.yaml:27:5: error: a rule must be a mapping"])
    }
}
