import XCTest
import DemarcCore
import DemarcReaders
import DemarcRules
@testable import DemarcEngine

final class InputResolutionTests: XCTestCase {
    private func code(_ body: () throws -> Void) -> Int32? {
        do { try body(); return nil } catch let error as DemarcError { return error.exitCode } catch { return -1 }
    }

    func testSourceWithoutFileNeedsAnOverride() throws {
        var crm = T.crm
        crm.file = nil
        let file = T.file([crm, T.accounting], [])
        XCTAssertEqual(code { _ = try Engine.run(file, options: RunOptions()) }, 2)
        let result = try Engine.run(file, options: RunOptions(sourceOverrides: ["crm": .file(T.fixture("crm.csv"))]))
        XCTAssertEqual(result.sources[0].records, 8)
    }

    func testOnlyOneSourceMayReadStandardInput() {
        let file = T.file([T.crm, T.accounting], [])
        XCTAssertEqual(code {
            _ = try Engine.run(file, options: RunOptions(sourceOverrides: ["crm": .standardInput, "accounting": .standardInput]))
        }, 2)
    }

    func testUnknownOverrideAndMissingFile() {
        let file = T.file([T.crm, T.accounting], [])
        XCTAssertEqual(code { _ = try Engine.run(file, options: RunOptions(sourceOverrides: ["erp": .file("x.csv")])) }, 2)
        XCTAssertEqual(code { _ = try Engine.run(file, options: RunOptions(sourceOverrides: ["crm": .file("/nonexistent.csv")])) }, 3)
    }

    func testAsOfPrecedence() throws {
        let file = T.file([T.crm, T.accounting], [])
        XCTAssertEqual(try Engine.run(file, options: RunOptions()).asOf, T.day("2026-11-30"))
        XCTAssertEqual(try Engine.run(file, options: RunOptions(asOf: T.day("2026-12-01"))).asOf, T.day("2026-12-01"))
        var noDate = file
        noDate.asOf = nil
        XCTAssertEqual(try Engine.run(noDate, options: RunOptions(today: T.day("2027-01-02"))).asOf, T.day("2027-01-02"))
    }

    func testMissingColumnIsUnreadableInput() {
        var crm = T.crm
        crm.fields.append(T.field("owner", "OwnerId"))
        XCTAssertEqual(code { _ = try Engine.run(T.file([crm, T.accounting], []), options: RunOptions()) }, 3)
    }

    func testImplicitSeverityOverride() throws {
        let result = try Engine.run(T.file([T.crm, T.accounting], [], normalize: [.trim, .upper],
                                           implicit: [.duplicateKey: .info]), options: RunOptions())
        XCTAssertEqual(result.finding("duplicate-key", "RE-1")?.severity, .info)
        XCTAssertEqual(result.summary.info, 1)
        XCTAssertFalse(result.fails(at: nil))
        XCTAssertTrue(result.fails(at: .error))
    }
}
