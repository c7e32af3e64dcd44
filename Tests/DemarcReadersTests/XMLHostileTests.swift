import DemarcCore
@testable import DemarcReaders
import Foundation
import XCTest

/// Refused and malformed inputs: exit-3 errors with positions, quickly, never a crash, and
/// nothing but the input file is read.
final class XMLHostileTests: XCTestCase {
    /// Reads `path` with a record path and field that would show leaked entity text; returns the
    /// error (with timing checked) and everything the records held.
    private func refuse(_ path: String, record: String = "//Rec", within seconds: Double = 1, file: StaticString = #filePath,
                        line: UInt = #line) -> (position: SourcePosition, message: String)? {
        let started = Date()
        var seen: [String] = []
        let error = XMLTestSupport.error({
            _ = try XMLRecordReader(input: .file(path), options: XMLOptions(record: record))
                .read(fields: [FieldRequest(.path("V")), FieldRequest(.path("//V"), keepAllMatches: true)]) { raw in
                    seen.append(String(decoding: raw.bytes, as: UTF8.self))
                }
        }, file: file, line: line)
        XCTAssertLessThan(Date().timeIntervalSince(started), seconds, "refusal took too long", file: file, line: line)
        XCTAssertEqual(error?.exitCode, 3, file: file, line: line)
        let everything = (seen + [error?.description ?? ""]).joined(separator: "\n")
        XCTAssertFalse(everything.contains("DEMARC-SECRET"), "leaked the fixture secret", file: file, line: line)
        if let hostname = try? String(contentsOfFile: "/etc/hostname", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines), hostname.count >= 4 {
            XCTAssertFalse(everything.contains(hostname), "leaked /etc/hostname", file: file, line: line)
        }
        return XMLTestSupport.unreadable(error)
    }

    private func hostile(_ name: String) -> String { XMLTestSupport.fixture("hostile/\(name)") }

    func testDoctypesAreRefusedAtTheirStart() {
        for name in ["billion-laughs.xml", "external-entity-hostname.xml", "external-entity-fixture.xml",
                     "external-dtd.xml", "external-dtd-network.xml", "parameter-entity.xml"] {
            let refusal = refuse(hostile(name))
            XCTAssertEqual(refusal?.message, "DOCTYPE not allowed in XML input", name)
            XCTAssertEqual(refusal?.position, SourcePosition(file: hostile(name), line: 2, column: 1), name)
        }
        let late = refuse(hostile("doctype-late.xml"))
        XCTAssertEqual(late?.position, SourcePosition(file: hostile("doctype-late.xml"), line: 4, column: 3))
    }

    func testDoctypeIsRefusedWhateverTheChunkBoundaries() {
        let saved = XMLPushParse.chunkSize
        defer { XMLPushParse.chunkSize = saved }
        for size in [1, 3, 17, 64] {
            XMLPushParse.chunkSize = size
            XCTAssertEqual(refuse(hostile("billion-laughs.xml"))?.message, "DOCTYPE not allowed in XML input", "chunk \(size)")
        }
    }

    func testReferenceToUndeclaredEntityIsRefused() {
        let refusal = refuse(hostile("undeclared-entity.xml"))
        XCTAssertEqual(refusal?.message, "reference to entity 'nbsp' not allowed in XML input")
        XCTAssertEqual(refusal?.position.line, 3)
    }

    func testXIncludeIsNotProcessed() throws {
        let (records, _) = try XMLTestSupport.read(hostile("xinclude.xml"), record: "//Rec", fields: ["V"])
        XCTAssertEqual(records.map(\.fields), [[""]])
    }

    func testMalformedInputs() {
        let cases: [(String, Int, String)] = [
            ("xml/not-xml.csv", 1, "document is empty"),
            ("xml/truncated.xml", 4, ""),
            ("xml/invalid-utf8.xml", 3, "input is not proper UTF-8, indicate encoding ! Bytes: 0xFF 0xFE 0x3C 0x2F"),
            ("xml/mismatched-tag.xml", 4, "opening and ending tag mismatch: V line 4 and W"),
        ]
        for (name, line, message) in cases {
            let path = XMLTestSupport.fixture(name)
            let refusal = refuse(path)
            XCTAssertEqual(refusal?.position.file, path)
            XCTAssertEqual(refusal?.position.line, line, name)
            XCTAssertGreaterThan(refusal?.position.column ?? 0, 0, name)
            if !message.isEmpty { XCTAssertEqual(refusal?.message, message, name) }
            XCTAssertFalse(refusal?.message.isEmpty ?? true, name)
            XCTAssertFalse(refusal?.message.contains("\n") ?? true, name)
        }
        let empty = refuse(XMLTestSupport.fixture("xml/empty.xml"))
        XCTAssertEqual(empty?.message, "document is empty")
        XCTAssertEqual(empty?.position.line, 0)
    }

    func testUnsupportedDeclaredEncoding() throws {
        let path = try XMLTestSupport.temporary("<?xml version=\"1.0\" encoding=\"x-nonsense\"?>\n<Doc><Rec/></Doc>")
        let refusal = refuse(path)
        XCTAssertEqual(refusal?.message, "unsupported encoding x-nonsense")
    }

    func testWhiteSpaceOnlyAndDirectoryInputs() throws {
        XCTAssertNotNil(refuse(try XMLTestSupport.temporary("  \n\n  ")))
        let directory = refuse(FileManager.default.temporaryDirectory.path)
        XCTAssertTrue(directory?.message.hasPrefix("cannot read") ?? false, String(describing: directory))
    }

    func testDeepNestingIsAnErrorNotACrash() throws {
        let depth = 100_000
        let text = "<Doc>" + String(repeating: "<Rec>", count: depth) + "x" + String(repeating: "</Rec>", count: depth) + "</Doc>"
        let refusal = refuse(try XMLTestSupport.temporary(text))
        XCTAssertEqual(refusal?.message, "elements nested deeper than 256")
        XCTAssertEqual(refusal?.position.line, 1)
        XCTAssertEqual(refusal?.position.column, 5 + 255 * 5 + 1)
        let deepButFine = "<Doc>" + String(repeating: "<Rec>", count: 255) + String(repeating: "</Rec>", count: 255) + "</Doc>"
        XCTAssertEqual(try XMLTestSupport.read(try XMLTestSupport.temporary(deepButFine), record: "//Rec", fields: []).records.count, 1)
    }

    func testHugeTextInAFieldIsRefusedAndElsewhereSkipped() throws {
        let huge = String(repeating: "0123456789", count: 1_100_000)
        let inField = refuse(try XMLTestSupport.temporary("<Doc><Rec><V>\(huge)</V></Rec></Doc>"), within: 30)
        XCTAssertEqual(inField?.message, "record text longer than 10000000 bytes")
        XCTAssertEqual(inField?.position.line, 1)
        let elsewhere = try XMLTestSupport.read(try XMLTestSupport.temporary("<Doc><Rec><V>1</V><W>\(huge)</W></Rec></Doc>"),
                                                record: "//Rec", fields: ["V"])
        XCTAssertEqual(elsewhere.records.map(\.fields), [["1"]])
    }

    func testHugeNamesAndAttributesAreErrors() throws {
        let name = String(repeating: "n", count: 60_000)
        XCTAssertNotNil(refuse(try XMLTestSupport.temporary("<Doc><\(name)/></Doc>")))
        let value = String(repeating: "v", count: 10_500_000)
        XCTAssertNotNil(refuse(try XMLTestSupport.temporary("<Doc><Rec a=\"\(value)\"/></Doc>"), within: 30))
    }

    func testRandomBytesNeverCrash() throws {
        var generator = SystemRandomNumberGenerator()
        let seed = Array("<?xml version=\"1.0\"?><Doc><Rec a=\"1\"><V>x &amp; y</V><![CDATA[z]]></Rec></Doc>".utf8)
        for _ in 0..<200 {
            var bytes = seed
            for _ in 0..<Int.random(in: 1...6, using: &generator) {
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                bytes[index] = UInt8.random(in: 0...255, using: &generator)
            }
            let path = try XMLTestSupport.temporary(bytes)
            do {
                _ = try XMLTestSupport.read(path, record: "//Rec", fields: ["V", "@a"], allowEmpty: true)
            } catch let error as DemarcError {
                XCTAssertEqual(error.exitCode, 3)
            }
        }
    }
}
