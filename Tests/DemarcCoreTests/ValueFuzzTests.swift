import XCTest
@testable import DemarcCore

/// Random bytes never trap the parsers, and every value they produce prints.
final class ValueFuzzTests: XCTestCase {
    static let specs: [ValueSpec] = [
        ValueSpec(type: .text),
        ValueSpec(type: .decimal),
        ValueSpec(type: .decimal, decimalMark: UInt8(ascii: ","), thousandsMark: UInt8(ascii: ".")),
        ValueSpec(type: .decimal, thousandsMark: UInt8(ascii: " ")),
        ValueSpec(type: .integer, thousandsMark: UInt8(ascii: "'")),
        ValueSpec(type: .bool),
        ValueSpec(type: .date),
        ValueSpec(type: .date, dateFormat: .dottedDMY),
        ValueSpec(type: .date, dateFormat: .compactYMD),
        ValueSpec(type: .date, dateFormat: .compactDMY),
        ValueSpec(type: .date, dateFormat: .slashedMDY),
        ValueSpec(type: .date, dateFormat: .dayMonth, year: 2026),
        ValueSpec(type: .date, dateFormat: .dayMonth,
                  dayMonthPeriod: Day(year: 2025, month: 7, day: 1)!...Day(year: 2026, month: 6, day: 30)!),
        ValueSpec(type: .datetime),
        ValueSpec(type: .datetime, dateFormat: .pattern("yyyy-MM-dd HH:mm:ss.SSS")),
        ValueSpec(type: .datetime, dateFormat: .pattern("ddMMyyyyHHmm'T'")),
        ValueSpec(type: .datetime, dateFormat: .pattern("'")),
    ]

    /// Bytes that the grammars care about, so that random inputs get deep into them.
    static let alphabet: [UInt8] = Array("0123456789999.,'- +:/TZtzx-.05\u{0}\u{ff}".utf8) + [0xC3, 0xA4, 0x80, 0xFF]

    func testRandomBytesNeverTrap() {
        var rng = SplitMix64(seed: UInt64.random(in: 0...UInt64.max))
        var buffer = [UInt8](repeating: 0, count: 32)
        var values = 0
        for spec in Self.specs {
            for round in 0..<100_000 {
                let length = Int.random(in: 0...24, using: &rng)
                for i in 0..<length {
                    buffer[i] = round % 2 == 0
                        ? UInt8.random(in: 0...255, using: &rng)
                        : Self.alphabet[Int.random(in: 0..<Self.alphabet.count, using: &rng)]
                }
                let result = buffer.withUnsafeBytes { ValueParser.parse(UnsafeRawBufferPointer(rebasing: $0[0..<length]), as: spec) }
                switch result {
                case .value(let value):
                    values += 1
                    _ = value.resultText
                case .invalid(let reason):
                    // Lowercase prose; quoted formats keep their letters.
                    if reason.first?.isLowercase != true || reason.hasSuffix(".") { XCTFail(reason) }
                case .empty:
                    break
                }
            }
        }
        XCTAssertGreaterThan(values, 1000, "the alphabet reaches the value paths")
    }

    /// The plain-decimal fast path agrees with the general scanner wherever it answers, and
    /// answers for the common shapes.
    func testPlainDecimalsAgreeWithTheGeneralScanner() {
        var rng = SplitMix64(seed: UInt64.random(in: 0...UInt64.max))
        let alphabet = Array("0123456789-+.,' 9".utf8)
        var buffer = [UInt8](repeating: 0, count: 24)
        var answered = 0
        for mark in [UInt8(ascii: "."), UInt8(ascii: ",")] {
            for _ in 0..<200_000 {
                let length = Int.random(in: 1...22, using: &rng)
                for i in 0..<length { buffer[i] = alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] }
                buffer.withUnsafeBytes { all in
                    let span = ByteSpan(bytes: UnsafeRawBufferPointer(rebasing: all[0..<length]), lo: 0, hi: length)
                    guard let (units, scale) = ValueParser.plainDecimal(span, mark: mark) else { return }
                    answered += 1
                    let text = String(decoding: all[0..<length], as: UTF8.self)
                    guard case .number(let u, let s) = ValueParser.scanNumber(span, mark: mark, thousands: nil) else {
                        return XCTFail("\(text): the scanner rejects it")
                    }
                    XCTAssertEqual(units, u, text)
                    XCTAssertEqual(scale, s, text)
                }
            }
        }
        XCTAssertGreaterThan(answered, 1000)
        for (text, units, scale) in [("97990.19", Int64(9_799_019), UInt8(2)), ("-5", -5, 0), ("0.000", 0, 3),
                                     ("123456789012345678", 123_456_789_012_345_678, 0)] {
            text.utf8.withContiguousStorageIfAvailable { bytes in
                let span = ByteSpan(bytes: UnsafeRawBufferPointer(bytes), lo: 0, hi: bytes.count)
                let got = ValueParser.plainDecimal(span, mark: UInt8(ascii: "."))
                XCTAssertEqual(got?.units, units, text)
                XCTAssertEqual(got?.scale, scale, text)
            }
        }
        for text in ["5.", ".5", "+5", "5-", "1,000.00", "1234567890123456789", "1.2.3", "-"] {
            text.utf8.withContiguousStorageIfAvailable { bytes in
                let span = ByteSpan(bytes: UnsafeRawBufferPointer(bytes), lo: 0, hi: bytes.count)
                XCTAssertNil(ValueParser.plainDecimal(span, mark: UInt8(ascii: ".")), text)
            }
        }
    }

    func testParsedDecimalsRoundTrip() {
        var rng = SplitMix64(seed: UInt64.random(in: 0...UInt64.max))
        for _ in 0..<20_000 {
            let decimal = FixedDecimal(units: Int64.random(in: -Int64.max...Int64.max, using: &rng), scale: UInt8.random(in: 0...18, using: &rng))
            let text = Value.decimal(decimal).resultText
            guard case .value(.decimal(let back)) = ValueParser.parse(text, as: ValueSpec(type: .decimal)) else { XCTFail(text); continue }
            XCTAssertEqual(back.units, decimal.units, text)
            XCTAssertEqual(back.scale, decimal.scale, text)
        }
    }
}

/// A fast seeded generator: SystemRandomNumberGenerator makes a system call per number.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
