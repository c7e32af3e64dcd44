import DemarcCore
@testable import DemarcReaders
import Foundation
import XCTest

/// A reader and its sink on two threads (`RecordPipeline`) deliver what the reader delivers
/// called directly, and stop the same ways; chunks read ahead (`ChunkReader`) are the file's.
final class RecordPipelineTests: XCTestCase {
    private struct SinkStop: Error, Equatable {}

    private func records(_ count: Int) throws -> String {
        var xml = "<?xml version=\"1.0\"?>\n<Export>\n"
        for i in 0..<count {
            xml += "  <Invoice no=\"\(i)\">\n    <Amount currency=\"EUR\">\(i).50</Amount>\n"
            xml += i % 3 == 0 ? "    <Note>a</Note><Note>b \(i)</Note>\n" : ""
            xml += "  </Invoice>\n"
        }
        return try XMLTestSupport.temporary(xml + "</Export>\n")
    }

    private let fields = [FieldRequest(.path("@no")), FieldRequest(.path("Amount")),
                          FieldRequest(.path("Amount/@currency")), FieldRequest(.path("Note"), keepAllMatches: true)]

    private func seen(_ raw: RawRecord) -> String {
        "\(raw.line) \(raw.fields.indices.map { raw.text($0) ?? "-" }) "
            + raw.moreMatches.map { "\($0.field):\(String(decoding: raw.bytes[$0.range], as: UTF8.self))" }.joined(separator: ",")
    }

    func testTheSinkSeesWhatItSeesCalledDirectlyAtEveryBatchSize() throws {
        let path = try records(50)
        let reader = XMLRecordReader(input: .file(path), options: XMLOptions(record: "//Invoice"))
        var direct: [String] = []
        let summary = try reader.read(fields: fields) { direct.append(seen($0)) }
        XCTAssertEqual(direct.count, 50)
        let saved = RecordPipeline.batchRecords
        defer { RecordPipeline.batchRecords = saved }
        for batch in [1, 2, 7, 50, 1024] {
            RecordPipeline.batchRecords = batch
            var piped: [String] = []
            let pipedSummary = try RecordPipeline.run(read: { try reader.read(fields: fields, sink: $0) },
                                                      sink: { piped.append(seen($0)) })
            XCTAssertEqual(piped, direct, "batch \(batch)")
            XCTAssertEqual(pipedSummary, summary, "batch \(batch)")
        }
    }

    func testAnErrorOfTheSinkStopsTheReaderAndIsThrown() throws {
        let path = try records(5_000)
        let reader = XMLRecordReader(input: .file(path), options: XMLOptions(record: "//Invoice"))
        let saved = RecordPipeline.batchRecords
        defer { RecordPipeline.batchRecords = saved }
        RecordPipeline.batchRecords = 16
        var delivered = 0
        XCTAssertThrowsError(try RecordPipeline.run(read: { try reader.read(fields: fields, sink: $0) }, sink: { _ in
            delivered += 1
            if delivered == 100 { throw SinkStop() }
        })) { XCTAssertEqual($0 as? SinkStop, SinkStop()) }
        XCTAssertEqual(delivered, 100)
    }

    func testAReaderErrorComesAfterTheRecordsReadBeforeIt() throws {
        var xml = "<?xml version=\"1.0\"?>\n<Export>\n"
        for i in 0..<40 { xml += "<Invoice no=\"\(i)\"><Amount>1</Amount></Invoice>\n" }
        let path = try XMLTestSupport.temporary(xml + "<Invoice></Export>\n")
        let reader = XMLRecordReader(input: .file(path), options: XMLOptions(record: "//Invoice"))
        let saved = RecordPipeline.batchRecords
        defer { RecordPipeline.batchRecords = saved }
        RecordPipeline.batchRecords = 3
        var delivered = 0
        let error = XMLTestSupport.error {
            _ = try RecordPipeline.run(read: { try reader.read(fields: fields, sink: $0) }, sink: { _ in delivered += 1 })
        }
        XCTAssertNotNil(XMLTestSupport.unreadable(error))
        XCTAssertEqual(delivered, 40)
    }

    /// The chunks read ahead are the file's bytes in order, and their checksum the file's.
    func testChunksReadAheadAreTheFileAndItsChecksum() throws {
        var bytes: [UInt8] = []
        var seed: UInt64 = 42
        for _ in 0..<100_003 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            bytes.append(UInt8(truncatingIfNeeded: seed >> 33))
        }
        let path = try XMLTestSupport.temporary(bytes, name: "bytes.bin")
        var inline = SHA256()
        inline.update(bytes)
        for capacity in [8, 1000, 1 << 18] {
            let reader = ChunkReader(source: try ByteSource(input: .file(path)), capacity: capacity,
                                     displayName: path, onChunk: nil)
            var seen: [UInt8] = []
            var chunk = try reader.next()
            while chunk.count > 0 {
                seen.append(contentsOf: UnsafeRawBufferPointer(start: chunk.bytes, count: chunk.count))
                reader.recycle(chunk)
                chunk = try reader.next()
            }
            XCTAssertEqual(seen, bytes, "capacity \(capacity)")
            XCTAssertEqual(reader.finishHex(), inline.finalizeHex(), "capacity \(capacity)")
        }
        // Closed after the first chunk: the reading thread ends without reading on.
        let early = ChunkReader(source: try ByteSource(input: .file(path)), capacity: 8, displayName: path, onChunk: nil)
        XCTAssertEqual(try early.next().count, 8)
        early.close()
    }
}
