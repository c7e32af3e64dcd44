import XCTest
import DemarcCore
import DemarcReaders
import DemarcRules
@testable import DemarcEngine

final class RuleKindTests: XCTestCase {
    private func run(_ rules: [Rule], options: RunOptions = RunOptions()) throws -> RunResult {
        try Engine.run(T.file([T.crm, T.accounting], rules, normalize: [.trim, .upper]), options: options)
    }

    func testImplicitChecksOnTheFixturePair() throws {
        let result = try run([])
        XCTAssertEqual(result.pairs, [
            "unclassified-state RE-5",
            "duplicate-key RE-1",
            "missing-key ",
            "malformed-value RE-6",
            "malformed-record ",
        ])
        XCTAssertEqual(result.cases, 8)
        XCTAssertEqual(result.sources.map(\.records), [8, 5])
        XCTAssertEqual(result.sources.map(\.malformed), [1, 1])
        let dup = try XCTUnwrap(result.finding("duplicate-key", "RE-1"))
        XCTAssertEqual(dup.records.first?.records.first?.line, 7)
        XCTAssertTrue(dup.message.contains("line 2"), dup.message)
        XCTAssertEqual(dup.fingerprint, Fingerprint.make(rule: "duplicate-key", key: ["RE-1"], extra: ["crm", "2"]))
        let bad = try XCTUnwrap(result.finding("malformed-value", "RE-6"))
        XCTAssertTrue(bad.message.contains("'abc'") && bad.message.contains(":9"), bad.message)
        XCTAssertEqual(bad.records[0].records[0].values.map(\.text), ["RE-6", "Closed Won", "", "2026-11-01"])
        let record = try XCTUnwrap(result.finding("malformed-record", ""))
        XCTAssertEqual(record.records[0].records[0].raw, "RE-8,X,1,extra")
        XCTAssertEqual(record.records[0].source, "accounting")
    }

    func testDefinite() throws {
        let result = try run([T.rule("acc-definite", .definite(source: "accounting"))])
        let finding = try XCTUnwrap(result.finding("acc-definite", "RE-7"))
        XCTAssertEqual(finding.kind, "indefinite")
        XCTAssertEqual(finding.fixIn, "accounting")
        XCTAssertEqual(finding.message, "accounting says 'O' (open), neither booked nor not booked")
        XCTAssertEqual(finding.fingerprint, Fingerprint.make(rule: "acc-definite", key: ["RE-7"], extra: ["accounting"]))
        XCTAssertEqual(result.findings.filter { $0.rule == "acc-definite" }.count, 1)
        // Unclassified records are left to unclassified-state.
        let crm = try run([T.rule("crm-definite", .definite(source: "crm"))])
        XCTAssertEqual(crm.findings.filter { $0.rule == "crm-definite" }.map { $0.key[0] }, ["RE-3", "RE-4"])
    }

    func testCounterpartSkipsMissingKeysAndHonoursWhere() throws {
        let result = try run([T.rule("won-is-booked", .counterpart(of: "crm", in: "accounting"),
                                     where: T.isClass("crm", "booked"))])
        let found = result.findings.filter { $0.rule == "won-is-booked" }
        XCTAssertEqual(found.map(\.key), [["RE-6"]])
        XCTAssertEqual(found[0].message, "crm says 'Closed Won' but accounting has no record")
        XCTAssertEqual(found[0].fixIn, "accounting")
        XCTAssertEqual(found[0].records.map(\.source), ["crm"])
    }

    func testAgree() throws {
        let result = try run([T.rule("agree", .agree("crm", "accounting", transitionalAllowed: false))])
        let found = result.findings.filter { $0.rule == "agree" }
        XCTAssertEqual(found.map(\.key), [["RE-2"], ["RE-3"]])
        XCTAssertEqual(found[0].fixIn, "accounting")
        XCTAssertEqual(found[1].fixIn, "crm")
        XCTAssertEqual(found[0].message, "crm says 'Closed Won' (booked) but accounting says 'N' (not_booked)")
        XCTAssertEqual(found[0].records.map(\.source), ["crm", "accounting"])
        let allowed = try run([T.rule("agree", .agree("crm", "accounting", transitionalAllowed: true))])
        XCTAssertEqual(allowed.findings.filter { $0.rule == "agree" }.map(\.key), [["RE-2"]])
    }

    func testOwned() throws {
        let tolerance = FixedDecimal(units: 1, scale: 2)
        let result = try run([T.rule("owned", .owned(field: "amount", owner: "accounting", copies: ["crm"], tolerance: tolerance))])
        let found = result.findings.filter { $0.rule == "owned" }
        XCTAssertEqual(found.map(\.key), [["RE-2"]])
        XCTAssertEqual(found[0].fixIn, "crm")
        XCTAssertEqual(found[0].message, "crm has amount '200.00' but accounting, which owns it, has '190.00'")
        XCTAssertEqual(found[0].fingerprint, Fingerprint.make(rule: "owned", key: ["RE-2"], extra: ["amount", "crm"]))
        let wide = try run([T.rule("owned", .owned(field: "amount", owner: "accounting", copies: ["crm"],
                                                   tolerance: FixedDecimal(units: 10, scale: 0)))])
        XCTAssertTrue(wide.findings.filter { $0.rule == "owned" }.isEmpty)
    }

    func testStaleByAge() throws {
        let rule = T.rule("stale", .stale(source: "crm", classes: [StateClass("clarification")], since: "modified",
                                          limit: .maxAge(millis: 14 * 86_400_000)))
        let result = try run([rule])
        let found = result.findings.filter { $0.rule == "stale" }
        XCTAssertEqual(found.map(\.key), [["RE-3"]])
        XCTAssertEqual(found[0].message,
                       "crm says 'Clarification Needed' (clarification) since 2026-10-01, for 60d, longer than 14d")
        // Default classes are all transitional ones: open RE-4 is 10 days old, fresh at 14d, stale at 9d.
        let all = try run([T.rule("stale", .stale(source: "crm", classes: nil, since: "modified",
                                                  limit: .maxAge(millis: 9 * 86_400_000)))])
        XCTAssertEqual(all.findings.filter { $0.rule == "stale" }.map(\.key), [["RE-3"], ["RE-4"]])
        // Age equal to max is fresh.
        let edge = try run([T.rule("stale", .stale(source: "crm", classes: nil, since: "modified",
                                                   limit: .maxAge(millis: 10 * 86_400_000)))])
        XCTAssertEqual(edge.findings.filter { $0.rule == "stale" }.map(\.key), [["RE-3"]])
    }

    func testExpectWithUnknownFailsAndNamesTheMissingValue() throws {
        let rule = T.rule("amounts", .expect(T.bin(.equal, T.f("crm", "amount", column: 5), T.f("accounting", "amount", column: 20))),
                          where: T.exists("accounting"))
        let result = try run([rule])
        let found = result.findings.filter { $0.rule == "amounts" }
        XCTAssertEqual(found.map(\.key), [["RE-2"], ["RE-7"]])
        XCTAssertEqual(found[0].fixIn, "crm")
        XCTAssertTrue(found[1].message.hasSuffix("(unknown: crm is absent)"), found[1].message)
        XCTAssertEqual(found[1].records.map(\.source), ["accounting"])
    }

    func testExpectMessageTemplateAndWhereUnknownSelectsNothing() throws {
        let rule = T.rule("booked-while-clarifying", .expect(T.not(T.isClass("crm", "clarification"))),
                          where: T.isClass("accounting", "booked"),
                          message: "booked while the CRM says '{crm.stage}'", placeholders: [T.f("crm", "stage")])
        let result = try run([rule])
        let found = result.findings.filter { $0.rule == "booked-while-clarifying" }
        XCTAssertEqual(found.map(\.key), [["RE-3"]])
        XCTAssertEqual(found[0].message, "booked while the CRM says 'Clarification Needed'")
        XCTAssertEqual(found[0].fixIn, "crm")
        XCTAssertEqual(found[0].records.map(\.source), ["crm", "accounting"])
    }

    func testOnlySkipAndMaxFindings() throws {
        let rules = [T.rule("a", .definite(source: "crm"), tags: ["x"]),
                     T.rule("b", .definite(source: "accounting"))]
        let only = try run(rules, options: RunOptions(only: ["#x"]))
        XCTAssertEqual(Set(only.findings.map(\.rule)).contains("b"), false)
        XCTAssertEqual(only.summary.byRule.first?.rule, "a")
        XCTAssertThrowsError(try run(rules, options: RunOptions(skip: ["nope"]))) { error in
            XCTAssertEqual((error as? DemarcError)?.exitCode, 2)
        }
        let limited = try run(rules, options: RunOptions(maxFindings: 1))
        XCTAssertEqual(limited.findings.filter { $0.rule == "a" }.count, 1)
        XCTAssertEqual(limited.summary.byRule.first { $0.rule == "a" }?.count, 2)
        XCTAssertEqual(limited.summary.findings, 2 + 1 + 5)
    }
}
