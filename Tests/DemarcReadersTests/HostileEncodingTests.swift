import DemarcCore
@testable import DemarcReaders
import XCTest

/// Invalid bytes in every supported encoding (issue 7): a record with bytes the declared
/// encoding cannot decode is malformed (`invalid-encoding`), its neighbours are read. The
/// single-byte encodings define every byte (ISO 8859; Windows-1252 as WHATWG maps it, the five
/// undefined bytes to C1 controls), so nothing there is invalid. Memory: a few KB each.
final class HostileEncodingTests: XCTestCase {
    /// `id,amount` then records 1 (bad bytes in the middle of its id) and 2, in `encoding`.
    private func read(_ encoding: TextEncoding, bad: [UInt8]) throws -> ReadOutcome {
        func encode(_ text: String) -> [UInt8] {
            switch encoding {
            case .utf16le: return text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
            case .utf16be: return text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
            default: return Array(text.utf8)
            }
        }
        let bytes = encode("id,amount\n1") + bad + encode("x,10\n2,20\n")
        return try readBytes(bytes, options: CSVOptions(encoding: encoding))
    }

    func testInvalidBytesMakeAMalformedRecordInEveryEncoding() throws {
        // One U+FFFD per maximal invalid subsequence (Unicode, WHATWG).
        let cases: [(TextEncoding, [UInt8], String)] = [
            (.utf8, [0xFF], "1\u{FFFD}x"),  // never in UTF-8
            (.utf8, [0xC3, 0x28], "1\u{FFFD}(x"),  // a lead byte without its continuation
            (.utf8, [0xED, 0xA0, 0x80], "1\u{FFFD}\u{FFFD}\u{FFFD}x"),  // an encoded surrogate
            (.utf8, [0xF4, 0x90, 0x80, 0x80], "1\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}x"),  // beyond U+10FFFF
            (.utf16le, [0x00, 0xD8], "1\u{FFFD}x"), (.utf16be, [0xD8, 0x00], "1\u{FFFD}x"),  // a lone high surrogate
            (.utf16le, [0x00, 0xDC], "1\u{FFFD}x"), (.utf16be, [0xDC, 0x00], "1\u{FFFD}x"),  // a lone low surrogate
        ]
        for (encoding, bad, id) in cases {
            let outcome = try read(encoding, bad: bad)
            XCTAssertEqual(outcome.records.count, 2, "\(encoding) \(bad)")
            XCTAssertEqual(outcome.records.first?.malformed?.reason, .invalidEncoding, "\(encoding) \(bad)")
            XCTAssertEqual(outcome.records.first?.fields, [id, "10"], "\(encoding) \(bad)")
            XCTAssertNil(outcome.records.last?.malformed, "\(encoding) \(bad)")
            XCTAssertEqual(outcome.records.last?.fields, ["2", "20"], "\(encoding) \(bad)")
        }
    }

    func testSingleByteEncodingsDefineEveryByte() throws {
        let windows = try read(.windows1252, bad: [0x81, 0x8D, 0x8F, 0x90, 0x9D, 0x80])
        XCTAssertNil(windows.records.first?.malformed)
        XCTAssertEqual(windows.records.first?.fields, ["1\u{81}\u{8D}\u{8F}\u{90}\u{9D}€x", "10"])
        let latin1 = try read(.iso88591, bad: [0xFF, 0x80, 0x00])
        XCTAssertNil(latin1.records.first?.malformed)
        XCTAssertEqual(latin1.records.first?.fields, ["1\u{FF}\u{80}\u{0}x", "10"])
        let latin9 = try read(.iso885915, bad: [0xA4, 0xBD])
        XCTAssertNil(latin9.records.first?.malformed)
        XCTAssertEqual(latin9.records.first?.fields, ["1€œx", "10"])
    }

    func testUTF16TruncatedInACharacterAtTheEnd() throws {
        for encoding in [TextEncoding.utf16le, .utf16be] {
            var bytes = Array("id,amount\n1,10\n2,2".utf16).flatMap { encoding == .utf16le ? [UInt8($0 & 0xFF), UInt8($0 >> 8)] : [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
            bytes.append(0x30)  // half of a code unit
            let outcome = try readBytes(bytes, options: CSVOptions(encoding: encoding))
            XCTAssertEqual(outcome.records.count, 2, "\(encoding)")
            XCTAssertEqual(outcome.records.last?.malformed?.reason, .invalidEncoding, "\(encoding)")
        }
    }
}
