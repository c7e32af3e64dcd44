import DemarcCore
@testable import DemarcReaders
import Foundation
import XCTest

/// The reader on the public samples (skipped when /work/shared/samples is absent).
final class XMLSampleTests: XCTestCase {
    func testSaftPortugalInvoicesAndStatuses() throws {
        let path = try XMLTestSupport.sample("saft-pt", "saft_idemo599999999.xml")
        let (records, summary) = try XMLTestSupport.read(
            path, record: "/AuditFile/SourceDocuments/SalesInvoices/Invoice",
            fields: ["InvoiceNo", "DocumentStatus/InvoiceStatus", "DocumentStatus/Reason"])
        XCTAssertEqual(records.count, 24)
        XCTAssertEqual(summary.records, 24)
        var statuses: [String: Int] = [:]
        for record in records { statuses[record.fields[1] ?? "nil", default: 0] += 1 }
        XCTAssertEqual(statuses, ["N": 17, "A": 6, "R": 1])
        XCTAssertEqual(summary.encoding, "windows-1252")
        XCTAssertEqual(summary.encodingSource, "XML declaration")
        let reasons = records.filter { $0.fields[1] == "A" }.compactMap { $0.fields[2] }
        XCTAssertTrue(reasons.contains("Errada identificação do cliente"), "\(reasons)")
        XCTAssertEqual(summary.sha256, SHA256.hex(try bytes(path)))
    }

    // MARK: - Norwegian SAF-T

    private static let norwegianFiles = [
        "Eksempelfil fra xmlSpy.xml",
        "ExampleFile SAF-T Financial_888888888_20180228235959.xml",
        "ExampleFile SAF-T Financial_999999999_20161125213512.xml",
    ]

    func testNorwegianTransactionsMatchAByteCount() throws {
        for name in XMLSampleTests.norwegianFiles {
            let path = try XMLTestSupport.sample("skatteetaten-saf-t", name)
            let data = try bytes(path)
            let expected = occurrences(of: "<Transaction>", in: data) + occurrences(of: "<n1:Transaction>", in: data)
            XCTAssertGreaterThan(expected, 0, name)
            let (records, summary) = try XMLTestSupport.read(path, record: "//Transaction", fields: ["TransactionID"])
            XCTAssertEqual(records.count, expected, name)
            XCTAssertTrue(records.allSatisfy { $0.fields[0] != nil }, name)
            XCTAssertEqual(summary.sha256, SHA256.hex(data), name)
        }
    }

    func testBOMFileGivesStartTagLinesAndEncodingFromTheBOM() throws {
        let path = try XMLTestSupport.sample("skatteetaten-saf-t", XMLSampleTests.norwegianFiles[1])
        let (records, summary) = try XMLTestSupport.read(
            path, record: "/AuditFile/GeneralLedgerEntries/Journal/Transaction", fields: ["TransactionID", "*Line/RecordID"])
        XCTAssertEqual(records.count, 53)
        XCTAssertEqual(summary.encoding, "utf-8")
        XCTAssertEqual(summary.encodingSource, "BOM")
        // Checked by hand: `<n1:Transaction>` at lines 1100, 1163 and 1227.
        XCTAssertEqual(records.prefix(3).map(\.line), [1100, 1163, 1227])
        XCTAssertEqual(records[0].fields[0], "1001")
        // Every start-tag line really holds a Transaction start tag.
        let lines = try bytes(path).split(separator: 0x0A, omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        for record in records {
            XCTAssertTrue(lines.indices.contains(record.line - 1) && lines[record.line - 1].contains("<n1:Transaction>"),
                          "line \(record.line)")
        }
    }

    func testNoNamespaceFileWorksWithUnprefixedPathsOnly() throws {
        let noNamespace = try XMLTestSupport.sample("skatteetaten-saf-t", XMLSampleTests.norwegianFiles[0])
        let namespaced = try XMLTestSupport.sample("skatteetaten-saf-t", XMLSampleTests.norwegianFiles[2])
        let plain = try XMLTestSupport.read(noNamespace, record: "/AuditFile/GeneralLedgerEntries/Journal/Transaction",
                                            fields: ["TransactionID"])
        XCTAssertEqual(plain.records.count, 1)
        XCTAssertEqual(plain.records.first?.line, 342)
        XCTAssertEqual(plain.summary.encodingSource, "XML declaration")

        let namespaces = ["n1": "urn:StandardAuditFile-Taxation-Financial:NO"]
        let prefixed = "/n1:AuditFile/n1:GeneralLedgerEntries/n1:Journal/n1:Transaction"
        let strict = try XMLTestSupport.read(namespaced, record: prefixed, fields: ["n1:TransactionID"], namespaces: namespaces)
        XCTAssertEqual(strict.records.count, 2)
        XCTAssertNotNil(strict.records.first?.fields[0] ?? nil)
        let none = try XMLTestSupport.read(noNamespace, record: prefixed, fields: ["TransactionID"], namespaces: namespaces,
                                           allowEmpty: true)
        XCTAssertEqual(none.records.count, 0)
        let error = XMLTestSupport.error {
            _ = try XMLTestSupport.read(noNamespace, record: prefixed, fields: [], namespaces: namespaces)
        }
        XCTAssertEqual(XMLTestSupport.unreadable(error)?.message, "no element matches '\(prefixed)'")
        XCTAssertEqual(XMLTestSupport.unreadable(error)?.position, SourcePosition(file: noNamespace, line: 0))
    }

    // MARK: - XRechnung

    func testUBLInvoice() throws {
        let path = try XMLTestSupport.sample("xrechnung-kosit", "01.01a-INVOICE_ubl.xml")
        let (records, _) = try XMLTestSupport.read(
            path, record: "/Invoice",
            fields: ["ID", "LegalMonetaryTotal/PayableAmount", "LegalMonetaryTotal/TaxInclusiveAmount",
                     "LegalMonetaryTotal/PayableAmount/@currencyID", "*InvoiceLine/ID", "//PriceAmount"])
        XCTAssertEqual(records.count, 1)
        let invoice = try XCTUnwrap(records.first)
        XCTAssertEqual(invoice.line, 2)
        XCTAssertEqual(invoice.fields, ["123456XX", "336.9", "336.9", "EUR", "Zeitschrift [...]", "288.79"])
        XCTAssertEqual(invoice.more.map(\.field), [4])
    }

    func testCIIInvoice() throws {
        let path = try XMLTestSupport.sample("xrechnung-kosit", "01.01a-INVOICE_uncefact.xml")
        let total = "SupplyChainTradeTransaction/ApplicableHeaderTradeSettlement/SpecifiedTradeSettlementHeaderMonetarySummation"
        let (records, _) = try XMLTestSupport.read(
            path, record: "/rsm:CrossIndustryInvoice",
            fields: ["ExchangedDocument/ID", "\(total)/GrandTotalAmount", "\(total)/ram:TaxTotalAmount/@currencyID",
                     "rsm:ExchangedDocument/ID", "ram:ExchangedDocument/ID"],
            namespaces: ["rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
                         "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"])
        XCTAssertEqual(records.map(\.fields), [["123456XX", "336.9", "EUR", "123456XX", nil]])
    }

    // MARK: - Helpers

    private func bytes(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    private func occurrences(of needle: String, in haystack: [UInt8]) -> Int {
        let pattern = Array(needle.utf8)
        guard let first = pattern.first, haystack.count >= pattern.count else { return 0 }
        var count = 0
        for i in 0...(haystack.count - pattern.count) where haystack[i] == first {
            if Array(haystack[i..<(i + pattern.count)]) == pattern { count += 1 }
        }
        return count
    }
}
