import Foundation
import XCTest

/// `baseline`, `check --baseline`, `--waivers` and `diff` through the binary.
final class BaselineWaiverDiffTests: XCTestCase {
    private let rules = "Fixtures/engine/basic.yaml"

    private func json(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    private func write(_ text: String, _ name: String, in folder: URL) throws -> String {
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func testBaselineMakesTodaysFindingsPass() throws {
        let folder = Binary.temporaryFolder()
        let file = folder.appendingPathComponent("baseline.json").path
        let b = try Binary.run(["baseline", rules, "-o", file])
        XCTAssertEqual(b.code, 0, b.stderr)
        XCTAssertEqual(b.stderr, "10 fingerprints written to \(file)\n")
        let baseline = try json(String(contentsOfFile: file, encoding: .utf8))
        XCTAssertEqual(baseline["demarc_baseline"] as? Int, 1)
        let prints = try XCTUnwrap(baseline["fingerprints"] as? [String])
        XCTAssertEqual(prints, prints.sorted())
        XCTAssertEqual(prints.count, 10)

        let r = try Binary.run(["check", rules, "--baseline", file, "--format", "json"])
        XCTAssertEqual(r.code, 0, "baselined findings do not fail the run")
        let result = try json(r.stdout)
        let findings = try XCTUnwrap(result["findings"] as? [[String: Any]])
        XCTAssertEqual(findings.count, 10, "they keep their place")
        XCTAssertEqual(Set(findings.compactMap { $0["status"] as? String }), ["baselined"])
        XCTAssertEqual((result["summary"] as? [String: Any])?["baselined"] as? Int, 10)
        XCTAssertEqual(r.stderr, "10 findings (7 errors, 2 warnings, 1 info) in 8 cases, 10 baselined\n")

        // A shorter baseline: the finding left out is open again and fails.
        let short = prints.filter { !$0.hasPrefix("69f40168") }  // accounting-is-definite, an error
        let shortFile = try write("{\"demarc_baseline\": 1, \"fingerprints\": [\(short.map { "\"\($0)\"" }.joined(separator: ","))]}",
                                  "short.json", in: folder)
        let s = try Binary.run(["check", rules, "--baseline", shortFile, "--format", "text", "--quiet"])
        XCTAssertEqual(s.code, 1)
        XCTAssertEqual(s.stdout.split(separator: "\n").filter { !$0.contains("[baselined]") && $0.contains(": [") }.count, 1)

        let bad = try Binary.run(["check", rules, "--baseline", try write("[]", "bad.json", in: folder)])
        XCTAssertEqual(bad.code, 2)
    }

    func testWaiversWaiveExpireAndReportUnmatched() throws {
        let folder = Binary.temporaryFolder()
        let waivers = try write("""
            waivers:
              - rule: states-agree
                key: [re-2]
                reason: credit note agreed
                owner: j.doe
                ticket: FIN-1
                expires: 2026-11-30
              - rule: accounting-is-definite
                key: RE-7
                reason: old
                expires: 2026-11-29
              - rule: missing-key
                key: [NOPE-1]
                reason: nothing has this key
                expires: 2027-01-01
            """, "waivers.yaml", in: folder)
        let r = try Binary.run(["check", rules, "--waivers", waivers, "--format", "json", "--format", "text:\(folder.path)/out.txt"])
        XCTAssertEqual(r.code, 1, "the expired waiver fails like its finding")
        let result = try json(r.stdout)
        let findings = try XCTUnwrap(result["findings"] as? [[String: Any]])
        func status(_ rule: String, _ key: String) -> String? {
            findings.first { $0["rule"] as? String == rule && $0["key"] as? [String] == [key] }?["status"] as? String
        }
        XCTAssertEqual(status("states-agree", "RE-2"), "waived", "expires on as_of still holds; the key is normalized (upper)")
        XCTAssertEqual(status("accounting-is-definite", "RE-7"), "expired-waiver")
        XCTAssertEqual(status("states-agree", "RE-3"), "open")
        let summary = try XCTUnwrap(result["summary"] as? [String: Any])
        XCTAssertEqual(summary["waived"] as? Int, 1)
        XCTAssertEqual(summary["expired_waiver"] as? Int, 1)
        let unmatched = try XCTUnwrap(result["unmatched_waivers"] as? [[String: Any]])
        XCTAssertEqual(unmatched.count, 1)
        XCTAssertEqual(unmatched.first?["rule"] as? String, "missing-key")
        XCTAssertEqual(unmatched.first?["line"] as? Int, 12)
        XCTAssertTrue(r.stderr.contains("waivers.yaml:12:5: warning: waiver for rule 'missing-key' key [NOPE-1] matched no finding"), r.stderr)
        XCTAssertTrue(r.stderr.hasSuffix(", 1 waived, 1 expired-waiver\n"), r.stderr)
        let text = try String(contentsOfFile: "\(folder.path)/out.txt", encoding: .utf8)
        XCTAssertTrue(text.contains("(key RE-2) [waived]"))
        XCTAssertTrue(text.contains("warning: \(waivers):12: waiver for rule 'missing-key' key [NOPE-1] matched no finding"), text)

        let html = try Binary.run(["check", rules, "--waivers", waivers, "--format", "html", "--quiet"])
        XCTAssertTrue(html.stdout.contains("Waivers that matched no finding"))
    }

    func testAWaiverWinsOverTheBaseline() throws {
        let folder = Binary.temporaryFolder()
        let baseline = folder.appendingPathComponent("baseline.json").path
        XCTAssertEqual(try Binary.run(["baseline", rules, "-o", baseline]).code, 0)
        let waivers = try write("""
            waivers:
              - rule: states-agree
                key: [RE-2]
                reason: credit note agreed
                expires: 2026-11-30
              - rule: accounting-is-definite
                key: [RE-7]
                reason: was accepted until yesterday
                expires: 2026-11-29
            """, "waivers.yaml", in: folder)
        let r = try Binary.run(["check", rules, "--baseline", baseline, "--waivers", waivers, "--format", "json", "--quiet"])
        XCTAssertEqual(r.code, 1, "a baselined finding whose waiver expired fails again")
        let result = try json(r.stdout)
        let findings = try XCTUnwrap(result["findings"] as? [[String: Any]])
        func status(_ rule: String, _ key: String) -> String? {
            findings.first { $0["rule"] as? String == rule && $0["key"] as? [String] == [key] }?["status"] as? String
        }
        XCTAssertEqual(status("states-agree", "RE-2"), "waived")
        XCTAssertEqual(status("accounting-is-definite", "RE-7"), "expired-waiver")
        XCTAssertEqual(status("states-agree", "RE-3"), "baselined")
        XCTAssertEqual((result["unmatched_waivers"] as? [Any])?.count, 0, "a waiver on a baselined finding matched it")
    }

    func testWaiverProblemsAreExitTwoWithPositions() throws {
        let folder = Binary.temporaryFolder()
        let missing = try write("""
            waivers:
              - rule: states-agree
                key: [RE-2]
                expires: 2027-01-01
              - rule: state-agree
                key: [RE-2]
                reason: typo
                expires: someday
            """, "w.yaml", in: folder)
        let r = try Binary.run(["check", rules, "--waivers", missing])
        XCTAssertEqual(r.code, 2)
        XCTAssertEqual(r.stdout, "")
        let lines = r.stderr.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines, [
            "\(missing):2:5: error: missing required key 'reason' in a waiver",
            "\(missing):5:11: error: unknown rule 'state-agree'; did you mean 'states-agree'?",
            "\(missing):8:14: error: 'expires' must be a date yyyy-MM-dd, not 'someday'",
        ])
        let unknownKey = try write("waivers:\n  - rule: states-agree\n    keys: [RE-2]\n", "k.yaml", in: folder)
        let k = try Binary.run(["check", rules, "--waivers", unknownKey])
        XCTAssertEqual(k.code, 2)
        XCTAssertTrue(k.stderr.contains("k.yaml:3:5: error: unknown key 'keys'; did you mean 'key'?"), k.stderr)
    }

    func testDiffTellsNewStillOpenAndResolved() throws {
        let folder = Binary.temporaryFolder()
        let old = folder.appendingPathComponent("old.json").path
        let new = folder.appendingPathComponent("new.json").path
        _ = try Binary.run(["check", rules, "--quiet", "--format", "json:\(old)", "--skip", "states-agree", "--as-of", "2026-11-29"])
        _ = try Binary.run(["check", rules, "--quiet", "--format", "json:\(new)", "--skip", "amount-owned-by-accounting"])
        let text = try Binary.run(["diff", old, new])
        XCTAssertEqual(text.code, 1, "new errors fail")
        let lines = text.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains("new: crm.csv:3: error: [states-agree] crm says 'Closed Won' (booked) but accounting says 'N' (not_booked) (key RE-2)"), text.stdout)
        XCTAssertTrue(lines.contains { $0.hasPrefix("open since 2026-11-29: accounting.csv:5: error: [accounting-is-definite]") }, text.stdout)
        XCTAssertTrue(lines.contains { $0.hasPrefix("resolved: ") && $0.contains("[amount-owned-by-accounting]") }, text.stdout)
        XCTAssertEqual(lines.last, "2 new, 7 still open, 1 resolved (2026-11-29 → 2026-11-30)")

        let j = try Binary.run(["diff", old, new, "--format", "json", "--fail-on", "never"])
        XCTAssertEqual(j.code, 0)
        let diff = try json(j.stdout)
        XCTAssertEqual(diff["summary"] as? [String: Int], ["new": 2, "still_open": 7, "resolved": 1])
        let open = try XCTUnwrap(diff["still_open"] as? [[String: Any]])
        XCTAssertEqual(Set(open.compactMap { $0["first_seen"] as? String }), ["2026-11-29"])

        // A diff of the same result: nothing new, exit 0.
        let same = try Binary.run(["diff", new, new])
        XCTAssertEqual(same.code, 0)
        XCTAssertTrue(same.stdout.hasSuffix("0 new, 9 still open, 0 resolved (2026-11-30 → 2026-11-30)\n"), same.stdout)
    }
}
