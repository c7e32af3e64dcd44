import XCTest
import DemarcReports

/// Strings are escaped exactly (RFC 8259 plus DEL), whether the fast check passes them whole or
/// the slow path writes them byte by byte.
final class JSONWriterTests: XCTestCase {
    private func written(_ text: String) -> String {
        var w = JSONWriter(pretty: false)
        w.string(text)
        return String(decoding: w.bytes, as: UTF8.self)
    }

    /// The escaping as a byte at a time defines it.
    private func expected(_ text: String) -> String {
        var out: [UInt8] = [0x22]
        for byte in text.utf8 {
            switch byte {
            case 0x22: out += Array("\\\"".utf8)
            case 0x5C: out += Array("\\\\".utf8)
            case 0x0A: out += Array("\\n".utf8)
            case 0x0D: out += Array("\\r".utf8)
            case 0x09: out += Array("\\t".utf8)
            case 0x08: out += Array("\\b".utf8)
            case 0x0C: out += Array("\\f".utf8)
            case 0..<0x20, 0x7F: out += Array(String(format: "\\u%04x", Int(byte)).utf8)
            default: out.append(byte)
            }
        }
        return String(decoding: out + [0x22], as: UTF8.self)
    }

    func testEveryASCIIByteAtEveryPositionOfAWord() {
        for length in 1...19 {
            for position in 0..<length {
                for byte in UInt8(0)...UInt8(0x7F) {
                    var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    bytes[position] = byte
                    let text = String(decoding: bytes, as: UTF8.self)
                    XCTAssertEqual(written(text), expected(text), "byte \(byte) at \(position) of \(length)")
                }
            }
        }
    }

    func testNonASCIITextPassesWholeAndNextToEscapes() {
        for text in ["Müller GmbH", "Bäckerei \"Kern\"", "€€€€€€€€\u{7F}", "日本語のテキスト\\", "\u{80}\u{FF}ÿ\u{1F}", ""] {
            XCTAssertEqual(written(text), expected(text), text)
        }
    }
}
