import DemarcCore
@testable import DemarcEngine
import XCTest

/// Nothing lost (issue 7): the engine's account of each source must balance, or the run stops
/// with an internal error (exit 4).
final class RecordAccountingTests: XCTestCase {
    func testBalancedAccountsPass() throws {
        let accounts = [RecordAccount(read: 5, malformedRecords: 1, matched: 3, unmatched: 1),
                        RecordAccount(read: 0, malformedRecords: 0, matched: 0, unmatched: 0)]
        XCTAssertNoThrow(try RecordAccounting.verify(accounts, names: ["crm", "erp"]))
    }

    func testALostRecordIsAnInternalError() {
        let accounts = [RecordAccount(read: 5, malformedRecords: 1, matched: 3, unmatched: 1),
                        RecordAccount(read: 7, malformedRecords: 1, matched: 3, unmatched: 2)]
        XCTAssertThrowsError(try RecordAccounting.verify(accounts, names: ["crm", "erp"])) { error in
            guard let error = error as? DemarcError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.exitCode, 4)
            XCTAssertEqual(error.description, "internal error: source 'erp': 7 records read, but 5 in cases and 1 malformed")
        }
    }
}
