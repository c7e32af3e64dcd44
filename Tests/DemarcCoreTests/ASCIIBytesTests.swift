import XCTest
import DemarcCore

/// The word-at-a-time ASCII scan: one byte beyond ASCII at any offset, in any length, stops it
/// at that byte (unless it lies in the last bytes, fewer than a word).
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
                    // The byte itself; past the whole words when it is in the tail.
                    XCTAssertEqual(ASCIIBytes.wordsEnd(p.baseAddress!, from: 0, count: n), at < n / 8 * 8 ? at : n / 8 * 8,
                                   "n \(n), at \(at)")
                    // From any start before it.
                    for from in 0...at {
                        let stop = ASCIIBytes.wordsEnd(p.baseAddress!, from: from, count: n)
                        XCTAssertEqual(stop, at < from + (n - from) / 8 * 8 ? at : from + (n - from) / 8 * 8,
                                       "n \(n), at \(at), from \(from)")
                    }
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

    /// The same `String` as `String(decoding:as:)`, invalid or cut sequences included.
    func testStringRepairsAsDecodingDoes() {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = Array("aZ-09 ".utf8) + [0xC3, 0xA4, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80, 0xFF, 0x80, 0xED, 0xA0]
        for _ in 0..<2_000 {
            let bytes = (0..<Int.random(in: 0..<40, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
            bytes.withUnsafeBytes { raw in
                let made = ASCIIBytes.string(raw), decoded = String(decoding: raw, as: UTF8.self)
                XCTAssertEqual(made, decoded, "\(bytes)")
                XCTAssertEqual(Array(made.utf8), Array(decoded.utf8), "\(bytes)")
            }
        }
    }
}
