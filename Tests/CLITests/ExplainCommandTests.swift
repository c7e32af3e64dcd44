import XCTest

final class ExplainCommandTests: XCTestCase {
    func testExplainsAKindWithBothExamples() throws {
        let r = try Binary.run(["explain", "agree"])
        XCTAssertEqual(r.code, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("agree: Two systems agree on booked or not booked\n"), r.stdout)
        XCTAssertTrue(r.stdout.contains("finding kind: disagreement\n"))
        XCTAssertTrue(r.stdout.contains("Passing example"))
        XCTAssertTrue(r.stdout.contains("Failing example"))
        XCTAssertTrue(r.stdout.contains("    agree: [crm, accounting]"))
    }

    func testExplainsAnImplicitCheck() throws {
        let r = try Binary.run(["explain", "duplicate-key"])
        XCTAssertEqual(r.code, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("implicit check (always runs"), r.stdout)
    }

    func testUnknownKindIsAUsageErrorWithASuggestion() throws {
        let r = try Binary.run(["explain", "agre"])
        XCTAssertEqual(r.code, 2)
        XCTAssertTrue(r.stderr.contains("unknown rule kind or check 'agre'; did you mean 'agree'?"), r.stderr)
    }
}
