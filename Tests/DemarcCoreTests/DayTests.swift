import XCTest
@testable import DemarcCore

final class DayTests: XCTestCase {
    func testCivilRoundTrip() {
        XCTAssertEqual(Day(year: 1970, month: 1, day: 1)?.daysSinceEpoch, 0)
        XCTAssertEqual(Day(year: 2026, month: 11, day: 30)?.isoText, "2026-11-30")
        XCTAssertNil(Day(year: 2026, month: 2, day: 29))
        XCTAssertNotNil(Day(year: 2024, month: 2, day: 29))
        for n in stride(from: -800_000, to: 800_000, by: 997) {
            let day = Day(daysSinceEpoch: Int32(n))
            let c = day.civil
            XCTAssertEqual(Day(year: c.year, month: c.month, day: c.day), day)
        }
    }

    func testSHA256() {
        XCTAssertEqual(SHA256.hex(Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex([UInt8]()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let long = Array(repeating: UInt8(ascii: "a"), count: 1_000_000)
        var h = SHA256()
        for chunk in stride(from: 0, to: long.count, by: 4093) { h.update(long[chunk..<min(chunk + 4093, long.count)]) }
        XCTAssertEqual(h.finalizeHex(), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        // The one-shot digest of fingerprints: the same vectors, and every length around a block.
        XCTAssertEqual(Array("abc".utf8).withUnsafeBytes { SHA256.digest($0) }.hex,
                       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual([UInt8]().withUnsafeBytes { SHA256.digest($0) }.hex,
                       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        for n in 0...130 {
            let bytes = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            XCTAssertEqual(bytes.withUnsafeBytes { SHA256.digest($0) }.hex, SHA256.hex(bytes), "\(n) bytes")
            // The hex digits jsonl writes: the same, after what the buffer held.
            var appended = Array("[".utf8) + [UInt8](repeating: 0, count: 64)
            appended.withUnsafeMutableBufferPointer { bytes.withUnsafeBytes { SHA256.digest($0) }.writeHex(to: $0.baseAddress! + 1) }
            XCTAssertEqual(String(decoding: appended, as: UTF8.self), "[" + SHA256.hex(bytes), "\(n) bytes")
        }
        // Every digit in every place: the digits eight at a time against `String(radix:)`.
        let words: [UInt64] = [0x0123_4567_89AB_CDEF, 0xFEDC_BA98_7654_3210, 0, .max, 0xA0A0_0A0A_9F9F_F9F9]
        for (i, w) in words.enumerated() {
            let digest = SHA256Digest(w, words[(i + 1) % words.count], words[(i + 2) % words.count], words[(i + 3) % words.count])
            let expected = [digest.a, digest.b, digest.c, digest.d].map { word -> String in
                let digits = String(word, radix: 16)
                return String(repeating: "0", count: 16 - digits.count) + digits
            }.joined()
            XCTAssertEqual(digest.hex, expected)
        }
    }
}
