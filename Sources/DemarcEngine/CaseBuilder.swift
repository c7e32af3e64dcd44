import Dispatch
import DemarcCore
import DemarcReaders
import DemarcRules

/// Every case of a run: records of all sources that share a normalized key.
final class CaseStore: @unchecked Sendable {
    let tables: [SourceTable]
    /// Per case: the normalized key parts joined by U+001F.
    var keys: [String] = []
    /// Per case: whether the key is missing (all parts empty; a case of one record).
    var missing: [Bool] = []
    /// Per source, per well-formed record: its case (for the record accounting).
    var recordCases: [RecordCases] = []
    private let names: [String]

    init(tables: [SourceTable]) {
        self.tables = tables
        names = tables.map(\.def.name)
    }

    var count: Int { keys.count }

    /// The table of the source named `name`. A linear scan: rule files have a handful of
    /// sources, and comparing small strings beats hashing them (hashing showed in profiles).
    @inline(__always) func table(_ name: String) -> SourceTable? {
        for i in 0..<names.count where names[i] == name { return tables[i] }
        return nil
    }

    /// The key parts of a case.
    func keyParts(_ caseIndex: Int) -> [String] {
        splitKey(keys[caseIndex], parts: tables.first?.def.key.count ?? 1)
    }

    /// Drops the cases and the tables' per-case columns once every check has run; the
    /// tables keep their records (rows, lines, malformed entries) for the findings.
    func releaseCases() {
        keys = []
        missing = []
        recordCases = []
        for table in tables {
            table.caseRow = []
            table.caseState = []
            table.duplicates = []
            table.groupRows = []
            table.groupStart = []
            table.groupMembers = []
        }
    }

    /// The key parts of a well-formed record of `table` (its own keys, or its case's once the
    /// cases are built: `KeyTexts`).
    func keyParts(record: Int, of table: SourceTable) -> [String] {
        guard let key = table.rows.keyTexts.key(record: record) else { return [] }
        return splitKey(key, parts: table.def.key.count)
    }
}

/// Forms cases by key across sources, finds duplicates and aggregates groups (RULES.md,
/// Matching; DETAILS.md 15-18).
enum CaseBuilder {
    /// Builds the cases; fills each table's per-case columns.
    static func build(_ tables: [SourceTable], asOf: Day, calendar: Calendar?) -> CaseStore {
        var index = CaseIndex(sources: tables.count)
        for (i, table) in tables.enumerated() { index.add(table, source: i) }
        index.dropIndex()
        return finish(index, tables: tables, asOf: asOf, calendar: calendar)
    }

    /// The order in which sources are indexed (and so their cases numbered): the smallest file
    /// first, so that it is indexed while the larger ones are still being read
    /// (`CaseIndexing`); sizes are known before reading, so the order is the inputs'. Standard
    /// input and file patterns go last; ties keep the rule file's order.
    static func indexOrder(_ inputs: [InputFile]) -> [Int] {
        let sizes = inputs.map { $0.path.flatMap(fileSize) ?? Int.max }
        return inputs.indices.sorted { sizes[$0] != sizes[$1] ? sizes[$0] < sizes[$1] : $0 < $1 }
    }

    /// Fills the store and the tables' per-case columns from the index of every source.
    static func finish(_ index: CaseIndex, tables: [SourceTable], asOf: Day, calendar: Calendar?) -> CaseStore {
        let store = CaseStore(tables: tables)
        store.keys = index.keys
        store.missing = index.missing
        store.recordCases = index.recordCases
        // Key fields not stored in the rows read their text through the cases from now on.
        for (t, table) in tables.enumerated() {
            table.rows.keyTexts.use(caseKeys: store.keys, recordCases: store.recordCases[t])
        }
        // Each table on its own, both cores at once (each call writes its own table only):
        // 43 -> 24 ms at 5M records a side.
        let recordCases = store.recordCases, caseCount = store.count
        DispatchQueue.concurrentPerform(iterations: tables.count) { t in
            let table = tables[t]
            if table.isGrouped {
                buildGroups(table, recordCases: recordCases[t], caseCount: caseCount, asOf: asOf, calendar: calendar)
            } else {
                assignRecords(table, recordCases: recordCases[t], caseCount: caseCount)
            }
        }
        return store
    }

    /// `cardinality: one`: the first record per case; later ones are duplicates.
    private static func assignRecords(_ table: SourceTable, recordCases: RecordCases, caseCount: Int) {
        var caseRow = [Int32](repeating: -1, count: caseCount)
        var caseState = [Int16](repeating: CaseState.absent, count: caseCount)
        var occurrences = Occurrences<Int32>()
        let recordState = table.recordState   // a local copy: no exclusivity check per record
        let classified = !recordState.isEmpty
        for r in 0..<recordCases.count {
            let c = Int(recordCases[r])
            if caseRow[c] < 0 {
                caseRow[c] = Int32(r)
                caseState[c] = classified ? recordState[r] : CaseState.unclassified
            } else {
                table.duplicates.append(DuplicateEntry(record: Int32(r), firstLine: table.lines[Int(caseRow[c])],
                                                       occurrence: occurrences.next(Int32(c))))
            }
        }
        table.caseRow = caseRow
        table.caseState = caseState
        table.recordState = []   // the cases hold what the rules read (10 MB at 5M records)
    }

    /// `cardinality: many`: one group per case, aggregated per `group:`, then classified.
    private static func buildGroups(_ table: SourceTable, recordCases: RecordCases, caseCount: Int,
                                    asOf: Day, calendar: Calendar?) {
        var caseRow = [Int32](repeating: -1, count: caseCount)
        var sizes: [Int32] = []
        for r in 0..<recordCases.count {
            let c = Int(recordCases[r])
            if caseRow[c] < 0 {
                caseRow[c] = Int32(sizes.count)
                sizes.append(0)
            }
            sizes[Int(caseRow[c])] += 1
        }
        // Counting sort: members of group g are contiguous and in file order.
        var start = [Int32](repeating: 0, count: sizes.count + 1)
        for g in 0..<sizes.count { start[g + 1] = start[g] + sizes[g] }
        var fill = start
        var members = [Int32](repeating: 0, count: recordCases.count)
        for r in 0..<recordCases.count {
            let g = Int(caseRow[Int(recordCases[r])])
            members[Int(fill[g])] = Int32(r)
            fill[g] += 1
        }
        table.caseRow = caseRow
        table.groupStart = start
        table.groupMembers = members

        let modes = table.def.fields.map { table.def.group[$0.name] ?? .last }
        var groupRows: [Value] = []
        groupRows.reserveCapacity(sizes.count * table.width)
        for g in 0..<sizes.count {
            let range = Int(start[g])..<Int(start[g + 1])
            for f in 0..<table.width {
                groupRows.append(aggregate(modes[f], table: table, members: members[range], field: f))
            }
        }
        table.groupRows = groupRows

        var caseState = [Int16](repeating: CaseState.absent, count: caseCount)
        let classifier = StateClassifier(table.def, fieldIndex: table.fieldIndex)
        let box = RowBox(width: table.width)
        let context = RowContext(source: table.def.name, fieldIndex: table.fieldIndex, row: box,
                                 headerValues: table.header, asOf: asOf)
        for c in 0..<caseCount where caseRow[c] >= 0 {
            let base = Int(caseRow[c]) * table.width
            for f in 0..<table.width { box.values[f] = groupRows[base + f] }
            caseState[c] = classifier.classify(box.values, context: context, calendar: calendar, rowIsInBox: true)
        }
        table.caseState = caseState
    }

    /// One field of a group (DETAILS.md 18).
    static func aggregate(_ mode: Aggregation, table: SourceTable, members: ArraySlice<Int32>, field: Int) -> Value {
        func value(_ r: Int32) -> Value { table.value(record: Int(r), field: field) }
        switch mode {
        case .first: return members.first.map(value) ?? .unknown
        case .last: return members.last.map(value) ?? .unknown
        case .count:
            return .integer(Int64(members.reduce(0) { value($1).isUnknown ? $0 : $0 + 1 }))
        case .sum:
            var total: Value = .unknown
            for r in members {
                let v = value(r)
                if v.isUnknown { continue }
                guard let sum = addValues(total, v) else { return .unknown }
                total = sum
            }
            return total
        case .min, .max:
            var best: Value = .unknown
            for r in members {
                let v = value(r)
                if v.isUnknown { continue }
                if best.isUnknown { best = v; continue }
                guard let order = compareValues(v, best) else { continue }
                if (mode == .min && order < 0) || (mode == .max && order > 0) { best = v }
            }
            return best
        case .join:
            let parts = members.map { value($0) }.filter { !$0.isUnknown }.map(\.resultText)
            return parts.isEmpty ? .unknown : .text(parts.joined(separator: ", "))
        case .any, .all:
            var sawUnknown = false
            for r in members {
                switch value(r) {
                case .bool(let b):
                    if mode == .any && b { return .bool(true) }
                    if mode == .all && !b { return .bool(false) }
                default: sawUnknown = true
                }
            }
            return sawUnknown ? .unknown : .bool(mode == .all)
        }
    }
}

/// The occurrence number of each further record with a key (2 for the second, …).
struct Occurrences<Key: Hashable> {
    private var seen: [Key: Int] = [:]

    mutating func next(_ key: Key) -> Int {
        let occurrence = (seen[key] ?? 1) + 1
        seen[key] = occurrence
        return occurrence
    }
}

/// -1, 0 or 1 for two values of comparable types; nil otherwise.
func compareValues(_ a: Value, _ b: Value) -> Int? {
    func sign<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x == y ? 0 : 1) }
    switch (a, b) {
    case (.decimal(let x), .decimal(let y)): return FixedDecimal.compare(x, y)
    case (.integer(let x), .integer(let y)): return sign(x, y)
    case (.decimal(let x), .integer(let y)): return FixedDecimal.compare(x, FixedDecimal(y))
    case (.integer(let x), .decimal(let y)): return FixedDecimal.compare(FixedDecimal(x), y)
    case (.date(let x), .date(let y)): return sign(x, y)
    case (.datetime(let x), .datetime(let y)): return sign(x, y)
    case (.date(let x), .datetime(let y)): return sign(x.instant, y)
    case (.datetime(let x), .date(let y)): return sign(x, y.instant)
    case (.text(let x), .text(let y)): return x == y ? 0 : (utf8Less(x, y) ? -1 : 1)
    case (.duration(let x), .duration(let y)): return sign(x, y)
    case (.bool(let x), .bool(let y)): return x == y ? 0 : (!x ? -1 : 1)
    default: return nil
    }
}
