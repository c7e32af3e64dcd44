import XCTest
import Foundation
import DemarcCore
import DemarcReaders
import DemarcRules
@testable import DemarcEngine

/// Cases are numbered source by source in the order the sources are added, however the work
/// is split: lookups on two threads, or sources indexed while others are still being read.
final class CaseIndexTests: XCTestCase {
    private func table(_ name: String, keys: [String]) throws -> SourceTable {
        let path = T.csv("k\n" + keys.map { $0.isEmpty ? "\"\"\n" : "\($0)\n" }.joined())
        let def = T.source(name, file: path, fields: [T.field("k")], key: ["k"])
        return try SourceLoader(def: def, order: 0, input: .file(path), asOf: T.day("2026-01-01"), calendar: nil,
                                normalizer: KeyNormalizer([.trim])).load()
    }

    private struct Cases: Equatable {
        var keys: [String]
        var missing: [Bool]
        var recordCases: [[Int32]]
        init(_ index: CaseIndex) { keys = index.keys; missing = index.missing; recordCases = index.recordCases.map { Array($0) } }
    }

    /// Indexes fresh tables of `keys` (per source) in `order`.
    private func indexed(_ keys: [[String]], order: [Int], parallelRecords: Int = 1 << 16) throws -> Cases {
        let tables = try keys.enumerated().map { try table("s\($0.offset)", keys: $0.element) }
        var index = CaseIndex(sources: tables.count, parallelRecords: parallelRecords)
        for s in order { index.add(tables[s], source: s) }
        return Cases(index)
    }

    /// The last source's new keys, when distinct (the loader saw them ascend), become cases
    /// without the hash index: the same numbering as through it, whatever the first source.
    func testTheLastSourcesDistinctNewKeysAreNumberedAsThroughTheIndex() throws {
        let cases: [[[String]]] = [
            [["a", "c", "e"], ["a", "b", "c", "d", "f"]],                 // sorted first source
            [["e", "a", "c", "a"], ["a", "b", "c", "d", "f"]],            // first source unsorted, repeated
            [["a", "c"], ["b", "d"]],                                      // no key in common
            [(0..<3000).map { String(format: "K%05d", $0 * 2) }, (0..<4000).map { String(format: "K%05d", $0 * 3) }],
        ]
        for keys in cases {
            let tables = try keys.enumerated().map { try table("s\($0.offset)", keys: $0.element) }
            XCTAssertTrue(tables[1].keysAscending)
            var through = CaseIndex(sources: 2, parallelRecords: 1000)
            through.add(tables[0], source: 0)
            through.add(tables[1], source: 1)
            let fresh = try keys.enumerated().map { try table("s\($0.offset)", keys: $0.element) }
            var direct = CaseIndex(sources: 2, parallelRecords: 1000)
            direct.add(fresh[0], source: 0)
            direct.add(fresh[1], source: 1, last: true)
            XCTAssertEqual(Cases(direct), Cases(through), "\(keys.map { $0.prefix(5) })")
        }
    }

    func testCasesAreNumberedSourceBySourceEachSourcesNewKeysInRecordOrder() throws {
        let keys = [["a", "b", "c", "a"], ["c", "d", "", "b", "d"]]
        let first = try indexed(keys, order: [0, 1])
        XCTAssertEqual(first.keys, ["a", "b", "c", "d", ""])
        XCTAssertEqual(first.missing, [false, false, false, false, true])
        XCTAssertEqual(first.recordCases, [[0, 1, 2, 0], [2, 3, 4, 1, 3]])
        let second = try indexed(keys, order: [1, 0])
        XCTAssertEqual(second.keys, ["c", "d", "", "b", "a"])
        XCTAssertEqual(second.recordCases, [[4, 3, 0, 4], [0, 1, 2, 3, 1]])
    }

    func testAFirstSourceWithoutRepeatsNumbersItsCasesByRecordAsWithRepeats() throws {
        // Distinct keys (a missing one among them): the keys become the case keys as they are.
        let distinct = try indexed([["a", "", "b"], ["b", "c", "a", "c"]], order: [0, 1])
        XCTAssertEqual(distinct.keys, ["a", "", "b", "c"])
        XCTAssertEqual(distinct.missing, [false, true, false, false])
        XCTAssertEqual(distinct.recordCases, [[0, 1, 2], [2, 3, 0, 3]])
        // A repeat late in the first source: started over, the same numbering rule.
        let repeated = try indexed([["a", "", "b", "a"], ["b", "c"]], order: [0, 1])
        XCTAssertEqual(repeated.keys, ["a", "", "b", "c"])
        XCTAssertEqual(repeated.recordCases, [[0, 1, 2, 0], [2, 3]])
        let table = try self.table("t", keys: (0..<5000).map { "K\($0)" })
        var index = CaseIndex(sources: 1)
        index.add(table, source: 0)
        XCTAssertEqual(Array(index.recordCases[0]), (0..<5000).map { Int32($0) })
        XCTAssertEqual(index.keys[4999], "K4999")
    }

    func testLookupsOnTwoThreadsGiveTheCasesOfOne() throws {
        var generator = SystemRandomNumberGenerator()
        let a = (0..<3000).map { _ in "K\(Int.random(in: 0..<2000, using: &generator))" }
        let b = (0..<3001).map { i in i % 97 == 0 ? "" : "K\(Int.random(in: 1000..<3500, using: &generator))" }
        let one = try indexed([a, b], order: [0, 1], parallelRecords: Int.max)
        let two = try indexed([a, b], order: [0, 1], parallelRecords: 1)
        XCTAssertEqual(two, one)
        for (r, key) in b.enumerated() {
            let c = Int(two.recordCases[1][r])
            XCTAssertEqual(two.keys[c], key, "record \(r)")
            XCTAssertEqual(two.missing[c], key.isEmpty, "record \(r)")
        }
    }

    func testIndexingWhileReadingGivesTheCasesOfIndexingAfterwards() throws {
        let keys = (0..<4).map { s in (0..<500).map { "K\(($0 * (s + 3)) % 700)" } }
        let order = [2, 0, 3, 1]
        let expected = try indexed(keys, order: order)
        for _ in 0..<5 {
            let tables = try keys.enumerated().map { try table("s\($0.offset)", keys: $0.element) }
            let indexing = CaseIndexing(order: order, parallelRecords: 100)
            DispatchQueue.concurrentPerform(iterations: tables.count) { s in indexing.loaded(s, tables[s]) }
            XCTAssertEqual(Cases(indexing.finished()), expected)
        }
    }

    func testASourceReadBeforeTheOneIndexedFirstWaitsForIt() throws {
        let keys = [["a", "b"], ["b", "c"]]
        let tables = try keys.enumerated().map { try table("s\($0.offset)", keys: $0.element) }
        let indexing = CaseIndexing(order: [1, 0])
        indexing.loaded(0, tables[0])
        XCTAssertEqual(tables[0].keys, ["a", "b"], "not indexed before source 1")
        indexing.loaded(1, tables[1])
        XCTAssertEqual(tables[0].keys, [], "indexed once source 1 was")
        XCTAssertNil(tables[0].rows.keyTexts.key(record: 0), "nor do its rows hold the keys until the cases are made")
        let cases = Cases(indexing.finished())
        XCTAssertEqual(cases.keys, ["b", "c", "a"])
        XCTAssertEqual(cases.recordCases, [[2, 0], [0, 1]])
    }

    func testTheSmallestFileIsIndexedFirstAndStandardInputLast() throws {
        let big = T.csv(String(repeating: "x", count: 300))
        let small = T.csv(String(repeating: "x", count: 10))
        let same = T.csv(String(repeating: "y", count: 10))
        let inputs: [InputFile] = [.file(big), .standardInput, .file(small), .file(same), .file("/nonexistent/*.csv")]
        XCTAssertEqual(CaseBuilder.indexOrder(inputs), [2, 3, 0, 1, 4])
    }

    /// A symbolic link to an export (a nightly job's `latest.csv`) counts as the file it names:
    /// its size orders the indexing (and reserves its arrays, and may stream it).
    func testALinkedFileCountsAsTheFileItNames() throws {
        let big = T.csv(String(repeating: "x", count: 300))
        let small = T.csv(String(repeating: "x", count: 10))
        let link = small + ".link.csv", dangling = big + ".dangling.csv"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: small)
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: big + ".gone")
        XCTAssertEqual(fileSize(link), 10)
        XCTAssertNil(fileSize(dangling))
        XCTAssertNil(fileSize(FileManager.default.temporaryDirectory.path))
        XCTAssertEqual(CaseBuilder.indexOrder([.file(big), .file(link)]), [1, 0])
    }

    func testARunsResultDoesNotDependOnWhichSourceIsIndexedFirst() throws {
        let crm = T.csv("id,amount\nA,1\nB,2\nC,3\nA,4\n", name: "crm.csv")
        let acc = T.csv("id,amount,pad\nC,3,xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\nD,4,x\nB,5,x\n", name: "acc.csv")
        func run(_ files: (String, String)) throws -> [String] {
            let sources = [
                T.source("crm", file: files.0, fields: [T.field("id"), T.field("amount", nil, .decimal)], key: ["id"]),
                T.source("acc", file: files.1, fields: [T.field("id"), T.field("amount", nil, .decimal)], key: ["id"]),
            ]
            let rules = [T.rule("both", .counterpart(of: "crm", in: "acc")), T.rule("back", .counterpart(of: "acc", in: "crm")),
                         T.rule("amount", .owned(field: "amount", owner: "acc", copies: ["crm"], tolerance: FixedDecimal(0)))]
            let result = try Engine.run(T.file(sources, rules), options: RunOptions())
            return result.findings.map { "\($0.rule) \($0.key) \($0.fingerprint)" }
        }
        XCTAssertEqual(CaseBuilder.indexOrder([.file(crm), .file(acc)]), [0, 1], "crm.csv is smaller")
        XCTAssertEqual(try run((crm, acc)).count, 4, "A and D one-sided, B's amount, A twice in crm")
        let bigCRM = T.csv("id,amount,note\nA,1,\(String(repeating: "n", count: 400))\nB,2,\nC,3,\nA,4,\n", name: "crm.csv")
        XCTAssertEqual(CaseBuilder.indexOrder([.file(bigCRM), .file(acc)]), [1, 0], "now acc.csv is")
        XCTAssertEqual(try run((bigCRM, acc)), try run((crm, acc)))
    }

    /// The numbering by its definition: a dictionary, source by source, record by record.
    private func modelCases(_ keys: [[String]], order: [Int]) -> Cases {
        var known: [String: Int32] = [:]
        var model = Cases(CaseIndex(sources: keys.count))
        for s in order {
            model.recordCases[s] = keys[s].map { key in
                if !key.isEmpty, let c = known[key] { return c }
                let c = Int32(model.keys.count)
                model.keys.append(key)
                model.missing.append(key.isEmpty)
                if !key.isEmpty { known[key] = c }
                return c
            }
        }
        return model
    }

    /// The larger side's keys in the order of the smaller one's (with keys of either side only
    /// and missing ones between), in no order, and in runs of both: the lookups that try the
    /// case after the last one first, and switch to hashing and back, find the cases of the
    /// definition, on one thread and on two.
    func testKeysInTheSameOrderAsTheIndexedOnesFindTheSameCases() throws {
        // A fixed permutation (7919 is invertible modulo the prime 4001 > every count here).
        func scrambled(_ keys: [String]) -> [String] {
            keys.enumerated().sorted { $0.offset * 7919 % 4001 < $1.offset * 7919 % 4001 }.map(\.element)
        }
        let first = (0..<4000).compactMap { i in i % 23 == 5 ? nil : "INV-\(100_000 + i)" }
        let follows = (0..<4000).compactMap { i -> String? in
            if i % 19 == 3 { return nil }                 // only in the first source
            if i % 31 == 7 { return "NEW-\(i)" }          // only in this one
            return i % 101 == 0 ? "" : "INV-\(100_000 + i)"
        }
        let shuffled = scrambled(follows)
        var runs: [String] = []
        for block in stride(from: 0, to: follows.count, by: 200) {
            let run = Array(follows[block..<min(block + 200, follows.count)])
            runs += block / 200 % 3 == 1 ? scrambled(run) : run
        }
        for second in [follows, shuffled, runs, follows.reversed()] {
            let expected = modelCases([first, second], order: [0, 1])
            XCTAssertEqual(try indexed([first, second], order: [0, 1], parallelRecords: Int.max), expected)
            XCTAssertEqual(try indexed([first, second], order: [0, 1], parallelRecords: 1), expected)
        }
        // A first source with repeated keys (its cases are not its records).
        let repeated = first + first.prefix(50)
        XCTAssertEqual(try indexed([repeated, follows], order: [0, 1], parallelRecords: 1),
                       modelCases([repeated, follows], order: [0, 1]))
    }

    /// A source that brings many more new keys than the index held (a CRM export five times
    /// the bookings): they go in batches into an index sized for all of them at once. New keys
    /// that repeat within a batch and across batches, missing keys between them, and keys of
    /// the first source still find the cases of the definition, whether the first source was
    /// in key order (searched) or not (hashed).
    func testManyNewKeysInBatchesGiveTheCasesOfTheDefinition() throws {
        let sorted = (0..<300).map { "INV-\(100_000 + $0)" }
        let unsorted = sorted.reversed().map { $0 }
        var second: [String] = []
        for i in 0..<3000 {
            switch i % 13 {
            case 0: second.append("")                                    // missing
            case 5: second.append("INV-\(100_000 + i % 300)")            // the first source's
            case 7 where i >= 40: second.append(second[i - 1 - i % 40])   // a repeat, 1 to 40 back
            default: second.append("NEW-\(200_000 + i)")
            }
        }
        for first in [sorted, unsorted] {
            for parallel in [1, Int.max] {
                XCTAssertEqual(try indexed([first, second], order: [0, 1], parallelRecords: parallel),
                               modelCases([first, second], order: [0, 1]))
            }
        }
    }

    /// Many records with missing keys (cases of their own, never indexed) before a source's
    /// new keys: a new key's repeats still find its case.
    func testNewKeysAfterManyMissingOnesKeepTheirCase() throws {
        let first = (0..<10).map { "K\($0)" }
        let second = Array(repeating: "", count: 40) + ["X", "X", "K3", "Y", "X"]
        XCTAssertEqual(try indexed([first, second], order: [0, 1]), modelCases([first, second], order: [0, 1]))
        XCTAssertEqual(try indexed([first, second], order: [0, 1]).recordCases[1].suffix(5), [50, 50, 3, 51, 50])
    }

    /// Keys written with composed and with decomposed accents are one case, whichever source
    /// comes first and whether or not the lookups follow the indexed order.
    func testCanonicallyEquivalentKeysFormOneCaseInEitherOrder() throws {
        let composed = ["A-1", "M\u{FC}ller-2", "\u{212A}-3", "Z-4"]
        let decomposed = ["A-1", "Mu\u{308}ller-2", "K-3", "Z-4"]
        for (a, b) in [(composed, decomposed), (decomposed, composed), (composed, decomposed.reversed())] {
            let cases = try indexed([a, b], order: [0, 1])
            XCTAssertEqual(cases.keys.count, 4)
            XCTAssertEqual(cases, modelCases([a, b], order: [0, 1]))
        }
    }

    /// A first source in ascending byte order (ASCII, none missing) is searched, not hashed.
    func testTheKeyOrderOfAFirstSourceIsCheckedByBytes() {
        func ascending(_ keys: [String], missing: Int? = nil) -> Bool {
            var flags = BitList()
            for i in keys.indices { flags.append(i == missing) }
            return CaseIndex.isAscending(keys, flags)
        }
        XCTAssertTrue(ascending([]))
        XCTAssertTrue(ascending(["A", "B", "Z", "a", "b"]))
        XCTAssertTrue(ascending(["K1", "K10", "K2", "K20", "L"]))
        XCTAssertTrue(ascending(["RE-2026000000", "RE-2026000001", "RE-20260000010", "RE-2026000002"]))
        XCTAssertTrue(ascending(["ABCDEFGH", "ABCDEFGH\u{1F}A", "ABCDEFGI"]))
        XCTAssertFalse(ascending(["A", "A"]))
        XCTAssertFalse(ascending(["B", "A"]))
        XCTAssertFalse(ascending(["ABCDEFGHB", "ABCDEFGHA"]))
        XCTAssertFalse(ascending(["A", "B", "C"], missing: 1))
        XCTAssertFalse(ascending(["A", "M\u{FC}ller", "Z"]))
    }

    /// The search from any starting case finds every key of a sorted list and nothing else,
    /// and finds a key beyond ASCII by its composed form.
    func testSortedSearchFindsExactlyTheKeysFromAnyStart() {
        let keys = (0..<300).map { "INV-\(100_000 + 3 * $0)" }
        for near in [-1, 0, 1, 7, 150, 298, 299, 300, 5000] {
            for (i, key) in keys.enumerated() {
                XCTAssertEqual(CaseIndex.sortedSearch(key, near: near, keys, count: keys.count), Int32(i))
            }
            for absent in ["", "A", "INV-", "INV-100001", "INV-100449", "INV-100898", "INV-100899", "z"] {
                XCTAssertNil(CaseIndex.sortedSearch(absent, near: near, keys, count: keys.count), absent)
            }
            // Only the first `count` keys are searched.
            XCTAssertNil(CaseIndex.sortedSearch(keys[250], near: near, keys, count: 200))
        }
        let letters = ["K-1", "K-2", "M"]
        XCTAssertEqual(CaseIndex.sortedSearch("\u{212A}-2", near: 0, letters, count: 3), 1)
        XCTAssertNil(CaseIndex.sortedSearch("M\u{FC}ller", near: 2, letters, count: 3))
    }

    /// A sorted first source, then sources with keys either side lacks, repeats, missing keys,
    /// keys beyond ASCII equal to its keys, in order and not: the cases of the definition.
    func testSortedFirstSourceGivesTheCasesOfTheDefinition() throws {
        let first = (0..<2000).compactMap { i in i % 17 == 4 ? nil : "K-\(10_000 + i)" }
        XCTAssertTrue(CaseIndex.isAscending(first, { var b = BitList(); for _ in first { b.append(false) }; return b }()))
        var second = (0..<2000).compactMap { i -> String? in
            if i % 13 == 2 { return nil }
            if i % 29 == 5 { return "NEW-\(i % 7)" }   // new keys, repeated
            return i % 97 == 0 ? "" : "K-\(10_000 + i)"
        }
        second[10] = "\u{212A}-10010"   // the Kelvin sign: the same key as "K-10010"
        let third = ["NEW-1", "K-10003", "", "LAST", "NEW-5", "LAST"]
        for two in [second, second.reversed(), second.enumerated().sorted { $0.offset * 7919 % 2003 < $1.offset * 7919 % 2003 }.map(\.element)] {
            let expected = modelCases([first, two, third], order: [0, 1, 2])
            XCTAssertEqual(try indexed([first, two, third], order: [0, 1, 2], parallelRecords: Int.max), expected)
            XCTAssertEqual(try indexed([first, two, third], order: [0, 1, 2], parallelRecords: 1), expected)
        }
    }

    /// Keys in no order against a sorted first source: past the first window of keys that cost
    /// more than a few comparisons each, every case goes into the hash index and the keys are
    /// looked up there (a binary search each took 20 times as long at 5M); the cases are those
    /// of the definition, and the next source finds them through the index.
    func testKeysInNoOrderGiveUpTheSortedSearchForTheHashIndex() throws {
        let n = 40_000
        let first: [String] = (0..<n).map { (i: Int) -> String in "K-\(100_000 + i)" }
        var inOrder: [String] = []
        for i in 0..<n where i % 11 != 3 { inOrder.append(i % 13 == 1 ? "NEW-\(i)" : first[i]) }
        // Fisher-Yates with a fixed linear congruential generator: no order left.
        var shuffled = inOrder
        var state: UInt64 = 20_261_127
        for i in stride(from: shuffled.count - 1, to: 0, by: -1) {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            shuffled.swapAt(i, Int((state >> 33) % UInt64(i + 1)))
        }
        let third = ["NEW-1", "K-100003", "NEW-14", "", "LAST", "LAST"]
        for lanes in [Int.max, 1] {
            // Fresh tables per index: adding a table takes its keys over.
            func tables(_ second: [String]) throws -> [SourceTable] {
                try [first, second, third].enumerated().map { try table("s\($0.offset)", keys: $0.element) }
            }
            let ordered = try tables(inOrder)
            var index = CaseIndex(sources: 3, parallelRecords: lanes)
            index.add(ordered[0], source: 0)
            XCTAssertEqual(index.sortedCount, n)
            index.hashAhead { true }
            index.add(ordered[1], source: 1)
            XCTAssertEqual(index.sortedCount, n, "keys in order keep the search")
            // Hashed ahead not at all, in part (one round of 16,384) and wholly (three rounds).
            for rounds in [0, 1, 3] {
                let unordered = try tables(shuffled)
                var shuffledIndex = CaseIndex(sources: 3, parallelRecords: lanes)
                shuffledIndex.add(unordered[0], source: 0)
                var asked = 0
                shuffledIndex.hashAhead { asked += 1; return asked <= rounds }
                XCTAssertEqual(shuffledIndex.prefixHashed, min(n, 16_384 * rounds))
                shuffledIndex.add(unordered[1], source: 1)
                XCTAssertEqual(shuffledIndex.sortedCount, 0, "keys in no order went to the hash index")
                shuffledIndex.add(unordered[2], source: 2)
                XCTAssertEqual(Cases(shuffledIndex), modelCases([first, shuffled, third], order: [0, 1, 2]))
            }
            index.add(ordered[2], source: 2)
            XCTAssertEqual(Cases(index), modelCases([first, inOrder, third], order: [0, 1, 2]))
        }
    }

    /// A first source whose keys do not repeat (sorted or not) keeps its records' cases as a
    /// count: record `r` is case `r`. Any other source keeps an array; both read alike.
    func testAFirstSourceWithoutRepeatsHoldsNoArrayOfCases() throws {
        for first in [["A", "B", "C"], ["C", "A", "B"], ["A", "", "B"]] {
            var index = CaseIndex(sources: 2)
            index.add(try table("a", keys: first), source: 0)
            index.add(try table("b", keys: ["B", "Z"]), source: 1)
            XCTAssertTrue(index.recordCases[0].isIdentity, "\(first)")
            XCTAssertEqual(index.recordCases[0], [0, 1, 2])
            XCTAssertFalse(index.recordCases[1].isIdentity)
        }
        var repeated = CaseIndex(sources: 1)
        repeated.add(try table("a", keys: ["A", "B", "A"]), source: 0)
        XCTAssertFalse(repeated.recordCases[0].isIdentity)
        XCTAssertEqual(repeated.recordCases[0], [0, 1, 0])
        XCTAssertEqual(RecordCases.identity(3), RecordCases([0, 1, 2]))
        XCTAssertNotEqual(RecordCases.identity(3), RecordCases([0, 1]))
        XCTAssertEqual(Array(RecordCases.identity(4)), [0, 1, 2, 3])
        XCTAssertEqual(RecordCases.identity(4)[3], 3)
    }
}
