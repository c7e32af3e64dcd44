import Foundation
import XCTest
import DemarcCore
import DemarcEngine
import DemarcReports

/// Reports of many findings are written in pieces of about `ReportPieces.size` bytes, cut
/// between findings, and their pieces join to exactly `render`'s bytes.
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
            for piece in pieces.dropLast() {
                XCTAssertGreaterThanOrEqual(piece.count, ReportPieces.size, "\(format)")
                XCTAssertLessThan(piece.count, ReportPieces.size + 16_384, "\(format): cut after the finding that filled it")
            }
            XCTAssertEqual(Array(pieces.joined()), try report.render(result, options: ReportOptions()), "\(format)")
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
