import DemarcCore
@testable import DemarcReaders
import Foundation
import XCTest

/// The public samples read as their origins say they should.
final class CSVSampleTests: XCTestCase {
    func testCSVSpectrumMatchesItsExpectations() throws {
        let folder = try samplesFolder().appendingPathComponent("csv-spectrum")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".csv") }.sorted()
        XCTAssertFalse(names.isEmpty)
        for name in names {
            let json = folder.appendingPathComponent(String(name.dropLast(4)) + ".json")
            let expected = try XCTUnwrap(
                JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [[String: String]], name)
            let outcome = try readFile(folder.appendingPathComponent(name).path)
            let header = outcome.summary.header
            let actual = outcome.rows.map { row in
                Dictionary(uniqueKeysWithValues: zip(header, row.map { $0 ?? "" }))
            }
            XCTAssertEqual(actual, expected, name)
            XCTAssertEqual(outcome.summary.malformed, 0, name)
        }
    }

    func testSalesforceOpportunityExport() throws {
        let path = try samplesFolder().appendingPathComponent("salesforce-export/Opportunity.csv").path
        let outcome = try readFile(path, fields: [FieldRequest(.column("Id")), FieldRequest(.column("StageName")),
                                                  FieldRequest(.column("IsWon"))])
        XCTAssertEqual(outcome.records.count, try countRecordsIndependently(path) - 1)
        XCTAssertEqual(outcome.summary.malformed, 0)
        XCTAssertTrue(outcome.rows.allSatisfy { $0[0]?.count == 18 })
        XCTAssertTrue(outcome.rows.allSatisfy { $0[2] == "0" || $0[2] == "1" })
    }

    func testCRMMavenSalesPipeline() throws {
        let path = try samplesFolder().appendingPathComponent("crm-maven/sales_pipeline.csv").path
        let outcome = try readFile(path, options: CSVOptions(delimiter: nil),
                                   fields: [FieldRequest(.column("deal_stage")), FieldRequest(.column("close_value"))])
        let expected = try countRecordsIndependently(path) - 1
        XCTAssertEqual(expected, 8_800)
        XCTAssertEqual(outcome.records.count, expected)
        XCTAssertEqual(outcome.summary.records, expected)
        XCTAssertEqual(outcome.summary.malformed, 0)
        XCTAssertEqual(outcome.summary.delimiter, ",")
        XCTAssertEqual(outcome.summary.lineEnds, ["CRLF"])
        XCTAssertEqual(Set(outcome.rows.compactMap { $0[0] }), ["Prospecting", "Engaging", "Won", "Lost"])
        XCTAssertEqual(outcome.records.last?.line, 8_801)
    }
}
