import DemarcCore
@testable import DemarcReaders
import XCTest

/// Hostile byte soup read with chunk boundaries everywhere gives what one big chunk gives.
final class CSVChunkBoundaryTests: XCTestCase {
    private func read(_ path: String, options: CSVOptions, chunkSize: Int) throws -> ReadOutcome {
        let reader = CSVReader(input: .file(path), options: options)
        reader.chunkSize = chunkSize
        var records: [ReadRecord] = []
        let summary = try reader.read(fields: nil) { record in
            for range in record.fields.compactMap({ $0 }) {
                XCTAssertTrue(range.lowerBound >= 0 && range.upperBound <= record.bytes.count)
            }
            records.append(ReadRecord(line: record.line, fields: record.fields.indices.map { record.text($0) },
                                      malformed: record.malformed))
        }
        return ReadOutcome(records: records, summary: summary)
    }

    func testRandomInputsReadAlikeWhateverTheChunkSize() throws {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = Array("a,,;\"\"\n\r\r\n ".utf8) + [0xC3, 0xA4, 0xE2, 0x82, 0xAC, 0xFF, 0x00, 0xD8]
        let encodings: [TextEncoding?] = [nil, .utf16le, .utf16be, .windows1252, .iso885915]
        for round in 0..<120 {
            var bytes = (0..<Int.random(in: 0..<120, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
            if round % 7 == 0 { bytes = [0xEF, 0xBB, 0xBF] + bytes }
            if round % 11 == 0 { bytes = [0xFF, 0xFE] + bytes }
            let path = try temporaryFile(bytes)
            let options = CSVOptions(delimiter: round % 3 == 0 ? nil : UInt8(ascii: ","),
                                     encoding: encodings[round % encodings.count], headerLine: round % 4)
            let whole = try read(path, options: options, chunkSize: 1 << 20)
            for chunkSize in [4, 5, 9] {
                let pieces = try read(path, options: options, chunkSize: chunkSize)
                XCTAssertEqual(pieces.records, whole.records, "round \(round) chunk \(chunkSize) \(bytes)")
                XCTAssertEqual(pieces.summary, whole.summary, "round \(round) chunk \(chunkSize) \(bytes)")
            }
            XCTAssertEqual(whole.summary.records, whole.records.count)
            XCTAssertEqual(whole.summary.malformed, whole.records.filter { $0.malformed != nil }.count)
            XCTAssertEqual(whole.summary.sha256, SHA256.hex(bytes))
        }
    }

    func testPrefixIsReadBeforeTheInputAndCapturedBytesAreTheRawBytes() throws {
        let path = try temporaryFile(Array("3,4\n".utf8))
        let reader = CSVReader(input: .file(path), options: CSVOptions(headerLine: 1))
        reader.prefix = Array("a,b\n1,".utf8)
        reader.capturesRawBytes = true
        var rows: [[String?]] = []
        let summary = try reader.read(fields: nil) { record in rows.append(record.fields.indices.map { record.text($0) }) }
        XCTAssertEqual(rows, [["1", "3"]])   // one record "1,3,4": its third field is not requested
        XCTAssertEqual(reader.captured, Array("a,b\n1,3,4\n".utf8))
        XCTAssertEqual(summary.sha256, SHA256.hex(Array("a,b\n1,3,4\n".utf8)))
    }
}
