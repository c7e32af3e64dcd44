import DemarcCore
@testable import DemarcReaders
import Foundation
import XCTest

/// A reader and its sink on two threads (`RecordPipeline`) deliver what the reader delivers
/// called directly, and stop the same ways; the background checksum equals the inline one.
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

    func testTheBackgroundChecksumIsTheInlineOne() {
        var inline = SHA256()
        let background = BackgroundHasher()
        var seed: UInt64 = 42
        for size in [0, 1, 63, 64, 65, 4096, 100_000, 3] + Array(repeating: 1000, count: 40) {
            let chunk = (0..<size).map { _ -> UInt8 in
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                return UInt8(truncatingIfNeeded: seed >> 33)
            }
            chunk.withUnsafeBytes { inline.update($0); background.update($0) }
        }
        XCTAssertEqual(background.finalizeHex(), inline.finalizeHex())
        XCTAssertEqual(background.finalizeHex(), inline.finalizeHex(), "a second call gives the same digest")
        let unused = BackgroundHasher()
        unused.close()   // returns: the thread ends without a digest asked for
    }
}
