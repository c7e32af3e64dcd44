import Foundation
import XCTest
@testable import DemarcReports

/// The ring behind `ReportPieces.inParallel`, driven by hand.
final class PieceRingTests: XCTestCase {
    private final class Made: @unchecked Sendable {
        let lock = NSLock()
        var batches: [Int] = []
        func add(_ i: Int) { lock.lock(); batches.append(i); lock.unlock() }
        var all: [Int] { lock.lock(); defer { lock.unlock() }; return batches }
    }

    /// Stopped before its helper began: `stop` does not wait for it, and a helper that begins
    /// afterwards makes nothing.
    func testAHelperThatBeginsAfterStopMakesNothing() {
        let made = Made()
        let ring = PieceRing(batches: 10) { i, out in made.add(i); out = [UInt8(i)] }
        ring.stop()
        ring.help()
        XCTAssertEqual(made.all, [])
    }

    /// Without a helper the writing thread makes every batch itself, in order.
    func testTheWriterAloneMakesEveryBatch() {
        let made = Made()
        let ring = PieceRing(batches: 7) { i, out in made.add(i); out = [UInt8(i)] }
        var written: [UInt8] = []
        ring.drive { written += $0 }
        ring.stop()
        XCTAssertEqual(written, [0, 1, 2, 3, 4, 5, 6])
        XCTAssertEqual(made.all, [0, 1, 2, 3, 4, 5, 6])
    }

    /// A helper on another thread and the writer share the batches: each is made once.
    func testEachBatchIsMadeOnceByOneOfTheTwo() {
        let made = Made()
        let ring = PieceRing(batches: 200) { i, out in
            made.add(i)
            if i % 5 == 0 { usleep(200) }
            out = [UInt8(truncatingIfNeeded: i)]
        }
        let helper = Thread { ring.help() }
        helper.start()
        var written: [UInt8] = []
        ring.drive { written += $0 }
        ring.stop()
        XCTAssertEqual(written, (0..<200).map { UInt8(truncatingIfNeeded: $0) })
        XCTAssertEqual(made.all.sorted(), Array(0..<200))
    }
}
