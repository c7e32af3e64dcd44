import DemarcCore
@testable import DemarcReaders
import Foundation
import XCTest

/// `*` in a record path: `/*` is the root element whatever its name (e-invoices: UBL `Invoice`,
/// UBL `CreditNote` and CII `CrossIndustryInvoice` in one source).
final class XMLAnyElementTests: XCTestCase {
    func testSlashStarTakesTheRootOfEachSyntax() throws {
        let ubl = try XMLTestSupport.temporary("""
            <?xml version="1.0"?>
            <ubl:CreditNote xmlns:ubl="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
                xmlns:cbc="urn:cbc"><cbc:ID>GS-1</cbc:ID></ubl:CreditNote>
            """)
        let cii = try XMLTestSupport.temporary("""
            <rsm:CrossIndustryInvoice xmlns:rsm="urn:rsm" xmlns:ram="urn:ram">
              <rsm:ExchangedDocument><ram:ID>RE-1</ram:ID></rsm:ExchangedDocument>
            </rsm:CrossIndustryInvoice>
            """)
        let fields = ["ID", "ExchangedDocument/ID"]
        XCTAssertEqual(try XMLTestSupport.read(ubl, record: "/*", fields: fields).records,
                       [XMLTestRecord(line: 2, fields: ["GS-1", nil], more: [])])
        XCTAssertEqual(try XMLTestSupport.read(cii, record: "/*", fields: fields).records,
                       [XMLTestRecord(line: 1, fields: [nil, "RE-1"], more: [])])
    }

    func testStarStepsMatchAnyElementAtTheirDepth() throws {
        let path = try XMLTestSupport.temporary("<r><a><x>1</x></a><b><x>2</x></b><c><d><x>3</x></d></c></r>")
        let records = try XMLTestSupport.read(path, record: "/r/*", fields: ["x"]).records
        XCTAssertEqual(records.map(\.fields), [["1"], ["2"], [nil]])
        XCTAssertEqual(try XMLTestSupport.read(path, record: "//*/x", fields: []).records.count, 3)
    }

    func testStarIsNoFieldStepAndNoPartOfAName() {
        XCTAssertNotNil(try? XMLPath.record("/*").get())
        XCTAssertNil(try? XMLPath.field("*").get())
        XCTAssertNil(try? XMLPath.record("/a*").get())
        XCTAssertNil(try? XMLPath.record("/p:*").get())
    }
}
