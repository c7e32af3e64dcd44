import Foundation
import XCTest
import DemarcCore
import DemarcReaders
import DemarcRules
@testable import DemarcEngine

/// `file:` patterns: several files as one source, in byte order, each record with its own file.
final class SourceGlobTests: XCTestCase {
    /// A fresh folder holding `files` (name → CSV text).
    private func folder(_ files: [String: String]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("glob-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("in"), withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: dir.appendingPathComponent("in/\(name)")) }
        return dir
    }

    private func file(_ dir: URL, pattern: String, rules: [Rule] = []) -> RuleFile {
        var source = T.source("crm", file: dir.appendingPathComponent(pattern).path,
                              fields: [T.field("invoice"), T.field("amount", "amount", .decimal)], key: ["invoice"])
        source.fileAsWritten = pattern
        return T.file([source], rules)
    }

    func testRecordsComeFromEveryMatchInByteOrderWithTheirOwnFileAndLine() throws {
        let dir = try folder(["b.csv": "invoice,amount\nB-1,2.00\n",
                              "a-2.csv": "invoice,amount\nA-2,1.00\n\nA-3,x\n",
                              "a.csv": "invoice,amount\nA-1,1.00\n",
                              "notes.txt": "invoice,amount\nN-1,1.00\n"])
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("in/dir.csv"), withIntermediateDirectories: true)
        let result = try Engine.run(file(dir, pattern: "in/*.csv"), options: RunOptions())
        let source = result.sources[0]
        XCTAssertEqual(source.file, "in/*.csv")
        XCTAssertEqual(source.records, 4)
        // '-' (0x2D) sorts before '.' (0x2E): a-2.csv comes before a.csv; directories are skipped.
        XCTAssertEqual(source.files?.map(\.file), ["in/a-2.csv", "in/a.csv", "in/b.csv"])
        XCTAssertEqual(source.files?.map(\.records), [2, 1, 1])
        let malformed = try XCTUnwrap(result.findings.first { $0.kind == "malformed-value" })
        XCTAssertEqual(malformed.records.first?.records.first?.file, "in/a-2.csv")
        XCTAssertEqual(malformed.records.first?.records.first?.line, 4)
        XCTAssertTrue(malformed.message.contains("in/a-2.csv:4"), malformed.message)
    }

    func testRecordsOfLaterFilesKeepTheirFile() throws {
        let dir = try folder(["1.csv": "invoice,amount\nX,1.00\n", "2.csv": "invoice,amount\nY,1.00\nX,2.00\n"])
        let result = try Engine.run(file(dir, pattern: "in/?.csv"), options: RunOptions())
        let duplicate = try XCTUnwrap(result.findings.first { $0.kind == "duplicate-key" })
        let places = duplicate.records.flatMap(\.records).map { "\($0.file):\($0.line)" }
        XCTAssertEqual(places, ["in/2.csv:3"])
    }

    func testDigestIsOverTheSortedFileLines() throws {
        let dir = try folder(["a.csv": "invoice,amount\nA,1.00\n", "b.csv": "invoice,amount\nB,1.00\n"])
        let source = try Engine.run(file(dir, pattern: "in/[ab].csv"), options: RunOptions()).sources[0]
        let files = try XCTUnwrap(source.files)
        XCTAssertEqual(files[0].sha256, SHA256.hex(Array("invoice,amount\nA,1.00\n".utf8)))
        let lines = files.map { "\($0.file)\t\($0.sha256)\n" }.joined()
        XCTAssertEqual(source.sha256, SHA256.hex(Array(lines.utf8)))
        // A changed member changes the source's digest.
        try Data("invoice,amount\nB,2.00\n".utf8).write(to: dir.appendingPathComponent("in/b.csv"))
        XCTAssertNotEqual(try Engine.run(file(dir, pattern: "in/[ab].csv"), options: RunOptions()).sources[0].sha256,
                          source.sha256)
    }

    func testNoMatchIsAnInputError() throws {
        let dir = try folder(["a.csv": "invoice,amount\nA,1.00\n"])
        XCTAssertThrowsError(try Engine.run(file(dir, pattern: "in/*.xml"), options: RunOptions())) { error in
            XCTAssertEqual((error as? DemarcError)?.exitCode, 3)
            XCTAssertTrue("\(error)".hasSuffix("error: no file matches 'in/*.xml'"), "\(error)")
        }
    }

    func testAFileNamedLikeAPatternIsReadAsIs() throws {
        let dir = try folder(["[a].csv": "invoice,amount\nA,1.00\n", "a.csv": "invoice,amount\nB,1.00\nC,1.00\n"])
        let source = try Engine.run(file(dir, pattern: "in/[a].csv"), options: RunOptions()).sources[0]
        XCTAssertNil(source.files)
        XCTAssertEqual(source.records, 1)
    }

    func testOverrideMayBeAPattern() throws {
        let dir = try folder(["a.csv": "invoice,amount\nA,1.00\n", "b.csv": "invoice,amount\nB,1.00\n"])
        let pattern = dir.appendingPathComponent("in/*.csv").path
        let result = try Engine.run(file(dir, pattern: "in/none.csv"),
                                    options: RunOptions(sourceOverrides: ["crm": .file(pattern)]))
        XCTAssertEqual(result.sources[0].records, 2)
        XCTAssertEqual(result.sources[0].files?.count, 2)
    }
}
