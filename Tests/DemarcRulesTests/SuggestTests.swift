import XCTest
@testable import DemarcRules

final class SuggestTests: XCTestCase {
    func testClosestByEditDistance() {
        XCTAssertEqual(Suggest.closest("severty", among: ["id", "severity", "where"]), "severity")
        XCTAssertEqual(Suggest.closest("amout", among: ["amount", "stage"]), "amount")
        XCTAssertEqual(Suggest.closest("cmr", among: ["crm", "accounting"]), "crm")
    }

    func testNothingCloseGivesNil() {
        XCTAssertNil(Suggest.closest("zzzzzz", among: ["amount", "stage"]))
        XCTAssertNil(Suggest.closest("x", among: []))
        XCTAssertNil(Suggest.closest("amount", among: ["amount"]))
    }

    func testTiesGoToFirstCandidate() {
        XCTAssertEqual(Suggest.closest("ab", among: ["ac", "bb"]), "ac")
    }
}
