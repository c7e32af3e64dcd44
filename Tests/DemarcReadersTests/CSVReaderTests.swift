import DemarcCore
@testable import DemarcReaders
import XCTest

final class CSVReaderTests: XCTestCase {
    // MARK: - Records and fields

    func testReadsEveryColumnWithHeader() throws {
        let outcome = try readText("a,b,c\n1,2,3\n4,5,6\n")
        XCTAssertEqual(outcome.rows, [["1", "2", "3"], ["4", "5", "6"]])
        XCTAssertEqual(outcome.records.map(\.line), [2, 3])
        XCTAssertEqual(outcome.summary.header, ["a", "b", "c"])
        XCTAssertEqual(outcome.summary.records, 2)
        XCTAssertEqual(outcome.summary.malformed, 0)
        XCTAssertEqual(outcome.summary.lineEnds, ["LF"])
        XCTAssertEqual(outcome.summary.delimiter, ",")
        XCTAssertEqual(outcome.summary.delimiterSource, "declared")
        XCTAssertEqual(outcome.summary.encoding, "utf-8")
        XCTAssertEqual(outcome.summary.encodingSource, "default")
    }

    func testSelectsFieldsByTrimmedNameAndPosition() throws {
        let outcome = try readText("a, b ,c\n1,2,3\n",
                                   fields: [FieldRequest(.column("c")), FieldRequest(.position(1)), FieldRequest(.column("b")),
                                            FieldRequest(.column("c"))])
        XCTAssertEqual(outcome.rows, [["3", "1", "2", "3"]])
        XCTAssertEqual(outcome.summary.header, ["a", "b", "c"])
    }

    func testMissingColumnNameThrowsListingTheColumnsBeforeAnyRecord() throws {
        let path = try temporaryFile(Array("a,b,c\n1,2,3\n".utf8))
        var delivered = 0
        XCTAssertThrowsError(try CSVReader(input: InputFile(displayName: "crm.csv", path: path), options: CSVOptions())
            .read(fields: [FieldRequest(.column("Amount"))]) { _ in delivered += 1 }) { error in
            XCTAssertEqual((error as? DemarcError)?.description,
                           "crm.csv:1: error: no column 'Amount' in the header; the file has: 'a', 'b', 'c'")
            XCTAssertEqual((error as? DemarcError)?.exitCode, 3)
        }
        XCTAssertEqual(delivered, 0)
    }

    func testPositionBeyondTheHeaderThrows() throws {
        XCTAssertThrowsError(try readText("a,b\n1,2\n", fields: [FieldRequest(.position(3))])) { error in
            XCTAssertTrue("\(error)".contains("no column 3; the file has 2 columns"), "\(error)")
        }
    }

    func testNoTrailingLineEndAndTrailingDelimiter() throws {
        let outcome = try readText("a,b\n1,\n\"\",2")
        XCTAssertEqual(outcome.rows, [["1", ""], ["", "2"]])
        XCTAssertEqual(outcome.summary.malformed, 0)
    }

    func testEmptyFileHasNoRecords() throws {
        let outcome = try readText("")
        XCTAssertEqual(outcome.records, [])
        XCTAssertEqual(outcome.summary.header, [])
    }

    // MARK: - Quotes and lines

    func testQuotedFieldsKeepLineBreaksAndUndoubleQuotes() throws {
        let outcome = try readText("a,b\r\n\"x\r\ny\",\"say \"\"hi\"\"\"\r\n3,4\r\n")
        XCTAssertEqual(outcome.rows, [["x\r\ny", "say \"hi\""], ["3", "4"]])
        XCTAssertEqual(outcome.records.map(\.line), [2, 4])
        XCTAssertEqual(outcome.summary.lineEnds, ["CRLF"])
    }

    func testCROnlyAndMixedLineEnds() throws {
        let outcome = try readText("a,b\r1,2\n3,4\r\n5,\"x\ry\"\r7,8")
        XCTAssertEqual(outcome.rows, [["1", "2"], ["3", "4"], ["5", "x\ry"], ["7", "8"]])
        XCTAssertEqual(outcome.records.map(\.line), [2, 3, 4, 6])
        XCTAssertEqual(outcome.summary.lineEnds, ["LF", "CRLF", "CR"])
    }

    func testEmptyLinesAreSkippedButCounted() throws {
        let outcome = try readText("a,b\n\n1,2\r\n\r\n\n3,4\r\r")
        XCTAssertEqual(outcome.rows, [["1", "2"], ["3", "4"]])
        XCTAssertEqual(outcome.records.map(\.line), [3, 6])
        XCTAssertEqual(outcome.summary.malformed, 0)
    }

    func testWhiteSpaceLineIsARecord() throws {
        let outcome = try readText("a\n \n")
        XCTAssertEqual(outcome.rows, [[" "]])
    }

    func testHeaderOnLineThree() throws {
        let outcome = try readText("Report;x\nexported 2026\n a ;b\n1;2\n",
                                   options: CSVOptions(delimiter: UInt8(ascii: ";"), headerLine: 3),
                                   fields: [FieldRequest(.column("a")), FieldRequest(.column("b"))])
        XCTAssertEqual(outcome.summary.header, ["a", "b"])
        XCTAssertEqual(outcome.rows, [["1", "2"]])
        XCTAssertEqual(outcome.records.map(\.line), [4])
    }

    func testNoHeaderReadsByPositionAndCountsFromTheFirstRecord() throws {
        let options = CSVOptions(headerLine: 0)
        let all = try readText("\n1,2\n3,4,5\n", options: options)
        XCTAssertEqual(all.summary.header, [])
        XCTAssertEqual(all.rows, [["1", "2"], ["3", "4"]])
        XCTAssertEqual(all.records.map(\.line), [2, 3])
        XCTAssertEqual(all.records[1].malformed?.reason, .wrongFieldCount)
        XCTAssertEqual(all.records[1].malformed?.detail, "expected 2 fields, found 3")
        let picked = try readText("1,2\n3,4\n", options: options, fields: [FieldRequest(.position(2))])
        XCTAssertEqual(picked.rows, [["2"], ["4"]])
        XCTAssertThrowsError(try readText("1,2\n", options: options, fields: [FieldRequest(.column("a"))])) { error in
            XCTAssertTrue("\(error)".contains("no column 'a' in the header; the file has no header"), "\(error)")
        }
    }

    // MARK: - Delimiter

    func testAutoDelimiterPicksTheMostFrequent() throws {
        let auto = CSVOptions(delimiter: nil)
        let semicolon = try readText("a;b;c,d\n1;2;3,4\n", options: auto)
        XCTAssertEqual(semicolon.summary.delimiter, ";")
        XCTAssertEqual(semicolon.summary.delimiterSource, "sniffed")
        XCTAssertEqual(semicolon.rows, [["1", "2", "3,4"]])
        XCTAssertEqual(try readText("a|b|c\n", options: auto).summary.delimiter, "|")
        XCTAssertEqual(try readText("\"x;y;z\"\tb\tc\n", options: auto).summary.delimiter, "\t")
        XCTAssertEqual(try readText("abc\n", options: auto).summary.delimiter, ",")
        let noHeader = try readText("\n\n1;2\n", options: CSVOptions(delimiter: nil, headerLine: 0))
        XCTAssertEqual(noHeader.summary.delimiter, ";")
        XCTAssertEqual(noHeader.rows, [["1", "2"]])
    }

    func testAutoDelimiterTiesGoInOrder() throws {
        let auto = CSVOptions(delimiter: nil)
        XCTAssertEqual(try readText("a|b;c,d\n", options: auto).summary.delimiter, ",")
        XCTAssertEqual(try readText("a|b\tc;d\n", options: auto).summary.delimiter, ";")
        XCTAssertEqual(try readText("a|b\tc\n", options: auto).summary.delimiter, "\t")
    }

    // MARK: - Malformed records

    func testWrongFieldCount() throws {
        let outcome = try readText("a,b,c\n1,2\n1,2,3\n")
        XCTAssertEqual(outcome.records[0].malformed,
                       MalformedRecord(reason: .wrongFieldCount, detail: "expected 3 fields, found 2", raw: "1,2"))
        XCTAssertEqual(outcome.records[0].fields, ["1", "2", nil])
        XCTAssertNil(outcome.records[1].malformed)
        XCTAssertEqual(outcome.summary.records, 2)
        XCTAssertEqual(outcome.summary.malformed, 1)
    }

    func testUnterminatedQuoteIsReportedAtItsStartAndReadingResumes() throws {
        let outcome = try readText("a,b\n1,\"oops\n2,3\n4,5\n")
        XCTAssertEqual(outcome.records.count, 3)
        XCTAssertEqual(outcome.records[0].line, 2)
        XCTAssertEqual(outcome.records[0].malformed?.reason, .unterminatedQuote)
        XCTAssertEqual(outcome.records[0].malformed?.raw, "1,\"oops")
        XCTAssertEqual(outcome.records[0].fields, ["1", "oops"])
        XCTAssertEqual(outcome.rows.dropFirst().map { $0 }, [["2", "3"], ["4", "5"]])
        XCTAssertEqual(outcome.records.map(\.line), [2, 3, 4])
        XCTAssertEqual(outcome.summary.malformed, 1)
    }

    func testAStrayQuoteClosedByALaterQuotedFieldHidesNothing() throws {
        // The quote on line 3 is "closed" by the one opening a field on line 5; the record that
        // makes is broken, so it was a stray quote: line 3 is reported, lines 4-7 are records.
        let outcome = try readText("id,name,amt\n1,a,1\n3,\"open quote,3\n4,ok,4\n5,\"x, y\",5\n6,ok,6\n7,ok,7\n")
        XCTAssertEqual(outcome.records.map(\.line), [2, 3, 4, 5, 6, 7])
        XCTAssertEqual(outcome.records[1].malformed?.reason, .unterminatedQuote)
        XCTAssertEqual(outcome.records[1].malformed?.raw, "3,\"open quote,3")
        XCTAssertEqual(outcome.records.filter { $0.malformed == nil }.map(\.fields),
                       [["1", "a", "1"], ["4", "ok", "4"], ["5", "x, y", "5"], ["6", "ok", "6"], ["7", "ok", "7"]])
        XCTAssertEqual(outcome.summary.malformed, 1)
    }

    func testAQuotedFieldOverSeveralLinesStaysOneRecord() throws {
        let outcome = try readText("a,b\n\"two\nlines\",2\n3,4\n")
        XCTAssertEqual(outcome.rows, [["two\nlines", "2"], ["3", "4"]])
        XCTAssertEqual(outcome.records.map(\.line), [2, 4])
    }

    func testUnterminatedQuoteOnTheLastLine() throws {
        let outcome = try readText("a\n\"x")
        XCTAssertEqual(outcome.records.map(\.malformed?.raw), ["\"x"])
    }

    func testTextAfterAClosingQuote() throws {
        let outcome = try readText("a,b\n\"ab\"c,2\n3,4\n")
        XCTAssertEqual(outcome.records[0].malformed?.reason, .textAfterQuote)
        XCTAssertEqual(outcome.records[0].malformed?.raw, "\"ab\"c,2")
        XCTAssertEqual(outcome.records[0].fields, ["\"ab\"c", "2"])
        XCTAssertNil(outcome.records[1].malformed)
    }

    func testQuoteInsideAnUnquotedFieldIsKept() throws {
        let outcome = try readText("a,b\n5\" disk,2\n")
        XCTAssertEqual(outcome.rows, [["5\" disk", "2"]])
        XCTAssertNil(outcome.records[0].malformed)
    }

    // MARK: - Input

    func testMissingFileThrowsCannotOpen() {
        let input = InputFile(displayName: "exports/none.csv", path: "/nonexistent/demarc/none.csv")
        XCTAssertThrowsError(try CSVReader(input: input, options: CSVOptions()).read(fields: nil) { _ in }) { error in
            XCTAssertEqual("\(error)", "exports/none.csv: error: cannot open: no such file or directory")
        }
    }

    func testHashesAndHandsOutEveryRawByte() throws {
        let bytes = Array("\u{FEFF}a,b\n1,2\n".utf8)
        var seen: [UInt8] = []
        let outcome = try readFile(try temporaryFile(bytes)) { seen.append(contentsOf: $0) }
        XCTAssertEqual(seen, bytes)
        XCTAssertEqual(outcome.summary.sha256, SHA256.hex(bytes))
    }

    func testRecordsAcrossChunkBoundariesAndLongQuotedFields() throws {
        var text = "id,note\n"
        var expected: [[String?]] = []
        for i in 0..<60_000 {
            text += "\(i),\"n\"\"\(i)\"\r\n"
            expected.append(["\(i)", "n\"\(i)"])
        }
        let long = String(repeating: "x\n", count: 1_500_000)
        text += "long,\"\(long)\"\n"
        expected.append(["long", long])
        text += "last,1\r"
        expected.append(["last", "1"])
        let outcome = try readText(text)
        XCTAssertEqual(outcome.rows.count, expected.count)
        XCTAssertTrue(outcome.rows == expected)
        XCTAssertEqual(outcome.records[60_000].line, 60_002)
        XCTAssertEqual(outcome.records[60_001].line, 60_002 + 1_500_000 + 1)
        XCTAssertEqual(outcome.summary.malformed, 0)
    }
}

final class CSVFixtureTests: XCTestCase {
    func testMixedLineEndsFixture() throws {
        let outcome = try readFile(fixture("csv/mixed_line_ends.csv"),
                                   fields: [FieldRequest(.column("id")), FieldRequest(.column("name"))])
        XCTAssertEqual(outcome.records.map(\.line), [2, 3, 5, 7, 8])
        XCTAssertEqual(outcome.rows, [["1", "Müller, Hans"], ["2", "Line\r\nbreak"], ["3", "5\" disk"],
                                      ["4", "unterminated,40.00"], ["5", "ok"]])
        XCTAssertEqual(outcome.records.map(\.malformed?.reason), [nil, nil, nil, .unterminatedQuote, nil])
        XCTAssertEqual(outcome.summary.lineEnds, ["LF", "CRLF", "CR"])
        XCTAssertEqual(outcome.summary.records, 5)
        XCTAssertEqual(outcome.summary.malformed, 1)
    }
}
