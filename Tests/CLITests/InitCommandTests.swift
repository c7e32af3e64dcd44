import Foundation
import XCTest

/// `demarc init` as a user runs it: write, lint, check.
final class InitCommandTests: XCTestCase {
    private func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("demarc-init-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private func initLintCheck(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let rules = try folder().appendingPathComponent("rules/starter.yaml")
        try FileManager.default.createDirectory(at: rules.deletingLastPathComponent(), withIntermediateDirectories: true)
        let made = try Binary.run(["init"] + arguments + ["-o", rules.path])
        XCTAssertEqual(made.code, 0, made.stderr, file: file, line: line)
        let lint = try Binary.run(["lint", rules.path])
        XCTAssertEqual(lint.code, 0, lint.stderr, file: file, line: line)
        let check = try Binary.run(["check", rules.path, "--quiet"])
        XCTAssertTrue(check.code == 0 || check.code == 1, "check exited \(check.code): \(check.stderr)", file: file, line: line)
        return try String(contentsOf: rules, encoding: .utf8)
    }

    func testSalesforceAndDatev() throws {
        let text = try initLintCheck(["--source", "crm=Fixtures/salesforce-datev/Opportunity.csv",
                                      "--source", "accounting=Fixtures/salesforce-datev/EXTF_Buchungsstapel.csv"])
        XCTAssertTrue(text.contains("chosen: crm.invoice_number_c ('Invoice_Number__c') = accounting.belegfeld_1 ('Belegfeld 1') after [trim]"), text)
        XCTAssertTrue(text.contains("#   - booked: \"is_closed and is_won\""), "proposed in a comment: \(text)")
        XCTAssertTrue(text.contains("        - todo: \"false\""), "nothing classified until someone decides")
        XCTAssertTrue(text.contains("file: \"../"), "paths are relative to the rule file's folder")
    }

    func testHubspotAndERP() throws {
        let text = try initLintCheck(["--source", "crm=Fixtures/hubspot-erp/deals.csv",
                                      "--source", "erp=Fixtures/hubspot-erp/erp-invoice-lines.tsv"])
        XCTAssertTrue(text.contains("cardinality: many"), text)
        XCTAssertTrue(text.contains("# - \"Closed won\"   # 6 records"), text)
    }

    func testSalesforceStagesAndXML() throws {
        let stages = URL(fileURLWithPath: try Binary.sample("salesforce-metadata/OpportunityStage.standardValueSet-meta.xml"))
        let text = try initLintCheck(["--source", "crm=Fixtures/salesforce-datev/Opportunity.csv",
                                      "--source", "accounting=Fixtures/salesforce-datev/EXTF_Buchungsstapel.csv",
                                      "--stages", stages.path])
        XCTAssertTrue(text.contains("booked: [\"Closed Won\"]"), text)
        let xml = try initLintCheck(["--source", "crm=Fixtures/crm-saft-pt/crm-faturas.csv",
                                     "--source", "saft=Fixtures/crm-saft-pt/saft-pt.xml", "--record", "saft=//Invoice"])
        XCTAssertTrue(xml.contains("xml: { record: \"//Invoice\" }"), xml)
    }

    func testStandardOutputRefusalsAndUsage() throws {
        let out = try Binary.run(["init", "--source", "crm=Fixtures/hubspot-erp/deals.csv"])
        XCTAssertEqual(out.code, 0, out.stderr)
        XCTAssertTrue(out.stdout.contains("file: \"Fixtures/hubspot-erp/deals.csv\""), out.stdout)
        let rules = try folder().appendingPathComponent("r.yaml")
        try Data("keep me".utf8).write(to: rules)
        let refused = try Binary.run(["init", "--source", "crm=Fixtures/hubspot-erp/deals.csv", "-o", rules.path])
        XCTAssertEqual(refused.code, 2)
        XCTAssertEqual(try String(contentsOf: rules, encoding: .utf8), "keep me")
        let forced = try Binary.run(["init", "--source", "crm=Fixtures/hubspot-erp/deals.csv", "-o", rules.path, "--force"])
        XCTAssertEqual(forced.code, 0, forced.stderr)
        XCTAssertEqual(try Binary.run(["init", "--source", "crm=Fixtures/crm-saft-pt/saft-pt.xml"]).code, 2, "xml needs --record")
        XCTAssertEqual(try Binary.run(["init", "--source", "Crm=x.csv"]).code, 2)
        XCTAssertEqual(try Binary.run(["init", "--source", "crm=Fixtures/nowhere.csv"]).code, 3)
    }
}
