import DemarcCore
import DemarcReaders
@testable import DemarcRules
import Foundation
import XCTest

final class StarterTests: XCTestCase {
    private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    private func column(_ source: String, _ field: String, _ values: [String]) -> KeyColumnValues {
        KeyColumnValues(source: source, field: field, column: field, values: Set(values))
    }

    // MARK: - Overlap and key choice

    func testNormalizers() {
        XCTAssertEqual(KeyMatcher.normalize("  re-2026 0042 ", [.trim, .upper]), "RE-2026 0042")
        XCTAssertEqual(KeyMatcher.normalize("a  \t b", [.collapseSpaces]), "a b")
        XCTAssertEqual(KeyMatcher.normalize("000", [.stripLeadingZeros]), "0")
        XCTAssertEqual(KeyMatcher.normalize("00042", [.stripLeadingZeros]), "42")
        XCTAssertEqual(KeyMatcher.normalize("RE-2026/0042", [.alnum]), "RE20260042")
    }

    func testOverlapFigures() {
        let o = KeyMatcher.overlap(column("crm", "inv", ["A1", "A2", "A3", "A4"]), column("acc", "no", ["A1", "A2", "B9"]), [.trim])
        XCTAssertEqual(o.common, 2)
        XCTAssertEqual(o.leftDistinct, 4)
        XCTAssertEqual(o.rightDistinct, 3)
        XCTAssertEqual(o.score, 2.0 / 3.0, accuracy: 1e-9)
        XCTAssertEqual(o.figures, "2 of 4 crm values (50%) are in acc; 2 of 3 acc values (67%) are in crm")
    }

    func testBestNormalizersAreTheFewestThatMatchMost() {
        let crm = column("crm", "invoice", ["re-0042", "re-0043", "RE-0044"])
        let acc = column("acc", "beleg", ["RE-0042", "RE-0043", "RE-0044"])
        XCTAssertEqual(KeyMatcher.bestOverlap(crm, acc).normalize, [.trim, .upper])
        XCTAssertEqual(KeyMatcher.bestOverlap(crm, acc).common, 3)
        let zeros = KeyMatcher.bestOverlap(column("a", "x", ["0042", "0043"]), column("b", "y", ["42", "43"]))
        XCTAssertEqual(zeros.normalize, [.trim, .stripLeadingZeros])
        let both = KeyMatcher.bestOverlap(column("a", "x", ["re-1", "RE 2"]), column("b", "y", ["RE-1", "RE2"]))
        XCTAssertEqual(both.normalize, [.trim, .upper, .alnum], "upper and alnum each find one; together both")
        XCTAssertEqual(both.common, 2)
        let same = KeyMatcher.bestOverlap(column("a", "x", ["K1", "K2"]), column("b", "y", ["K1", "K2"]))
        XCTAssertEqual(same.normalize, [.trim], "no normalizer beyond trim when trim is enough")
    }

    func testRankPrefersTheColumnPairThatSharesValues() {
        let crm = [column("crm", "id", ["0065A", "0065B", "0065C"]), column("crm", "invoice", ["RE-1", "RE-2", "RE-3"]),
                   column("crm", "name", ["Acme", "Globex", "RE-1"])]
        let acc = [column("acc", "text", ["Acme GmbH", "Globex"]), column("acc", "beleg", ["RE-1", "RE-2", "RE-4"])]
        let ranked = KeyMatcher.rank(crm, acc)
        XCTAssertEqual(ranked.first.map { "\($0.leftField)=\($0.rightField)" }, "invoice=beleg")
        XCTAssertFalse(ranked.contains { $0.leftField == "id" }, "pairs that share nothing are left out")
    }

    // MARK: - States and names

    func testStateNames() {
        XCTAssertEqual(StateGuess.nameScore("StageName"), 2)
        XCTAssertEqual(StateGuess.nameScore("Deal Stage"), 2)
        XCTAssertEqual(StateGuess.nameScore("DocumentStatus/InvoiceStatus"), 2)
        XCTAssertEqual(StateGuess.nameScore("status"), 2)
        XCTAssertEqual(StateGuess.nameScore("Approval_State__c"), 1)
        XCTAssertEqual(StateGuess.nameScore("Amount"), 0)
        XCTAssertEqual(StateGuess.nameScore("Statement"), 0)
    }

    func testFieldNames() {
        func name(_ column: String, _ format: ProfileFormat = .csv, all: [String] = []) -> String {
            StarterSourcePlan.fieldName(for: column, format: format, position: 3, all: all.isEmpty ? [column] : all)
        }
        XCTAssertEqual(name("StageName"), "stage_name")
        XCTAssertEqual(name("Invoice_Number__c"), "invoice_number_c")
        XCTAssertEqual(name("Gegenkonto (ohne BU-Schlüssel)"), "gegenkonto_ohne_bu_schluessel")
        XCTAssertEqual(name("Belegfeld 1"), "belegfeld_1")
        XCTAssertEqual(name("1. Spalte"), "f_1_spalte")
        XCTAssertEqual(name("State"), "state_value")
        XCTAssertEqual(name("???"), "column_3")
        XCTAssertEqual(name("DocumentTotals/GrossTotal", .xml), "gross_total")
        XCTAssertEqual(name("A/Total", .xml, all: ["A/Total", "B/Total"]), "a_total")
    }

    func testSalesforceStages() throws {
        let path = root.deletingLastPathComponent().appendingPathComponent("shared/samples/salesforce-metadata/OpportunityStage.standardValueSet-meta.xml").path
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("samples absent") }
        let stages = try SalesforceStages.read(path: path)
        let classes = Dictionary(grouping: stages.stages, by: SalesforceStages.className).mapValues { $0.map(\.name) }
        XCTAssertEqual(classes["booked"], ["Closed Won"])
        XCTAssertEqual(classes["not_booked"], ["Closed Lost"])
        XCTAssertEqual(classes["open"]?.first, "Prospecting")
    }

    // MARK: - Whole files

    private func starter(_ sources: [(String, String)], stages: SalesforceStages? = nil) throws -> RuleFile {
        let inputs = sources.map { StarterSourceInput(name: $0.0, path: root.appendingPathComponent($0.1).path,
                                                      fileInRules: root.appendingPathComponent($0.1).path) }
        let text = try RuleFileStarter.make(inputs, stages: stages)
        return try RuleFileLoader.load(yaml: text, path: root.appendingPathComponent("starter.yaml").path)
    }

    func testSalesforceAndDatev() throws {
        let file = try starter([("crm", "Fixtures/salesforce-datev/Opportunity.csv"),
                                ("accounting", "Fixtures/salesforce-datev/EXTF_Buchungsstapel.csv")])
        let crm = try XCTUnwrap(file.source("crm")), acc = try XCTUnwrap(file.source("accounting"))
        XCTAssertEqual(crm.key, ["invoice_number_c"])
        XCTAssertEqual(acc.key, ["belegfeld_1"])
        XCTAssertEqual(crm.cardinality, .one, "one duplicate is a duplicate-key finding, not a group")
        // Proposals only (comments): nothing is classified until someone decides (CLI.md, init).
        XCTAssertEqual(crm.state?.classes.map(\.name), ["todo"])
        XCTAssertEqual(acc.state?.classes.map(\.name), ["todo"])
        XCTAssertEqual(crm.field("amount")?.type, .decimal)
        XCTAssertEqual(acc.field("amount")?.sign?.negative, ["H"])
        XCTAssertEqual(acc.field("belegdatum")?.dateFormat, .dayMonth)
        XCTAssertEqual(file.rules.map(\.id), ["accounting-is-definite", "accounting-has-crm", "crm-booked-is-in-accounting",
                                              "crm-and-accounting-agree", "amount-owned-by-accounting"])
    }

    func testHubspotAndERPLines() throws {
        let file = try starter([("crm", "Fixtures/hubspot-erp/deals.csv"), ("erp", "Fixtures/hubspot-erp/erp-invoice-lines.tsv")])
        let crm = try XCTUnwrap(file.source("crm")), erp = try XCTUnwrap(file.source("erp"))
        XCTAssertEqual(crm.key, ["invoice_number"])
        XCTAssertEqual(erp.key, ["invoice_no"])
        XCTAssertEqual(erp.cardinality, .many, "invoice lines repeat the invoice number")
        XCTAssertEqual(erp.group["amount"], .sum)
        XCTAssertEqual(erp.csv.delimiter, 0x09)
        guard case .byValue(let field, let classes, _)? = crm.state else { return XCTFail("no state on crm") }
        XCTAssertEqual(field, "deal_stage")
        XCTAssertEqual(classes.map(\.0.name), ["todo"])
        XCTAssertEqual(classes.first?.1, [], "observed values stay unclassified until sorted")
    }

    func testStagesFileClassifiesStageNames() throws {
        let stages = SalesforceStages(stages: [.init(name: "Closed Won", closed: true, won: true),
                                               .init(name: "Closed Lost", closed: true, won: false),
                                               .init(name: "Prospecting", closed: false, won: false)])
        let file = try starter([("crm", "Fixtures/salesforce-datev/Opportunity.csv"),
                                ("accounting", "Fixtures/salesforce-datev/EXTF_Buchungsstapel.csv")], stages: stages)
        guard case .byValue(let field, let classes, _)? = file.source("crm")?.state else { return XCTFail("no state") }
        XCTAssertEqual(field, "stage_name")
        XCTAssertEqual(classes.map(\.0.name), ["booked", "not_booked", "open", "todo"])
        XCTAssertEqual(classes[0].1, ["Closed Won"])
    }
}
