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
        // Steps of 0 and below, and lines at the top of the range (the next line would not fit).
        check([5, 5, 5, 5, 6, 7, 7, 7], "repeated lines")
        check([10, 8, 6, 4, 2, 3, 4], "descending, then ascending")
        check(Array((Int32.max - 40)...Int32.max) + [1, 2, 3], "up to the largest line, then again from 1")
        check([1, 2, 3, 5, 7, 9, 10, 11, 13], "steps changing after each run's second record")
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
