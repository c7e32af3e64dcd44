import Foundation
import DemarcCore

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
    private(set) var recordCases: [RecordCases]
    /// Folds in the reads ahead so that they are not optimised away.
    private var warm: UInt64 = 0
    /// Cases `0..<sortedCount` are those of a first source whose keys came in strictly
    /// ascending byte order, all ASCII and none missing (exports listed by invoice number):
    /// they are found by searching their keys, not through the hash index, which holds only
    /// the cases after them. 0: every case is in the hash index.
    private(set) var sortedCount = 0
    /// With sorted cases: a hash index of the first `prefixHashed` of them, made ahead while
    /// the other sources are still being read (`hashAhead`), for keys that do not follow them.
    private var prefixIndex = KeyIndex(capacity: 0)
    private(set) var prefixHashed = 0

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
    ///
    /// `last`: no source is added after this one, so its new keys need no place in the hash
    /// index; where they are distinct too (`SourceTable.keysAscending`), each is simply a case
    /// of its own, in record order.
    mutating func add(_ table: SourceTable, source: Int, last: Bool = false) {
        let count = table.lines.count
        let distinct = table.keysAscending
        var keys = table.keys
        let keyMissing = table.keyMissing
        table.keys = []
        table.rows.keyTexts.use(records: [])   // else the table's keys stayed until all are in
        // The loops work on local moves of the index and the case keys: on properties of `self`
        // every insertion retained and released the keys around the index's call (2× slower).
        var index = KeyIndex(capacity: 0), caseKeys: [String] = [], caseMissing: [Bool] = []
        swap(&index, &self.index); swap(&caseKeys, &self.keys); swap(&caseMissing, &missing)
        defer { swap(&index, &self.index); swap(&caseKeys, &self.keys); swap(&caseMissing, &missing) }
        // Each record's case; none when record `r` is in case `r` (a first source whose keys
        // do not repeat).
        var cases: [Int32] = []
        var identity = false
        if caseKeys.isEmpty && (distinct || Self.isAscending(keys, keyMissing)) {
            // A list in key order is its own index: no hash of 5M keys, no table of their slots.
            identity = true
            swap(&caseKeys, &keys)
            caseMissing = [Bool](repeating: false, count: count)
            sortedCount = count
            index = KeyIndex(capacity: 0, base: Int32(truncatingIfNeeded: count))
            keys = []
            caseKeys.reserveCapacity(count + count / 8)
            caseMissing.reserveCapacity(count + count / 8)
        } else if caseKeys.isEmpty {
            index = KeyIndex(capacity: count)
            cases = [Int32](repeating: -1, count: count)
            if Self.insertDistinct(keys, keyMissing, into: &cases, &index, warm: &warm) {
                // The keys themselves are the case keys (no copy: 78 MiB at 5M records).
                identity = true
                cases = []
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
            cases = [Int32](repeating: -1, count: count)
            let lanes = count >= parallelRecords ? 2 : 1
            if sortedCount > 0
                && !Self.searchSorted(keys, keyMissing, into: &cases, index, caseKeys, sorted: sortedCount, lanes: lanes) {
                // These keys do not follow the sorted ones: every case goes into the hash index
                // (from where `hashAhead` stopped), and they are looked up there.
                var full = KeyIndex(capacity: 0)
                swap(&full, &prefixIndex)
                if prefixHashed == 0 { full = KeyIndex(capacity: caseKeys.count) }
                Self.hash(cases: prefixHashed..<caseKeys.count, into: &full, caseKeys, caseMissing, warm: &warm)
                index = full
                sortedCount = 0
                prefixHashed = 0
                cases = [Int32](repeating: -1, count: count)
            }
            if sortedCount == 0 {
                warm &+= Self.lookUp(keys, keyMissing, into: &cases, index, caseKeys, lanes: lanes)
            }
            if last && distinct {
                // Not found, distinct, and nothing looks them up later: new cases in record
                // order without hashing them (5% of a 5M CRM export: 35 ms on one core).
                for r in 0..<count where cases[r] < 0 {
                    cases[r] = Self.newCase(keys[r], missing: keyMissing[r], &caseKeys, &caseMissing)
                }
                recordCases[source] = RecordCases(cases)
                return
            }
            // The keys not found: new cases in record order, inserted in batches with reads
            // ahead, into an index sized for all of them at once (a CRM export five times the
            // bookings brings millions: one by one, and grown by doubling, they took 1.85 s).
            index.reserve(adding: cases.reduce(0) { $1 < 0 ? $0 + 1 : $0 }, keys: caseKeys)
            var batch: [Int] = [], hashes = [UInt64](repeating: 0, count: KeyIndex.batch)
            batch.reserveCapacity(KeyIndex.batch)
            var r = 0
            while r < count {
                batch.removeAll(keepingCapacity: true)
                while r < count && batch.count < KeyIndex.batch {
                    if cases[r] < 0 { batch.append(r) }
                    r += 1
                }
                warm &+= index.readAhead(keys, batch, hashes: &hashes, caseKeys: caseKeys)
                for (j, miss) in batch.enumerated() {
                    cases[miss] = keyMissing[miss]
                        ? Self.newCase(keys[miss], missing: true, &caseKeys, &caseMissing)
                        : Self.caseOf(keys[miss], hash: hashes[j], &index, &caseKeys, &caseMissing)
                }
            }
        }
        recordCases[source] = identity ? .identity(count) : RecordCases(cases)
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
    /// up in batches as in `insertAll`, on two threads for a large source (`inLanes`).
    private static func lookUp(_ keys: [String], _ keyMissing: BitList, into cases: inout [Int32],
                               _ index: KeyIndex, _ caseKeys: [String], lanes: Int) -> UInt64 {
        inLanes(lanes, into: &cases) { range, out in
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
        }.reduce(0, &+)
    }

    /// Runs `body` over the records `0..<cases.count` in `lanes` (1 or 2) ranges at once, each
    /// writing its own records' cases only; the lanes' results in order. The second lane is a
    /// thread of its own: called from within the readers' `concurrentPerform`, a nested one
    /// ran its lanes one after the other.
    private static func inLanes(_ lanes: Int, into cases: inout [Int32],
                                _ body: @escaping @Sendable (Range<Int>, UnsafeMutableBufferPointer<Int32>) -> UInt64) -> [UInt64] {
        let count = cases.count
        return cases.withUnsafeMutableBufferPointer { out in
            nonisolated(unsafe) let out = out
            guard lanes == 2 else { return [body(0..<count, out)] }
            final class Box: @unchecked Sendable { var result: UInt64 = 0 }   // written before `done`
            let second = Box(), done = DispatchSemaphore(value: 0)
            Thread { second.result = body(count / 2..<count, out); done.signal() }.start()
            let first = body(0..<count / 2, out)
            done.wait()
            return [first, second.result]
        }
    }

    /// The cases of keys among the sorted first source's (`sortedSearch`, from the case after
    /// the last one found) or the hash index's (-1 for the others and for missing keys). False,
    /// with the cases unfinished, once a lane's keys took more than 4 comparisons each over
    /// 4,096 of them (and the other lane stops at its next 4,096): keys in no order cost a
    /// binary search each, 23 cache misses at 5M (a shuffled 5M file took 8 s against 0.4 s
    /// through the hash index).
    private static func searchSorted(_ keys: [String], _ keyMissing: BitList, into cases: inout [Int32],
                                     _ index: KeyIndex, _ caseKeys: [String], sorted: Int, lanes: Int) -> Bool {
        let window = 4_096
        final class GiveUp: @unchecked Sendable {   // `given` is read and written under `lock`
            let lock = NSLock()
            var given = false
            func check(_ now: Bool) -> Bool {
                lock.lock()
                defer { lock.unlock() }
                if now { given = true }
                return given
            }
        }
        let giveUp = GiveUp()
        _ = inLanes(lanes, into: &cases) { range, out in
            var expected = -1   // the case after the last one found
            var steps = 0, searched = 0
            for r in range where !keyMissing[r] {
                let key = keys[r]
                steps &+= 1
                if expected >= 0 && expected < caseKeys.count && caseKeys[expected] == key {
                    out[r] = Int32(truncatingIfNeeded: expected)
                    expected &+= 1
                } else if let c = sortedSearch(key, near: expected, caseKeys, count: sorted, steps: &steps)
                            ?? (index.isEmpty ? nil : index.find(key, keys: caseKeys)) {
                    out[r] = c
                    expected = Int(c) &+ 1
                }
                searched &+= 1
                if searched == window {
                    if giveUp.check(steps > 4 &* window) { return 0 }
                    steps = 0; searched = 0
                }
            }
            return 0
        }
        return !giveUp.check(false)
    }

    /// Indexes the cases `range` but the missing ones (case `c` under `caseKeys[c]`).
    private static func hash(cases range: Range<Int>, into index: inout KeyIndex, _ caseKeys: [String],
                             _ caseMissing: [Bool], warm: inout UInt64) {
        var hashes = [UInt64](repeating: 0, count: KeyIndex.batch)
        var start = range.lowerBound
        while start < range.upperBound {
            let end = min(start + KeyIndex.batch, range.upperBound)
            warm &+= index.readAhead(caseKeys, start..<end, hashes: &hashes, caseKeys: caseKeys)
            for c in start..<end where !caseMissing[c] {
                _ = index.caseOf(caseKeys[c], hash: hashes[c - start], orInsert: Int32(truncatingIfNeeded: c), keys: caseKeys)
            }
            start = end
        }
    }

    /// With sorted cases, hashes them ahead, 16,384 at a time while `keepGoing` says so (the
    /// next source is still being read): the time the first source's thread would otherwise
    /// wait goes into the hash index that keys in no order need, so that they do not wait for
    /// it; keys that follow the sorted ones never use it.
    mutating func hashAhead(while keepGoing: () -> Bool) {
        guard prefixHashed < sortedCount else { return }
        var index = KeyIndex(capacity: 0)
        swap(&index, &prefixIndex)
        defer { swap(&index, &prefixIndex) }
        if prefixHashed == 0 { index = KeyIndex(capacity: sortedCount + sortedCount / 8) }
        let caseKeys = keys, caseMissing = missing
        while prefixHashed < sortedCount && keepGoing() {
            let end = min(prefixHashed + 16_384, sortedCount)
            Self.hash(cases: prefixHashed..<end, into: &index, caseKeys, caseMissing, warm: &warm)
            prefixHashed = end
        }
    }

    /// Whether every key is present, ASCII and greater than the one before in byte order: then
    /// the keys are distinct, and a key's byte order agrees with `String`'s equality.
    static func isAscending(_ keys: [String], _ keyMissing: BitList) -> Bool {
        var previous: String? = nil
        for r in keys.indices {
            if keyMissing[r] { return false }
            var key = keys[r]
            guard key.withUTF8({ ASCIIBytes.isASCII(UnsafeRawBufferPointer($0)) }) else { return false }
            if let previous, byteOrder(key, previous) <= 0 { return false }
            previous = key
        }
        return true
    }

    /// The case among `caseKeys[0..<count]` (ASCII keys in ascending byte order) whose key is
    /// `key`: searched from `near` outwards in steps that double, then by halves between the
    /// last two steps. A key beyond ASCII is searched as the ASCII key it is canonically
    /// equivalent to, if any (`KeyIndex.asciiForm`).
    static func sortedSearch(_ key: String, near: Int, _ caseKeys: [String], count: Int) -> Int32? {
        var steps = 0
        return sortedSearch(key, near: near, caseKeys, count: count, steps: &steps)
    }

    /// `sortedSearch(_:near:_:count:)`, adding the keys compared to `steps`.
    static func sortedSearch(_ key: String, near: Int, _ caseKeys: [String], count: Int, steps: inout Int) -> Int32? {
        var text = key
        if !text.withUTF8({ ASCIIBytes.isASCII(UnsafeRawBufferPointer($0)) }) {
            guard let ascii = KeyIndex.asciiForm(key) else { return nil }
            text = ascii
        }
        var low = 0, high = count   // the key, if there, is in low..<high
        if near >= 0 && near < count {
            steps &+= 1
            let order = byteOrder(text, caseKeys[near])
            if order == 0 { return Int32(truncatingIfNeeded: near) }
            var step = 1
            if order > 0 {
                low = near + 1
                while near + step < count {
                    let probe = near + step
                    steps &+= 1
                    let o = byteOrder(text, caseKeys[probe])
                    if o == 0 { return Int32(truncatingIfNeeded: probe) }
                    if o < 0 { high = probe; break }
                    low = probe + 1
                    step <<= 1
                }
            } else {
                high = near
                while near - step >= 0 {
                    let probe = near - step
                    steps &+= 1
                    let o = byteOrder(text, caseKeys[probe])
                    if o == 0 { return Int32(truncatingIfNeeded: probe) }
                    if o > 0 { low = probe + 1; break }
                    high = probe
                    step <<= 1
                }
            }
        }
        while low < high {
            let mid = low + (high - low) / 2
            steps &+= 1
            let o = byteOrder(text, caseKeys[mid])
            if o == 0 { return Int32(truncatingIfNeeded: mid) }
            if o < 0 { high = mid } else { low = mid + 1 }
        }
        return nil
    }

    /// `a` against `b` in the byte order of their UTF-8: negative, 0 or positive.
    @inline(__always)
    static func byteOrder(_ a: String, _ b: String) -> Int {
        var a = a, b = b
        return a.withUTF8 { x in b.withUTF8 { y in ASCIIBytes.order(UnsafeRawBufferPointer(x), UnsafeRawBufferPointer(y)) } }
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
        prefixIndex = KeyIndex(capacity: 0)
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
    /// Once this thread has nothing but hashing ahead to do, it offers `help` to a reader still
    /// reading (not before: a reader that took it would wait for the indexing), and stops
    /// hashing ahead for the reader's call. Returns whether it offered.
    @discardableResult
    func loaded(_ source: Int, _ table: SourceTable?, help: ReadHelp? = nil) -> Bool {
        var offered = false
        lock.lock()
        tables[source] = table
        if table == nil { failed = true }
        if busy { lock.unlock(); return offered }   // the busy thread sees this source next
        busy = true
        while !failed, next < order.count, let ready = tables[order[next]] {
            let s = order[next]
            next += 1
            lock.unlock()
            let started = DispatchTime.now().uptimeNanoseconds
            index.add(ready, source: s, last: next == order.count)
            PhaseClock.note("index \(ready.def.name) \((DispatchTime.now().uptimeNanoseconds - started) / 1_000_000) ms")
            if let help, !offered {
                help.offer()
                offered = true
            }
            // Until the next source is read, this thread would wait: sorted keys are hashed ahead.
            index.hashAhead { nextIsUnread() && !(help?.hasJob ?? false) }
            lock.lock()
        }
        busy = false
        lock.unlock()
        return offered
    }

    /// Whether a source is still to be indexed and not read yet.
    private func nextIsUnread() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return !failed && next < order.count && tables[order[next]] == nil
    }

    /// Every source's cases, once every source is read and none failed (a source not indexed
    /// yet is added now); the indexing keeps nothing.
    func finished() -> CaseIndex {
        lock.lock()
        defer { lock.unlock() }
        while next < order.count, let table = tables[order[next]] {
            index.add(table, source: order[next], last: next + 1 == order.count)
            next += 1
        }
        var done = CaseIndex(sources: 0)
        swap(&done, &index)
        done.dropIndex()
        return done
    }
}

/// Per record of a source: its case. A first source whose keys do not repeat has case `r` for
/// record `r`, held as a count instead of an array (20 MB at 5M records, kept until the report
/// reads the key fields through it).
struct RecordCases: RandomAccessCollection, ExpressibleByArrayLiteral, Equatable, Sendable {
    private var cases: [Int32]
    /// The count, when record `r` is in case `r`; -1 when `cases` says.
    private var identity: Int

    init(_ cases: [Int32]) {
        self.cases = cases
        identity = -1
    }

    init(arrayLiteral cases: Int32...) { self.init(cases) }

    /// Record `r` in case `r`, for `count` records.
    static func identity(_ count: Int) -> RecordCases {
        var cases = RecordCases([])
        cases.identity = count
        return cases
    }

    /// Whether record `r` is in case `r`, with no array behind.
    var isIdentity: Bool { identity >= 0 }

    var startIndex: Int { 0 }
    var endIndex: Int { identity >= 0 ? identity : cases.count }

    @inline(__always) subscript(record: Int) -> Int32 {
        identity >= 0 ? Int32(truncatingIfNeeded: record) : cases[record]
    }

    /// The case numbers as an array (empty for an identity).
    var numbers: [Int32] { cases }

    static func == (a: RecordCases, b: RecordCases) -> Bool { a.elementsEqual(b) }
}
