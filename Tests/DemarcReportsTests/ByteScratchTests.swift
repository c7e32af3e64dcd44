import XCTest
import DemarcCore
@testable import DemarcReports

/// The jsonl writer's scratch bytes: every append lands, in order, across growth.
final class ByteScratchTests: XCTestCase {
    func testAppendsLandInOrderAcrossGrowth() {
        var scratch = ByteScratch(capacity: 1)
        var expected: [UInt8] = []
        for i in 0..<2_000 {
            let byte = UInt8(truncatingIfNeeded: i)
            scratch.append(byte)
            expected.append(byte)
            let run = [UInt8](repeating: byte &+ 1, count: i % 37)
            scratch.append(run)
            expected += run
            run.withUnsafeBufferPointer { scratch.append($0) }
            expected += run
        }
        XCTAssertEqual(scratch.count, expected.count)
        var out: [UInt8] = [9]
        scratch.moveAll(to: &out)
        XCTAssertEqual(out, [9] + expected)
        XCTAssertEqual(scratch.count, 0)
        scratch.append(7)
        scratch.moveAll(to: &out)
        XCTAssertEqual(out.last, 7)
        XCTAssertEqual(out.count, expected.count + 2)
    }

    func testWriteUpToALimitKeepsWhatWasWritten() {
        var scratch = ByteScratch(capacity: 16)
        scratch.append(Array("x=".utf8))
        for decimal in [FixedDecimal(units: -12_345, scale: 2), FixedDecimal(units: 7, scale: 0),
                        FixedDecimal(units: Int64.min, scale: 18), FixedDecimal(units: 5, scale: 40)] {
            scratch.write(upTo: decimal.plainTextLimit) { decimal.writePlainText(to: $0) }
            scratch.append(UInt8(ascii: ";"))
        }
        var out: [UInt8] = []
        scratch.moveAll(to: &out)
        let texts = [FixedDecimal(units: -12_345, scale: 2), FixedDecimal(units: 7, scale: 0),
                     FixedDecimal(units: Int64.min, scale: 18), FixedDecimal(units: 5, scale: 40)].map(\.plainText)
        XCTAssertEqual(String(decoding: out, as: UTF8.self), "x=" + texts.joined(separator: ";") + ";")
        XCTAssertEqual(texts[0], "-123.45")
    }

    /// JSON text through the scratch bytes is the text through an array.
    func testQuotingIsTheSameIntoEitherBuffer() {
        let values: [Value] = [.text("plain"), .text("Müller \"&\" \\ \n\t\u{1}\u{7F}"), .text(""),
                               .decimal(FixedDecimal(units: 150, scale: 2)), .integer(-3), .unknown,
                               .date(Day(year: 2026, month: 11, day: 27)!), .bool(true)]
        for value in values {
            var array: [UInt8] = []
            var scratch = ByteScratch(capacity: 2)
            JSONWriter.appendQuoted(value, to: &array)
            JSONWriter.appendQuoted(value, to: &scratch)
            var moved: [UInt8] = []
            scratch.moveAll(to: &moved)
            XCTAssertEqual(moved, array, "\(value)")
        }
    }

    /// JSON's escaping test, a word at a time, against a byte loop: every length up to 40, a
    /// special byte (control, quote, backslash, DEL) at every position, and bytes beyond ASCII.
    func testNeedsEscapingFindsEverySpecialByte() {
        func reference(_ bytes: [UInt8]) -> Bool { bytes.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x7F } }
        for n in 0...40 {
            let plain = (0..<n).map { [UInt8(ascii: "a"), 0xC3, 0xA4, UInt8(ascii: "-"), 0xFF, 0x80][$0 % 6] }
            plain.withUnsafeBufferPointer { XCTAssertFalse(JSONWriter.needsEscaping($0), "n \(n)") }
            for at in 0..<n {
                for special: UInt8 in [0x00, 0x0A, 0x1F, 0x22, 0x5C, 0x7F, 0x20, 0x21, 0x5B, 0x7E] {
                    var bytes = plain
                    bytes[at] = special
                    bytes.withUnsafeBufferPointer {
                        XCTAssertEqual(JSONWriter.needsEscaping($0), reference(bytes), "n \(n), at \(at), byte \(special)")
                    }
                }
            }
        }
    }
}
