import XCTest
import DemarcCore
import DemarcReaders
import DemarcRules
@testable import DemarcEngine

final class GroupAndStateTests: XCTestCase {
    func testGroupsAggregateAndClassifyOnTheAggregate() throws {
        let path = T.csv("""
        inv,amount,locked,note,status
        A,10.00,true,x,booked
        B,1.5,true,,open
        A,-2.50,false,y,booked
        B,,true,z,open
        C,,,,weird
        C,,,,weird
        """)
        let ledger = T.source("ledger", file: path,
                              fields: [T.field("inv"), T.field("amount", nil, .decimal), T.field("locked", nil, .bool),
                                       T.field("note"), T.field("status")],
                              key: ["inv"],
                              state: .byCondition([(StateClass("booked"), T.bin(.equal, T.bare("locked"), T.lit(.bool(true)))),
                                                   (StateClass("open"), T.bin(.equal, T.bare("locked"), T.lit(.bool(false))))]),
                              cardinality: .many,
                              group: ["amount": .sum, "locked": .all, "note": .join])
        let file = T.file([ledger], [T.rule("def", .definite(source: "ledger"))])
        let result = try Engine.run(file, options: RunOptions())
        XCTAssertEqual(result.cases, 3)
        // A: locked all(true,false) = false → open (indefinite). B: all(true,true) → booked.
        // C: locked all(unknown, unknown) unknown → unclassified, once with both records.
        XCTAssertEqual(result.pairs, ["def A", "unclassified-state C"])
        let a = try XCTUnwrap(result.finding("def", "A"))
        XCTAssertEqual(a.records[0].records.map(\.line), [2, 4])
        XCTAssertEqual(a.records[0].records[1].values.map(\.text), ["A", "-2.50", "false", "y", "booked"])
        let unclassified = try XCTUnwrap(result.finding("unclassified-state", "C"))
        XCTAssertEqual(unclassified.records[0].records.count, 2)
    }

    func testAggregations() throws {
        let path = T.csv("k,d,b,t\nK,1.50,true,x\nK,,,\nK,2.25,false,y\n")
        let def = T.source("s", file: path, fields: [T.field("k"), T.field("d", nil, .decimal), T.field("b", nil, .bool), T.field("t")],
                           key: ["k"], cardinality: .many)
        let loader = SourceLoader(def: def, order: 0, input: .file(path), asOf: T.day("2026-01-01"), calendar: nil,
                                  normalizer: KeyNormalizer([.trim]))
        let table = try loader.load()
        _ = CaseBuilder.build([table], asOf: T.day("2026-01-01"), calendar: nil)
        let members = table.groupMembers[0..<3]
        func agg(_ mode: Aggregation, _ field: Int) -> String {
            let v = CaseBuilder.aggregate(mode, table: table, members: members, field: field)
            return v.isUnknown ? "?" : v.resultText
        }
        XCTAssertEqual(agg(.sum, 1), "3.75")
        XCTAssertEqual(agg(.min, 1), "1.50")
        XCTAssertEqual(agg(.max, 1), "2.25")
        XCTAssertEqual(agg(.count, 1), "2")
        XCTAssertEqual(agg(.first, 1), "1.50")
        XCTAssertEqual(agg(.last, 1), "2.25")
        XCTAssertEqual(agg(.join, 3), "x, y")
        XCTAssertEqual(agg(.any, 2), "true")
        XCTAssertEqual(agg(.all, 2), "false")
        let empty = table.groupMembers[1..<2]
        XCTAssertTrue(CaseBuilder.aggregate(.sum, table: table, members: empty, field: 1).isUnknown)
        XCTAssertEqual(CaseBuilder.aggregate(.count, table: table, members: empty, field: 1), .integer(0))
        XCTAssertTrue(CaseBuilder.aggregate(.any, table: table, members: empty, field: 2).isUnknown)
    }

    func testStateByValueTrimsAndIgnoresCaseWhenAsked() throws {
        let path = T.csv("k,stage\n1,  closed won \n2,CLOSED WON\n3,\n4,Closed Won\n")
        func run(caseSensitive: Bool, emptyListed: Bool) throws -> [String] {
            var classes: [(String, [String])] = [("booked", ["Closed Won"])]
            if emptyListed { classes.append(("open", [""])) }
            let s = T.source("s", file: path, fields: [T.field("k"), T.field("stage")], key: ["k"],
                             state: T.byValue("stage", classes, caseSensitive: caseSensitive))
            return try Engine.run(T.file([s], []), options: RunOptions()).findings.map { $0.key[0] }
        }
        XCTAssertEqual(try run(caseSensitive: true, emptyListed: false), ["1", "2", "3"])
        XCTAssertEqual(try run(caseSensitive: false, emptyListed: false), ["3"])
        XCTAssertEqual(try run(caseSensitive: false, emptyListed: true), [])
    }

    /// Each record's class goes to its case, and the per-record classes go (10 MB at 5M
    /// records): nothing reads them once the cases hold them.
    func testRecordClassesMoveToTheirCases() throws {
        let path = T.csv("k,stage\n1,won\n2,lost\n1,lost\n3,\n")
        let s = T.source("s", file: path, fields: [T.field("k"), T.field("stage")], key: ["k"],
                         state: T.byValue("stage", [("booked", ["won"]), ("not_booked", ["lost"])]))
        let table = try SourceLoader(def: s, order: 0, input: .file(path), asOf: T.day("2026-01-01"), calendar: nil,
                                     normalizer: KeyNormalizer([.trim])).load()
        XCTAssertEqual(table.recordState.count, 4)
        let store = CaseBuilder.build([table], asOf: T.day("2026-01-01"), calendar: nil)
        XCTAssertEqual(store.count, 3)
        XCTAssertEqual(table.recordState, [])
        XCTAssertEqual(table.caseState.map { table.classes.indices.contains(Int($0)) ? table.classes[Int($0)].name : "-" },
                       ["booked", "not_booked", "-"])
    }

    func testDerivedFieldsSignAndRequired() throws {
        let path = T.csv("k,debit,credit,sh,code\n1,10.00,2.00,S,a\n2,5.00,,H,\n")
        let net = T.bin(.add, T.bare("debit"), T.bare("credit"))
        let s = T.source("s", file: path, fields: [
            T.field("k"),
            T.field("total", nil, .decimal, expr: net),
            T.field("debit", nil, .decimal, sign: SignDef(selector: .column("sh"), negative: ["H"])),
            T.field("credit", nil, .decimal),
            T.field("code", required: true),
        ], key: ["k"])
        let result = try Engine.run(T.file([s], [T.rule("all", .expect(T.lit(.bool(false))))]), options: RunOptions())
        let one = try XCTUnwrap(result.finding("all", "1"))
        XCTAssertEqual(one.records[0].records[0].values.map(\.text), ["1", "12.00", "10.00", "2.00", "a"])
        let two = try XCTUnwrap(result.finding("all", "2"))
        XCTAssertEqual(two.records[0].records[0].values.map(\.text), ["2", "", "-5.00", "", ""])
        let required = try XCTUnwrap(result.finding("malformed-value", "2"))
        XCTAssertTrue(required.message.contains("'code'"), required.message)
        XCTAssertEqual(result.sources[0].malformed, 1)
    }

    func testMissingKeyFormsOwnCaseAndCounterpartSkipsIt() throws {
        let a = T.csv("k,v\n,1\n,2\nX,3\n", name: "a.csv")
        let b = T.csv("k,v\nY,1\n", name: "b.csv")
        let sa = T.source("a", file: a, fields: [T.field("k"), T.field("v")], key: ["k"])
        let sb = T.source("b", file: b, fields: [T.field("k"), T.field("v")], key: ["k"])
        let result = try Engine.run(T.file([sa, sb], [T.rule("cp", .counterpart(of: "a", in: "b")),
                                                      T.rule("ex", .expect(T.exists("b")))]), options: RunOptions())
        XCTAssertEqual(result.cases, 4)
        XCTAssertEqual(result.pairs, ["cp X", "ex ", "ex ", "ex X", "missing-key ", "missing-key "])
        let keys = result.findings.filter { $0.rule == "missing-key" }.map(\.fingerprint)
        XCTAssertNotEqual(keys[0], keys[1])
    }
}
