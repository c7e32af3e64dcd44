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

    /// `definite` and `counterpart` messages are made once per stored state text and class
    /// (`DefaultMessages`): the same texts as made per case, whether the state text is interned
    /// or (past 4,096 distinct texts) stored per record, empty, by condition, or absent.
    func testDefaultMessagesMadeOncePerStateTextAreThoseOfEachCase() throws {
        let n = 13_000   // 4,333 distinct "Stage" texts: past the interning limit of 4,096
        var crm = "k,stage,amount,locked\n"
        for i in 0..<n {
            let stage = i % 3 == 0 ? "Open" : i % 3 == 1 ? "Stage \(i)" : ""   // past the interning limit
            crm += "K\(i),\(stage),\(i % 5).00,\(i % 2 == 0)\n"
        }
        let path = T.csv(crm)
        let fields = [T.field("k"), T.field("stage"), T.field("amount", nil, .decimal), T.field("locked", nil, .bool)]
        let byValue = T.source("crm", file: path, fields: fields, key: ["k"],
                               state: T.byValue("stage", [("open", ["Open"]), ("booked", ["Won"])]))
        let byCondition = T.source("crm", file: path, fields: fields, key: ["k"],
                                   state: .byCondition([(StateClass("booked"), T.bin(.equal, T.bare("locked"), T.lit(.bool(true)))),
                                                        (StateClass("open"), T.bin(.equal, T.bare("locked"), T.lit(.bool(false))))]))
        let stateless = T.source("crm", file: path, fields: fields, key: ["k"])
        let acc = T.source("acc", file: T.csv("k\nK1\n"), fields: [T.field("k")], key: ["k"])
        for source in [byValue, byCondition, stateless] {
            let rules = [T.rule("def", .definite(source: "crm")), T.rule("cp", .counterpart(of: "crm", in: "acc"))]
            let result = try Engine.run(T.file([source, acc], rules), options: RunOptions())
            var checked = 0
            for finding in result.findings where finding.rule == "def" || finding.rule == "cp" {
                let i = Int(finding.key[0].dropFirst())!
                let stage = i % 3 == 0 ? "Open" : i % 3 == 1 ? "Stage \(i)" : ""
                let says: String
                switch source.state {
                case .byValue?: says = "crm says '\(stage)'" + (finding.rule == "def" ? (stage == "Open" ? " (open)" : " (unclassified)") : "")
                case .byCondition?: says = "crm is '\(i % 2 == 0 ? "booked" : "open")'"
                case nil: says = "crm has a record"
                }
                let expected = finding.rule == "def" ? "\(says), neither booked nor not booked" : "\(says) but acc has no record"
                XCTAssertEqual(finding.message, expected, "\(finding.rule) \(finding.key)")
                checked += 1
            }
            XCTAssertGreaterThan(checked, n - 2, "\(String(describing: source.state))")
        }
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

    /// The `owned` prefilter compares stored encodings (numbers as stored, interned texts by
    /// id); whatever it skips, the findings must be those of comparing the values themselves.
    func testOwnedFindsWhatComparingTheValuesFinds() throws {
        let amounts = ["1.5", "1.50", "2", "2.00", "-0", "0", "", "1e3", "x", "99999999999.99", "3"]
        let currencies = ["EUR", "EUR ", " EUR", "USD", "", "eur", "Ä", "Ä "]
        var generator = SystemRandomNumberGenerator()
        var crmRows: [String] = [], accRows: [String] = []
        for k in 0..<600 {
            func pick(_ list: [String]) -> String { list[Int.random(in: 0..<list.count, using: &generator)] }
            crmRows.append("K\(k),\(pick(amounts)),\(pick(currencies))")
            if k % 7 != 0 { accRows.append("K\(k),\(pick(amounts)),\(pick(currencies))") }
        }
        let fields = [T.field("id"), T.field("amount", nil, .decimal), T.field("currency")]
        let crm = T.source("crm", file: T.csv("id,amount,currency\n" + crmRows.joined(separator: "\n") + "\n"), fields: fields, key: ["id"])
        let acc = T.source("accounting", file: T.csv("id,amount,currency\n" + accRows.joined(separator: "\n") + "\n"),
                           fields: fields, key: ["id"])
        for tolerance in [FixedDecimal(units: 0, scale: 0), FixedDecimal(units: 5, scale: 1)] {
            let rules = [T.rule("amount", .owned(field: "amount", owner: "accounting", copies: ["crm"], tolerance: tolerance)),
                         T.rule("currency", .owned(field: "currency", owner: "accounting", copies: ["crm"], tolerance: tolerance))]
            let result = try Engine.run(T.file([crm, acc], rules), options: RunOptions())
            let ownership = result.findings.filter { $0.kind == "ownership" }
            let found = Set(ownership.map { "\($0.rule) \($0.key[0])" })
            // The same decision, from the values parsed here and compared as values; the
            // messages name both values, or say that the copy has none.
            var expected = Set<String>()
            var messages: [String: String] = [:]
            let crmByKey = Dictionary(uniqueKeysWithValues: crmRows.map { row in
                let cells = row.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                return (cells[0], cells)
            })
            for row in accRows {
                let owner = row.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                guard let copy = crmByKey[owner[0]] else { continue }
                for (f, name, type) in [(1, "amount", FieldType.decimal), (2, "currency", FieldType.text)] {
                    func value(_ text: String) -> Value {
                        if case .value(let v) = ValueParser.parse(text, as: ValueSpec(type: type)) { return v }
                        return .unknown
                    }
                    let ownerValue = value(owner[f]), copyValue = value(copy[f])
                    if !ownerValue.isUnknown && !sameOwnedValue(ownerValue, copyValue, tolerance: tolerance) {
                        expected.insert("\(name) \(owner[0])")
                        let copyText = copyValue.isUnknown ? "no \(name)" : "\(name) '\(copyValue.resultText)'"
                        messages["\(name) \(owner[0])"] = "crm has \(copyText) but accounting, which owns it, has '\(ownerValue.resultText)'"
                    }
                }
            }
            XCTAssertGreaterThan(expected.count, 100)
            XCTAssertEqual(found.symmetricDifference(expected).sorted(), [], "tolerance \(tolerance.plainText)")
            XCTAssertTrue(messages.values.contains { $0.hasPrefix("crm has no ") })
            for finding in ownership {
                XCTAssertEqual(finding.message, messages["\(finding.rule) \(finding.key[0])"])
            }
        }
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
