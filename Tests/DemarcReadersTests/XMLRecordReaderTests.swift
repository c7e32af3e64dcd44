import DemarcCore
@testable import DemarcReaders
import Foundation
import XCTest

/// Paths, namespaces, attributes, text values and nesting on fixtures written for them.
final class XMLRecordReaderTests: XCTestCase {
    private let namespaces = ["a": "urn:example:accounting", "c": "urn:example:crm", "d": "urn:example:default"]

    func testFieldPathsOnFeaturesFixture() throws {
        let fields = [
            "No", "Customer/Name", "a:Total", "c:Total", "Total", "*Total", "a:Total/@currency", "@id", "@a:status",
            "@status", "Note", "Mixed", "*Line/Amount", "*//Amount", "*Line/@amount", "Ref/@code", "Empty", "Blank",
            "Missing", "x:Total", "Line/Amount", "a:Total/@a:currency", "Customer",
        ]
        let (records, summary) = try XMLTestSupport.read(XMLTestSupport.fixture("xml/features.xml"), record: "/Export/Invoice",
                                                         fields: fields, namespaces: namespaces)
        XCTAssertEqual(records.count, 2)
        XCTAssertEqual(summary.records, 2)
        let first = try XCTUnwrap(records.first)
        let name = "Fish & Chips <Ltd> éé \"q\" 'a'"
        let expected: [String?] = [
            "INV-1", name, "100.50", "99.00", "100.50", "100.50", "EUR", "INV-1", "booked",
            "booked", "<b>bold</b> & raw", "one two three", "1.00", "1.00", "1.00", "x & y & z < A", "", "",
            nil, nil, "1.00", nil, name,
        ]
        for (index, value) in expected.enumerated() {
            XCTAssertEqual(first.fields[index], value, "field \(index) '\(fields[index])'")
        }
        XCTAssertEqual(first.more.map(\.field), [5, 14, 12, 13, 12, 13, 13])
        XCTAssertEqual(first.more.filter { $0.field == 5 }.map(\.text), ["99.00"])
        XCTAssertEqual(first.more.filter { $0.field == 12 }.map(\.text), ["2.00", "3.00"])
        XCTAssertEqual(first.more.filter { $0.field == 13 }.map(\.text), ["2.00", "3.00", "4.00"])
        XCTAssertEqual(first.more.filter { $0.field == 14 }.map(\.text), ["2.00"])
        XCTAssertEqual(first.more.count, 7)
        XCTAssertEqual(first.line, 4)

        let second = records[1]
        XCTAssertEqual(second.line, 19)
        XCTAssertEqual(second.fields[0], "INV-2")
        XCTAssertEqual(second.fields[2], "7")
        XCTAssertEqual(second.fields[7], "INV-2")
        XCTAssertNil(second.fields[1])
        XCTAssertNil(second.fields[3])
        XCTAssertEqual(second.more, [])
    }

    func testPrefixedRecordStepsMatchTheURINotThePrefixWritten() throws {
        let path = XMLTestSupport.fixture("xml/features.xml")
        // The file writes no prefix on Export (default namespace); `d:` is bound to its URI.
        XCTAssertEqual(try XMLTestSupport.read(path, record: "/d:Export/d:Invoice", fields: ["d:No"], namespaces: namespaces)
            .records.map(\.fields), [["INV-1"], ["INV-2"]])
        XCTAssertEqual(try XMLTestSupport.read(path, record: "/a:Export/Invoice", fields: [], namespaces: namespaces,
                                               allowEmpty: true).records.count, 0)
        // A prefix unknown to `namespaces` matches nothing, even though the file uses it.
        XCTAssertEqual(try XMLTestSupport.read(path, record: "//a:Total", fields: [], namespaces: [:],
                                               allowEmpty: true).records.count, 0)
        XCTAssertEqual(try XMLTestSupport.read(path, record: "//a:Total", fields: ["@currency"], namespaces: namespaces)
            .records.map(\.fields), [["EUR"], ["EUR"]])
    }

    func testNestedRecordsDeliverTheOutermostMatch() throws {
        let (records, _) = try XMLTestSupport.read(XMLTestSupport.fixture("xml/nested.xml"), record: "//Line",
                                                   fields: ["No", "*//No"])
        XCTAssertEqual(records.map(\.line), [3, 9])
        XCTAssertEqual(records.map(\.fields), [["1", "1"], ["2", "2"]])
        XCTAssertEqual(records[0].more.map(\.text), ["1.1", "1.1.1"])
        XCTAssertEqual(try XMLTestSupport.read(XMLTestSupport.fixture("xml/nested.xml"), record: "/Doc/Line/Line",
                                               fields: ["No"]).records.map(\.fields), [["1.1"]])
        XCTAssertEqual(try XMLTestSupport.read(XMLTestSupport.fixture("xml/nested.xml"), record: "//Group/Line",
                                               fields: ["No"]).records.map(\.fields), [["2"]])
    }

    func testRecordPathThatMatchesNothing() throws {
        let path = XMLTestSupport.fixture("xml/features.xml")
        let error = XMLTestSupport.error { _ = try XMLTestSupport.read(path, record: "/Export/Bill", fields: ["No"]) }
        XCTAssertEqual(error?.description, "\(path): error: no element matches '/Export/Bill'")
        XCTAssertEqual(error?.exitCode, 3)
        let empty = try XMLTestSupport.read(path, record: "/Export/Bill", fields: ["No"], allowEmpty: true)
        XCTAssertEqual(empty.records.count, 0)
        XCTAssertEqual(empty.summary.records, 0)
        XCTAssertFalse(empty.summary.sha256.isEmpty)
    }

    func testInvalidPathsAreUsageErrors() {
        let path = XMLTestSupport.fixture("xml/features.xml")
        for (record, fields) in [("Export/Invoice", ["No"]), ("/Export//Invoice", ["No"]), ("/Export/Invoice", ["A//B"]),
                                 ("/Export/Invoice", ["@a/B"]), ("/Export/Invoice", [""]), ("/Export/@id", ["No"]),
                                 ("/Export/Invoice", ["/No"]), ("/Export/Invoice", ["a:b:c"])] {
            let error = XMLTestSupport.error { _ = try XMLTestSupport.read(path, record: record, fields: fields) }
            guard case .usage(let message)? = error else { return XCTFail("\(record) \(fields): \(String(describing: error))") }
            XCTAssertTrue(message.hasPrefix("invalid xml path '"), message)
        }
        let columns = XMLTestSupport.error {
            _ = try XMLRecordReader(input: .file(path), options: XMLOptions(record: "/Export/Invoice"))
                .read(fields: [FieldRequest(.column("No"))]) { _ in }
        }
        XCTAssertEqual(columns?.exitCode, 2)
    }

    func testEncodings() throws {
        let latin1 = try XMLTestSupport.read(XMLTestSupport.fixture("xml/latin1.xml"), record: "/Doc/Rec", fields: ["V"])
        XCTAssertEqual(latin1.records.map(\.fields), [["Grüße"]])
        XCTAssertEqual(latin1.summary.encoding, "iso-8859-1")
        XCTAssertEqual(latin1.summary.encodingSource, "XML declaration")
        let bom = try XMLTestSupport.read(XMLTestSupport.fixture("xml/bom-no-declaration.xml"), record: "/Doc/Rec", fields: ["V"])
        XCTAssertEqual(bom.records.map(\.fields), [["bom"]])
        XCTAssertEqual([bom.summary.encoding, bom.summary.encodingSource], ["utf-8", "BOM"])
        let plain = try XMLTestSupport.read(XMLTestSupport.fixture("xml/no-declaration.xml"), record: "/Doc/Rec", fields: ["V"])
        XCTAssertEqual([plain.summary.encoding, plain.summary.encodingSource], ["utf-8", "default"])
        // UTF-16 with a BOM, written here.
        var utf16: [UInt8] = [0xFF, 0xFE]
        for unit in "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<Doc>\n<Rec><V>ü €</V></Rec></Doc>".utf16 {
            utf16.append(UInt8(unit & 0xFF))
            utf16.append(UInt8(unit >> 8))
        }
        let wide = try XMLTestSupport.read(try XMLTestSupport.temporary(utf16), record: "/Doc/Rec", fields: ["V"])
        XCTAssertEqual(wide.records.map(\.fields), [["ü €"]])
        XCTAssertEqual(wide.records.map(\.line), [3])
        XCTAssertEqual([wide.summary.encoding, wide.summary.encodingSource], ["utf-16le", "BOM"])
    }

    func testStandardInput() throws {
        let fixture = XMLTestSupport.fixture("xml/nested.xml")
        let saved = dup(0)
        let file = open(fixture, O_RDONLY)
        XCTAssertGreaterThanOrEqual(file, 0)
        dup2(file, 0)
        close(file)
        defer { dup2(saved, 0); close(saved) }
        var lines: [Int] = []
        let summary = try XMLRecordReader(input: .standardInput, options: XMLOptions(record: "//Line"))
            .read(fields: [FieldRequest(.path("No"))]) { lines.append($0.line) }
        XCTAssertEqual(lines, [3, 9])
        XCTAssertEqual(summary.sha256, SHA256.hex(Array(try Data(contentsOf: URL(fileURLWithPath: fixture)))))
        let error = XMLTestSupport.error {
            _ = try XMLRecordReader(input: .standardInput, options: XMLOptions(record: "//Nothing")).read(fields: []) { _ in }
        }
        // Standard input is at its end now: an empty document.
        XCTAssertEqual(error?.description, "-: error: document is empty")
    }

    func testSinkErrorStopsTheReadAndIsRethrown() throws {
        struct Stop: Error {}
        var seen = 0
        XCTAssertThrowsError(try XMLRecordReader(input: .file(XMLTestSupport.fixture("xml/features.xml")),
                                                 options: XMLOptions(record: "//Invoice"))
            .read(fields: [FieldRequest(.path("No"))]) { _ in seen += 1; throw Stop() }) { error in
            XCTAssertTrue(error is Stop)
        }
        XCTAssertEqual(seen, 1)
    }

    func testRecordBufferIsReusedAndRangesPointIntoIt() throws {
        var texts: [[String]] = []
        _ = try XMLRecordReader(input: .file(XMLTestSupport.fixture("xml/features.xml")), options: XMLOptions(record: "//Invoice"))
            .read(fields: [FieldRequest(.path("@id")), FieldRequest(.path("No"))]) { raw in
                texts.append(raw.fields.map { range in range.map { String(decoding: raw.bytes[$0], as: UTF8.self) } ?? "-" })
            }
        XCTAssertEqual(texts, [["INV-1", "INV-1"], ["INV-2", "INV-2"]])
    }

    func testUndeclaredPrefixIsToleratedAndXmlPrefixIsBuiltIn() throws {
        // A namespace error (undeclared prefix) is not a well-formedness error: the element is
        // read by its local name, in no namespace.
        let path = try XMLTestSupport.temporary("<Doc><p:Rec xml:lang=\"de\"><p:V>1</p:V></p:Rec></Doc>")
        let (records, _) = try XMLTestSupport.read(path, record: "//Rec", fields: ["V", "@xml:lang", "@lang", "p:V"],
                                                   allowEmpty: true)
        XCTAssertEqual(records.map(\.fields), [["1", "de", "de", nil]])
    }

    func testPathSyntaxForTheRuleLoader() {
        XCTAssertEqual(try XMLPath.record("//pt:Invoice/Line").get(),
                       XMLPath(anyDepth: true, elements: [.init(prefix: "pt", localName: "Invoice"), .init(prefix: nil, localName: "Line")],
                               attribute: nil))
        XCTAssertEqual(try XMLPath.field("A/@pt:x").get(),
                       XMLPath(anyDepth: false, elements: [.init(prefix: nil, localName: "A")], attribute: .init(prefix: "pt", localName: "x")))
        guard case .failure(let error) = XMLPath.field("A//B") else { return XCTFail("A//B accepted") }
        XCTAssertEqual(error.description, "invalid xml path 'A//B': an empty step")
        guard case .failure(let record) = XMLPath.record("Invoice") else { return XCTFail("Invoice accepted") }
        XCTAssertEqual(record.description, "invalid xml path 'Invoice': a record path starts with '/' or '//'")
    }

    func testMissingFileIsUnreadable() {
        let error = XMLTestSupport.error {
            _ = try XMLTestSupport.read("/nonexistent/demarc.xml", record: "/A", fields: [])
        }
        XCTAssertEqual(error?.description, "/nonexistent/demarc.xml: error: cannot open: no such file or directory")
    }
}
