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

    /// `SourceTable.keysAscending`, which the loader works out from each key's bytes, says true
    /// only where `CaseIndex.isAscending` over the loaded keys would (the case index then skips
    /// that check); where it says false, the index checks the keys itself.
    func testTheLoaderSaysKeysAscendOnlyWhereTheyDo() throws {
        let cases: [(String, Bool)] = [
            ("k,v\nRE-1,x\nRE-2,y\nRE-3,z\n", true),
            ("k,v\nRE-1,x\n\nRE-2,y\nbroken\nRE-3,z\n", true),                   // an empty line, a malformed row
            ("k,v\nRE-1,x\nRE-1,y\n", false),                                      // a repeated key
            ("k,v\nRE-2,x\nRE-1,y\n", false),                                      // descending
            ("k,v\nRE-1,x\n,y\nRE-3,z\n", false),                                  // a missing key
            ("k,v\nA,x\nÄ,y\n", false),                                            // beyond ASCII
            ("k,v\nA,x\n\" B\",y\nC,z\n", false),                                 // a key trimmed
            ("k,v\nA,x\nA\u{1}B,y\n", true),                                       // a control byte inside: ASCII still
            ("k,v\n\(String(repeating: "a", count: 70)),x\n\(String(repeating: "b", count: 70)),y\n", false),   // long keys
            ("k,v\nab,x\nabc,y\nb,z\n", true),                                     // a prefix comes first
            ("k,v\n", false),
        ]
        for (csv, ascending) in cases {
            let table = try load(csv)
            XCTAssertEqual(table.keysAscending, ascending, csv.debugDescription)
            if table.keysAscending {
                XCTAssertTrue(CaseIndex.isAscending(table.keys, table.keyMissing), csv.debugDescription)
            }
        }
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
