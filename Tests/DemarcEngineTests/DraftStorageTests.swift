import XCTest
@testable import DemarcEngine

/// What drafts hold compactly reads back exactly: records beyond the two kept inline, and
/// messages that share one storage.
final class DraftStorageTests: XCTestCase {
    private func refs(_ r: RecordRefs) -> [[Int]] { (0..<r.count).map { [r[$0].source, r[$0].record] } }

    func testRecordRefsKeepOrderAcrossTheInlineOnesAndTheRest() {
        XCTAssertEqual(RecordRefs().count, 0)
        XCTAssertNil(RecordRefs().first)
        var r = RecordRefs(source: 0, [1])
        XCTAssertEqual(refs(r), [[0, 1]])
        r.append(source: 0, [0])
        XCTAssertEqual(refs(r), [[0, 1], [0, 0]], "record 0 of source 0 is a record, not the empty mark")
        r.append(source: 2, [7, 1 << 39])
        r.append(source: 1, [5])
        XCTAssertEqual(refs(r), [[0, 1], [0, 0], [2, 7], [2, 1 << 39], [1, 5]])
        XCTAssertEqual(r.first?.source, 0)
        r.remap(source: 2) { $0 + 100 }
        r.remap(source: 0) { $0 + 10 }
        XCTAssertEqual(refs(r), [[0, 11], [0, 10], [2, 107], [2, (1 << 39) + 100], [1, 5]])
    }

    func testRepeatedMessagesShareOneStorage() {
        var shared = SharedTexts()
        func text(_ n: Int) -> String { "crm has a record but accounting has no record \(n)" }
        let first = shared.shared(text(1))
        let again = shared.shared(text(1))
        XCTAssertEqual(again, text(1))
        var a = first, b = again
        XCTAssertEqual(a.withUTF8 { $0.baseAddress }, b.withUTF8 { $0.baseAddress }, "one storage")
        XCTAssertEqual(shared.shared("short"), "short")
        for n in 2...(SharedTexts.limit + 10) { XCTAssertEqual(shared.shared(text(n)), text(n)) }
        var late = shared.shared(text(SharedTexts.limit + 10)), late2 = shared.shared(text(SharedTexts.limit + 10))
        XCTAssertEqual(late, late2, "past the limit texts are still themselves")
        XCTAssertNotEqual(late.withUTF8 { $0.baseAddress }, late2.withUTF8 { $0.baseAddress }, "but no longer kept")
        // Kept texts are still shared while they come again often enough.
        for _ in 0..<5000 {
            var kept = shared.shared(text(1))
            XCTAssertEqual(kept.withUTF8 { $0.baseAddress }, a.withUTF8 { $0.baseAddress })
        }
    }

    /// Once full, a pool whose lookups hardly ever hit stops looking: texts pass through as
    /// they are, even those it holds.
    func testAFullPoolThatMissesGivesUp() {
        var shared = SharedTexts()
        func text(_ n: Int) -> String { "crm has amount '\(n).00' but accounting, which owns it, has '0.00'" }
        var first = shared.shared(text(0))
        for n in 1..<(SharedTexts.limit + 4096) { XCTAssertEqual(shared.shared(text(n)), text(n)) }
        var again = shared.shared(text(0))
        XCTAssertEqual(again, text(0))
        XCTAssertNotEqual(first.withUTF8 { $0.baseAddress }, again.withUTF8 { $0.baseAddress }, "no longer looked up")
    }
}
