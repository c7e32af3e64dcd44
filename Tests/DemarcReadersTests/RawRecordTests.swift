import XCTest
@testable import DemarcReaders

/// Readers reuse one record for every record they deliver: `reset` leaves nothing of the one
/// before, whatever it held.
final class RawRecordTests: XCTestCase {
    func testResetClearsEverythingTheRecordBeforeHeld() {
        var record = RawRecord()
        for fieldCount in [3, 3, 1, 0, 2] {
            record.reset(fieldCount: fieldCount)
            XCTAssertEqual(record.line, 0)
            XCTAssertEqual(record.bytes, [])
            XCTAssertEqual(record.fields.count, fieldCount)
            XCTAssertTrue(record.fields.allSatisfy { $0 == nil })
            XCTAssertTrue(record.moreMatches.isEmpty)
            XCTAssertNil(record.malformed)
            XCTAssertNil(record.rawText)
            // Fill every part, as a malformed record with repeated matches would.
            record.line = 7
            record.bytes = Array("a,b".utf8)
            for i in record.fields.indices { record.fields[i] = 0..<1 }
            record.moreMatches = [(field: 0, range: 2..<3)]
            record.malformed = MalformedRecord(reason: .wrongFieldCount, detail: "expected 3 fields, found 2", raw: "a,b")
            record.rawText = 0..<3
        }
    }
}

/// `CSVReader.lendsBytes`: records handed over in the reader's buffer read exactly as copied
/// ones, across chunk boundaries, quotes, doubled quotes and malformed rows.
final class LentRecordTests: XCTestCase {
    private let text = #"""
        id,name,amount,note
        1,"Müller, GmbH",10.50,plain
        2,"Say ""hi""",3,"x ""y"""
        3,"multi
        line",4,z
        4,short
        5,"open,7,8
        6,a,b,c,d
        7,"ab"c,1,2
        8,Kern,9,"n"

        """#

    /// What a sink sees of each record: the requested texts, the row, the line and, after
    /// `ownBytes`, the same texts read from `bytes`.
    private struct Seen: Equatable {
        var line: Int
        var fields: [String?]
        var raw: String?
        var malformed: MalformedReason?
        var lent: Bool
    }

    private func read(lending: Bool, fields: [FieldRequest], chunkSize: Int) throws -> [Seen] {
        let reader = CSVReader(input: .file(try temporaryFile(Array(text.utf8))), options: CSVOptions())
        reader.lendsBytes = lending
        reader.chunkSize = chunkSize
        var seen: [Seen] = []
        _ = try reader.read(fields: fields) { record in
            let texts = record.fields.indices.map { record.text($0) }
            let raw = record.rawText.map { r in record.withBytes { String(decoding: UnsafeRawBufferPointer(rebasing: $0[r]), as: UTF8.self) } }
            let lent = record.isLent
            if lent { XCTAssertTrue(record.bytes.isEmpty, "a lent record leaves `bytes` empty") }
            record.ownBytes()
            XCTAssertFalse(record.isLent)
            XCTAssertEqual(record.fields.indices.map { i in record.fields[i].map { String(decoding: record.bytes[$0], as: UTF8.self) } },
                           texts, "after ownBytes the ranges point into `bytes`")
            seen.append(Seen(line: record.line, fields: texts, raw: raw, malformed: record.malformed?.reason, lent: lent))
        }
        return seen
    }

    func testLentRecordsReadAsCopiedOnes() throws {
        let requests = [FieldRequest(.column("note")), FieldRequest(.column("id")), FieldRequest(.column("name"))]
        for chunkSize in [1, 3, 7, 64, 1 << 20] {
            let copied = try read(lending: false, fields: requests, chunkSize: chunkSize)
            let lent = try read(lending: true, fields: requests, chunkSize: chunkSize)
            XCTAssertEqual(copied.map(\.lent), Array(repeating: false, count: copied.count))
            var same = lent
            for i in same.indices { same[i].lent = false }
            XCTAssertEqual(same, copied, "chunk size \(chunkSize)")
            XCTAssertEqual(copied.count, 8)
            // Doubled quotes in a requested field need a copy; everything else is lent.
            XCTAssertEqual(lent.map(\.lent), [true, false, true, true, true, true, true, true], "chunk size \(chunkSize)")
            XCTAssertEqual(lent[1].fields, [#"x "y""#, "2", #"Say "hi""#])
            XCTAssertEqual(lent[2].fields, ["z", "3", "multi\nline"])
        }
    }

    func testDoubledQuotesInAFieldNotAskedForStillLend() throws {
        let lent = try read(lending: true, fields: [FieldRequest(.column("id")), FieldRequest(.column("amount"))], chunkSize: 1 << 20)
        XCTAssertTrue(lent.allSatisfy(\.lent))
        XCTAssertEqual(lent[1].fields, ["2", "3"])
        XCTAssertEqual(lent[1].raw, "2,\"Say \"\"hi\"\"\",3,\"x \"\"y\"\"\"")
    }
}
