import Foundation
import XCTest
import DemarcCore
import DemarcReaders
import DemarcRules
@testable import DemarcEngine

/// `RunOptions.sourceDigests`: each source's SHA-256 is computed only when asked (the JSON
/// result shows it; no other report does), and skipping it changes nothing else.
final class SourceDigestTests: XCTestCase {
    private func digest(_ path: String) throws -> String {
        SHA256.hex(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// CSV and XML (read ahead on a thread of its own), with the full and the streaming engine.
    func testDigestsAreComputedOnlyWhenAskedAndNothingElseChanges() throws {
        let rules = T.root.appendingPathComponent("Rules/crm-saft-pt.yaml").path
        let file = try RuleFileLoader.load(path: rules)
        let paths = try XCTUnwrap(file.sources.map(\.file) as? [String])
        let expected = try paths.map(digest)
        XCTAssertEqual(expected.count, 2)
        for streaming in [false, true] {
            var on = RunOptions()
            on.streaming = streaming
            var off = on
            off.sourceDigests = false
            let hashed = try Engine.run(file, options: on)
            let unhashed = try Engine.run(file, options: off)
            XCTAssertEqual(hashed.sources.map(\.sha256), expected, "streaming: \(streaming)")
            XCTAssertEqual(unhashed.sources.map(\.sha256), ["", ""], "streaming: \(streaming)")
            XCTAssertFalse(hashed.findings.isEmpty)
            XCTAssertEqual(hashed.findings, unhashed.findings, "streaming: \(streaming)")
            XCTAssertEqual(hashed.sources.map(\.records), unhashed.sources.map(\.records))
        }
    }

    /// A pattern source: every matched file, and their combined digest, follow the option.
    func testPatternSourcesFollowTheOption() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("digest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data("invoice\nA-1\n".utf8).write(to: dir.appendingPathComponent("a.csv"))
        try Data("invoice\nB-1\n".utf8).write(to: dir.appendingPathComponent("b.csv"))
        var source = T.source("crm", file: dir.appendingPathComponent("*.csv").path,
                              fields: [T.field("invoice")], key: ["invoice"])
        source.fileAsWritten = "*.csv"
        let file = T.file([source], [])
        var off = RunOptions()
        off.sourceDigests = false
        let hashed = try Engine.run(file, options: RunOptions())
        let unhashed = try Engine.run(file, options: off)
        XCTAssertEqual(hashed.sources[0].files?.map(\.sha256),
                       try ["a.csv", "b.csv"].map { try digest(dir.appendingPathComponent($0).path) })
        XCTAssertEqual(unhashed.sources[0].files?.map(\.sha256), ["", ""])
        XCTAssertEqual(hashed.sources[0].sha256.count, 64)
        XCTAssertEqual(unhashed.sources[0].sha256, "")
        XCTAssertEqual(unhashed.sources[0].encoding, hashed.sources[0].encoding)
        XCTAssertEqual(unhashed.sources[0].records, 2)
    }
}
