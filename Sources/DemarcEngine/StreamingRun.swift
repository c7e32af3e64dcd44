import Foundation
import DemarcCore
import DemarcReaders
import DemarcRules

/// A run over two `cardinality: one` sources that keeps only the smaller one in memory.
///
/// The smaller file is read whole and indexed by key; the larger one is read on its own thread
/// and handed over in blocks of records, each checked as it arrives: its records form cases
/// with the indexed side's, the rules and implicit checks run over those cases, and only the
/// records that findings show are kept. The cases of the indexed side that no streamed record
/// reached are checked last. Memory grows with the smaller side (records, key index) and the
/// findings; the larger side's keys are kept only where the smaller side lacks them (for
/// `duplicate-key`). The findings are the same as the full engine's (`CaseBuilder`), whose
/// cases are the same; only the order they are made in differs, and the result is sorted.
struct StreamingRun {
    let file: RuleFile
    let inputs: [InputFile]
    let asOf: Day
    let normalizer: KeyNormalizer
    let selected: Set<String>
    let options: RunOptions
    /// Positions of the indexed (smaller) and the streamed (larger) source.
    let indexed: Int
    let streamed: Int

    /// A streaming run, when the rule file allows one and it pays: two sources, both
    /// `cardinality: one`, each one regular file (no pattern, not standard input), the larger
    /// one csv or xml and, by an estimate of their lines, at least 3 times the other. Below
    /// that, reading both whole on both cores is faster and holds about as much (the streamed
    /// side reads ahead while the other is read, so that both cores work).
    /// `DEMARC_ENGINE=streaming` or `full`, or `RunOptions.streaming`, decides instead.
    init?(_ file: RuleFile, inputs: [InputFile], asOf: Day, normalizer: KeyNormalizer,
          selected: Set<String>, options: RunOptions) {
        let forced = options.streaming ?? ["streaming": true, "full": false][
            ProcessInfo.processInfo.environment["DEMARC_ENGINE"] ?? ""]
        guard forced != false, file.sources.count == 2, inputs.count == 2,
              file.sources.allSatisfy({ $0.cardinality == .one }) else { return nil }
        var sizes: [Int] = []
        for input in inputs {
            guard let path = input.path, !SourceGlob.isPattern(path), let size = fileSize(path) else { return nil }
            sizes.append(size)
        }
        let larger = sizes[1] > sizes[0] ? 1 : 0
        guard [.csv, .xml].contains(file.sources[larger].format) else { return nil }
        if forced == nil {
            guard let big = estimatedLines(inputs[larger].path, size: sizes[larger]),
                  let small = estimatedLines(inputs[1 - larger].path, size: sizes[1 - larger]),
                  big >= 3 * small else { return nil }
        }
        self.file = file; self.inputs = inputs; self.asOf = asOf; self.normalizer = normalizer
        self.selected = selected; self.options = options
        streamed = larger
        indexed = 1 - larger
    }

    /// Reads both sources and checks every case.
    func run(clock: inout PhaseClock) throws -> Engine.Checked {
        // While the indexed side is read and indexed, the streamed one reads ahead without
        // bound: both cores work, and what waits is about as many records as the indexed side
        // has (so memory still grows with the smaller side). Then at most 4 blocks wait.
        let queue = BoundedQueue<SourceTable>(capacity: .max)
        let streamedResult = ResultBox()
        var streamer = loader(streamed)
        streamer.blockSize = max(1, options.streamBlockRecords)
        streamer.onBlock = { block in queue.put(block) }
        let reading = DispatchGroup()
        let job = StreamJob(loader: streamer)
        DispatchQueue.global().async(group: reading) {
            let result = Result { try job.loader.load() }
            streamedResult.set(result)
            queue.close()
        }

        let indexedResult = Result { try loader(indexed).load() }
        guard case .success(let table) = indexedResult else {
            // The streamed side is read to its end all the same: the first failure in source
            // order is the one reported, as when both are read whole.
            queue.stop()
            reading.wait()
            throw firstFailure(indexedResult, streamedResult.get())
        }
        clock.lap("read \(table.def.name)")

        // The streamed side goes on reading ahead while the index is built: bounding it first
        // stalled its reader for the whole build (a second on one core at 5M records).
        var state = IndexedSide(table, rules: file, selected: selected, asOf: asOf, streamedOrder: streamed)
        queue.limit(to: 4)
        let kept = SourceTable(def: file.sources[streamed], order: streamed, file: inputs[streamed].displayName)
        var drafts = DraftList()
        var streamedMalformed = 0
        while let block = queue.take() {
            streamedMalformed += block.malformedRecordCount
            state.check(block, kept: kept, into: &drafts)
        }
        reading.wait()
        guard let streamedTable = try? streamedResult.get()?.get() else {
            throw firstFailure(indexedResult, streamedResult.get())
        }
        clock.lap("read \(kept.def.name) and check its cases")
        options.progress?("matching \(table.lines.count + state.streamedRecords) records")
        state.checkRest(emptyStreamed: SourceTable(
            def: file.sources[streamed], order: streamed, file: inputs[streamed].displayName), into: &drafts)
        options.progress?("checking \(state.cases) cases against \(selected.count) rules")

        kept.readSummary = streamedTable.readSummary
        kept.recordCount = streamedTable.recordCount
        kept.files = streamedTable.files
        kept.streamedMalformedCount = streamedMalformed
        var tables = [table, kept]
        var accounts = [state.indexedAccount(), state.streamedAccount(read: kept.recordCount)]
        if indexed > streamed { tables.reverse(); accounts.reverse() }
        try RecordAccounting.verify(accounts, names: tables.map(\.def.name))
        table.caseRow = []
        table.caseState = []
        clock.lap("rules")
        return Engine.Checked(tables: tables, accounts: accounts, drafts: drafts, cases: state.cases)
    }

    private func loader(_ i: Int) -> SourceLoader {
        SourceLoader(def: file.sources[i], order: i, input: inputs[i], asOf: asOf, calendar: file.calendar,
                     normalizer: normalizer, progress: options.readProgress)
    }

    /// The error of the first source in rule file order that failed.
    private func firstFailure(_ indexedResult: Result<SourceTable, Error>,
                              _ streamedResult: Result<SourceTable, Error>?) -> Error {
        var failures: [(Int, Error)] = []
        if case .failure(let e) = indexedResult { failures.append((indexed, e)) }
        if case .failure(let e)? = streamedResult { failures.append((streamed, e)) }
        return failures.min { $0.0 < $1.0 }?.1 ?? DemarcError.internalError("a source was not read")
    }
}

/// The indexed side of a streaming run: its cases by key, and what the streamed side has
/// contributed to them so far.
private struct IndexedSide {
    let table: SourceTable
    let file: RuleFile
    let selected: Set<String>
    let asOf: Day
    let streamedOrder: Int
    private var index: KeyIndex
    /// The indexed side's case keys, and each of its records' case.
    private var caseKeys: [String] = []
    private var recordCases: [Int32] = []
    /// Per case of the indexed side: its first record, whether its key is missing, and the line
    /// of the first streamed record with the key (-1: none yet).
    private var firstRecord: [Int32] = []
    private var missing: [Bool] = []
    private var streamedLine: [Int32] = []
    private var streamedOccurrences = Occurrences<Int32>()
    /// Keys of streamed records the indexed side lacks: the first one's line.
    private var streamedOnly: [String: Int32] = [:]
    private var streamedOnlyOccurrences = Occurrences<String>()
    private(set) var cases = 0
    private(set) var streamedRecords = 0
    private var streamedMatched = 0
    private var streamedMalformed = 0

    init(_ table: SourceTable, rules file: RuleFile, selected: Set<String>, asOf: Day, streamedOrder: Int) {
        self.table = table; self.file = file; self.selected = selected; self.asOf = asOf
        self.streamedOrder = streamedOrder
        // Local arrays, moved into `keys` at the end: a class's properties cost a dynamic
        // exclusivity check on every access in the loop.
        let n = table.lines.count
        let recordKeys = table.keys, keyMissing = table.keyMissing, lines = table.lines
        table.keys = []   // the case keys hold them now
        index = KeyIndex(capacity: n)
        var caseKeys: [String] = []
        var recordCases = [Int32](repeating: 0, count: n)
        var occurrences = Occurrences<Int32>()
        caseKeys.reserveCapacity(n)
        let batch = KeyIndex.batch
        var hashes = [UInt64](repeating: 0, count: batch)
        var warm: UInt64 = 0
        for r in 0..<n {
            if r % batch == 0 {
                warm &+= index.readAhead(recordKeys, r..<min(r + batch, n), hashes: &hashes, caseKeys: caseKeys)
            }
            let key = recordKeys[r]
            let next = Int32(truncatingIfNeeded: caseKeys.count)
            if !keyMissing[r], let c = index.caseOf(key, hash: hashes[r % batch], orInsert: next, keys: caseKeys) {
                recordCases[r] = c
                let first = lines[Int(firstRecord[Int(c)])]
                table.duplicates.append(DuplicateEntry(record: Int32(r), firstLine: first, occurrence: occurrences.next(c)))
                continue
            }
            recordCases[r] = next
            caseKeys.append(key)
            firstRecord.append(Int32(r))
            missing.append(keyMissing[r])
        }
        if warm == 0x5EED_5EED_5EED_5EED { hashes.reserveCapacity(0) }   // keeps the reads ahead
        streamedLine = [Int32](repeating: -1, count: firstRecord.count)
        self.caseKeys = caseKeys
        self.recordCases = recordCases
        table.rows.keyTexts.use(caseKeys: caseKeys, recordCases: RecordCases(recordCases))
    }

    /// The findings of one block of streamed records, appended to `drafts`; the records they
    /// show go to `kept`.
    mutating func check(_ block: SourceTable, kept: SourceTable, into drafts: inout DraftList) {
        streamedMalformed += block.malformed.count
        var cases = CaseColumns()
        let keys = block.keys, keyMissing = block.keyMissing, lines = block.lines
        // The lookups in the (large) index go a batch at a time (`KeyIndex.readAhead`).
        let batch = KeyIndex.batch
        var hashes = [UInt64](repeating: 0, count: batch)
        var warm: UInt64 = 0
        for r in 0..<lines.count {
            if r % batch == 0 {
                warm &+= index.readAhead(keys, r..<min(r + batch, lines.count), hashes: &hashes, caseKeys: caseKeys)
            }
            streamedRecords += 1
            let key = keys[r]
            if keyMissing[r] {
                cases.add(key: key, missing: true, indexed: -1, streamed: r)
                continue
            }
            if let c = index.find(key, hash: hashes[r % batch], keys: caseKeys).map(Int.init) {
                streamedMatched += 1
                if streamedLine[c] >= 0 {
                    block.duplicates.append(DuplicateEntry(record: Int32(r), firstLine: streamedLine[c],
                                                           occurrence: streamedOccurrences.next(Int32(c))))
                    continue
                }
                streamedLine[c] = lines[r]
                cases.add(key: key, missing: false, indexed: firstRecord[c], streamed: r)
            } else if let first = streamedOnly[key] {
                block.duplicates.append(DuplicateEntry(record: Int32(r), firstLine: first,
                                                       occurrence: streamedOnlyOccurrences.next(key)))
            } else {
                streamedOnly[key] = lines[r]
                cases.add(key: key, missing: false, indexed: -1, streamed: r)
            }
        }
        if warm == 0x5EED_5EED_5EED_5EED { hashes.reserveCapacity(0) }   // keeps the reads ahead
        let first = drafts.count
        run(cases, streamed: block, recordChecks: block, into: &drafts)
        keep(&drafts, from: first, of: block, in: kept)
    }

    /// The findings of the indexed side's cases that no streamed record reached, and of its
    /// records' implicit checks, appended to `drafts`.
    mutating func checkRest(emptyStreamed: SourceTable, into drafts: inout DraftList) {
        var cases = CaseColumns()
        for c in 0..<firstRecord.count where streamedLine[c] < 0 {
            cases.add(key: caseKeys[c], missing: missing[c], indexed: firstRecord[c], streamed: -1)
        }
        run(cases, streamed: emptyStreamed, recordChecks: table, into: &drafts)
    }

    /// Runs the selected rules and the implicit checks over `cases`, appending to `drafts`; the
    /// record checks only over the records of `recordChecks`.
    private mutating func run(_ cases: CaseColumns, streamed: SourceTable, recordChecks: SourceTable,
                              into drafts: inout DraftList) {
        let tables = table.order < streamed.order ? [table, streamed] : [streamed, table]
        let store = CaseStore(tables: tables)
        store.keys = cases.keys
        store.missing = cases.missing
        table.caseRow = cases.indexed
        table.caseState = states(table, rows: cases.indexed)
        streamed.caseRow = cases.streamed
        streamed.caseState = states(streamed, rows: cases.streamed)
        self.cases += store.count

        let checker = RuleChecker(store: store, asOf: asOf, calendar: file.calendar)
        for (rank, rule) in file.rules.enumerated() where selected.contains(rule.id) {
            checker.check(rule, rank: rank, into: &drafts)
        }
        var implicit = ImplicitChecker(store: store, severity: file.implicitSeverity, baseRank: file.rules.count)
        implicit.recordChecks = [tables.firstIndex { $0 === recordChecks } ?? 0]
        implicit.check(into: &drafts)
    }

    /// Per case: the class of the source's record, `CaseState.absent` without one.
    private func states(_ table: SourceTable, rows: [Int32]) -> [Int16] {
        let classified = !table.recordState.isEmpty
        return rows.map { r in
            r < 0 ? CaseState.absent : (classified ? table.recordState[Int(r)] : CaseState.unclassified)
        }
    }

    /// Copies the streamed records that the findings `drafts[first...]` show into `kept`, and
    /// points those findings there.
    private func keep(_ drafts: inout DraftList, from first: Int, of block: SourceTable, in kept: SourceTable) {
        var moved: [Int: Int] = [:]
        var row = [Value](repeating: .unknown, count: block.width)
        for i in first..<drafts.count {
            drafts[i].records.remap(source: streamedOrder) { r in
                if let k = moved[r] { return k }
                for f in 0..<block.width { row[f] = block.rows[r, f] }
                kept.rows.append(row)
                kept.lines.append(block.lines[r])
                moved[r] = kept.lines.count - 1
                return kept.lines.count - 1
            }
            if let (s, entry) = drafts[i].malformed, s == streamedOrder {
                kept.malformed.append(block.malformed[entry])
                drafts[i].malformed = (s, kept.malformed.count - 1)
            }
        }
    }

    /// The indexed side's records: matched when a streamed record shares their key.
    func indexedAccount() -> RecordAccount {
        var matched = 0
        for c in recordCases where streamedLine[Int(c)] >= 0 { matched += 1 }
        return RecordAccount(read: table.recordCount, malformedRecords: table.malformed.count,
                             matched: matched, unmatched: recordCases.count - matched)
    }

    /// The streamed side's records: matched when the indexed side has their key.
    func streamedAccount(read: Int) -> RecordAccount {
        RecordAccount(read: read, malformedRecords: streamedMalformed,
                      matched: streamedMatched, unmatched: streamedRecords - streamedMatched)
    }
}

/// The cases of one block, column by column.
private struct CaseColumns {
    var keys: [String] = []
    var missing: [Bool] = []
    var indexed: [Int32] = []
    var streamed: [Int32] = []

    mutating func add(key: String, missing isMissing: Bool, indexed i: Int32, streamed s: Int) {
        keys.append(key)
        missing.append(isMissing)
        indexed.append(i)
        streamed.append(Int32(truncatingIfNeeded: s))
    }
}

/// The streamed side's outcome, set on its reading thread.
private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Result<SourceTable, Error>?

    func set(_ result: Result<SourceTable, Error>) {
        lock.lock(); value = result; lock.unlock()
    }

    func get() -> Result<SourceTable, Error>? {
        lock.lock(); defer { lock.unlock() }
        return value
    }
}

/// The streamed side's loader, handed to its thread.
private final class StreamJob: @unchecked Sendable {
    let loader: SourceLoader
    init(loader: SourceLoader) { self.loader = loader }
}
