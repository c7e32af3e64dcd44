import Foundation
import XCTest
import DemarcCore
import DemarcEngine
import DemarcReports

/// Reports of many findings are written in pieces, a batch of findings each (made on two
/// threads), and their pieces join to exactly `render`'s bytes, whatever the batch size.
final class ReportPiecesTests: XCTestCase {
    private func largeResult() throws -> RunResult {
        var result = try ReportFixtures.result("Fixtures/golden/salesforce-datev.json")
        let one = Array(result.findings)
        XCTAssertFalse(one.isEmpty)
        // About 2 MiB of JSON Lines.
        result.findings = FindingList(Array((0..<(4_500 / one.count + 1)).map { _ in one }.joined()))
        return result
    }

    func testPiecedFormatsWriteSeveralPiecesThatJoinToTheWholeReport() throws {
        let result = try largeResult()
        for format in [OutputFormat.json, .jsonl, .csv] {
            let report = try format.report()
            var pieces: [[UInt8]] = []
            try report.write(result, options: ReportOptions()) { pieces.append($0) }
            XCTAssertGreaterThan(pieces.count, 1, "\(format)")
            XCTAssertEqual(Array(pieces.joined()), try report.render(result, options: ReportOptions()), "\(format)")
        }
    }

    /// Batches of any size, made on two threads, give the bytes of one batch on one thread.
    func testTheBatchSizeDoesNotChangeTheReport() throws {
        let result = try ReportFixtures.result("Fixtures/golden/salesforce-datev.json")
        let one = Array(result.findings)
        var many = result
        many.findings = FindingList(Array([one, one, one].joined()))
        let saved = ReportPieces.batch
        defer { ReportPieces.batch = saved }
        for format in [OutputFormat.json, .jsonl, .csv] {
            let report = try format.report()
            ReportPieces.batch = 1 << 20
            let whole = try report.render(many, options: ReportOptions())
            for batch in [1, 2, 3, one.count + 1] {
                ReportPieces.batch = batch
                XCTAssertEqual(try report.render(many, options: ReportOptions()), whole, "\(format), batch \(batch)")
            }
        }
    }

    func testJSONLinesPiecesEndBetweenLines() throws {
        var pieces: [[UInt8]] = []
        try JSONLinesReport().write(try largeResult(), options: ReportOptions()) { pieces.append($0) }
        for piece in pieces { XCTAssertEqual(piece.last, 0x0A) }
    }

    func testOtherFormatsWriteOnePiece() throws {
        let result = try ReportFixtures.result("Fixtures/golden/salesforce-datev.json")
        for format in [OutputFormat.text, .html, .sarif, .junit, .markdown, .github] {
            var pieces: [[UInt8]] = []
            try format.report().write(result, options: ReportOptions()) { pieces.append($0) }
            XCTAssertEqual(pieces.count, 1, "\(format)")
            XCTAssertEqual(pieces.first, try format.report().render(result, options: ReportOptions()), "\(format)")
        }
    }
}
