import Foundation
import XCTest

/// Hostile rule files (issue 7): 10,000 rules run; an expression nested 10,000 levels deep is
/// refused with its position, not a stack overflow.
final class HostileRuleFileTests: XCTestCase {
    /// The pair fixture's sources (absolute file paths) without its rules.
    private func sourcesPart() throws -> String {
        let text = try String(contentsOfFile: Binary.root.appendingPathComponent(Hostile.pair).path, encoding: .utf8)
        let folder = Binary.root.appendingPathComponent("Fixtures/hostile").path
        return String(text.components(separatedBy: "rules:\n")[0])
            .replacingOccurrences(of: "file: crm.csv", with: "file: \(folder)/crm.csv")
            .replacingOccurrences(of: "file: acc.csv", with: "file: \(folder)/acc.csv")
    }

    // Memory bound: 150 MB (10,000 rules, their trees and one finding listed per rule).
    func testTenThousandRules() throws {
        let folder = Binary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var yaml = try sourcesPart() + "rules:\n"
        for i in 0..<10_000 { yaml += "  - id: r\(i)\n    expect: crm.amount >= \(i)\n    where: crm exists\n" }
        let path = folder.appendingPathComponent("many.yaml").path
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: path))
        let r = try Hostile.run(["check", path, "--format", "json", "--quiet", "--max-findings", "1"])
        XCTAssertEqual(r.code, 1, r.stderr)
        // crm has amounts 10 and 20: r0…r10 hold for both, r11…r20 fail once, r21… fail twice.
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((json["summary"] as? [String: Any])?["findings"] as? Int, 10 + 2 * 9_979)
        Hostile.assertMemory(r, below: 150)
    }

    // Memory: a few MB; the parser stops at 200 levels (ExprParser.maximumDepth).
    func testExpressionNested10000LevelsIsRefusedWithItsPosition() throws {
        let folder = Binary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let depth = 10_000
        let yaml = try sourcesPart() + "rules:\n  - id: deep\n    expect: \""
            + String(repeating: "(", count: depth) + "crm.amount > 1" + String(repeating: ")", count: depth) + "\"\n"
        let path = folder.appendingPathComponent("deep.yaml").path
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: path))
        let line = yaml.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("    expect:") }! + 1
        for command in ["lint", "check"] {
            let r = try Hostile.run([command, path])
            XCTAssertEqual(r.code, 2, command)
            // The 201st parenthesis, after `    expect: "` (13 columns).
            XCTAssertEqual(r.stderr, "\(path):\(line):214: error: expression nested deeper than 200 levels\n", command)
        }
    }
}
