import DemarcEngine
import DemarcRules
import Foundation
import XCTest

/// Every rule kind and implicit check describes itself once (Sources/DemarcRules/Catalog) with a
/// passing and a failing example; `demarc explain` prints them and this test runs them all.
final class RuleCatalogExampleTests: XCTestCase {
    private func findings(of description: RuleDescription, in example: RuleExample) throws -> [Finding] {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("catalog-\(description.id)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let rules = folder.appendingPathComponent("rules.yaml")
        try Data(example.rules.utf8).write(to: rules)
        for file in example.files {
            try Data(file.content.utf8).write(to: folder.appendingPathComponent(file.name))
        }
        let ruleFile = try RuleFileLoader.load(path: rules.path)
        let result = try Engine.run(ruleFile, options: RunOptions())
        return result.findings.filter { $0.kind == description.findingKind }
    }

    func testEveryExampleFailsOrPassesAsItSays() throws {
        XCTAssertEqual(RuleCatalog.all.count, 11, "six rule kinds and five implicit checks")
        for description in RuleCatalog.all {
            let passing = try findings(of: description, in: description.passing)
            XCTAssertEqual(passing.map(\.message), [], "\(description.id): the passing example must not fail")
            let failing = try findings(of: description, in: description.failing)
            XCTAssertFalse(failing.isEmpty, "\(description.id): the failing example must fail")
        }
    }

    func testEveryKindAndImplicitCheckIsDescribed() {
        let ids = Set(RuleCatalog.all.map(\.id))
        for kind in ["definite", "counterpart", "agree", "owned", "stale", "expect"] {
            XCTAssertTrue(ids.contains(kind), kind)
        }
        for check in ImplicitCheck.allCases {
            XCTAssertTrue(ids.contains(check.rawValue), check.rawValue)
            XCTAssertTrue(RuleCatalog.description(of: check.rawValue)?.isImplicit == true)
        }
    }
}
