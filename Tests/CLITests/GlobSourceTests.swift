import Foundation
import XCTest

/// `file:` and `--source` patterns on the command line (the xrechnung-crm pack's e-invoices).
final class GlobSourceTests: XCTestCase {
    /// A copy of the xrechnung-crm fixtures and pack in a fresh folder (the pack's paths rewritten).
    private func copy() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("glob-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Binary.root.appendingPathComponent("Fixtures/xrechnung-crm"),
                                         to: dir.appendingPathComponent("data"))
        let rules = try String(contentsOf: Binary.root.appendingPathComponent("Rules/xrechnung-crm.yaml"), encoding: .utf8)
        try rules.replacingOccurrences(of: "../Fixtures/xrechnung-crm/", with: "data/")
            .write(to: dir.appendingPathComponent("rules.yaml"), atomically: true, encoding: .utf8)
        return dir
    }

    func testFindingsNameTheFileOfEachRecord() throws {
        let dir = try copy()
        let r = try Binary.run(["check", "rules.yaml", "--only", "einvoice-known-to-crm"], in: dir)
        XCTAssertEqual(r.code, 1, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("data/einvoices/GS-2026-0008.xml:2: error: [einvoice-known-to-crm]"), r.stdout)
    }

    func testNoMatchIsExit3() throws {
        let dir = try copy()
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("data/einvoices").path) {
            try FileManager.default.removeItem(at: dir.appendingPathComponent("data/einvoices/\(name)"))
        }
        let r = try Binary.run(["check", "rules.yaml"], in: dir)
        XCTAssertEqual(r.code, 3)
        XCTAssertTrue(r.stderr.contains("error: no file matches 'data/einvoices/*.xml'"), r.stderr)
    }

    func testSourceOptionTakesAPatternAndJSONListsTheFiles() throws {
        let dir = try copy()
        let r = try Binary.run(["check", "rules.yaml", "--source", "einvoice=data/einvoices/RE-*.xml",
                                "--format", "json", "--quiet"], in: dir)
        XCTAssertEqual(r.code, 1, r.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let source = try XCTUnwrap((json["sources"] as? [[String: Any]])?.last)
        XCTAssertEqual(source["file"] as? String, "data/einvoices/RE-*.xml")
        let files = (source["files"] as? [[String: Any]])?.compactMap { $0["file"] as? String }
        XCTAssertEqual(files?.count, 8)
        XCTAssertEqual(files?.first, "data/einvoices/RE-2026-0101.xml")
        XCTAssertEqual(source["records"] as? Int, 8)
        // `report` renders the stored result byte for byte, `files` included.
        try Data(r.stdout.utf8).write(to: dir.appendingPathComponent("result.json"))
        let again = try Binary.run(["report", "result.json", "--format", "json"], in: dir)
        XCTAssertEqual(again.stdout, r.stdout)
    }
}
