import XCTest
@testable import DemarcCore

/// Shorthands shared by the value tests.
func parsed(_ text: String, _ spec: ValueSpec) -> ParsedValue { ValueParser.parse(text, as: spec) }
func dec(_ units: Int64, _ scale: UInt8) -> ParsedValue { .value(.decimal(FixedDecimal(units: units, scale: scale))) }

final class ValueParserTests: XCTestCase {
    let decimal = ValueSpec(type: .decimal)
    let comma = ValueSpec(type: .decimal, decimalMark: UInt8(ascii: ","), thousandsMark: UInt8(ascii: "."))

    func testEmptyMeansWhiteSpaceOnly() {
        for type in FieldType.allCases {
            let spec = ValueSpec(type: type)
            XCTAssertEqual(parsed("", spec), .empty, "\(type)")
            XCTAssertEqual(parsed("  \t\r\n", spec), .empty, "\(type)")
        }
    }

    func testTextKeepsItsBytes() {
        XCTAssertEqual(parsed("  Closed Won ", ValueSpec(type: .text)), .value(.text("  Closed Won ")))
        XCTAssertEqual(parsed("a\nb", ValueSpec(type: .text)), .value(.text("a\nb")))
    }

    func testDecimalPlain() {
        XCTAssertEqual(parsed("1200.00", decimal), dec(120000, 2))
        XCTAssertEqual(parsed("  -24.95 ", decimal), dec(-2495, 2))
        XCTAssertEqual(parsed("+5", decimal), dec(5, 0))
        XCTAssertEqual(parsed("123.45-", decimal), dec(-12345, 2))
        XCTAssertEqual(parsed("-0.00", decimal), dec(0, 2))
        XCTAssertEqual(parsed(".5", decimal), dec(5, 1))
        XCTAssertEqual(parsed("5.", decimal), dec(5, 0))
        XCTAssertEqual(parsed("0.000000000000000001", decimal), dec(1, 18))
    }

    func testDecimalMarks() {
        XCTAssertEqual(parsed("2300,00", comma), dec(230000, 2))
        XCTAssertEqual(parsed("1.234.567,8", comma), dec(12345678, 1))
        XCTAssertEqual(parsed("-24,95", comma), dec(-2495, 2))
        XCTAssertEqual(parsed("1234,5", comma), dec(12345, 1))
        let swiss = ValueSpec(type: .decimal, thousandsMark: UInt8(ascii: "'"))
        XCTAssertEqual(parsed("1'234.50", swiss), dec(123450, 2))
        let french = ValueSpec(type: .decimal, decimalMark: UInt8(ascii: ","), thousandsMark: UInt8(ascii: " "))
        XCTAssertEqual(parsed("1 234 567,00", french), dec(123456700, 2))
        let us = ValueSpec(type: .decimal, thousandsMark: UInt8(ascii: ","))
        XCTAssertEqual(parsed("1,234", us), dec(1234, 0))
        XCTAssertEqual(parsed("12,345,678.9", us), dec(123456789, 1))
    }

    func testDecimalRejects() {
        for bad in ["-", "+", ".", "1e5", "1.2.3", "--5", "+5-", "-5-", "1 000", "12a", "0x10", "1,5", "€5", "5 -"] {
            XCTAssertEqual(parsed(bad, decimal), .invalid("not a decimal"), bad)
        }
        for bad in ["1.23.456,7", "12.34,5", ".123,4", "1..234", "1234.567,0", "1.234.", "1.2345,0", ",5.0"] {
            XCTAssertEqual(parsed(bad, comma), .invalid("not a decimal"), bad)
        }
    }

    func testDecimalRange() {
        XCTAssertEqual(parsed("9223372036854775807", decimal), dec(Int64.max, 0))
        XCTAssertEqual(parsed("-9223372036854775807", decimal), dec(-Int64.max, 0))
        XCTAssertEqual(parsed("9223372036854775808", decimal), .invalid("decimal out of range"))
        XCTAssertEqual(parsed("-9223372036854775808", decimal), .invalid("decimal out of range"))
        XCTAssertEqual(parsed("99999999999999999999999999999999.5", decimal), .invalid("decimal out of range"))
        XCTAssertEqual(parsed("0.0000000000000000001", decimal), .invalid("decimal out of range"))
    }

    func testInteger() {
        let integer = ValueSpec(type: .integer)
        XCTAssertEqual(parsed("42", integer), .value(.integer(42)))
        XCTAssertEqual(parsed(" -7 ", integer), .value(.integer(-7)))
        XCTAssertEqual(parsed("+0", integer), .value(.integer(0)))
        XCTAssertEqual(parsed("1.0", integer), .invalid("not an integer"))
        XCTAssertEqual(parsed("1.000", integer), .invalid("not an integer"))
        XCTAssertEqual(parsed("1.000", ValueSpec(type: .integer, thousandsMark: UInt8(ascii: "."))), .value(.integer(1000)))
        XCTAssertEqual(parsed("99999999999999999999", integer), .invalid("integer out of range"))
        XCTAssertEqual(parsed("abc", integer), .invalid("not an integer"))
    }

    func testBool() {
        let bool = ValueSpec(type: .bool)
        for yes in ["true", "TRUE", "True", "1", "yes", "Yes", "ja", "JA", "x", "X", " x "] {
            XCTAssertEqual(parsed(yes, bool), .value(.bool(true)), yes)
        }
        for no in ["false", "False", "0", "no", "NO", "nein", "Nein"] {
            XCTAssertEqual(parsed(no, bool), .value(.bool(false)), no)
        }
        for bad in ["2", "y", "n", "wahr", "truee", "0.0", "on", "\u{11}"] {
            XCTAssertEqual(parsed(bad, bool), .invalid("not a bool"), bad)
        }
    }

    func testBytesAndStringAgree() {
        let bytes: [UInt8] = Array(" 12,50 ".utf8)
        let spec = ValueSpec(type: .decimal, decimalMark: UInt8(ascii: ","))
        let fromBytes = bytes.withUnsafeBytes { ValueParser.parse($0, as: spec) }
        XCTAssertEqual(fromBytes, dec(1250, 2))
        XCTAssertEqual(fromBytes, parsed(" 12,50 ", spec))
    }

    func testResultText() {
        XCTAssertEqual(Value.decimal(FixedDecimal(units: 230000, scale: 2)).resultText, "2300.00")
        XCTAssertEqual(Value.decimal(FixedDecimal(units: -2495, scale: 2)).resultText, "-24.95")
        XCTAssertEqual(Value.decimal(FixedDecimal(units: 5, scale: 3)).resultText, "0.005")
        XCTAssertEqual(Value.decimal(FixedDecimal(units: -5, scale: 1)).resultText, "-0.5")
        XCTAssertEqual(Value.decimal(FixedDecimal(units: 12, scale: 0)).resultText, "12")
        XCTAssertEqual(Value.decimal(FixedDecimal(units: Int64.min, scale: 2)).resultText, "-92233720368547758.08")
        if case .value(let v) = parsed("-0.00", decimal) { XCTAssertEqual(v.resultText, "0.00") } else { XCTFail() }
        if case .value(let v) = parsed("2300,00", comma) { XCTAssertEqual(v.resultText, "2300.00") } else { XCTFail() }
        XCTAssertEqual(Value.integer(-42).resultText, "-42")
        XCTAssertEqual(Value.bool(true).resultText, "true")
        XCTAssertEqual(Value.bool(false).resultText, "false")
        XCTAssertEqual(Value.unknown.resultText, "")
        XCTAssertEqual(Value.text(" a ").resultText, " a ")
        XCTAssertEqual(Value.date(Day(year: 2026, month: 11, day: 30)!).resultText, "2026-11-30")
        let noon = Day(year: 2026, month: 11, day: 30)!.instant.millisSinceEpoch + 12 * 3_600_000
        XCTAssertEqual(Value.datetime(Instant(millisSinceEpoch: noon)).resultText, "2026-11-30T12:00:00Z")
        XCTAssertEqual(Value.datetime(Instant(millisSinceEpoch: noon + 7)).resultText, "2026-11-30T12:00:00.007Z")
        XCTAssertEqual(Value.datetime(Instant(millisSinceEpoch: noon + 250)).resultText, "2026-11-30T12:00:00.250Z")
        XCTAssertEqual(Value.datetime(Instant(millisSinceEpoch: -1)).resultText, "1969-12-31T23:59:59.999Z")
        XCTAssertEqual(Value.duration(14 * 86_400_000).resultText, "14d")
        XCTAssertEqual(Value.duration(36 * 3_600_000).resultText, "36h")
        XCTAssertEqual(Value.duration(90 * 60_000).resultText, "90m")
        XCTAssertEqual(Value.duration(30_000).resultText, "30s")
        XCTAssertEqual(Value.duration(1500).resultText, "1500ms")
        XCTAssertEqual(Value.duration(-2 * 86_400_000).resultText, "-2d")
    }

    /// The loader's shortcut for amounts gives what `parseDecimal` gives, or leaves the text to it.
    func testPlainDecimalUnitsAgreeWithParseDecimal() {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = Array("0123456789.,- +e".utf8)
        let fixed = ["0", "-0", "12.50", "-3.1", "1.", ".5", "-", "", "999999999999999999", "9999999999999999999",
                     "1,5", " 1.5", "1.5 ", "1.2.3", "--1", "12.345678901234567"]
        let random = (0..<5_000).map { _ in
            String(decoding: (0..<Int.random(in: 0..<22, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! },
                   as: UTF8.self)
        }
        for text in fixed + random {
            for (mark, thousands) in [(UInt8(ascii: "."), UInt8?.none), (UInt8(ascii: ","), UInt8(ascii: "."))] {
                let bytes = Array(text.utf8)
                bytes.withUnsafeBytes { raw in
                    let full = ValueParser.parseDecimal(raw, mark: mark, thousands: thousands)
                    if let (units, scale) = ValueParser.plainDecimalUnits(raw, mark: mark) {
                        XCTAssertEqual(full, .value(.decimal(FixedDecimal(units: units, scale: scale))), "'\(text)'")
                        // The general scan reads the same number from it.
                        guard case .number(let u, let s) = ValueParser.scanNumber(ByteSpan(bytes: raw, lo: 0, hi: raw.count),
                                                                                mark: mark, thousands: thousands) else {
                            return XCTFail("'\(text)': the general scan rejects it")
                        }
                        XCTAssertEqual(FixedDecimal(units: u, scale: s), FixedDecimal(units: units, scale: scale), "'\(text)'")
                    }
                }
            }
        }
    }
}
