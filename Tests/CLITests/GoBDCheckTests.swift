import Foundation
import XCTest

/// `demarc check` over GoBD exports (Fixtures/gobd).
final class GoBDCheckTests: XCTestCase {
    private func json(_ run: Binary.Outcome) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    }

    func testExportAgainstCRM() throws {
        let run = try Binary.run(["check", "Fixtures/gobd/export/gobd-crm.yaml", "--format", "json", "--quiet"])
        XCTAssertEqual(run.code, 1, run.stderr)
        let result = try json(run)
        let sources = try XCTUnwrap(result["sources"] as? [[String: Any]])
        XCTAssertEqual(sources[1]["format"] as? String, "gobd")
        XCTAssertEqual(sources[1]["file"] as? String, "rechnungsausgang.csv")
        XCTAssertEqual(sources[1]["encoding"] as? String, "windows-1252")
        XCTAssertEqual(sources[1]["records"] as? Int, 4)
        let findings = try XCTUnwrap(result["findings"] as? [[String: Any]])
        XCTAssertEqual(findings.map { $0["rule"] as? String ?? "" },
                       ["won-deal-is-booked", "states-agree", "states-agree", "amount-owned-by-ledger", "missing-key"])
        let owned = try XCTUnwrap(findings.first { $0["rule"] as? String == "amount-owned-by-ledger" })
        XCTAssertEqual(owned["message"] as? String, "ledger has 2380.50, the crm 2380.00")
        let ledger = try XCTUnwrap((owned["records"] as? [String: Any])?["ledger"] as? [[String: Any]])
        XCTAssertEqual(ledger.first?["values"] as? [String: String],
                       ["invoice": "RE-2026-1002", "date": "2026-11-05", "customer": "Schäfer & Söhne",
                        "gross": "2380.50", "cancelled": "N"])
    }

    func testComplexTableValues() throws {
        let run = try Binary.run(["check", "Fixtures/gobd/complex/complex.yaml", "--format", "json", "--quiet"])
        XCTAssertEqual(run.code, 1, run.stderr)
        let findings = try XCTUnwrap(try json(run)["findings"] as? [[String: Any]])
        let values = findings.compactMap { (($0["records"] as? [String: Any])?["t"] as? [[String: Any]])?.first?["values"] as? [String: String] }
        XCTAssertEqual(values, [
            ["id": "K1", "a": "12.345", "b": "1234.5678901", "c": "Müller '''quoted''' || text", "e": "2020-02-20", "f": "2020-02-20", "g": "1"],
            ["id": "K2", "a": "-0.005", "b": "0", "c": "plain", "e": "1999-12-31", "f": "1999-12-31", "g": "0"],
            ["id": "K3", "a": "-0.007", "b": "3.5", "c": "multi\nline ß", "e": "2021-03-01", "f": "2021-03-01", "g": "2"],
        ])
        let lines = findings.compactMap { (($0["records"] as? [String: Any])?["t"] as? [[String: Any]])?.first?["line"] as? Int }
        XCTAssertEqual(lines, [4, 5, 7])
    }

    func testLintReadsTheIndexOnly() throws {
        let run = try Binary.run(["lint", "Fixtures/gobd/export/gobd-crm.yaml"])
        XCTAssertEqual(run.code, 0, run.stderr)
    }
}
