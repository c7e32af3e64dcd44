import Foundation
import XCTest
import DemarcCore
import DemarcReaders
import DemarcRules
@testable import DemarcEngine

/// `ReadHelp`: a source whose decoding a helper thread takes over part way loads exactly the
/// table it loads alone: the same values, keys, lines, states, value issues and malformed
/// records, in the same order.
final class ReadHelpTests: XCTestCase {
    /// A CRM-like export in key order, with records that go the one-by-one way (doubled quotes
    /// in a read field, malformed rows) and value issues among them, over many batches.
    private func csv(records: Int, ascending: Bool = true) -> String {
        var text = "inv,stage,amount,cur\n"
        for i in 0..<records {
            let key = ascending ? String(format: "RE-%07d", i) : String(format: "RE-%07d", (i * 7919) % records)
            switch i % 997 {
            case 5: text += "\(key),\"Say \"\"hi\"\"\",1.00,EUR\n"      // doubled quotes: one by one
            case 6: text += "\(key),short\n"                              // malformed
            case 7: text += "\(key),open,abc,EUR\n"                       // an invalid amount
            case 8: text += "\(key),,2.00,\n"                              // empty fields
            case 9: text += "\n"                                           // an empty line
            default: text += "\(key),\(["Closed Won", "Negotiation", "Prospecting"][i % 3]),\(i).\(i % 100),\(["EUR", "USD"][i % 2])\n"
            }
        }
        return text
    }

    private func loader(_ path: String) -> SourceLoader {
        let def = T.source("crm", file: path, fields: [T.field("inv"), T.field("stage", required: true),
                                                       T.field("amount", nil, .decimal), T.field("cur")],
                           key: ["inv"], state: T.byValue("stage", [("booked", ["Closed Won"]), ("draft", ["Negotiation"])]))
        return SourceLoader(def: def, order: 0, input: .file(path), asOf: T.day("2026-01-01"), calendar: nil,
                            normalizer: KeyNormalizer([.trim]))
    }

    /// Loads with a helper thread that offers help before the first record (`helped` tells
    /// whether the loader took it).
    private func loadHelped(_ path: String) throws -> (table: SourceTable, helped: Bool) {
        let help = ReadHelp()
        help.started()
        help.offer()
        let served = DispatchSemaphore(value: 0)
        Thread { help.serve(offered: true); served.signal() }.start()
        var helped = loader(path)
        helped.help = help
        let table = try helped.load()
        help.finished()
        served.wait()
        return (table, help.wasHired)
    }

    private func assertSameTable(_ a: SourceTable, _ b: SourceTable, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.recordCount, b.recordCount, file: file, line: line)
        XCTAssertEqual(a.lines.count, b.lines.count, file: file, line: line)
        XCTAssertEqual(a.keys, b.keys, file: file, line: line)
        XCTAssertEqual(a.keysAscending, b.keysAscending, file: file, line: line)
        XCTAssertEqual((0..<a.keyMissing.count).map { a.keyMissing[$0] }, (0..<b.keyMissing.count).map { b.keyMissing[$0] },
                       file: file, line: line)
        XCTAssertEqual(a.recordState, b.recordState, file: file, line: line)
        XCTAssertEqual((0..<a.lines.count).map { a.lines[$0] }, (0..<b.lines.count).map { b.lines[$0] }, file: file, line: line)
        for r in 0..<min(a.lines.count, b.lines.count) {
            for f in 0..<a.width where a.value(record: r, field: f) != b.value(record: r, field: f) {
                XCTFail("record \(r) field \(f): \(a.value(record: r, field: f)) against \(b.value(record: r, field: f))",
                        file: file, line: line)
                return
            }
        }
        XCTAssertEqual(a.valueIssues.map { "\($0.record) \($0.field) \($0.message)" },
                       b.valueIssues.map { "\($0.record) \($0.field) \($0.message)" }, file: file, line: line)
        XCTAssertEqual(a.malformed.map { "\($0.line) \($0.detail.detail) \($0.values)" },
                       b.malformed.map { "\($0.line) \($0.detail.detail) \($0.values)" }, file: file, line: line)
        XCTAssertEqual(a.missingKeyRaw, b.missingKeyRaw, file: file, line: line)
    }

    func testAHelpedLoadIsTheLoadAlone() throws {
        let path = T.csv(csv(records: 20_000))
        let alone = try loader(path).load()
        let (helped, wasHelped) = try loadHelped(path)
        XCTAssertTrue(wasHelped, "keys in order, a helper offering from the start: the loader takes the help")
        assertSameTable(helped, alone)
        XCTAssertEqual(alone.malformed.count, 21)
        XCTAssertEqual(alone.valueIssues.count, 42)   // 21 invalid amounts, 21 empty stages
        XCTAssertTrue(alone.keysAscending)
    }

    /// The thread done reading offers help only once its own indexing is done (a reader that
    /// took help earlier would wait for it), and only once.
    func testHelpIsOfferedOnceTheIndexingIsDone() throws {
        let path = T.csv(csv(records: 3_000))
        let table = try loader(path).load()
        let help = ReadHelp()
        var none: RecordLoad? = nil
        XCTAssertNil(help.hire(&none), "nobody offers help yet")
        let indexing = CaseIndexing(order: [0, 1])
        XCTAssertTrue(indexing.loaded(0, table, help: help), "indexed, then offered")
        XCTAssertFalse(indexing.loaded(0, table, help: nil), "nothing indexed: nothing offered")
        XCTAssertNotNil(help.hire(&none))
        XCTAssertNil(help.hire(&none), "one job a run")
    }

    func testKeysInNoOrderTakeNoHelp() throws {
        let path = T.csv(csv(records: 5_000, ascending: false))
        let alone = try loader(path).load()
        let (helped, wasHelped) = try loadHelped(path)
        XCTAssertFalse(wasHelped, "the helper hashes ahead for keys in no order instead")
        assertSameTable(helped, alone)
    }
}
