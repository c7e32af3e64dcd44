import DemarcCore
@testable import DemarcReaders
import Foundation
import XCTest

/// `RawRecord.line` is the line of the record start tag's `<`, whatever the line ends and
/// wherever the chunks of the push parse end.
final class XMLLineTests: XCTestCase {
    private let expectedLines = [3, 8, 10, 14]
    private let expectedFields: [[String?]] = [
        ["first", "1", "line one line two"], ["second", nil, nil], ["third", nil, nil], ["fourth", ">", ">"],
    ]

    private func lines(of bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) throws -> [XMLTestRecord] {
        try XMLTestSupport.read(try XMLTestSupport.temporary(bytes), record: "//Rec", fields: ["V", "@a", "@b"]).records
    }

    private func fixture() throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: XMLTestSupport.fixture("xml/multiline-tags.xml"))))
    }

    /// `bytes` (LF line ends) with every LF replaced by what `lineEnd(i)` gives for the i-th line end.
    private func relined(_ bytes: [UInt8], _ lineEnd: (Int) -> [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var index = 0
        for byte in bytes {
            if byte == 0x0A {
                out += lineEnd(index)
                index += 1
            } else {
                out.append(byte)
            }
        }
        return out
    }

    func testMultiLineStartTagsWithLF() throws {
        let records = try lines(of: try fixture())
        XCTAssertEqual(records.map(\.line), expectedLines)
        XCTAssertEqual(records.map(\.fields), expectedFields)
    }

    func testCRLFCROnlyAndMixedLineEnds() throws {
        let bytes = try fixture()
        let variants: [(String, (Int) -> [UInt8])] = [
            ("CRLF", { _ in [0x0D, 0x0A] }),
            ("CR", { _ in [0x0D] }),
            ("mixed CR/CRLF", { $0 % 2 == 0 ? [0x0D] : [0x0D, 0x0A] }),
            ("mixed CRLF/LF/CR", { [[0x0D, 0x0A], [0x0A], [0x0D]][$0 % 3] }),
        ]
        for (name, lineEnd) in variants {
            let records = try lines(of: relined(bytes, lineEnd))
            XCTAssertEqual(records.map(\.line), expectedLines, name)
            XCTAssertEqual(records.map(\.fields), expectedFields, name)
        }
    }

    func testChunkBoundariesEverywhere() throws {
        let saved = XMLPushParse.chunkSize
        defer { XMLPushParse.chunkSize = saved }
        let bytes = relined(try fixture()) { [[0x0D, 0x0A], [0x0A], [0x0D]][$0 % 3] }
        for size in 1...24 {
            XMLPushParse.chunkSize = size
            let records = try lines(of: bytes)
            XCTAssertEqual(records.map(\.line), expectedLines, "chunk size \(size)")
            XCTAssertEqual(records.map(\.fields), expectedFields, "chunk size \(size)")
        }
    }

    func testCRInsideTextIsALineEndAndTheHashCoversTheOriginalBytes() throws {
        let bytes = Array("<Doc>\r<Rec><V>a\rb</V></Rec>\r\r<Rec><V>c\r\nd</V></Rec></Doc>".utf8)
        let path = try XMLTestSupport.temporary(bytes)
        let (records, summary) = try XMLTestSupport.read(path, record: "//Rec", fields: ["V"])
        XCTAssertEqual(records.map(\.line), [2, 5])
        XCTAssertEqual(records.map(\.fields), [["a\nb"], ["c\nd"]])
        XCTAssertEqual(summary.sha256, SHA256.hex(bytes))
    }

    func testErrorLinesCountCROnlyLineEnds() throws {
        let bytes = Array("<Doc>\r<Rec>\r<V>1</V>\r</Bad>\r</Doc>".utf8)
        let error = XMLTestSupport.error { _ = try self.lines(of: bytes) }
        XCTAssertEqual(XMLTestSupport.unreadable(error)?.position.line, 4)
    }

    func testLinesAfterLongTextAndCommentsAcrossChunks() throws {
        let saved = XMLPushParse.chunkSize
        defer { XMLPushParse.chunkSize = saved }
        XMLPushParse.chunkSize = 4096
        var text = "<Doc>\n"
        var expected: [Int] = []
        var line = 2
        for i in 0..<300 {
            let filler = String(repeating: "word ", count: i * 7)
            text += "<!-- \(filler)\n\n -->\n"
            line += 3
            expected.append(line)
            text += "<Rec\n  n=\"\(i)\"><V>\(filler)\n</V></Rec>\n"
            line += 3
        }
        text += "</Doc>\n"
        let records = try XMLTestSupport.read(try XMLTestSupport.temporary(text), record: "//Rec", fields: ["@n"]).records
        XCTAssertEqual(records.map(\.line), expected)
        XCTAssertEqual(records.last?.fields, ["299"])
    }
}
