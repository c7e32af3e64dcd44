import Foundation

/// The cases of a run by key, built one source at a time: every record's case number, every
/// case's key. Cases are numbered in the order sources are added, each source's new keys in
/// record order, so the same sources added in the same order give the same numbers.
struct CaseIndex {
    private var index = KeyIndex(capacity: 0)
    /// Per case: the normalized key parts joined by U+001F.
    private(set) var keys: [String] = []
    /// Per case: whether the key is missing (a case of one record).
    private(set) var missing: [Bool] = []
    /// Per source (rule file order), per well-formed record: its case; empty until added.
    private(set) var recordCases: [[Int32]]
    /// Folds in the reads ahead so that they are not optimised away.
    private var warm: UInt64 = 0

    /// Records a source needs before its lookups are split across two threads.
    private let parallelRecords: Int

    init(sources: Int, parallelRecords: Int = 1 << 16) {
        recordCases = Array(repeating: [], count: sources)
        self.parallelRecords = parallelRecords
    }

    /// Adds the records of `table`, source `source` of the rule file; takes over its keys (the
    /// case keys hold them from now on: 16 bytes a record less at the peak). Until
    /// `CaseBuilder.finish` gives the table the case keys, a key field its rows do not store
    /// (`RowStore.keyTag`) reads as empty: nothing reads rows in between.
    ///
    /// Keys that earlier sources indexed already are looked up on two threads at once (the
    /// index does not change meanwhile); the rest then go in one by one in record order, so
    /// the numbering is that of one thread.
    mutating func add(_ table: SourceTable, source: Int) {
        let count = table.lines.count
        var keys = table.keys
        let keyMissing = table.keyMissing
        table.keys = []
        table.rows.keyTexts.use(records: [])   // else the table's keys stayed until all are in
        // The loops work on local moves of the index and the case keys: on properties of `self`
        // every insertion retained and released the keys around the index's call (2× slower).
        var index = KeyIndex(capacity: 0), caseKeys: [String] = [], caseMissing: [Bool] = []
        swap(&index, &self.index); swap(&caseKeys, &self.keys); swap(&caseMissing, &missing)
        defer { swap(&index, &self.index); swap(&caseKeys, &self.keys); swap(&caseMissing, &missing) }
        var cases = [Int32](repeating: -1, count: count)
        if caseKeys.isEmpty {
            index = KeyIndex(capacity: count)
            if Self.insertDistinct(keys, keyMissing, into: &cases, &index, warm: &warm) {
                // The keys themselves are the case keys (no copy: 78 MiB at 5M records).
                swap(&caseKeys, &keys)
                caseMissing = (0..<count).map { keyMissing[$0] }
            } else {
                index = KeyIndex(capacity: count)
                cases = [Int32](repeating: -1, count: count)
                warm &+= Self.insertAll(keys, keyMissing, into: &cases, &index, &caseKeys, &caseMissing)
            }
            // Most keys of the other sources are this one's too: room for an eighth more keeps
            // the case keys from doubling (a copy of every key) near the peak of a run. (The
            // loader reserved that room already where it could estimate the records.)
            keys = []
            caseKeys.reserveCapacity(count + count / 8)
            caseMissing.reserveCapacity(count + count / 8)
        } else {
            warm &+= Self.lookUp(keys, keyMissing, into: &cases, index, caseKeys,
                                 lanes: count >= parallelRecords ? 2 : 1)
            for r in 0..<count where cases[r] < 0 {
                cases[r] = keyMissing[r]
                    ? Self.newCase(keys[r], missing: true, &caseKeys, &caseMissing)
                    : Self.caseOf(keys[r], hash: KeyIndex.hash(keys[r]), &index, &caseKeys, &caseMissing)
            }
        }
        recordCases[source] = cases
    }

    /// Indexes the first source's keys as the case keys themselves, case `r` being record `r`,
    /// when no key repeats (the usual export). False at the first repeated key: the caller
    /// starts over with `insertAll`.
    private static func insertDistinct(_ keys: [String], _ keyMissing: BitList, into cases: inout [Int32],
                                       _ index: inout KeyIndex, warm: inout UInt64) -> Bool {
        let batch = KeyIndex.batch
        var hashes = [UInt64](repeating: 0, count: batch)
        var start = 0
        while start < keys.count {
            let end = min(start + batch, keys.count)
            warm &+= index.readAhead(keys, start..<end, hashes: &hashes, caseKeys: keys)
            for r in start..<end {
                let c = Int32(truncatingIfNeeded: r)
                cases[r] = c
                if keyMissing[r] { continue }   // a case of its own, never indexed
                if index.caseOf(keys[r], hash: hashes[r - start], orInsert: c, keys: keys) != nil { return false }
            }
            start = end
        }
        return true
    }

    /// Indexes every key of the first source, in batches: first every key's hash and its first
    /// slot, then the case key that slot names, then the lookups. The reads ahead touch memory
    /// the lookups need, so their cache misses overlap instead of coming one after another
    /// (12% of a 1M run in `perf`). Returns the reads ahead folded (so they stay).
    private static func insertAll(_ keys: [String], _ keyMissing: BitList, into cases: inout [Int32],
                                  _ index: inout KeyIndex, _ caseKeys: inout [String], _ caseMissing: inout [Bool]) -> UInt64 {
        let batch = KeyIndex.batch
        var hashes = [UInt64](repeating: 0, count: batch)
        var warm: UInt64 = 0
        var start = 0
        while start < keys.count {
            let end = min(start + batch, keys.count)
            warm &+= index.readAhead(keys, start..<end, hashes: &hashes, caseKeys: caseKeys)
            for r in start..<end {
                cases[r] = keyMissing[r]
                    ? newCase(keys[r], missing: true, &caseKeys, &caseMissing)
                    : caseOf(keys[r], hash: hashes[r - start], &index, &caseKeys, &caseMissing)
            }
            start = end
        }
        return warm
    }

    /// The cases of the keys indexed already (-1 for the others and for missing keys), looked
    /// up in batches as in `insertAll`, on two threads for a large source. The second is a
    /// thread of its own: called from within the readers' `concurrentPerform`, a nested one
    /// ran its lanes one after the other.
    private static func lookUp(_ keys: [String], _ keyMissing: BitList, into cases: inout [Int32],
                               _ index: KeyIndex, _ caseKeys: [String], lanes: Int) -> UInt64 {
        let count = keys.count
        return cases.withUnsafeMutableBufferPointer { out in
            // Each lane writes its own records' cases only.
            nonisolated(unsafe) let out = out
            let lane: @Sendable (Int) -> UInt64 = { lane in
                let range = lane * count / lanes..<(lane + 1) * count / lanes
                var hashes = [UInt64](repeating: 0, count: KeyIndex.batch)
                var warm: UInt64 = 0
                // Exports of both sides often list their keys in the same order (by invoice
                // number): then a key's case is mostly the one after the last key's, and one
                // comparison with that case's key, in memory read in order, replaces the hash
                // and the index's cache misses. A batch where fewer than half of the keys
                // follow so goes back to hashing with reads ahead, and back again.
                var expected = -1   // the case after the last one found
                var following = true
                var start = range.lowerBound
                while start < range.upperBound {
                    let end = min(start + KeyIndex.batch, range.upperBound)
                    var tried = 0, followed = 0
                    if following {
                        for r in start..<end where !keyMissing[r] {
                            tried &+= 1
                            let key = keys[r]
                            if expected >= 0 && expected < caseKeys.count && caseKeys[expected] == key {
                                // The same key names one indexed case only: a non-missing key
                                // never equals a missing one's (all parts empty).
                                out[r] = Int32(truncatingIfNeeded: expected)
                                expected &+= 1
                                followed &+= 1
                            } else if let c = index.find(key, hash: KeyIndex.hash(key), keys: caseKeys) {
                                out[r] = c
                                expected = Int(c) &+ 1
                            }
                        }
                    } else {
                        warm &+= index.readAhead(keys, start..<end, hashes: &hashes, caseKeys: caseKeys)
                        for r in start..<end where !keyMissing[r] {
                            tried &+= 1
                            guard let c = index.find(keys[r], hash: hashes[r - start], keys: caseKeys) else { continue }
                            out[r] = c
                            if Int(c) == expected { followed &+= 1 }
                            expected = Int(c) &+ 1
                        }
                    }
                    following = followed &* 2 >= tried
                    start = end
                }
                return warm
            }
            guard lanes == 2 else { return lane(0) }
            final class Box: @unchecked Sendable { var warm: UInt64 = 0 }   // written before `done`
            let second = Box(), done = DispatchSemaphore(value: 0)
            Thread { second.warm = lane(1); done.signal() }.start()
            let first = lane(0)
            done.wait()
            return first &+ second.warm
        }
    }

    /// The case of `key`, a new one if it has none yet.
    @inline(__always)
    private static func caseOf(_ key: String, hash: UInt64, _ index: inout KeyIndex,
                               _ caseKeys: inout [String], _ caseMissing: inout [Bool]) -> Int32 {
        if let c = index.caseOf(key, hash: hash, orInsert: Int32(truncatingIfNeeded: caseKeys.count), keys: caseKeys) { return c }
        return newCase(key, missing: false, &caseKeys, &caseMissing)
    }

    @inline(__always)
    private static func newCase(_ key: String, missing: Bool, _ caseKeys: inout [String], _ caseMissing: inout [Bool]) -> Int32 {
        caseKeys.append(key)
        caseMissing.append(missing)
        return Int32(truncatingIfNeeded: caseKeys.count - 1)
    }

    /// The index is no longer needed once every source is in (`CaseBuilder.finish`).
    mutating func dropIndex() {
        index = KeyIndex(capacity: 0)
        if warm == 0x5EED_5EED_5EED_5EED { missing.reserveCapacity(0) }   // keeps the reads ahead
    }
}

/// Indexes each source's keys as soon as it and every source before it in
/// `CaseBuilder.indexOrder` are read, on the thread that read the last of them: the smaller
/// sources are indexed while the larger ones are still being read (`Engine.readSources`).
final class CaseIndexing: @unchecked Sendable {
    private let order: [Int]
    private let lock = NSLock()
    // Guarded by `lock`.
    private var tables: [SourceTable?]
    private var next = 0
    private var busy = false
    private var failed = false
    /// Touched only by the thread that set `busy`, or once every source is read.
    private var index: CaseIndex

    init(order: [Int], parallelRecords: Int = 1 << 16) {
        self.order = order
        tables = Array(repeating: nil, count: order.count)
        index = CaseIndex(sources: order.count, parallelRecords: parallelRecords)
    }

    /// Source `source` is read (`table`), or failed to be (nil: nothing more is indexed).
    func loaded(_ source: Int, _ table: SourceTable?) {
        lock.lock()
        tables[source] = table
        if table == nil { failed = true }
        if busy { lock.unlock(); return }   // the busy thread sees this source next
        busy = true
        while !failed, next < order.count, let ready = tables[order[next]] {
            let s = order[next]
            next += 1
            lock.unlock()
            let started = DispatchTime.now().uptimeNanoseconds
            index.add(ready, source: s)
            PhaseClock.note("index \(ready.def.name) \((DispatchTime.now().uptimeNanoseconds - started) / 1_000_000) ms")
            lock.lock()
        }
        busy = false
        lock.unlock()
    }

    /// Every source's cases, once every source is read and none failed (a source not indexed
    /// yet is added now); the indexing keeps nothing.
    func finished() -> CaseIndex {
        lock.lock()
        defer { lock.unlock() }
        while next < order.count, let table = tables[order[next]] {
            index.add(table, source: order[next])
            next += 1
        }
        var done = CaseIndex(sources: 0)
        swap(&done, &index)
        done.dropIndex()
        return done
    }
}
