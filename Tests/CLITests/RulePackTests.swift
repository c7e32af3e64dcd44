import Foundation
import XCTest

/// The shipped rule packs run on their fixtures and give their golden JSON results, and together
/// they exercise every rule kind and every implicit check.
///
/// Regenerate the goldens after an intended change with
/// `DEMARC_UPDATE_GOLDEN=1 swift test --filter RulePackTests`, then read the diff.
final class RulePackTests: XCTestCase {
    static let packs = ["salesforce-datev", "crm-saft-pt", "hubspot-erp", "saft-no-crm", "xrechnung-crm", "gobd-crm"]

    private func result(of pack: String) throws -> (code: Int32, json: String) {
        let r = try Binary.run(["check", "Rules/\(pack).yaml", "--format", "json", "--quiet"])
        return (r.code, r.stdout)
    }

    func testEachPackMatchesItsGoldenResult() throws {
        for pack in Self.packs {
            let (code, json) = try result(of: pack)
            XCTAssertEqual(code, 1, "\(pack): the fixtures hold blurred records")
            let golden = Binary.root.appendingPathComponent("Fixtures/golden/\(pack).json")
            if ProcessInfo.processInfo.environment["DEMARC_UPDATE_GOLDEN"] == "1" {
                try Data(json.utf8).write(to: golden)
            }
            let expected = try String(contentsOf: golden, encoding: .utf8)
            XCTAssertEqual(json, expected, "\(pack): the JSON result differs from Fixtures/golden/\(pack).json")
        }
    }

    func testPacksTogetherTriggerEveryKindAndImplicitCheck() throws {
        var kinds = Set<String>()
        for pack in Self.packs {
            let (_, json) = try result(of: pack)
            let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
            for finding in object?["findings"] as? [[String: Any]] ?? [] {
                if let kind = finding["kind"] as? String { kinds.insert(kind) }
            }
        }
        let expected: Set<String> = ["indefinite", "missing-counterpart", "disagreement", "ownership", "stale",
                                     "violation", "unclassified-state", "duplicate-key", "missing-key",
                                     "malformed-value", "malformed-record"]
        XCTAssertEqual(kinds.intersection(expected), expected, "missing: \(expected.subtracting(kinds).sorted())")
    }

    func testPacksLintClean() throws {
        let r = try Binary.run(["lint"] + Self.packs.map { "Rules/\($0).yaml" })
        XCTAssertEqual(r.code, 0, r.stderr)
    }

    func testTwoRunsWriteTheSameBytes() throws {
        for pack in Self.packs {
            XCTAssertEqual(try result(of: pack).json, try result(of: pack).json, pack)
        }
    }
}
