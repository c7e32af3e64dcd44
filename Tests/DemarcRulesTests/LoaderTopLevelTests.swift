import DemarcCore
@testable import DemarcRules
import XCTest

/// Whole-file problems: YAML, version, top-level keys, calendar, match, implicit, reading.
final class LoaderTopLevelTests: XCTestCase {
    func testValidSkeletonLoads() throws {
        let file = try RuleFileLoader.load(yaml: validFile(), path: "r.yaml")
        XCTAssertEqual(file.sources.map(\.name), ["crm", "acc"])
    }

    func testYAMLSyntaxErrorIsOneDiagnosticAtItsPosition() {
        assertErrors("demarc: 1\nsources: [a\nrules: x\n", [
            "r.yaml:3:6: error: invalid yaml: did not find expected ',' or ']' while parsing a flow sequence",
        ])
    }

    func testDuplicateYAMLKey() {
        assertErrors("demarc: 1\ndemarc: 1\n", ["r.yaml:1:1: error: duplicate key 'demarc'"])
    }

    func testEmptyFile() {
        assertErrors("", ["r.yaml:1:1: error: the rule file is empty; it needs 'demarc: 1', 'sources' and 'rules'"])
    }

    func testTopLevelMustBeAMapping() {
        assertErrors("- a\n", ["r.yaml:1:1: error: the rule file must be a mapping"])
    }

    func testMissingVersion() {
        let yaml = validFile().replacingOccurrences(of: "demarc: 1\n", with: "")
        assertErrors(yaml, ["r.yaml:1:1: error: missing required key 'demarc' in the rule file (write 'demarc: 1')"])
    }

    func testOtherVersionIsTheOnlyError() {
        assertErrors("demarc: 2\nwhatever: 1\n", [
            "r.yaml:1:9: error: unsupported rule format '2'; this demarc reads format 1",
        ])
    }

    func testUnknownTopLevelKeySuggestsClosest() {
        let yaml = validFile().replacingOccurrences(of: "rules:", with: "rule:")
        assertErrors(yaml, [
            "r.yaml:1:1: error: missing required key 'rules' in the rule file",
            "r.yaml:26:1: error: unknown key 'rule'; did you mean 'rules'?",
        ])
    }

    func testUnknownKeyWithoutCloseOneListsKnownKeys() {
        assertErrors(validFile(top: "zzzzzz: 1\n"), [
            "r.yaml:2:1: error: unknown key 'zzzzzz'; expected 'demarc', 'name', 'description', 'as_of', 'calendar', 'sources', 'match', 'implicit', 'rules'",
        ])
    }

    func testMissingSourcesAndRules() {
        assertErrors("demarc: 1\nname: x\n", [
            "r.yaml:1:1: error: missing required key 'sources' in the rule file",
            "r.yaml:1:1: error: missing required key 'rules' in the rule file",
        ])
    }

    func testEmptySourcesAndRules() {
        assertErrors("demarc: 1\nsources: {}\nrules: []\n", [
            "r.yaml:2:10: error: 'sources' must name at least one source",
            "r.yaml:3:8: error: 'rules' must hold at least one rule",
        ])
    }

    func testRulesMustBeAList() {
        assertErrors(validFile().replacingOccurrences(of: "  - id: r1\n    definite: crm\n", with: "  id: r1\n"), [
            "r.yaml:27:3: error: 'rules' must be a list of rules",
        ])
    }

    func testNameMustBeText() {
        assertErrors(validFile(top: "name: [a]\n"), ["r.yaml:2:7: error: 'name' must be text, not a list"])
    }

    func testAsOfMustBeADate() {
        assertErrors(validFile(top: "as_of: 2026-02-30\n"), [
            "r.yaml:2:8: error: 'as_of' must be a date (yyyy-MM-dd), not '2026-02-30'",
        ])
    }

    func testCalendarPeriod() {
        assertErrors(validFile(top: "calendar: { period: months }\n"), [
            "r.yaml:2:21: error: unknown period 'months'; did you mean 'month'?",
        ])
    }

    func testCalendarGrace() {
        assertErrors(validFile(top: "calendar: { grace: 5 days }\n"), [
            "r.yaml:2:20: error: 'grace' must be a duration such as '5d', not '5 days'",
        ])
    }

    func testCalendarCloses() {
        assertErrors(validFile(top: "calendar: { closes: [2026-01-07, 7.1.2026] }\n"), [
            "r.yaml:2:34: error: a close date must be a date (yyyy-MM-dd), not '7.1.2026'",
        ])
    }

    func testCalendarClosesWithoutPeriodMeansMonths() throws {
        let file = try RuleFileLoader.load(yaml: validFile(top: "calendar: { closes: [2026-01-07] }\n"), path: "r.yaml")
        XCTAssertEqual(file.calendar?.period, .month)
        XCTAssertEqual(file.calendar?.graceMillis, 0)
    }

    func testUnknownNormalizer() {
        assertErrors(validFile(top: "match: { normalize: [trim, uper] }\n"), [
            "r.yaml:2:28: error: unknown normalizer 'uper'; did you mean 'upper'?",
        ])
    }

    func testUnknownImplicitCheck() {
        assertErrors(validFile(top: "implicit: { duplicate-keys: warning }\n"), [
            "r.yaml:2:13: error: unknown implicit check 'duplicate-keys'; did you mean 'duplicate-key'?",
        ])
    }

    func testImplicitCheckCannotBeTurnedOff() {
        assertErrors(validFile(top: "implicit: { duplicate-key: off }\n"), [
            "r.yaml:2:28: error: implicit checks cannot be turned off; severity must be 'error', 'warning' or 'info', not 'off'",
        ])
    }

    func testUnknownImplicitSeverity() {
        assertErrors(validFile(top: "implicit: { missing-key: warnig }\n"), [
            "r.yaml:2:26: error: unknown severity 'warnig'; did you mean 'warning'?",
        ])
    }

    func testAllProblemsInOnePassSortedByPosition() {
        let yaml = validFile(top: "as_of: tomorrow\n")
            .replacingOccurrences(of: "definite: crm", with: "definite: crn\n    severty: info")
            .replacingOccurrences(of: "format: xml", with: "format: xlm")
        assertErrors(yaml, [
            "r.yaml:2:8: error: 'as_of' must be a date (yyyy-MM-dd), not 'tomorrow'",
            "r.yaml:17:13: error: unknown format 'xlm'; did you mean 'xml'?",
            "r.yaml:29:15: error: unknown source 'crn'; did you mean 'crm'?",
            "r.yaml:30:5: error: unknown key 'severty'; did you mean 'severity'?",
        ])
    }

    func testMissingRuleFileIsAUsageError() {
        XCTAssertThrowsError(try RuleFileLoader.load(path: "/nonexistent/rules.yaml")) { error in
            guard case DemarcError.usage(let message) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(message, "cannot read rule file '/nonexistent/rules.yaml': no such file")
            XCTAssertEqual((error as? DemarcError)?.exitCode, 2)
        }
    }

    func testFolderIsAUsageError() {
        XCTAssertThrowsError(try RuleFileLoader.load(path: "/tmp")) { error in
            guard case DemarcError.usage(let message) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(message, "cannot read rule file '/tmp': it is a folder")
        }
    }

    func testInvalidUTF8() throws {
        let path = NSTemporaryDirectory() + "demarc-loader-\(getpid()).yaml"
        try Data([0x64, 0x65, 0x0A, 0x61, 0xFF, 0x0A]).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        XCTAssertThrowsError(try RuleFileLoader.load(path: path)) { error in
            guard case DemarcError.invalidConfiguration(let diagnostics) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(diagnostics.map(\.description), ["\(path):2:1: error: the rule file is not valid utf-8"])
        }
    }

    func testFilePathsResolveAgainstTheRuleFilesFolder() throws {
        let yaml = validFile().replacingOccurrences(of: "  crm:\n", with: "  crm:\n    file: in/crm.csv\n")
        let file = try RuleFileLoader.load(yaml: yaml, path: "Rules/x.yaml")
        XCTAssertEqual(file.source("crm")?.file, "Rules/in/crm.csv")
        XCTAssertEqual(file.source("crm")?.fileAsWritten, "in/crm.csv")
        XCTAssertEqual(file.source("crm")?.position, SourcePosition(file: "Rules/x.yaml", line: 4, column: 11))
        let top = try RuleFileLoader.load(yaml: yaml, path: "x.yaml")
        XCTAssertEqual(top.source("crm")?.file, "in/crm.csv")
    }
}

/// Hostile rule files end in a diagnostic, never a crash.
final class LoaderHostileTests: XCTestCase {
    func testDeepNestingIsAnError() {
        let yaml = "demarc: 1\nx: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let errors = loadErrors(yaml)
        XCTAssertEqual(errors.count, 1)
        XCTAssertTrue(errors.first?.hasPrefix("r.yaml:2:") ?? false, "\(errors)")
    }

    func testWrongShapesEverywhere() {
        let yaml = "demarc: 1\nsources: [a]\nrules: { a: 1 }\nmatch: 3\nimplicit: []\ncalendar: x\n"
        assertErrors(yaml, [
            "r.yaml:2:10: error: 'sources' must be a mapping",
            "r.yaml:3:8: error: 'rules' must be a list of rules",
            "r.yaml:4:8: error: 'match' must be a mapping",
            "r.yaml:5:11: error: 'implicit' must be a mapping",
            "r.yaml:6:11: error: 'calendar' must be a mapping",
        ])
    }
}
