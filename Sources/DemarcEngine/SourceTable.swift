import DemarcCore
import DemarcReaders
import DemarcRules

/// A value that did not parse, or a required value that was empty (`malformed-value`).
struct ValueIssue: Sendable {
    /// Index of the record in `SourceTable.lines`.
    var record: Int32
    var field: Int32
    var message: String
}

/// A record that takes no part in cases (`malformed-record`, DETAILS.md 1).
struct MalformedEntry: Sendable {
    var line: Int
    /// What could be read, one value per field of the source.
    var values: [Value]
    var detail: MalformedRecord
    /// The file, when the source reads several (nil: the source's one file).
    var file: String? = nil
}

/// Where one file's records start in a source read from several files.
struct FileSpan: Sendable {
    var file: String
    /// Index of the file's first well-formed record in `SourceTable.lines`.
    var firstRecord: Int32
}

/// A duplicate record of a `cardinality: one` source (`duplicate-key`).
struct DuplicateEntry: Sendable {
    var record: Int32
    /// The line of the first record with the key.
    var firstLine: Int32
    /// 2 for the second record with the key, 3 for the third, …
    var occurrence: Int
}

/// Per-case state of a source: absent, present but unclassified, or a class index.
enum CaseState {
    static let absent: Int16 = -2
    static let unclassified: Int16 = -1
}

/// The records of one source, decoded into flat rows (one `Value` per field per record).
///
/// Storage is column-agnostic and row-major: `rows[record * width + field]`. Keys are
/// normalized once and kept as one string per record (parts joined by U+001F).
final class SourceTable: @unchecked Sendable {
    let def: SourceDef
    /// The source's position in the rule file.
    let order: Int
    /// The file as given (rule file or `--source`, `-` for standard input).
    let file: String
    /// Fields per record, derived ones included.
    let width: Int
    let fieldNames: [String]
    let fieldIndex: [String: Int]
    /// Class names of `state`, in declaration order.
    let classes: [StateClass]

    var header: DatevHeader?
    var readSummary = ReadSummary()
    /// A `file:` pattern: the files read, in order, and where their records start (else empty).
    var fileSpans: [FileSpan] = []
    /// A `file:` pattern: per file, its digest and records (nil for one file).
    var files: [SourceFileSummary]?
    /// Every record read, malformed ones included.
    var recordCount = 0

    // MARK: - Well-formed records

    var rows: RowStore
    var lines = LineNumbers()
    /// Normalized keys; emptied once the cases are built (`CaseStore.keyParts(record:of:)`).
    var keys: [String] = []
    var keyMissing = BitList()
    /// Whether the loader saw every key present, all ASCII and each above the one before in
    /// byte order (`RecordLoad`; exports listed by invoice number): `CaseIndex` then need not
    /// check. False also when it did not look.
    var keysAscending = false
    /// The raw text of records whose key is missing, where the reader keeps raw text (CSV):
    /// their `missing-key` fingerprint is made of it (DETAILS.md 25). Rare, so a dictionary.
    var missingKeyRaw: [Int32: String] = [:]
    /// `cardinality: one`: the class of each record (`CaseState.unclassified` or an index).
    var recordState: [Int16] = []
    var valueIssues: [ValueIssue] = []
    var malformed: [MalformedEntry] = []

    // MARK: - Filled by case building

    /// Per case: the record (`one`) or the group (`many`); -1 when the source is absent.
    var caseRow: [Int32] = []
    /// Per case: `CaseState.absent`, `.unclassified` or a class index.
    var caseState: [Int16] = []
    var duplicates: [DuplicateEntry] = []
    /// `many`: aggregated rows, one per group.
    var groupRows: [Value] = []
    /// `many`: the records of group g are `groupMembers[groupStart[g]..<groupStart[g+1]]`.
    var groupStart: [Int32] = []
    var groupMembers: [Int32] = []

    init(def: SourceDef, order: Int, file: String) {
        self.def = def
        self.order = order
        self.file = file
        fieldNames = def.fields.map(\.name)
        width = fieldNames.count
        var index: [String: Int] = [:]
        for (i, name) in fieldNames.enumerated() where index[name] == nil { index[name] = i }
        fieldIndex = index
        classes = def.state?.classes ?? []
        rows = RowStore(width: fieldNames.count)
    }

    var isGrouped: Bool { def.cardinality == .many }

    /// Streaming: the malformed records of every block (the table keeps only those shown).
    var streamedMalformedCount: Int?

    /// Records that had a `malformed-record` or `malformed-value` finding.
    var malformedRecordCount: Int {
        if let streamedMalformedCount { return streamedMalformedCount }
        var withIssue = Set<Int32>()
        for issue in valueIssues { withIssue.insert(issue.record) }
        return malformed.count + withIssue.count
    }

    /// A field of a well-formed record.
    @inline(__always) func value(record: Int, field: Int) -> Value { rows[record, field] }

    /// A field of the source's row in a case (the record, or the group's aggregate).
    @inline(__always) func caseValue(_ caseIndex: Int, field: Int) -> Value {
        let row = Int(caseRow[caseIndex])
        if row < 0 { return .unknown }
        return isGrouped ? groupRows[row * width + field] : rows[row, field]
    }

    /// The records kept in a case, in file order.
    func caseRecords(_ caseIndex: Int) -> [Int] {
        let row = Int(caseRow[caseIndex])
        if row < 0 { return [] }
        if !isGrouped { return [row] }
        return (Int(groupStart[row])..<Int(groupStart[row + 1])).map { Int(groupMembers[$0]) }
    }

    /// How many records the case holds of this source (`count(source)`).
    func caseCount(_ caseIndex: Int) -> Int {
        let row = Int(caseRow[caseIndex])
        if row < 0 { return 0 }
        if !isGrouped { return 1 }
        return Int(groupStart[row + 1] - groupStart[row])
    }

    /// The class of the source in a case; nil when absent or unclassified.
    func stateClass(_ caseIndex: Int) -> StateClass? {
        let s = caseState[caseIndex]
        return s >= 0 ? classes[Int(s)] : nil
    }

    /// The file a well-formed record came from.
    func fileName(record: Int) -> String {
        guard !fileSpans.isEmpty else { return file }
        var low = 0, high = fileSpans.count - 1
        while low < high {   // the last span whose first record is at or before `record`
            let mid = (low + high + 1) / 2
            if Int(fileSpans[mid].firstRecord) <= record { low = mid } else { high = mid - 1 }
        }
        return fileSpans[low].file
    }
}

/// Splits a joined key back into its parts.
func splitKey(_ key: String, parts: Int) -> [String] {
    if parts <= 1 { return [key] }
    return key.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
}
