import Foundation
import XCTest
import DemarcCore
import DemarcReaders
import DemarcRules
@testable import DemarcEngine
import DemarcReports

/// The streaming engine (`StreamingRun`) gives byte for byte the result of the full one, with
/// any block size: duplicates, missing keys and malformed records across blocks, on either side.
final class StreamingRunTests: XCTestCase {
    private static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    private static let asOf = Day(year: 2026, month: 11, day: 30)!

    private func json(_ file: RuleFile, streaming: Bool, block: Int = 65_536, maxFindings: Int? = nil,
                      triage: Triage? = nil) -> String {
        var options = RunOptions(maxFindings: maxFindings, today: StreamingRunTests.asOf)
        options.streaming = streaming
        options.streamBlockRecords = block
        options.triage = triage
        do {
            let result = try Engine.run(file, options: options)
            return String(decoding: try JSONReport().render(result, options: ReportOptions()), as: UTF8.self)
        } catch {
            return "error: \(error)"
        }
    }

    private func load(_ relative: String) throws -> RuleFile {
        try RuleFileLoader.load(path: StreamingRunTests.root.appendingPathComponent(relative).path)
    }

    private func streams(_ file: RuleFile) -> Bool {
        var options = RunOptions()
        options.streaming = true
        let inputs = (try? Engine.resolveInputs(file, overrides: [:])) ?? []
        return StreamingRun(file, inputs: inputs, asOf: StreamingRunTests.asOf,
                            normalizer: KeyNormalizer(file.match.normalize), selected: [], options: options) != nil
    }

    func testSameResultAtEveryBlockSize() throws {
        let file = try load("Fixtures/streaming/rules.yaml")
        XCTAssertTrue(streams(file))
        let full = json(file, streaming: false)
        XCTAssertTrue(full.contains("\"findings\": 33,"), full)
        for block in [1, 2, 3, 5, 7, 65_536] {
            XCTAssertEqual(json(file, streaming: true, block: block), full, "block size \(block)")
        }
        XCTAssertEqual(json(file, streaming: true, block: 2, maxFindings: 1), json(file, streaming: false, maxFindings: 1))
    }

    func testSameResultWithABaselineAndWaivers() throws {
        let file = try load("Fixtures/streaming/rules.yaml")
        let full = try Engine.run(file, options: RunOptions(today: StreamingRunTests.asOf))
        let prints = Set(full.findings.prefix(10).map(\.fingerprint))
        let waiver = Waiver(rule: "crm-has-booking", key: ["RE-90"], reason: "known", owner: nil, ticket: nil,
                            expires: Day(year: 2026, month: 12, day: 31)!,
                            position: SourcePosition(file: "w.yaml", line: 1))
        let triage = Triage(baseline: prints, waivers: [waiver])
        XCTAssertEqual(json(file, streaming: true, block: 3, triage: triage), json(file, streaming: false, triage: triage))
    }

    /// Every rule file of the project whose sources allow streaming, on its own fixtures.
    func testSameResultForEveryEligibleRuleFile() throws {
        var paths: [String] = []
        for folder in ["Rules", "Fixtures"] {
            let base = StreamingRunTests.root.appendingPathComponent(folder)
            let walker = FileManager.default.enumerator(atPath: base.path)
            while let item = walker?.nextObject() as? String {
                if item.hasSuffix(".yaml") { paths.append(folder + "/" + item) }
            }
        }
        var compared: [String] = []
        for path in paths.sorted() {
            guard let file = try? load(path), streams(file) else { continue }
            compared.append(path)
            let full = json(file, streaming: false)
            XCTAssertEqual(json(file, streaming: true), full, path)
            XCTAssertEqual(json(file, streaming: true, block: 1), full, path)
        }
        XCTAssertGreaterThanOrEqual(compared.count, 6, "\(compared)")
    }

    func testAFailingSourceFailsAsInTheFullEngine() throws {
        var file = try load("Fixtures/streaming/rules.yaml")
        for i in file.sources.indices {
            var broken = file
            broken.sources[i].file = StreamingRunTests.root.appendingPathComponent("Fixtures/streaming/none.csv").path
            broken.sources[i].fileAsWritten = "none.csv"
            let full = json(broken, streaming: false)
            XCTAssertTrue(full.hasPrefix("error: "), full)
            XCTAssertEqual(json(broken, streaming: true, block: 2), full)
        }
        file.sources[1].fileAsWritten = "accounting.csv"
        XCTAssertEqual(json(file, streaming: true, block: 2), json(file, streaming: false))
    }

    /// By default a run streams only when the larger side has at least 3 times the lines.
    func testStreamsByDefaultOnlyWhenOneSideIsMuchLarger() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("demarc-stream-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func write(_ name: String, _ rows: Int, width: Int) throws {
            let filler = String(repeating: "x", count: width)
            let text = "invoice,note\n" + (0..<rows).map { "K\($0),\(filler)" }.joined(separator: "\n") + "\n"
            try Data(text.utf8).write(to: folder.appendingPathComponent(name))
        }
        func decide(crmRows: Int, width: Int) throws -> Bool {
            try write("crm.csv", crmRows, width: width)
            try write("acc.csv", 100, width: 2)
            try Data("""
                demarc: 1
                sources:
                  crm: { file: crm.csv, key: invoice, fields: { invoice: invoice, note: note } }
                  acc: { file: acc.csv, key: invoice, fields: { invoice: invoice } }
                rules:
                  - id: cp
                    counterpart: { of: crm, in: acc }

                """.utf8).write(to: folder.appendingPathComponent("rules.yaml"))
            let file = try RuleFileLoader.load(path: folder.appendingPathComponent("rules.yaml").path)
            let inputs = try Engine.resolveInputs(file, overrides: [:])
            return StreamingRun(file, inputs: inputs, asOf: StreamingRunTests.asOf,
                                normalizer: KeyNormalizer(file.match.normalize), selected: [],
                                options: RunOptions()) != nil
        }
        // The same records with longer lines: larger file, same lines: read whole.
        XCTAssertFalse(try decide(crmRows: 100, width: 200))
        XCTAssertFalse(try decide(crmRows: 250, width: 2))
        XCTAssertTrue(try decide(crmRows: 400, width: 2))
    }
}
