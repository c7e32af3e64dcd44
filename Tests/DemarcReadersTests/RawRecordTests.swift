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
