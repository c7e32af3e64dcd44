import DemarcCore
@testable import DemarcReaders
import Foundation
import XCTest

/// `demarc profile`'s view of XML files.
final class XMLCensusTests: XCTestCase {
    func testRepeatingPathsOnFeaturesFixture() throws {
        let paths = try XMLCensus.repeatingPaths(input: .file(XMLTestSupport.fixture("xml/features.xml")))
        XCTAssertEqual(paths.map(\.path), ["/Export/Invoice", "/Export/Invoice/No", "/Export/Invoice/Total",
                                           "/Export/Invoice/Line", "/Export/Invoice/Line/Amount"])
        XCTAssertEqual(paths.map(\.count), [2, 2, 3, 3, 3])
    }

    func testRepeatingPathsOnSaftSample() throws {
        let path = try XMLTestSupport.sample("saft-pt", "saft_idemo599999999.xml")
        let paths = try XMLCensus.repeatingPaths(input: .file(path))
        let invoices = paths.first { $0.path == "/AuditFile/SourceDocuments/SalesInvoices/Invoice" }
        XCTAssertEqual(invoices?.count, 24)
        XCTAssertFalse(paths.contains { $0.path == "/AuditFile/Header" })
        // First appearance order: the customers of MasterFiles come before the invoices.
        let customer = paths.firstIndex { $0.path == "/AuditFile/MasterFiles/Customer" }
        let invoice = paths.firstIndex { $0.path == "/AuditFile/SourceDocuments/SalesInvoices/Invoice" }
        XCTAssertLessThan(try XCTUnwrap(customer), try XCTUnwrap(invoice))
    }

    func testRecordsListLeavesAndAttributesInDocumentOrder() throws {
        var seen: [(Int, [(String, String)])] = []
        let summary = try XMLCensus.records(input: .file(XMLTestSupport.fixture("xml/features.xml")),
                                            options: XMLOptions(record: "//Invoice")) { seen.append(($0, $1)) }
        XCTAssertEqual(summary.records, 2)
        XCTAssertEqual(seen.map(\.0), [4, 19])
        let first = seen[0].1.map { "\($0.0)=\($0.1)" }
        XCTAssertEqual(first, [
            "@id=INV-1", "@status=booked", "No=INV-1", "Customer/Name=Fish & Chips <Ltd> éé \"q\" 'a'",
            "Total=100.50", "Total/@currency=EUR", "Total=99.00", "Total/@currency=USD",
            "Note=<b>bold</b> & raw", "Mixed/i=two", "Line/@amount=1.00", "Line/Amount=1.00", "Line/@amount=2.00",
            "Line/Amount=2.00", "Line/Amount=3.00", "Line/Sub/Amount=4.00", "Ref=", "Ref/@code=x & y & z < A",
            "Empty=", "Blank=",
        ])
        XCTAssertEqual(seen[1].1.map { "\($0.0)=\($0.1)" }, ["@id=INV-2", "No=INV-2", "Total=7", "Total/@currency=EUR"])
    }

    func testRecordsOnTheNorwegianSampleAndErrors() throws {
        let path = try XMLTestSupport.sample("skatteetaten-saf-t", "ExampleFile SAF-T Financial_999999999_20161125213512.xml")
        var lines: [Int] = []
        var ids: [String] = []
        _ = try XMLCensus.records(input: .file(path), options: XMLOptions(record: "//Transaction")) { line, fields in
            lines.append(line)
            ids += fields.filter { $0.0 == "TransactionID" }.map(\.1)
        }
        XCTAssertEqual(lines.count, 2)
        XCTAssertEqual(ids.count, 2)
        let none = XMLTestSupport.error {
            _ = try XMLCensus.records(input: .file(path), options: XMLOptions(record: "//Nothing")) { _, _ in }
        }
        XCTAssertEqual(XMLTestSupport.unreadable(none)?.message, "no element matches '//Nothing'")
        let doctype = XMLTestSupport.error {
            _ = try XMLCensus.repeatingPaths(input: .file(XMLTestSupport.fixture("hostile/billion-laughs.xml")))
        }
        XCTAssertEqual(XMLTestSupport.unreadable(doctype)?.message, "DOCTYPE not allowed in XML input")
    }
}
