import DemarcCore
@testable import DemarcReaders
import XCTest

final class TextDecodingTests: XCTestCase {
    private func utf16(_ text: String, bigEndian: Bool, bom: Bool) -> [UInt8] {
        var bytes: [UInt8] = bom ? (bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]) : []
        for unit in text.utf16 {
            let high = UInt8(unit >> 8), low = UInt8(unit & 0xFF)
            bytes += bigEndian ? [high, low] : [low, high]
        }
        return bytes
    }

    // MARK: - BOM and declared encodings

    func testUTF8BOMIsNotPartOfTheFirstNameAndWinsOverTheDeclaredEncoding() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("Name,Ort\nMüller,Köln\n".utf8)
        let outcome = try readBytes(bytes, options: CSVOptions(encoding: .windows1252),
                                    fields: [FieldRequest(.column("Name")), FieldRequest(.column("Ort"))])
        XCTAssertEqual(outcome.summary.header, ["Name", "Ort"])
        XCTAssertEqual(outcome.rows, [["Müller", "Köln"]])
        XCTAssertEqual(outcome.summary.encoding, "utf-8")
        XCTAssertEqual(outcome.summary.encodingSource, "BOM")
    }

    func testUTF16WithBOM() throws {
        let text = "a;b\n€ 1;\"x\r\n😀\"\n"
        for bigEndian in [false, true] {
            let outcome = try readBytes(utf16(text, bigEndian: bigEndian, bom: true),
                                        options: CSVOptions(delimiter: nil, encoding: .utf8))
            XCTAssertEqual(outcome.summary.header, ["a", "b"])
            XCTAssertEqual(outcome.rows, [["€ 1", "x\r\n😀"]])
            XCTAssertEqual(outcome.summary.encoding, bigEndian ? "utf-16be" : "utf-16le")
            XCTAssertEqual(outcome.summary.encodingSource, "BOM")
            XCTAssertEqual(outcome.summary.delimiter, ";")
        }
    }

    func testDeclaredUTF16WithoutBOM() throws {
        let outcome = try readBytes(utf16("a,b\nä,ß\n", bigEndian: false, bom: false), options: CSVOptions(encoding: .utf16le))
        XCTAssertEqual(outcome.rows, [["ä", "ß"]])
        XCTAssertEqual(outcome.summary.encodingSource, "declared")
    }

    func testWindows1252MapsTheWholeCodePageAsWHATWG() throws {
        var bytes = Array("x\n".utf8)
        for byte in UInt8(0x80)...UInt8(0xFF) where byte != 0x0A && byte != 0x0D { bytes += [byte, 0x0A] }
        let outcome = try readBytes(bytes, options: CSVOptions(encoding: .windows1252))
        XCTAssertEqual(outcome.summary.encoding, "windows-1252")
        XCTAssertEqual(outcome.summary.encodingSource, "declared")
        let expected: [UInt32] = [
            0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
            0x0152, 0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
            0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
        ] + (0xA0...0xFF).map { UInt32($0) }
        XCTAssertEqual(outcome.rows.compactMap { $0[0]?.unicodeScalars.first?.value }, expected)
        XCTAssertEqual(outcome.summary.malformed, 0)
    }

    func testISO88591AndISO885915() throws {
        let bytes: [UInt8] = Array("a,b,c\n".utf8) + [0xA4, 0x2C, 0xBC, 0x2C, 0xE4, 0x0A]
        let latin1 = try readBytes(bytes, options: CSVOptions(encoding: .iso88591))
        XCTAssertEqual(latin1.rows, [["¤", "¼", "ä"]])
        let latin9 = try readBytes(bytes, options: CSVOptions(encoding: .iso885915))
        XCTAssertEqual(latin9.rows, [["€", "Œ", "ä"]])
        XCTAssertEqual(latin9.summary.encoding, "iso-8859-15")
    }

    // MARK: - Invalid bytes

    func testInvalidUTF8MakesOnlyItsRecordMalformed() throws {
        let bytes: [UInt8] = Array("a,b\n1,".utf8) + [0xFF] + Array("x\n2,\"q\n".utf8) + [0xC0, 0x80]
            + Array("\"\n3,€\n4,".utf8) + [0xE2, 0x82]
        let outcome = try readBytes(bytes)
        XCTAssertEqual(outcome.records.map(\.line), [2, 3, 5, 6])
        XCTAssertEqual(outcome.records.map(\.malformed?.reason), [.invalidEncoding, .invalidEncoding, nil, .invalidEncoding])
        XCTAssertEqual(outcome.records[0].malformed?.raw, "1,\u{FFFD}x")
        XCTAssertEqual(outcome.records[0].malformed?.detail, "bytes invalid in utf-8")
        XCTAssertEqual(outcome.records[1].fields, ["2", "q\n\u{FFFD}\u{FFFD}"])
        XCTAssertEqual(outcome.records[2].fields, ["3", "€"])
        XCTAssertEqual(outcome.records[3].malformed?.raw, "4,\u{FFFD}")
        XCTAssertEqual(outcome.summary.malformed, 3)
    }

    func testInvalidUTF16MakesOnlyItsRecordMalformed() throws {
        var bytes = utf16("a,b\n1,", bigEndian: false, bom: true)
        bytes += [0x00, 0xD8]   // an unpaired high surrogate
        bytes += utf16("\n2,3\n4,", bigEndian: false, bom: false)
        bytes += [0x00, 0xDC]   // an unpaired low surrogate
        bytes += utf16("\n5,6\n", bigEndian: false, bom: false) + [0x41]   // an odd trailing byte
        let outcome = try readBytes(bytes)
        XCTAssertEqual(outcome.records.map(\.line), [2, 3, 4, 5, 6])
        XCTAssertEqual(outcome.records.map(\.malformed?.reason),
                       [.invalidEncoding, nil, .invalidEncoding, nil, .invalidEncoding])
        XCTAssertEqual(outcome.records[0].malformed?.raw, "1,\u{FFFD}")
        XCTAssertEqual(outcome.records[4].malformed?.raw, "\u{FFFD}")
    }

    func testUTF8SequenceCutByAChunkBoundaryIsValid() throws {
        let prefix = "a\n" + String(repeating: "x", count: DecodedInput.defaultChunkSize - 3) + "\n"
        let outcome = try readText(prefix + "€\n")
        XCTAssertEqual(outcome.summary.malformed, 0)
        XCTAssertEqual(outcome.rows.last, ["€"])
    }

    // MARK: - The decoder in pieces

    func testDecoderGivesTheSameTextWhateverTheChunks() {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = [0x41, 0x0A, 0xC3, 0xA4, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80, 0xFF, 0xED, 0xA0, 0xC0]
        for _ in 0..<300 {
            let input = (0..<Int.random(in: 0..<40, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
            for encoding in [TextEncoding.utf8, .utf16le, .utf16be] {
                let whole = decode(input, encoding: encoding, chunk: input.count + 1)
                XCTAssertEqual(decode(input, encoding: encoding, chunk: 1), whole, "\(encoding) \(input)")
                XCTAssertEqual(decode(input, encoding: encoding, chunk: 3), whole, "\(encoding) \(input)")
                if encoding == .utf8 {
                    XCTAssertEqual(String(decoding: whole, as: UTF8.self), String(decoding: input, as: UTF8.self))
                }
            }
        }
    }

    /// The in-place check accepts exactly the chunks the decoder copies unchanged, whole, with
    /// nothing replaced or carried (the reader then skips the copy).
    func testWholeUTF8IsWhatTheDecoderCopiesUnchanged() {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = [0x41, 0x0A, 0x7F, 0x80, 0xBF, 0xC2, 0xC3, 0xA4, 0xDF, 0xE0, 0xA0, 0xE2, 0x82, 0xAC,
                                 0xED, 0x9F, 0xF0, 0x90, 0x9F, 0x98, 0xF4, 0x8F, 0xF5, 0xFF, 0xC0]
        var whole = 0
        for _ in 0..<20_000 {
            let input = (0..<Int.random(in: 0..<24, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
            let window = ByteWindow(capacity: 64)
            var decoder = TextDecoder(encoding: .utf8)
            window.reserve(3 * (input.count + TextDecoder.maximumCarry) + 16)
            input.withUnsafeBytes { decoder.decode($0, into: window, final: false) }
            let copied = Array(UnsafeBufferPointer(start: window.base, count: window.end)) == input
                && window.marks.isEmpty && decoder.carriesNothing
            let checked = input.withUnsafeBufferPointer { TextDecoder.isWholeUTF8($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, count: $0.count) }
            XCTAssertEqual(checked, copied, "\(input)")
            if checked && input.contains(where: { $0 >= 0x80 }) { whole += 1 }
        }
        XCTAssertGreaterThan(whole, 20, "multibyte sequences reach the check")
    }

    private func decode(_ input: [UInt8], encoding: TextEncoding, chunk: Int) -> [UInt8] {
        let window = ByteWindow(capacity: 64)
        var decoder = TextDecoder(encoding: encoding)
        var offset = 0
        repeat {
            let piece = Array(input[offset..<min(offset + chunk, input.count)])
            window.reserve(3 * (piece.count + TextDecoder.maximumCarry) + 16)
            piece.withUnsafeBytes { decoder.decode($0, into: window, final: false) }
            offset += chunk
        } while offset < input.count
        window.reserve(16)
        decoder.decode(UnsafeRawBufferPointer(start: nil, count: 0), into: window, final: true)
        return Array(UnsafeBufferPointer(start: window.base, count: window.end))
    }
}
