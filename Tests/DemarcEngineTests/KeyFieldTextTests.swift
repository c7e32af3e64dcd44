import XCTest
import DemarcCore
import DemarcReaders
import DemarcRules
@testable import DemarcEngine

/// A one-part text key's field is not stored where it equals the record's key
/// (`RowStore.keyTag`); its values must read back exactly, whichever way they are stored, at
/// every stage of a run.
final class KeyFieldTextTests: XCTestCase {
    private func load(_ csv: String, normalize: [Normalizer] = [.trim]) throws -> SourceTable {
        let path = T.csv(csv)
        let def = T.source("s", file: path, fields: [T.field("k"), T.field("v")], key: ["k"])
        return try SourceLoader(def: def, order: 0, input: .file(path), asOf: T.day("2026-01-01"), calendar: nil,
                                normalizer: KeyNormalizer(normalize)).load()
    }

    private func keyValues(_ table: SourceTable) -> [String] {
        (0..<table.lines.count).map { table.value(record: $0, field: 0).resultText }
    }

    func testKeyTextsReadBackBeforeAndAfterTheCasesAndTheirRelease() throws {
        let table = try load("k,v\nA1,x\n\" A2 \",y\nA1,z\n,w\nb3,v\n")
        let raw = ["A1", " A2 ", "A1", "", "b3"]
        XCTAssertEqual(keyValues(table), raw, "read")
        let store = CaseBuilder.build([table], asOf: T.day("2026-01-01"), calendar: nil)
        XCTAssertEqual(table.keys, [], "the table gave its keys to the cases")
        XCTAssertEqual(keyValues(table), raw, "after case building")
        store.releaseCases()
        XCTAssertEqual(keyValues(table), raw, "after the cases are released")
        XCTAssertEqual(table.value(record: 1, field: 1), .text("y"))
    }

    func testKeysTakenStraightFromTheBytesAreTheNormalizedOnes() throws {
        let csv = "k,v\nA B,x\nÄ1,y\n1Ä,z\n\"\tQ \",w\nq,v\n"
        let trimmed = try load(csv)
        XCTAssertEqual(trimmed.keys, ["A B", "Ä1", "1Ä", "Q", "q"])
        XCTAssertEqual(keyValues(trimmed), ["A B", "Ä1", "1Ä", "\tQ ", "q"])
        let asIs = try load(csv, normalize: [])
        XCTAssertEqual(asIs.keys, ["A B", "Ä1", "1Ä", "\tQ ", "q"])
        let upper = try load(csv, normalize: [.trim, .upper])
        XCTAssertEqual(upper.keys, ["A B", "Ä1", "1Ä", "Q", "Q"])
        XCTAssertEqual(keyValues(upper), ["A B", "Ä1", "1Ä", "\tQ ", "q"])
    }

    func testANormalizedKeyKeepsTheFieldsOwnText() throws {
        let table = try load("k,v\nab-1,x\nAB-1,y\n", normalize: [.trim, .upper])
        _ = CaseBuilder.build([table], asOf: T.day("2026-01-01"), calendar: nil)
        XCTAssertEqual(keyValues(table), ["ab-1", "AB-1"])
    }

    func testRowsStoredFromKeysResolveThroughWhateverHoldsTheKeys() {
        var store = RowStore(width: 1)
        for _ in 0..<3 {
            let record = store.beginRecord()
            store.setKeyText(record: record, field: 0)
            store.endRecord()
        }
        store.keyTexts.use(records: ["K0", "K1", "K2"])
        XCTAssertEqual((0..<3).map { store[$0, 0] }, [.text("K0"), .text("K1"), .text("K2")])
        store.keyTexts.use(caseKeys: ["K2", "K0", "K1"], recordCases: [1, 2, 0])
        XCTAssertEqual((0..<3).map { store[$0, 0] }, [.text("K0"), .text("K1"), .text("K2")])
    }
}
