import XCTest
@testable import DemarcEngine

/// Lines kept as runs read back exactly as the lines appended, whatever their pattern.
final class LineNumbersTests: XCTestCase {
    private func check(_ lines: [Int32], _ what: String) {
        var stored = LineNumbers()
        for line in lines { stored.append(line) }
        XCTAssertEqual(stored.count, lines.count, what)
        XCTAssertEqual((0..<lines.count).map { stored[$0] }, lines, what)
    }

    func testEveryPatternReadsBack() {
        check([], "none")
        check([2], "one")
        check(Array(2...5000), "one line each")
        check(stride(from: 3, to: 50_000, by: 10).map { $0 }, "ten lines each (XML)")
        // Pattern sources start over in each file; a malformed record leaves a gap.
        check(Array(2...100) + Array(2...50) + Array(53...90), "files and gaps")
        var generator = SystemRandomNumberGenerator()
        var line: Int32 = 1
        let mostlyPlain = (0..<20_000).map { _ -> Int32 in
            line += Int.random(in: 0..<50, using: &generator) == 0 ? Int32.random(in: 2...4, using: &generator) : 1
            return line
        }
        check(mostlyPlain, "a field with a line break now and then")
        line = 1
        let irregular = (0..<20_000).map { _ -> Int32 in
            line += Int32.random(in: 1...9, using: &generator)
            return line
        }
        check(irregular, "records of any length (kept one by one)")
        check(irregular.prefix(70) + Array(1000...3000), "one by one, then plain")
    }

    func testBitListKeepsEveryFlag() {
        var generator = SystemRandomNumberGenerator()
        for n in [0, 1, 63, 64, 65, 1000] {
            let flags = (0..<n).map { _ in Bool.random(using: &generator) }
            var bits = BitList()
            for f in flags { bits.append(f) }
            XCTAssertEqual(bits.count, n)
            XCTAssertEqual((0..<n).map { bits[$0] }, flags, "\(n) flags")
        }
        let literal: BitList = [true, false, true]
        XCTAssertEqual([literal[0], literal[1], literal[2]], [true, false, true])
    }
}
