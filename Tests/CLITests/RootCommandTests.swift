import XCTest

/// `demarc`, `demarc --help` and `demarc --version`: help and version on standard output, exit 0.
final class RootCommandTests: XCTestCase {
    func testHelpListsTheCommandsAndExitsZero() throws {
        for args in [["--help"], []] {
            let r = try Binary.run(args)
            XCTAssertEqual(r.code, 0, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stdout.hasPrefix("OVERVIEW: Checks the boundary between a CRM and accounting."), r.stdout)
            for command in ["check", "lint", "rules", "explain", "profile", "init", "baseline", "diff", "report"] {
                XCTAssertTrue(r.stdout.contains("  \(command)"), "\(args): \(command) missing")
            }
            XCTAssertEqual(r.stderr, "")
        }
    }

    func testVersionNamesToolAndRuleFormat() throws {
        let r = try Binary.run(["--version"])
        XCTAssertEqual(r.code, 0)
        XCTAssertEqual(r.stdout, "demarc 0.1.0 (rule format 1)\n")
    }

    func testUnknownCommandIsAUsageError() throws {
        let r = try Binary.run(["chekc"])
        XCTAssertEqual(r.code, 2)
        XCTAssertFalse(r.stderr.contains("internal error"), r.stderr)
    }
}
