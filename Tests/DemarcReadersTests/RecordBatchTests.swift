import XCTest
@testable import DemarcReaders

/// `CSVReader.read(fields:onChunk:sink:batch:)`: records handed over in batches read exactly as
/// those handed over one by one, in the same order, across chunk boundaries, quotes, doubled
/// quotes, empty lines, invalid bytes and malformed rows; only well-formed records without
/// doubled quotes in a requested field come in batches.
final class RecordBatchTests: XCTestCase {
    /// What a sink sees of a record.
    private struct Seen: Equatable, CustomStringConvertible {
        var line: Int
        var fields: [String?]
        var raw: String?
        var malformed: MalformedReason?
        var batched: Bool
        var description: String { "\(line) \(fields) \(raw ?? "-") \(malformed.map { "\($0)" } ?? "") \(batched)" }
    }

    private func read(_ bytes: [UInt8], fields: [FieldRequest], batches: Bool, chunkSize: Int,
                      options: CSVOptions = CSVOptions()) throws -> (seen: [Seen], summary: ReadSummary) {
        let reader = CSVReader(input: .file(try temporaryFile(bytes)), options: options)
        reader.lendsBytes = true
        reader.chunkSize = chunkSize
        var seen: [Seen] = []
        let sink: RecordSink = { record in
            let texts = record.fields.indices.map { record.text($0) }
            let raw = record.rawText.map { r in record.withBytes { String(decoding: UnsafeRawBufferPointer(rebasing: $0[r]), as: UTF8.self) } }
            seen.append(Seen(line: record.line, fields: texts, raw: raw, malformed: record.malformed?.reason, batched: false))
        }
        let batch: BatchSink = { batch in
            XCTAssertGreaterThan(batch.count, 0, "no empty batches")
            XCTAssertLessThanOrEqual(batch.count, RecordBatch.capacity)
            XCTAssertEqual(batch.slots, fields.count)
            let all = batch.bytes
            for i in 0..<batch.count {
                let texts: [String?] = (0..<batch.slots).map { slot in
                    let start = batch.fieldStarts[i * batch.slots + slot]
                    guard start >= 0 else { return nil }
                    return String(decoding: UnsafeRawBufferPointer(rebasing: all[start..<batch.fieldEnds[i * batch.slots + slot]]), as: UTF8.self)
                }
                let raw = String(decoding: UnsafeRawBufferPointer(rebasing: all[batch.textStarts[i]..<batch.textEnds[i]]), as: UTF8.self)
                seen.append(Seen(line: batch.lines[i], fields: texts, raw: raw, malformed: nil, batched: true))
            }
        }
        let summary = try reader.read(fields: fields, sink: sink, batch: batches ? batch : nil)
        return (seen, summary)
    }

    private func assertSameRecords(_ bytes: [UInt8], fields: [FieldRequest], options: CSVOptions = CSVOptions(),
                                   file: StaticString = #filePath, line: UInt = #line) throws -> [Seen] {
        var last: [Seen] = []
        for chunkSize in [1, 2, 5, 16, 64, 1 << 20] {
            let one = try read(bytes, fields: fields, batches: false, chunkSize: chunkSize, options: options)
            let batched = try read(bytes, fields: fields, batches: true, chunkSize: chunkSize, options: options)
            var same = batched.seen
            for i in same.indices { same[i].batched = false }
            XCTAssertEqual(same, one.seen, "chunk size \(chunkSize)", file: file, line: line)
            XCTAssertEqual(batched.summary.records, one.summary.records, file: file, line: line)
            XCTAssertEqual(batched.summary.malformed, one.summary.malformed, file: file, line: line)
            XCTAssertEqual(batched.summary.lineEnds, one.summary.lineEnds, file: file, line: line)
            for record in batched.seen where record.batched {
                XCTAssertNil(record.malformed, file: file, line: line)
            }
            last = batched.seen
        }
        return last
    }

    func testBatchedRecordsReadAsRecordsOneByOne() throws {
        let text = "id,name,amount,note\r\n1,\"Müller, GmbH\",10.50,plain\n2,\"Say \"\"hi\"\"\",3,\"x \"\"y\"\"\"\n"
            + "3,\"multi\nline\",4,z\n\n4,short\n5,\"open,7,8\n6,a,b,c,d\n7,\"ab\"c,1,2\n8,Kern,9,\"n\"\n9,\u{FF}x,1,2\n10,last,1,"
        var bytes = Array(text.utf8)
        // An invalid byte in record 9 (in place of the UTF-8 of U+00FF).
        if let i = bytes.indices.first(where: { bytes[$0] == 0xC3 && bytes[$0 + 1] == 0xBF }) {
            bytes.replaceSubrange(i..<(i + 2), with: [0xFF])
        }
        let seen = try assertSameRecords(bytes, fields: [FieldRequest(.column("note")), FieldRequest(.column("id"))])
        XCTAssertEqual(seen.map(\.line), [2, 3, 4, 7, 8, 9, 10, 11, 12, 13])
        // Doubled quotes in a requested field, a wrong field count, an unterminated quote and
        // bytes invalid in UTF-8 go one by one; the rest in batches.
        XCTAssertEqual(seen.map(\.batched), [true, false, true, false, false, false, false, true, false, true])
        XCTAssertEqual(seen[2].fields, ["z", "3"])
        XCTAssertEqual(seen[9].fields, ["", "10"])
    }

    func testAColumnBeyondAHeaderlessRecordIsAbsentInTheBatch() throws {
        let bytes = Array("a,b\nc,d\n".utf8)
        let seen = try assertSameRecords(bytes, fields: [FieldRequest(.position(2)), FieldRequest(.position(3))],
                                         options: CSVOptions(headerLine: 0))
        XCTAssertEqual(seen.map(\.fields), [["b", nil], ["d", nil]])
        XCTAssertTrue(seen.allSatisfy(\.batched))
    }

    func testMoreRecordsThanABatchHolds() throws {
        var text = "k,v\n"
        for i in 0..<(RecordBatch.capacity * 2 + 7) { text += i % 300 == 299 ? "\(i),\"a\"\"b\"\n" : "\(i),v\(i)\n" }
        let seen = try assertSameRecords(Array(text.utf8), fields: [FieldRequest(.column("v")), FieldRequest(.column("k"))])
        XCTAssertEqual(seen.count, RecordBatch.capacity * 2 + 7)
        XCTAssertEqual(seen.filter { !$0.batched }.count, 3)
    }

    /// Random texts over the bytes that matter to the scanner.
    func testRandomTextsReadTheSameInBatches() throws {
        var generator = SplitMix(seed: 0xBA7C4)
        let pieces: [String] = ["a", "b", ",", ",", "\"", "\"\"", "\n", "\r\n", "\r", "é", " ", "x,y", "\"q,\""]
        for round in 0..<150 {
            var text = "h1,h2,h3\n"
            for _ in 0..<Int(generator.next() % 60) { text += pieces[Int(generator.next() % UInt64(pieces.count))] }
            let fields = [FieldRequest(.column("h3")), FieldRequest(.column("h1"))]
            let one = try read(Array(text.utf8), fields: fields, batches: false, chunkSize: 3)
            let batched = try read(Array(text.utf8), fields: fields, batches: true, chunkSize: 3)
            var same = batched.seen
            for i in same.indices { same[i].batched = false }
            XCTAssertEqual(same, one.seen, "round \(round): \(text.debugDescription)")
        }
    }
}

/// A small deterministic generator for the random texts.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
