import XCTest
@testable import DemarcCore

final class DecimalArithmeticTests: XCTestCase {
    func d(_ text: String) -> FixedDecimal { FixedDecimal(literal: text)! }
    func text(_ value: FixedDecimal?) -> String? { value.map { Value.decimal($0).resultText } }

    func testLiteral() {
        XCTAssertEqual(FixedDecimal(literal: "0.01").map { [$0.units, Int64($0.scale)] }, [1, 2])
        XCTAssertEqual(FixedDecimal(literal: "-12").map { [$0.units, Int64($0.scale)] }, [-12, 0])
        XCTAssertNil(FixedDecimal(literal: ""))
        XCTAssertNil(FixedDecimal(literal: "12-"))
        XCTAssertNil(FixedDecimal(literal: "1,5"))
        XCTAssertNil(FixedDecimal(literal: " 1"))
        XCTAssertNil(FixedDecimal(literal: "1e3"))
        XCTAssertEqual(FixedDecimal(7).scale, 0)
        XCTAssertEqual(FixedDecimal(7).units, 7)
    }

    func testAddSubtract() {
        XCTAssertEqual(text(.adding(d("1.5"), d("2.25"))), "3.75")
        XCTAssertEqual(text(.adding(d("1.50"), d("-1.5"))), "0.00")
        XCTAssertEqual(text(.subtracting(d("1200.00"), d("1200"))), "0.00")
        XCTAssertEqual(text(.subtracting(d("0.1"), d("0.25"))), "-0.15")
        XCTAssertNil(FixedDecimal.adding(FixedDecimal(Int64.max), d("1")))
        XCTAssertNil(FixedDecimal.subtracting(FixedDecimal(-Int64.max), d("1")), "Int64.min is overflow")
        XCTAssertNil(FixedDecimal.adding(FixedDecimal(Int64.max / 10 + 1), d("0.1")), "rescaling overflows")
    }

    func testMultiply() {
        XCTAssertEqual(text(.multiplying(d("1.50"), d("2.0"))), "3.000")
        XCTAssertEqual(text(.multiplying(d("-0.19"), d("100"))), "-19.00")
        XCTAssertNil(FixedDecimal.multiplying(d("0.0000000001"), d("0.000000001")), "scale 19 cannot be held")
        XCTAssertEqual(text(.multiplying(d("0.0000000010"), d("0.0000000010"))), "0.000000000000000001")
        XCTAssertNil(FixedDecimal.multiplying(FixedDecimal(Int64.max), d("2")))
        XCTAssertEqual(text(.multiplying(d("3037000499.00"), d("3037000499.00"))), "9223372030926249001")
    }

    func testDivide() {
        XCTAssertEqual(text(.dividing(d("1200.00"), d("2"))), "600.00")
        XCTAssertEqual(text(.dividing(d("10"), d("3"))), "3.333333")
        XCTAssertEqual(text(.dividing(d("2.00"), d("3.00"))), "0.66666667")
        XCTAssertEqual(text(.dividing(d("-10"), d("4"))), "-2.5")
        XCTAssertEqual(text(.dividing(d("1"), d("8"))), "0.125")
        XCTAssertEqual(text(.dividing(d("0.0000005"), d("1"))), "0.0000005")
        // Rounding at scale 6, half to even.
        XCTAssertEqual(text(.dividing(d("5"), d("4000000"))), "0.000001", "1.25e-6 rounds down")
        XCTAssertEqual(text(.dividing(d("5"), d("2000000"))), "0.000002", "2.5e-6 ties to even 2")
        XCTAssertEqual(text(.dividing(d("7"), d("4000000"))), "0.000002", "1.75e-6 rounds up")
        XCTAssertEqual(text(.dividing(d("3"), d("2000000"))), "0.000002", "1.5e-6 rounds to even 2")
        XCTAssertEqual(text(.dividing(d("-3"), d("2000000"))), "-0.000002")
        XCTAssertNil(FixedDecimal.dividing(d("1"), d("0.00")))
        // Too large for scale 6: the largest scale that fits.
        XCTAssertEqual(text(.dividing(FixedDecimal(Int64.max), d("1"))), "9223372036854775807")
        XCTAssertEqual(text(.dividing(d("1000000000000000"), d("0.001"))), "1000000000000000000")
        XCTAssertNil(FixedDecimal.dividing(d("1000000000000000"), d("0.0001")))
        XCTAssertEqual(text(.dividing(FixedDecimal(units: Int64.min + 1, scale: 0), FixedDecimal(units: Int64.min + 1, scale: 18))), "1000000000000000000")
    }

    func testNegatedMagnitude() {
        XCTAssertEqual(text(d("-1.50").magnitude), "1.50")
        XCTAssertEqual(text(d("1.50").negated), "-1.50")
        XCTAssertEqual(text(d("0").negated), "0")
    }

    func testRandomArithmeticNeverTraps() {
        var rng = SplitMix64(seed: UInt64.random(in: 0...UInt64.max))
        for _ in 0..<50_000 {
            let a = FixedDecimal(units: Int64.random(in: Int64.min...Int64.max, using: &rng), scale: UInt8.random(in: 0...20, using: &rng))
            let b = FixedDecimal(units: Int64.random(in: -1000...1000, using: &rng), scale: UInt8.random(in: 0...20, using: &rng))
            for (x, y) in [(a, b), (b, a)] {
                _ = FixedDecimal.adding(x, y)
                _ = FixedDecimal.subtracting(x, y)
                _ = FixedDecimal.multiplying(x, y)
                _ = FixedDecimal.dividing(x, y)
                _ = x.negated
                _ = x.magnitude
                _ = Value.decimal(x).resultText
            }
        }
    }

    func testDivisionMatchesExactCheck() {
        // q × b ≈ a within half a unit of the result scale, for small random values.
        var rng = SplitMix64(seed: UInt64.random(in: 0...UInt64.max))
        var checked = 0
        for _ in 0..<5_000 {
            let a = FixedDecimal(units: Int64.random(in: -1_000_000...1_000_000, using: &rng), scale: UInt8.random(in: 0...4, using: &rng))
            let b = FixedDecimal(units: Int64.random(in: 1...100_000, using: &rng), scale: UInt8.random(in: 0...4, using: &rng))
            guard let q = FixedDecimal.dividing(a, b) else { XCTFail("\(a) / \(b)"); continue }
            guard let back = FixedDecimal.multiplying(q, b) else { continue }
            checked += 1
            let error = FixedDecimal.subtracting(back, a)!.magnitude
            let bound = FixedDecimal.multiplying(b.magnitude, FixedDecimal(units: 5, scale: q.scale + 1))!
            XCTAssertLessThanOrEqual(error, bound, "\(a.units)e-\(a.scale) / \(b.units)e-\(b.scale)")
        }
        XCTAssertGreaterThan(checked, 2_500)
    }

    func testPlainTextHasExactlyScaleDigitsAfterTheMarkAndNoSignForZero() {
        let cases: [(Int64, UInt8, String)] = [
            (0, 0, "0"), (0, 2, "0.00"), (5, 2, "0.05"), (-5, 2, "-0.05"), (50, 1, "5.0"),
            (123_456, 2, "1234.56"), (-100, 0, "-100"), (1, 30, "0." + String(repeating: "0", count: 29) + "1"),
            (Int64.min, 0, "-9223372036854775808"), (Int64.max, 19, "0.9223372036854775807"),
            (Int64.min, 3, "-9223372036854775.808"), (12, 2, "0.12"), (120, 2, "1.20"),
        ]
        for (units, scale, text) in cases {
            XCTAssertEqual(FixedDecimal(units: units, scale: scale).plainText, text, "\(units)e-\(scale)")
            // The bytes reports append: the same text after what the buffer held.
            var bytes = Array("x".utf8)
            FixedDecimal(units: units, scale: scale).appendPlainText(to: &bytes)
            XCTAssertEqual(String(decoding: bytes, as: UTF8.self), "x" + text)
        }
        // Against the arithmetic definition, for random values.
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let units = Int64.random(in: -10_000_000...10_000_000, using: &generator)
            let scale = UInt8.random(in: 0...9, using: &generator)
            let magnitude = String(units.magnitude)
            let padded = String(repeating: "0", count: max(0, Int(scale) + 1 - magnitude.count)) + magnitude
            let whole = padded.dropLast(Int(scale)), fraction = padded.suffix(Int(scale))
            let expected = (units < 0 ? "-" : "") + whole + (scale > 0 ? "." + fraction : "")
            XCTAssertEqual(FixedDecimal(units: units, scale: scale).plainText, expected)
        }
    }
}
