import XCTest
@testable import DemarcReaders

/// The scanner jumps 16, then 8, then 1 byte at a time to the next special byte: wherever a
/// delimiter, quote or line end falls relative to those steps, it is found.
final class CSVScannerStepTests: XCTestCase {
    private let scanner = CSVScanner(delimiter: UInt8(ascii: ","), quote: UInt8(ascii: "\""))

    /// Scans `text` (followed by `tail`, which the record does not reach) and returns the
    /// fields' texts, the record's content end and its line breaks.
    private func scan(_ text: String, tail: String = "") -> (fields: [String], contentEnd: Int, breaks: Int, escaped: [Bool]) {
        let bytes = Array((text + tail).utf8)
        var spans = FieldSpans()
        defer { spans.deallocate() }
        return bytes.withUnsafeBufferPointer { buffer in
            let extent = scanner.scanRecord(buffer.baseAddress!, from: 0, limit: bytes.count, atEnd: true, spans: &spans)
            let fields = (0..<spans.count).map { String(decoding: bytes[spans.starts[$0]..<spans.ends[$0]], as: UTF8.self) }
            return (fields, extent.contentEnd, extent.lineBreaks, (0..<spans.count).map { spans.escaped[$0] })
        }
    }

    func testEveryFieldLengthAndLineEnd() {
        for n in 0..<50 {
            let a = String(repeating: "a", count: n)
            for tail in ["", "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"] {
                for end in ["\n", "\r\n", "\r"] {
                    let plain = scan("\(a),b\(end)", tail: tail)
                    XCTAssertEqual(plain.fields, [a, "b"], "n=\(n) end=\(end.debugDescription)")
                    XCTAssertEqual(plain.contentEnd, n + 2)
                    XCTAssertEqual(plain.breaks, 1)

                    let last = scan("b,\(a)\(end)", tail: tail)
                    XCTAssertEqual(last.fields, ["b", a])
                    XCTAssertEqual(last.contentEnd, n + 2)

                    // Quoted: a doubled quote, a delimiter and a line break inside, at every offset.
                    let quoted = scan("\"\(a)\"\"x,\ny\",b\(end)", tail: tail)
                    XCTAssertEqual(quoted.fields, ["\(a)\"\"x,\ny", "b"], "n=\(n)")
                    XCTAssertEqual(quoted.breaks, 2)

                    // Quoted fields one after the other (`","`, taken in one step): empty ones,
                    // doubled quotes and line breaks in the next one, text after a closing
                    // quote, and the last field closing at the line end.
                    let run = scan("\"\(a)\",\"\",\"p\"\"q\",\"\nr\",\"s\"t,\"\(a)\"\(end)", tail: tail)
                    XCTAssertEqual(run.fields, [a, "", "p\"\"q", "\nr", "\"s\"t", a], "n=\(n)")
                    XCTAssertEqual(run.breaks, 2)
                    XCTAssertEqual(run.contentEnd, 2 * n + 25)
                    XCTAssertEqual(run.escaped, [false, false, true, false, false, false], "n=\(n)")
                }
            }
        }
    }

    func testAQuoteInAnUnquotedFieldIsAnOrdinaryByteAtAnyOffset() {
        for n in 1..<40 {
            let a = String(repeating: "a", count: n)
            XCTAssertEqual(scan("\(a)\"5,b\n", tail: String(repeating: "z", count: 20)).fields, ["\(a)\"5", "b"])
        }
    }
}
