import XCTest
import DemarcCore

/// The word-at-a-time ASCII scan: one byte beyond ASCII at any offset, in any length, stops it
/// at the word (or byte, for `isASCII`) that holds it.
final class ASCIIBytesTests: XCTestCase {
    func testAByteBeyondASCIIIsFoundAtEveryOffset() {
        for n in 0...70 {
            let plain = [UInt8](repeating: UInt8(ascii: "x"), count: n)
            plain.withUnsafeBufferPointer { p in
                XCTAssertTrue(ASCIIBytes.isASCII(UnsafeRawBufferPointer(p)))
                XCTAssertEqual(ASCIIBytes.wordsEnd(p.baseAddress ?? UnsafePointer(bitPattern: 8)!, from: 0, count: n), n / 8 * 8)
            }
            for at in 0..<n {
                var bytes = plain
                bytes[at] = 0xC3
                bytes.withUnsafeBufferPointer { p in
                    XCTAssertFalse(ASCIIBytes.isASCII(UnsafeRawBufferPointer(p)), "n \(n), at \(at)")
                    // The start of the word holding it; past the whole words when it is in the tail.
                    XCTAssertEqual(ASCIIBytes.wordsEnd(p.baseAddress!, from: 0, count: n), min(at / 8 * 8, n / 8 * 8),
                                   "n \(n), at \(at)")
                }
            }
        }
        XCTAssertTrue(ASCIIBytes.isASCII(UnsafeRawBufferPointer(start: nil, count: 0)))
    }

    /// Equal bytes of every length up to 40 compare equal; a difference at any position does not.
    func testEqualFindsADifferenceAtEveryPosition() {
        for n in 0...40 {
            let a = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            a.withUnsafeBytes { pa in
                var b = a
                b.withUnsafeBytes { pb in
                    XCTAssertTrue(ASCIIBytes.equal(pa.baseAddress ?? UnsafeRawPointer(bitPattern: 8)!,
                                                   pb.baseAddress ?? UnsafeRawPointer(bitPattern: 8)!, count: n), "\(n)")
                }
                for k in 0..<n {
                    b = a
                    b[k] ^= 0x20
                    b.withUnsafeBytes { pb in
                        XCTAssertFalse(ASCIIBytes.equal(pa.baseAddress!, pb.baseAddress!, count: n), "\(n), byte \(k)")
                    }
                }
            }
        }
    }
}
