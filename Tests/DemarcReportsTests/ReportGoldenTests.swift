import Foundation
import XCTest
import DemarcCore
import DemarcEngine
import DemarcReports

/// Support: the package root, stored results, external validators.
enum ReportFixtures {
    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// A stored JSON result, decoded.
    static func result(_ path: String) throws -> RunResult {
        let data = try Data(contentsOf: root.appendingPathComponent(path))
        return try ResultDecoder.decode([UInt8](data), path: path)
    }

    static func render(_ format: OutputFormat, _ result: RunResult, options: ReportOptions = ReportOptions()) throws -> String {
        String(decoding: try format.report().render(result, options: options), as: UTF8.self)
    }

    /// Runs a program; nil when it is not installed.
    static func run(_ tool: String, _ arguments: [String]) throws -> (code: Int32, output: String)? {
        let which = Process()
        which.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        which.arguments = ["which", tool]
        which.standardOutput = Pipe(); which.standardError = Pipe()
        try which.run(); which.waitUntilExit()
        guard which.terminationStatus == 0 else { return nil }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [tool] + arguments
        let out = Pipe()
        p.standardOutput = out; p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static func temporaryFile(_ name: String, _ text: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("reports-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }
}

/// Every format rendered from the salesforce-datev pack's golden result equals its golden file.
///
/// Regenerate after an intended change with
/// `DEMARC_UPDATE_GOLDEN=1 swift test --filter ReportGoldenTests`, then read the diff.
final class ReportGoldenTests: XCTestCase {
    static let extensions: [OutputFormat: String] = [
        .text: "txt", .json: "json", .jsonl: "jsonl", .csv: "csv", .junit: "junit.xml", .sarif: "sarif",
        .markdown: "md", .github: "github.txt", .html: "html",
    ]

    func testEveryFormatMatchesItsGolden() throws {
        let result = try ReportFixtures.result("Fixtures/golden/salesforce-datev.json")
        for format in OutputFormat.allCases {
            let ext = try XCTUnwrap(Self.extensions[format])
            let text = try ReportFixtures.render(format, result)
            let golden = ReportFixtures.root.appendingPathComponent("Fixtures/golden/reports/salesforce-datev.\(ext)")
            if ProcessInfo.processInfo.environment["DEMARC_UPDATE_GOLDEN"] == "1" { try Data(text.utf8).write(to: golden) }
            let expected = try String(contentsOf: golden, encoding: .utf8)
            XCTAssertEqual(text, expected, "\(format.rawValue) differs from \(golden.lastPathComponent)")
        }
    }

    func testJSONRoundTripIsByteIdentical() throws {
        for pack in ["salesforce-datev", "crm-saft-pt", "hubspot-erp"] {
            let path = "Fixtures/golden/\(pack).json"
            let stored = try String(contentsOf: ReportFixtures.root.appendingPathComponent(path), encoding: .utf8)
            XCTAssertEqual(try ReportFixtures.render(.json, try ReportFixtures.result(path)), stored, pack)
        }
    }

    func testNotAResultIsAUsageError() {
        XCTAssertThrowsError(try ResultDecoder.decode(Array("[1, 2]".utf8), path: "x.json")) { error in
            XCTAssertEqual((error as? DemarcError)?.exitCode, 2)
        }
        XCTAssertThrowsError(try ResultDecoder.decode(Array(String(repeating: "[", count: 5000).utf8), path: "deep.json"))
    }

    func testJUnitIsValidAgainstTheXSD() throws {
        let schema = ReportFixtures.root.appendingPathComponent("../shared/schemas/JUnit.xsd").path
        guard FileManager.default.fileExists(atPath: schema) else { throw XCTSkip("no \(schema)") }
        for path in ["Fixtures/golden/salesforce-datev.json", "Fixtures/reports/hostile.json"] {
            let file = try ReportFixtures.temporaryFile("report.xml", try ReportFixtures.render(.junit, try ReportFixtures.result(path)))
            guard let r = try ReportFixtures.run("xmllint", ["--noout", "--schema", schema, file.path]) else {
                throw XCTSkip("xmllint is not installed (apt-get install libxml2-utils)")
            }
            XCTAssertEqual(r.code, 0, r.output)
        }
    }

    func testSARIFIsValidAgainstTheSchema() throws {
        let schema = ReportFixtures.root.appendingPathComponent("../shared/schemas/sarif-schema-2.1.0.json").path
        guard FileManager.default.fileExists(atPath: schema) else { throw XCTSkip("no \(schema)") }
        guard let probe = try ReportFixtures.run("python3", ["-c", "import jsonschema"]), probe.code == 0 else {
            throw XCTSkip("python3 with jsonschema is not installed (pip install jsonschema)")
        }
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1])); log = json.load(open(sys.argv[2]))
            jsonschema.validate(log, schema, format_checker=jsonschema.FormatChecker())
            print("valid", len(log["runs"][0]["results"]))
            """
        for path in ["Fixtures/golden/salesforce-datev.json", "Fixtures/reports/hostile.json"] {
            let result = try ReportFixtures.result(path)
            let file = try ReportFixtures.temporaryFile("report.sarif", try ReportFixtures.render(.sarif, result))
            let r = try XCTUnwrap(try ReportFixtures.run("python3", ["-c", script, schema, file.path]))
            XCTAssertEqual(r.code, 0, r.output)
            XCTAssertEqual(r.output, "valid \(result.findings.count)\n")
        }
    }

    func testSARIFCarriesRuleDescriptionsFingerprintsAndLocations() throws {
        let result = try ReportFixtures.result("Fixtures/golden/salesforce-datev.json")
        let sarif = try ReportFixtures.render(.sarif, result)
        let log = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(sarif.utf8)) as? [String: Any])
        let run = try XCTUnwrap((log["runs"] as? [[String: Any]])?.first)
        let driver = try XCTUnwrap((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        let rules = try XCTUnwrap(driver["rules"] as? [[String: Any]])
        XCTAssertEqual(rules.map { $0["id"] as? String }, result.checks.map(\.id))
        let full = (rules.first { $0["id"] as? String == "duplicate-key" }?["fullDescription"] as? [String: Any])?["text"] as? String
        XCTAssertTrue(full?.contains("cardinality: one") == true, full ?? "")
        let results = try XCTUnwrap(run["results"] as? [[String: Any]])
        let agree = try XCTUnwrap(results.first { ($0["properties"] as? [String: Any])?["key"] as? [String] == ["RE-2026-0104"] })
        XCTAssertEqual(agree["level"] as? String, "error")
        XCTAssertEqual((agree["partialFingerprints"] as? [String: String])?["demarc/v1"],
                       result.findings.first { $0.key == ["RE-2026-0104"] && $0.rule == "states-agree" }?.fingerprint)
        let uris = (agree["locations"] as? [[String: Any]])?.compactMap {
            (($0["physicalLocation"] as? [String: Any])?["artifactLocation"] as? [String: Any])?["uri"] as? String
        }
        XCTAssertEqual(uris?.count, 2, "a location in each source file")
        XCTAssertTrue(results.contains { $0["level"] as? String == "warning" })
    }
}
