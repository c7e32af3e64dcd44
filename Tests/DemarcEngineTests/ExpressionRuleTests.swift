import XCTest
import DemarcCore
import DemarcRules
@testable import DemarcEngine

/// Rule files written in YAML (loader and evaluator of branches `rules` and `expr`).
final class ExpressionRuleTests: XCTestCase {
    private let header = """
    demarc: 1
    as_of: 2026-11-30
    calendar: { period: month, grace: 5d }
    sources:
      crm:
        file: crm.csv
        key: id
        fields:
          id: id
          stage: stage
          amount: { column: amount, type: decimal }
          modified: { column: modified, type: date }
        state:
          field: stage
          classes:
            booked: ["Closed Won"]
            not_booked: ["Closed Lost"]
            open: [Prospecting]
            clarification: ["Clarification Needed"]
      accounting:
        file: accounting.csv
        key: invoice
        fields:
          invoice: invoice
          status: status
          amount: { column: total, type: decimal }
          big: { expr: "amount > 150" }
        state:
          classify:
            - booked: "status == 'B'"
            - not_booked: "status == 'N'"
            - open: "status == 'O'"
    match: { normalize: [trim, upper] }
    rules:

    """

    private func run(_ rules: String, options: RunOptions = RunOptions()) throws -> RunResult {
        let file = try RuleFileLoader.load(yaml: header + rules, path: T.fixture("inline.yaml"))
        return try Engine.run(file, options: options)
    }

    func testWhereUnknownSelectsNothingAndExpectUnknownFails() throws {
        let result = try run("""
          - id: amounts-match
            where: "accounting exists"
            expect: "crm.amount == accounting.amount"
          - id: big-is-booked
            where: "accounting.big"
            expect: "accounting is booked"
        """)
        let amounts = result.findings.filter { $0.rule == "amounts-match" }
        XCTAssertEqual(amounts.map(\.key), [["RE-2"], ["RE-7"]])
        XCTAssertEqual(amounts[0].message, "expected 'crm.amount == accounting.amount' does not hold")
        XCTAssertTrue(amounts[1].message.hasSuffix("(unknown: crm is absent)"), amounts[1].message)
        XCTAssertEqual(amounts[1].fixIn, "crm")
        // big: RE-2 190 (not_booked → fails), RE-3 300 (booked). RE-8 is malformed, never matched.
        XCTAssertEqual(result.findings.filter { $0.rule == "big-is-booked" }.map(\.key), [["RE-2"]])
    }

    func testMessageTemplateAndFixInFromWhere() throws {
        let result = try run("""
          - id: booked-while-clarifying
            where: "accounting is booked"
            expect: "not (crm is clarification)"
            message: "booked in accounting while the CRM still says '{crm.stage}' [{accounting.status}]"
        """)
        let found = result.findings.filter { $0.rule == "booked-while-clarifying" }
        XCTAssertEqual(found.map(\.key), [["RE-3"]])
        XCTAssertEqual(found[0].message, "booked in accounting while the CRM still says 'Clarification Needed' [B]")
        XCTAssertEqual(found[0].fixIn, "crm")

        let noSource = try run("""
          - id: as-of-late
            where: "accounting is open"
            expect: "as_of < 2026-01-01"
        """)
        XCTAssertEqual(noSource.findings.first { $0.rule == "as-of-late" }?.fixIn, "accounting")
    }

    func testClassifyFormTwoAndDerivedValuesInResults() throws {
        let result = try run("""
          - id: acc-definite
            definite: accounting
        """)
        let found = try XCTUnwrap(result.finding("acc-definite", "RE-7"))
        XCTAssertEqual(found.message, "accounting is 'open', neither booked nor not booked")
        XCTAssertEqual(found.records[0].records[0].values.map(\.name), ["invoice", "status", "amount", "big"])
        XCTAssertEqual(found.records[0].records[0].values.map(\.text), ["RE-7", "O", "70.00", "false"])
    }

    func testStaleUntilPeriodClose() throws {
        // RE-4 open, modified 2026-11-20: the November period closes 2026-12-05 (grace 5d).
        let rule = """
          - id: open-after-close
            stale: { source: crm, classes: [open], since: modified, until: period_close }
        """
        XCTAssertTrue(try run(rule).findings.filter { $0.rule == "open-after-close" }.isEmpty)
        let late = try run(rule, options: RunOptions(asOf: T.day("2026-12-06")))
        let found = late.findings.filter { $0.rule == "open-after-close" }
        XCTAssertEqual(found.map(\.key), [["RE-4"]])
        XCTAssertTrue(found[0].message.contains("closed on 2026-12-05"), found[0].message)
        let edge = try run(rule, options: RunOptions(asOf: T.day("2026-12-05")))
        XCTAssertTrue(edge.findings.filter { $0.rule == "open-after-close" }.isEmpty)
    }

    func testDatevSourceWithSignDayMonthAndHeaderInClassify() throws {
        let yaml = """
        demarc: 1
        as_of: 2025-12-31
        sources:
          ledger:
            file: ../datev/EXTF_Buchungsstapel_small.csv
            format: datev
            key: invoice
            fields:
              invoice: { column: "Belegfeld 1" }
              amount: { column: 1, type: decimal, sign: { column: 2, negative: [H] } }
              date: { column: Belegdatum, type: date, format: ddMM }
            state:
              classify:
                - booked: "header.festschreibung"
        rules:
          - id: all
            expect: "false"
        """
        let file = try RuleFileLoader.load(yaml: yaml, path: T.fixture("datev.yaml"))
        let result = try Engine.run(file, options: RunOptions())
        XCTAssertEqual(result.sources[0].format, "datev")
        XCTAssertEqual(result.sources[0].records, 3)
        let values = result.findings.filter { $0.rule == "all" }.map { $0.records[0].records[0].values.map(\.text) }
        XCTAssertEqual(values, [["RE-2025-11-001", "1190.00", "2025-11-03"],
                                ["RE-2025-11-002", "-59.50", "2025-11-01"],
                                ["RE-2025-11-003", "100.00", ""]])
        XCTAssertEqual(result.findings.filter { $0.rule == "malformed-value" }.map(\.key), [["RE-2025-11-003"]])
        XCTAssertTrue(result.findings.filter { $0.rule == "unclassified-state" }.isEmpty)
        XCTAssertEqual(result.findings.first?.records[0].records[0].line, 3)
    }
}

final class XMLSourceTests: XCTestCase {
    func testXMLSourceWithRepeatedSumAttributesAndStates() throws {
        let yaml = """
        demarc: 1
        as_of: 2026-11-30
        sources:
          accounting:
            file: invoices.xml
            format: xml
            xml: { record: //Invoice, namespaces: { pt: "urn:OECD:StandardAuditFile-Tax:PT_1.04_01" } }
            key: invoice
            fields:
              invoice: pt:InvoiceNo
              status: DocumentStatus/InvoiceStatus
              lines: { path: Line/Amount, type: decimal, repeated: sum }
              count: { path: Line, type: integer, repeated: count }
              total: { path: DocumentTotals/GrossTotal, type: decimal }
              currency: { path: "DocumentTotals/Currency/@code" }
            state:
              field: status
              classes:
                booked: [N]
                not_booked: [A]
        rules:
          - id: lines-add-up
            expect: "accounting.lines == accounting.total"
        """
        let file = try RuleFileLoader.load(yaml: yaml, path: T.fixture("xml.yaml"))
        let result = try Engine.run(file, options: RunOptions())
        XCTAssertEqual(result.sources[0].records, 2)
        XCTAssertEqual(result.pairs, ["lines-add-up RE-2", "malformed-value RE-2"])
        let first = try XCTUnwrap(result.finding("lines-add-up", "RE-2"))
        XCTAssertEqual(first.records[0].records[0].line, 12)
        XCTAssertEqual(first.records[0].records[0].values.map(\.text), ["RE-2", "A", "190.00", "1", "", "EUR"])
        XCTAssertTrue(first.message.hasSuffix("(unknown: accounting.total is empty)"), first.message)
    }
}
