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

    /// A write that fails stops the report: the error comes through, no piece after it.
    func testAFailedWriteStopsTheReportWithItsError() throws {
        struct Full: Error {}
        let result = try largeResult()
        let saved = ReportPieces.batch
        defer { ReportPieces.batch = saved }
        ReportPieces.batch = 100
        for failAt in [1, 2, 5] {
            var written = 0
            XCTAssertThrowsError(try JSONLinesReport().write(result, options: ReportOptions()) { _ in
                written += 1
                if written == failAt { throw Full() }
            }) { XCTAssertTrue($0 is Full) }
            XCTAssertEqual(written, failAt)
        }
    }

    /// Batches made on two threads: every piece still comes in order, once.
    func testPiecesComeInOrder() throws {
        var pieces: [Range<Int>] = []
        ReportPieces.inParallel(count: 1_000, batch: 7, render: { range, out in
            if !range.isEmpty { out = Array("\(range.lowerBound)-\(range.upperBound)".utf8) }
        }, emit: { piece in
            let parts = String(decoding: piece, as: UTF8.self).split(separator: "-").compactMap { Int($0) }
            pieces.append(parts[0]..<parts[1])
        })
        XCTAssertEqual(pieces.first?.lowerBound, 0)
        XCTAssertEqual(pieces.last?.upperBound, 1_000)
        XCTAssertEqual(pieces.count, 143)
        for (a, b) in zip(pieces, pieces.dropFirst()) { XCTAssertEqual(a.upperBound, b.lowerBound) }
    }

    /// A slow writer: the other thread makes batches ahead until every slot of the ring is
    /// full, then waits; still every piece comes once, in order.
    func testASlowWriterGetsEveryPieceInOrder() throws {
        var next = 0
        ReportPieces.inParallel(count: 40, batch: 1, render: { range, out in
            out = [UInt8(range.lowerBound)]
        }, emit: { piece in
            XCTAssertEqual(piece, [UInt8(next)])
            next += 1
            if next % 8 == 0 { Thread.sleep(forTimeInterval: 0.005) }
        })
        XCTAssertEqual(next, 40)
    }

    /// Batches that take long on either thread: the writer waits for the next one in order.
    func testSlowBatchesStillComeInOrder() throws {
        var pieces: [UInt8] = []
        ReportPieces.inParallel(count: 30, batch: 1, render: { range, out in
            if range.lowerBound % 3 == 0 { Thread.sleep(forTimeInterval: 0.002) }
            out = [UInt8(range.lowerBound)]
        }, emit: { pieces += $0 })
        XCTAssertEqual(pieces, (0..<30).map { UInt8($0) })
    }

    /// After a failed write, no batch is made any more once the call has returned.
    func testNoBatchIsMadeAfterAFailedWriteReturns() throws {
        struct Full: Error {}
        final class Count: @unchecked Sendable {
            let lock = NSLock()
            var made = 0
            func add() { lock.lock(); made += 1; lock.unlock() }
            var value: Int { lock.lock(); defer { lock.unlock() }; return made }
        }
        let count = Count()
        XCTAssertThrowsError(try ReportPieces.inParallel(count: 1_000, batch: 1, render: { range, out in
            count.add()
            Thread.sleep(forTimeInterval: 0.0005)
            out = [1]
        }, emit: { _ in throw Full() }))
        let made = count.value
        XCTAssertLessThanOrEqual(made, 1 + 4 + 2, "at most the ring's slots ahead of the failed write")
        Thread.sleep(forTimeInterval: 0.01)
        XCTAssertEqual(count.value, made)
    }

    func testNothingToWriteWritesNothing() throws {
        var emitted = 0
        ReportPieces.inParallel(count: 0, render: { _, out in out = [1] }, emit: { _ in emitted += 1 })
        XCTAssertEqual(emitted, 0)
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
