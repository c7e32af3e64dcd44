import Foundation
import XCTest
import DemarcCore

/// `demarc check` through the built binary (see Binary.swift; build it first: `swift build`).
final class CheckCommandTests: XCTestCase {
    private let rules = "Fixtures/engine/basic.yaml"

    func testTextReportAndExitCodeOne() throws {
        let r = try Binary.run(["check", rules])
        XCTAssertEqual(r.code, 1, r.stderr)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "accounting.csv:5: error: [accounting-is-definite] accounting says 'O' (open), neither booked nor not booked (key RE-7)")
        XCTAssertTrue(lines.contains("crm.csv:8: error: [missing-key] crm record has an empty key 'id' (key '')"), r.stdout)
        XCTAssertTrue(lines.contains("states-agree: 2 findings"), r.stdout)
        XCTAssertEqual(r.stderr, "10 findings (7 errors, 2 warnings, 1 info) in 8 cases\n")
    }

    func testJSONResult() throws {
        let r = try Binary.run(["check", rules, "--format", "json", "--quiet"])
        XCTAssertEqual(r.code, 1)
        XCTAssertEqual(r.stderr, "")
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["demarc"] as? Int, 1)
        XCTAssertEqual(json["as_of"] as? String, "2026-11-30")
        XCTAssertEqual(json["cases"] as? Int, 8)
        let sources = try XCTUnwrap(json["sources"] as? [[String: Any]])
        XCTAssertEqual(sources.map { $0["file"] as? String }, ["crm.csv", "accounting.csv"])
        XCTAssertEqual(sources.map { $0["records"] as? Int }, [8, 5])
        // The JSON result shows each input's SHA-256 (runs without a JSON report skip it).
        let digests = try ["crm.csv", "accounting.csv"].map { name in
            SHA256.hex(try Data(contentsOf: URL(fileURLWithPath: "Fixtures/engine/\(name)")))
        }
        XCTAssertEqual(sources.map { $0["sha256"] as? String }, digests)
        let summary = try XCTUnwrap(json["summary"] as? [String: Any])
        XCTAssertEqual(summary["findings"] as? Int, 10)
        XCTAssertEqual(summary["warning"] as? Int, 2)
        let findings = try XCTUnwrap(json["findings"] as? [[String: Any]])
        let owned = try XCTUnwrap(findings.first { $0["rule"] as? String == "amount-owned-by-accounting" })
        XCTAssertEqual(owned["fix_in"] as? String, "crm")
        XCTAssertEqual(owned["key"] as? [String], ["RE-2"])
        let records = try XCTUnwrap(owned["records"] as? [String: [[String: Any]]])
        XCTAssertEqual(records["accounting"]?.first?["line"] as? Int, 3)
        XCTAssertEqual((records["crm"]?.first?["values"] as? [String: String])?["amount"], "200.00")
        // Byte-identical on a second run.
        XCTAssertEqual(try Binary.run(["check", rules, "--format", "json", "--quiet"]).stdout, r.stdout)
    }

    func testFailOnAndOnly() throws {
        XCTAssertEqual(try Binary.run(["check", rules, "--fail-on", "never", "--quiet"]).code, 0)
        let only = try Binary.run(["check", rules, "--only", "clarification-ages-out", "--format", "jsonl", "--quiet"])
        XCTAssertEqual(only.code, 1) // implicit checks still run and are errors
        XCTAssertFalse(only.stdout.contains("states-agree"))
        XCTAssertTrue(only.stdout.contains("\"rule\":\"clarification-ages-out\""))
        XCTAssertTrue(only.stdout.split(separator: "\n").last?.hasPrefix("{\"summary\":") ?? false)
    }

    func testProgressLinesOnStandardError() throws {
        let r = try Binary.run(["check", rules, "--progress", "always", "--quiet"])
        XCTAssertEqual(r.stderr, "demarc: reading 2 sources\ndemarc: matching 12 records\ndemarc: checking 8 cases against 4 rules\n")
        XCTAssertEqual(try Binary.run(["check", rules, "--quiet"]).stderr, "")
    }

    func testUsageErrorsExitTwo() throws {
        for args in [["check", rules, "--only", "nope"], ["check", rules, "--skip", "#nope"],
                     ["check", rules, "--format", "xml"], ["check", rules, "--format", "csv:"],
                     ["check", rules, "--fail-on", "sometimes"], ["check", rules, "--as-of", "30.11.2026"],
                     ["check", rules, "--source", "nobody=x.csv"], ["check", "Fixtures/engine/none.yaml"],
                     ["check", rules, "--max-findings", "many"], ["check", rules, "--progress", "sometimes"]] {
            let r = try Binary.run(args)
            XCTAssertEqual(r.code, 2, "\(args): \(r.stderr)")
            XCTAssertEqual(r.stdout, "", "\(args)")
            XCTAssertFalse(r.stderr.isEmpty)
        }
        let r = try Binary.run(["check", rules, "--format", "xml"])
        XCTAssertEqual(r.stderr, "error: unknown format 'xml' (known: text, json, jsonl, csv, junit, sarif, markdown, github, html)\n")
    }

    func testUnreadableInputExitsThree() throws {
        let r = try Binary.run(["check", rules, "--source", "crm=/nonexistent/crm.csv"])
        XCTAssertEqual(r.code, 3, r.stderr)
        XCTAssertTrue(r.stderr.contains("/nonexistent/crm.csv"), r.stderr)
        XCTAssertEqual(r.stdout, "")
    }

    func testAFailedRunLeavesNoReport() throws {
        let folder = Binary.temporaryFolder()
        let out = folder.appendingPathComponent("result.json")
        let r = try Binary.run(["check", rules, "--source", "crm=/nonexistent.csv", "--format", "json:\(out.path)"])
        XCTAssertEqual(r.code, 3)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [])
        // A report folder that does not exist is a command-line error found before any data is read.
        let unwritable = try Binary.run(["check", rules, "--format", "json:/nonexistent/folder/result.json"])
        XCTAssertEqual(unwritable.code, 2, unwritable.stderr)
        XCTAssertEqual(unwritable.stderr,
                       "error: --format 'json:/nonexistent/folder/result.json': the folder '/nonexistent/folder' does not exist\n")
    }

    /// A report takes the place of the last one at its path (the two swap names, then the old
    /// one goes), and leaves nothing else in the folder; a symbolic link at the path is
    /// replaced by the report, the file it pointed to left alone.
    func testAReportReplacesTheLastOneAndLeavesNothingElse() throws {
        let folder = Binary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("result.jsonl")
        try "the last run's report\n".write(to: out, atomically: false, encoding: .utf8)
        let r = try Binary.run(["check", rules, "--format", "jsonl:\(out.path)", "--quiet"])
        XCTAssertEqual(r.code, 1, r.stderr)
        let report = try String(contentsOf: out, encoding: .utf8)
        XCTAssertTrue(report.hasPrefix("{\"rule\":"), report)
        XCTAssertEqual(report.split(separator: "\n").count, 11)   // 10 findings and the summary
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["result.jsonl"])

        let elsewhere = folder.appendingPathComponent("kept.txt"), link = folder.appendingPathComponent("linked.jsonl")
        try "not a report\n".write(to: elsewhere, atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: elsewhere)
        let again = try Binary.run(["check", rules, "--format", "jsonl:\(link.path)", "--quiet"])
        XCTAssertEqual(again.code, 1, again.stderr)
        XCTAssertEqual(try String(contentsOf: link, encoding: .utf8), report)
        XCTAssertNil(try? FileManager.default.destinationOfSymbolicLink(atPath: link.path), "the link itself is replaced")
        XCTAssertEqual(try String(contentsOf: elsewhere, encoding: .utf8), "not a report\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(),
                       ["kept.txt", "linked.jsonl", "result.jsonl"])
    }

    /// A report several times `ReportWriter.writeLimit` (256 KiB a write call) arrives whole, in
    /// the file as on standard output: every line a finding or the summary, none cut or doubled.
    func testAReportLargerThanOneWriteArrivesWhole() throws {
        let folder = Binary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var crm = "id,stage,amount\n"
        for i in 0..<6000 { crm += "K-\(i),\"Closed Won, \(i % 7)\",\(i).50\n" }
        try crm.write(to: folder.appendingPathComponent("crm.csv"), atomically: false, encoding: .utf8)
        try "id,status\nK-0,posted\n".write(to: folder.appendingPathComponent("accounting.csv"), atomically: false, encoding: .utf8)
        let ruleFile = folder.appendingPathComponent("rules.yaml")
        try """
            demarc: 1
            sources:
              crm: { file: crm.csv, key: id, fields: { id: id, stage: stage, amount: { column: amount, type: decimal } } }
              accounting: { file: accounting.csv, key: id, fields: { id: id, status: status } }
            rules:
              - id: crm-has-booking
                counterpart: { of: crm, in: accounting }
            """.write(to: ruleFile, atomically: false, encoding: .utf8)
        let out = folder.appendingPathComponent("result.jsonl")
        let toFile = try Binary.run(["check", ruleFile.path, "--format", "jsonl:\(out.path)", "--quiet"])
        XCTAssertEqual(toFile.code, 1, toFile.stderr)
        let toStandardOutput = try Binary.run(["check", ruleFile.path, "--format", "jsonl", "--quiet"])
        XCTAssertEqual(toStandardOutput.code, 1, toStandardOutput.stderr)
        let report = try Data(contentsOf: out)
        XCTAssertGreaterThan(report.count, 4 << 18)
        XCTAssertEqual(report, Data(toStandardOutput.stdout.utf8))
        let lines = report.split(separator: UInt8(ascii: "\n"))
        XCTAssertEqual(lines.count, 6000)   // 5,999 findings and the summary
        var keys = Set<String>()
        for line in lines.dropLast() {
            let finding = try XCTUnwrap(JSONSerialization.jsonObject(with: line) as? [String: Any])
            keys.insert(try XCTUnwrap((finding["key"] as? [String])?.first))
        }
        XCTAssertEqual(keys, Set((1..<6000).map { "K-\($0)" }))
        let summary = try XCTUnwrap(JSONSerialization.jsonObject(with: lines.last!) as? [String: Any])
        XCTAssertEqual((summary["summary"] as? [String: Any])?["findings"] as? Int, 5999)
    }

    func testAReportPathThatIsAFolderIsAUsageError() throws {
        let folder = Binary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let r = try Binary.run(["check", rules, "--format", "csv:\(folder.path)"])
        XCTAssertEqual(r.code, 2, r.stderr)
        XCTAssertEqual(r.stderr, "error: --format 'csv:\(folder.path)': '\(folder.path)' is a folder\n")
    }

    func testCleanRunExitsZeroAndReadsStandardInput() throws {
        let folder = Binary.temporaryFolder()
        let crm = "id,stage,amount,modified\nA,Closed Won,1.00,2026-11-29\n"
        let acc = folder.appendingPathComponent("acc.csv")
        try "invoice,status,total\na,B,1.00\n".write(to: acc, atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("result.json")
        let r = try Binary.run(["check", Binary.root.appendingPathComponent(rules).path, "--source", "crm=-",
                                "--source", "accounting=\(acc.path)", "--format", "json:\(out.path)",
                                "--format", "text"], stdin: crm)
        XCTAssertEqual(r.code, 0, r.stderr)
        XCTAssertEqual(r.stdout, "")
        XCTAssertEqual(r.stderr, "0 findings (0 errors, 0 warnings, 0 info) in 1 cases\n")
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: out)) as? [String: Any])
        XCTAssertEqual((json["sources"] as? [[String: Any]])?.first?["file"] as? String, "-")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".") }
        XCTAssertEqual(leftovers, [])
    }

    func testMaxFindingsListsFewerButCountsAll() throws {
        let r = try Binary.run(["check", rules, "--max-findings", "1", "--only", "states-agree", "--format", "json", "--quiet"])
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let findings = try XCTUnwrap(json["findings"] as? [[String: Any]])
        XCTAssertEqual(findings.filter { $0["rule"] as? String == "states-agree" }.count, 1)
        let byRule = (json["summary"] as? [String: Any])?["by_rule"] as? [String: Int]
        XCTAssertEqual(byRule?["states-agree"], 2)
    }

    func testRulesCommandListsRules() throws {
        let r = try Binary.run(["rules", rules])
        XCTAssertEqual(r.code, 0, r.stderr)
        XCTAssertEqual(r.stdout.split(separator: "\n").map(String.init), [
            "accounting-is-definite      definite  error    Accounting is definite",
            "states-agree                agree     error",
            "amount-owned-by-accounting  owned     warning",
            "clarification-ages-out      stale     info",
        ])
    }
}
