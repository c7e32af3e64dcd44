import DemarcCore
@testable import DemarcReaders
import Foundation
import XCTest

final class GoBDReaderTests: XCTestCase {
    private func read(_ table: GoBDTable, fields: [FieldRequest]? = nil, chunkSize: Int? = nil,
                      input: String? = nil) throws -> ReadOutcome {
        let reader = GoBDReader(input: .file(input ?? table.dataPath), table: table)
        if let chunkSize { reader.chunkSize = chunkSize }
        var records: [ReadRecord] = []
        let summary = try reader.read(fields: fields) { record in
            records.append(ReadRecord(line: record.line, fields: record.fields.indices.map { record.text($0) },
                                      malformed: record.malformed))
        }
        return ReadOutcome(records: records, summary: summary)
    }

    private func index(_ path: String) throws -> GoBDIndex {
        try GoBDIndex.load(path: path, displayName: path)
    }

    // MARK: - The opencore samples

    func testOpencoreMinimalPair() throws {
        let folder = try samplesFolder().appendingPathComponent("gdpdu-opencore")
        let index = try index(folder.appendingPathComponent("index.xml").path)
        XCTAssertEqual(index.tables.map(\.name), ["Testdatei Nr. 1"])
        let table = try XCTUnwrap(index.table(named: "Testdatei Nr. 1"))
        XCTAssertEqual(table.encoding, .utf8)
        XCTAssertEqual(table.layout, .variable(columnDelimiter: [0x2C], recordDelimiter: [0x0A], encapsulator: [0x22]))
        XCTAssertEqual(table.columns.map(\.name), ["foo", "bar"])
        XCTAssertEqual(table.columns[1].kind, .numeric(accuracy: 2, implied: false))
        XCTAssertTrue(table.problems.isEmpty)
        XCTAssertEqual(table.dataPath, folder.appendingPathComponent("data.csv").path)
        let outcome = try read(table)
        XCTAssertEqual(outcome.rows, [["foo", "10"], ["bar", "20"]])
        XCTAssertEqual(outcome.records.map(\.line), [1, 2])
        XCTAssertEqual(outcome.summary.header, ["foo", "bar"])
        XCTAssertEqual(outcome.summary.records, 2)
        XCTAssertEqual(outcome.summary.sha256.count, 64)
        let named = try read(table, fields: [FieldRequest(.column("bar")), FieldRequest(.position(1))])
        XCTAssertEqual(named.rows, [["10", "foo"], ["20", "bar"]])
    }

    func testComplexIndexDescription() throws {
        let path = try samplesFolder().appendingPathComponent("gdpdu-opencore/complex-index.xml").path
        let index = try index(path)
        XCTAssertEqual(index.tables.map(\.name), ["Table 1", "data2.csv"])
        let table = index.tables[0]
        XCTAssertEqual(table.codepage, "OEM")
        XCTAssertEqual(table.encoding, .ibm850)
        XCTAssertEqual(table.decimalSymbol, Array(",".utf8))
        XCTAssertEqual(table.groupingSymbol, Array("  ".utf8))
        XCTAssertEqual(table.skipBytes, 100)
        XCTAssertEqual(table.firstRecord, 2)
        XCTAssertEqual(table.recordCount, 3)
        XCTAssertEqual(table.epoch, 75)
        XCTAssertEqual(table.layout, .variable(columnDelimiter: Array("||".utf8), recordDelimiter: [0x0A],
                                               encapsulator: Array("'''".utf8)))
        XCTAssertEqual(table.columns.map(\.name), ["PrimaryKey", "A", "B", "C", "D", "E", "F", "G"])
        XCTAssertEqual(table.columns[1].kind, .numeric(accuracy: 3, implied: true))
        XCTAssertEqual(table.columns[2].kind, .numeric(accuracy: 7, implied: false))
        XCTAssertEqual(table.columns[5].kind, .date(format: "DD.MM.YYYY"))
        XCTAssertEqual(table.columns[5].dateFormat, .dottedDMY)
        XCTAssertEqual(table.columns[6].kind, .date(format: "YY-MM-DD"))
        XCTAssertEqual(table.columns[6].dateFormat, .isoDate)
        XCTAssertEqual(table.columns[7].maps, [GoBDMap(from: "0", to: "1"), GoBDMap(from: "1", to: "0")])
        XCTAssertTrue(table.problems.isEmpty, "\(table.problems)")
        // The second table: every GDPdU default.
        let second = index.tables[1]
        XCTAssertEqual(second.encoding, .windows1252)
        XCTAssertEqual(second.layout, .variable(columnDelimiter: [0x3B], recordDelimiter: [0x0D, 0x0A], encapsulator: [0x22]))
        XCTAssertEqual(second.decimalSymbol, [0x2C])
        XCTAssertEqual(second.groupingSymbol, [0x2E])
        XCTAssertEqual(second.firstRecord, 1)
        XCTAssertNil(second.recordCount)
    }

    // MARK: - Data written for complex-index.xml

    private let complexRows: [[String?]] = [
        ["K1", "12,345", "1234,5678901", "Müller '''quoted''' || text", "d1", "20.02.2020", "2020-02-20", "1"],
        ["K2", "-0,005", "0", "plain", "d2", "31.12.1999", "1999-12-31", "0"],
        ["K3", "0,007-", "3,5", "multi\nline ß", "d3", "01.03.2021", "2021-03-01", "2"],
    ]

    func testComplexData() throws {
        let table = try XCTUnwrap(index(fixture("gobd/complex/index.xml")).table(named: "Table 1"))
        let outcome = try read(table)
        XCTAssertEqual(outcome.rows, complexRows)
        // Two preamble lines, K0 on line 3, an empty line before K3.
        XCTAssertEqual(outcome.records.map(\.line), [4, 5, 7])
        XCTAssertTrue(outcome.records.allSatisfy { $0.malformed == nil })
        XCTAssertEqual(outcome.summary.records, 3)
        XCTAssertEqual(outcome.summary.encoding, "ibm850")
        XCTAssertEqual(outcome.summary.delimiter, "||")
        let whole = try Data(contentsOf: URL(fileURLWithPath: fixture("gobd/complex/data.csv")))
        var hasher = SHA256()
        whole.withUnsafeBytes { hasher.update($0) }
        XCTAssertEqual(outcome.summary.sha256, hasher.finalizeHex(), "the whole file is hashed, skipped bytes too")
    }

    func testComplexDataAtEveryChunkBoundary() throws {
        let table = try XCTUnwrap(index(fixture("gobd/complex/index.xml")).table(named: "Table 1"))
        for size in [4, 5, 7, 13] {
            let outcome = try read(table, chunkSize: size)
            XCTAssertEqual(outcome.rows, complexRows, "chunk size \(size)")
            XCTAssertEqual(outcome.records.map(\.line), [4, 5, 7], "chunk size \(size)")
        }
    }

    func testMalformedRecords() throws {
        var table = try XCTUnwrap(index(fixture("gobd/complex/index.xml")).table(named: "Table 1"))
        table.skipBytes = 0
        table.firstRecord = 1
        table.recordCount = nil
        table.encoding = .utf8
        let text = "'''a'''||1||2||c||d||01.01.2020||20-01-01||0\n'''b'''||1\n'''x'''y||1||2||c||d||e||f||g\n'''open||1\nlast"
        let path = try temporaryFile(Array(text.utf8), name: "data.csv")
        let outcome = try read(table, input: path)
        XCTAssertEqual(outcome.records.count, 5)
        XCTAssertNil(outcome.records[0].malformed)
        XCTAssertEqual(outcome.records[1].malformed?.reason, .wrongFieldCount)
        XCTAssertEqual(outcome.records[1].malformed?.detail, "expected 8 fields, found 2")
        XCTAssertEqual(outcome.records[2].malformed?.reason, .textAfterQuote)
        XCTAssertEqual(outcome.records[3].malformed?.reason, .unterminatedQuote)
        XCTAssertEqual(outcome.records[3].line, 4)
        XCTAssertEqual(outcome.records[4].fields.first, "last", "reading resumes after an unterminated encapsulator")
        XCTAssertEqual(outcome.summary.malformed, 4)
    }

    func testCRLFDefaultAcceptsLF() throws {
        let table = try XCTUnwrap(index(fixture("gobd/complex/index.xml")).tables.last)
        let path = try temporaryFile(Array("a;b\r\n\"c;\"\"d\";e\nf;g".utf8), name: "data2.csv")
        let outcome = try read(table, input: path)
        XCTAssertEqual(outcome.rows, [["a", "b"], ["c;\"d", "e"], ["f", "g"]])
        XCTAssertEqual(outcome.records.map(\.line), [1, 2, 3])
    }

    // MARK: - Fixed length

    func testFixedLength() throws {
        let table = try XCTUnwrap(index(fixture("gobd/fixed/index.xml")).table(named: "Konten"))
        XCTAssertEqual(table.layout, .fixed(recordLength: nil, recordDelimiter: [0x0D, 0x0A]))
        XCTAssertEqual(table.columns.map(\.fixedRange), [0..<6, 6..<26, 26..<38, 38..<46])
        XCTAssertEqual(table.columns[3].dateFormat, .compactYMD)
        for size in [3, 1 << 20] {
            let outcome = try read(table, chunkSize: size)
            XCTAssertEqual(outcome.rows, [
                ["1200", "Forderungen", "1.234,50", "20261130"],
                ["8400", "Erlöse 19 %", "-99.000,00", "20261130"],
                ["1000", "Kasse", "0,00", "20261201"],
                ["9999", "kurz", nil, nil],
            ])
            XCTAssertEqual(outcome.records[3].malformed?.reason, .wrongFieldCount)
            XCTAssertEqual(outcome.records[3].malformed?.detail, "the record is too short for column 'Saldo'")
        }
    }

    func testFixedRecordLength() throws {
        var table = try XCTUnwrap(index(fixture("gobd/fixed/index.xml")).table(named: "Konten"))
        table.layout = .fixed(recordLength: 46, recordDelimiter: [0x0D, 0x0A])
        table.encoding = .utf8
        let one = "1200  Forderungen             1.234,5020261130"
        let two = "8400  Erlöse                     -1,0020261130"
        let path = try temporaryFile(Array((one + two + "\n").utf8))
        let direct = try read(table, chunkSize: 5, input: path)
        XCTAssertEqual(direct.rows, [["1200", "Forderungen", "1.234,50", "20261130"],
                                     ["8400", "Erlöse", "-1,00", "20261130"]])
    }

    // MARK: - The index itself

    private func indexFile(_ text: String) throws -> String {
        try temporaryFile(Array(text.utf8), name: "index.xml")
    }

    func testDoctypeIsAcceptedAndNotLoaded() throws {
        let path = try indexFile("""
            <?xml version="1.0"?>
            <!DOCTYPE DataSet SYSTEM "http://example.invalid/never-loaded.dtd">
            <DataSet><Version>1</Version><Media><Name>M</Name><Table><URL>t.csv</URL>
            <VariableLength><VariableColumn><Name>a</Name><AlphaNumeric/></VariableColumn></VariableLength>
            </Table></Media></DataSet>
            """)
        XCTAssertEqual(try index(path).tables.map(\.name), ["t.csv"])
    }

    func testEntityDeclarationsAreRefused() throws {
        let path = try indexFile("""
            <?xml version="1.0"?>
            <!DOCTYPE DataSet [ <!ENTITY lol "lol"> ]>
            <DataSet><Version>&lol;</Version></DataSet>
            """)
        XCTAssertThrowsError(try index(path)) { error in
            guard case DemarcError.unreadableInput(_, let message) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(message, "entity declaration 'lol' not allowed in a gobd index")
        }
    }

    func testUnsupportedCodepageAndAbsoluteURL() throws {
        let path = try indexFile("""
            <DataSet><Version>1</Version><Media><Name>M</Name><Table><URL>file:///etc/passwd</URL><Name>T</Name><UTF7/>
            <VariableLength><VariableColumn><Name>a</Name><AlphaNumeric/></VariableColumn></VariableLength>
            </Table></Media></DataSet>
            """)
        let table = try XCTUnwrap(index(path).table(named: "T"))
        XCTAssertEqual(table.problems.count, 2)
        XCTAssertThrowsError(try read(table)) { error in
            XCTAssertEqual((error as? DemarcError)?.exitCode, 3)
            XCTAssertTrue("\(error)".contains("codepage 'UTF7' is not supported"), "\(error)")
        }
    }

    func testNotAnIndex() throws {
        XCTAssertThrowsError(try index(indexFile("<Other/>"))) { error in
            XCTAssertTrue("\(error)".contains("not a gobd index"), "\(error)")
        }
        XCTAssertThrowsError(try index(indexFile("<DataSet>"))) { error in
            XCTAssertEqual((error as? DemarcError)?.exitCode, 3)
        }
    }

    func testImpliedDecimalsAndYears() {
        let column = GoBDColumn(name: "n", kind: .numeric(accuracy: 2, implied: true), maps: [], fixedRange: nil)
        var table = GoBDTable(name: "t", url: "t", dataPath: "t", codepage: "UTF8", encoding: .utf8,
                              decimalSymbol: [0x2C], groupingSymbol: [0x2E], epoch: 30, skipBytes: 0,
                              firstRecord: 1, recordCount: nil, layout: .fixed(recordLength: nil, recordDelimiter: [0x0A]),
                              columns: [column], problems: [], line: 1)
        let rewrite = GoBDRewrite(column: column, table: table)
        func apply(_ text: String, _ r: GoBDRewrite) -> String? { r.apply(Array(text.utf8)[...]).map { String(decoding: $0, as: UTF8.self) } }
        XCTAssertEqual(apply("12345", rewrite), "123,45")
        XCTAssertEqual(apply("5", rewrite), "0,05")
        XCTAssertEqual(apply("-5", rewrite), "-0,05")
        XCTAssertEqual(apply(" 100- ", rewrite), "1,00-")
        XCTAssertNil(apply("1,5", rewrite), "not digits: left as written")
        XCTAssertNil(apply("", rewrite))
        table.epoch = 30
        let date = GoBDColumn(name: "d", kind: .date(format: "DD.MM.YY"), maps: [], fixedRange: nil)
        XCTAssertEqual(date.dateFormat, .dottedDMY)
        let years = GoBDRewrite(column: date, table: table)
        XCTAssertEqual(apply("01.02.29", years), "01.02.2029")
        XCTAssertEqual(apply("01.02.30", years), "01.02.1930")
        XCTAssertNil(apply("1.2.29", years), "another shape: left for parsing to report")
    }
}
