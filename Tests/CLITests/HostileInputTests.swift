import Foundation
import XCTest

/// Hostile inputs (issue 7): every one ends with an exact outcome, in bounded time and memory.
/// Small inputs are fixtures in Fixtures/hostile/; big ones are generated into a temporary folder.
/// `acc` is Fixtures/hostile/acc.csv (ids 1 and 3) unless a test replaces it.
final class HostileInputTests: XCTestCase {
    private let acc = "--source=acc=Fixtures/hostile/acc.csv"

    private func check(crm: String, _ extra: [String] = []) throws -> Hostile.Outcome {
        try Hostile.run(["check", Hostile.pair, "--source", "crm=\(crm)", acc, "--format", "json", "--quiet"] + extra)
    }

    // Memory: a few MB (fixture of a few bytes).
    func testLineWithoutLineEndAtEndOfFileIsARecord() throws {
        let r = try check(crm: Hostile.fixture("no-line-end.csv"))
        XCTAssertEqual(r.code, 0, r.stderr)
        XCTAssertEqual([r.source(0, "records"), r.source(0, "matched"), r.source(0, "unmatched")], [2, 1, 1])
    }

    // Memory: a few MB.
    func testNULBytesAreDataAndMakeAMalformedValue() throws {
        let r = try check(crm: Hostile.fixture("nul-bytes.csv"))
        XCTAssertEqual(r.code, 1, r.stderr)
        XCTAssertTrue(r.stdout.contains(#""message": "field 'amount' at Fixtures/hostile/nul-bytes.csv:2 has '1\u00000': not a decimal""#), r.stdout)
        XCTAssertEqual(r.source(0, "malformed"), 1)
    }

    // Memory: a few MB.
    func testUTF16WithoutBOMReadAsUTF8SaysWhy() throws {
        let r = try check(crm: Hostile.fixture("utf16le-no-bom.csv"))
        XCTAssertEqual(r.code, 3)
        XCTAssertEqual(r.stderr, "Fixtures/hostile/utf16le-no-bom.csv:1: error: no column 'id': the header has NUL bytes; "
                       + "is the file utf-16 without a BOM? declare 'encoding: utf-16le' or 'utf-16be'\n")
    }

    // Memory: a few MB.
    func testTruncatedInAQuoteIsAMalformedRecord() throws {
        let r = try check(crm: Hostile.fixture("truncated-in-quote.csv"))
        XCTAssertEqual(r.code, 1, r.stderr)
        XCTAssertTrue(r.stdout.contains("crm record at Fixtures/hostile/truncated-in-quote.csv:3 is malformed: unterminated quote"), r.stdout)
        XCTAssertEqual([r.source(0, "records"), r.source(0, "malformed"), r.source(0, "matched")], [2, 1, 1])
    }

    // Memory: a few MB.
    func testTruncatedInAMultiByteCharacterIsAMalformedRecord() throws {
        let r = try check(crm: Hostile.fixture("truncated-in-multibyte.csv"))
        XCTAssertEqual(r.code, 1, r.stderr)
        XCTAssertTrue(r.stdout.contains("crm record at Fixtures/hostile/truncated-in-multibyte.csv:3 is malformed: bytes invalid in the declared encoding"), r.stdout)
        XCTAssertEqual([r.source(0, "records"), r.source(0, "malformed")], [2, 1])
    }

    // Memory: a few MB.
    func testTruncatedInATagIsUnreadable() throws {
        let r = try Hostile.run(["check", Hostile.pairXML, "--source", "crm=Fixtures/hostile/crm.csv",
                                 "--source", "acc=\(Hostile.fixture("truncated-in-tag.xml"))", "--quiet"])
        XCTAssertEqual(r.code, 3)
        XCTAssertEqual(r.stderr, "Fixtures/hostile/truncated-in-tag.xml:1:53: error: couldn't find end of Start Tag amo\n")
    }

    // Memory: a few MB.
    func testEmptyFileAndHeaderOnlyFile() throws {
        let empty = try check(crm: Hostile.fixture("empty.csv"))
        XCTAssertEqual(empty.code, 3)
        XCTAssertEqual(empty.stderr, "Fixtures/hostile/empty.csv:1: error: no column 'id': the file ends before the header line 1\n")
        let headerOnly = try check(crm: Hostile.fixture("header-only.csv"))
        XCTAssertEqual(headerOnly.code, 0, headerOnly.stderr)
        XCTAssertEqual([headerOnly.source(0, "records"), headerOnly.source(1, "unmatched")], [0, 2])
    }

    // Memory bound: 3x the field plus 80 MB (the record is held whole, decoded once).
    func testHugeSingleFieldIsOneField() throws {
        let megabytes = Hostile.slow ? 200 : 20
        let folder = Binary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("huge-field.csv").path
        try Hostile.generate(path, head: "id,amount,notes\n1,10,\"", chunk: String(repeating: "x", count: 1 << 20),
                             count: megabytes, tail: "\"\n2,20,n\n")
        let r = try check(crm: path)
        XCTAssertEqual(r.code, 0, r.stderr)
        XCTAssertEqual([r.source(0, "records"), r.source(0, "malformed"), r.source(0, "matched")], [2, 0, 1])
        Hostile.assertMemory(r, below: 3 * megabytes + 80)
    }

    // Memory bound: 150 MB (100,000 column spans and names).
    func testRowOf100000Columns() throws {
        let folder = Binary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("wide.csv").path
        let names = (3...100_000).map { "c\($0)" }.joined(separator: ",")
        let values = String(repeating: ",v", count: 99_998)
        try Data("id,amount,\(names)\n1,10\(values)\n2,20\(values)\n".utf8).write(to: URL(fileURLWithPath: path))
        let r = try check(crm: path)
        XCTAssertEqual(r.code, 0, r.stderr)
        XCTAssertEqual([r.source(0, "records"), r.source(0, "matched")], [2, 1])
        Hostile.assertMemory(r, below: 150)
    }

    // Memory bound: 50 MB: the reader refuses depth beyond 256 at the 257th start tag.
    func testXMLNested100000LevelsDeepIsRefused() throws {
        let folder = Binary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("deep.xml").path
        let n = 100_000
        let xml = #"<doc><r id="1"><amount>10</amount></r>"# + String(repeating: "<a>", count: n)
            + String(repeating: "</a>", count: n) + #"<r id="3"><amount>30</amount></r></doc>"#
        try Data(xml.utf8).write(to: URL(fileURLWithPath: path))
        let r = try Hostile.run(["check", Hostile.pairXML, "--source", "crm=Fixtures/hostile/crm.csv",
                                 "--source", "acc=\(path)", "--format", "json", "--quiet"])
        XCTAssertEqual(r.code, 3)
        // <doc> is level 1, so the 256th <a> (at column 39 + 255 * 3 = 804) is level 257.
        XCTAssertEqual(r.stderr, "\(path):1:804: error: elements nested deeper than 256\n")
        XCTAssertEqual(r.stdout, "")
        Hostile.assertMemory(r, below: 50)
    }

    // Memory: a few MB. Found by fuzz/ (xml): a UTF-7 declaration with bytes UTF-7 cannot hold
    // made libxml2 print "xmlParseChunk: encoder error" and the run blame the record path.
    func testFuzzRegressionUndecodableDeclaredEncoding() throws {
        let r = try Hostile.run(["check", Hostile.pairXML, "--source", "crm=Fixtures/hostile/crm.csv",
                                 "--source", "acc=Fixtures/fuzz-regressions/xml-utf7-encoder-error.xml", "--quiet"])
        XCTAssertEqual(r.code, 3)
        XCTAssertEqual(r.stderr, "Fixtures/fuzz-regressions/xml-utf7-encoder-error.xml: error: bytes invalid in the declared encoding 'utf-7'\n")
    }

    // Memory bound: 100 MB: text of fields nobody asked for is not kept.
    func testXMLRecordOf100MB() throws {
        let folder = Binary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("big-record.xml").path
        try Hostile.generate(path, head: #"<doc><r id="1"><amount>10</amount><notes>"#,
                             chunk: String(repeating: "y", count: 1 << 20), count: 100,
                             tail: #"</notes></r><r id="3"><amount>30</amount></r></doc>"#)
        let r = try Hostile.run(["check", Hostile.pairXML, "--source", "crm=Fixtures/hostile/crm.csv",
                                 "--source", "acc=\(path)", "--format", "json", "--quiet"])
        XCTAssertEqual(r.code, 0, r.stderr)
        XCTAssertEqual([r.source(1, "records"), r.source(1, "matched")], [2, 1])
        Hostile.assertMemory(r, below: 100)
    }

    // Memory bound: 1 KB per record plus 100 MB (200k: 300 MB; 10 million: 10 GB): every
    // duplicate is a `duplicate-key` finding draft with its message, counted though not listed.
    func testManyRecordsWithTheSameKey() throws {
        let records = Hostile.slow ? 10_000_000 : 200_000
        let folder = Binary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("same-key.csv").path
        try Hostile.generate(path, head: "id,amount\n", chunk: String(repeating: "7,1\n", count: 1000),
                             count: records / 1000, tail: "")
        let r = try check(crm: path, ["--max-findings", "3"])
        XCTAssertEqual(r.code, 1, r.stderr)
        XCTAssertEqual([r.source(0, "records"), r.source(0, "unmatched")], [records, records])
        XCTAssertEqual(r.count("duplicate-key"), records - 1)
        Hostile.assertMemory(r, below: records / 1_000 + 100)
    }

    // Memory bound: 100 MB for two 1 MB keys.
    func testKeysOf1MB() throws {
        let folder = Binary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let key = String(repeating: "k", count: 1 << 20)
        let crm = folder.appendingPathComponent("crm.csv").path, other = folder.appendingPathComponent("acc.csv").path
        try Data("id,amount\n\(key)1,1\n\(key)2,2\n".utf8).write(to: URL(fileURLWithPath: crm))
        try Data("id,amount\n\(key)1,1\n\(key)3,3\n".utf8).write(to: URL(fileURLWithPath: other))
        let r = try Hostile.run(["check", Hostile.pair, "--source", "crm=\(crm)", "--source", "acc=\(other)",
                                 "--format", "json", "--quiet"])
        XCTAssertEqual(r.code, 0, r.stderr)
        XCTAssertEqual([r.source(0, "matched"), r.source(0, "unmatched"), r.source(1, "matched")], [1, 1, 1])
        Hostile.assertMemory(r, below: 100)
    }
}
