import DemarcCore

/// The listed findings of a result, in result order.
///
/// A run's findings are made from its drafts when they are read, one at a time: a report
/// written finding by finding then never holds every finding's records as text at once (for a
/// run with millions of findings, that text was the largest thing in memory). A result read
/// back from JSON, or made by hand, holds its findings as they are.
public struct FindingList: RandomAccessCollection, Sendable, Hashable, ExpressibleByArrayLiteral {
    private enum Storage: Sendable {
        case findings([Finding])
        case drafts(DraftFindings)
    }

    private let storage: Storage

    /// The findings as given.
    public init(_ findings: [Finding]) { storage = .findings(findings) }

    /// Findings given in brackets.
    public init(arrayLiteral elements: Finding...) { storage = .findings(elements) }

    init(drafts: DraftFindings) { storage = .drafts(drafts) }

    public var startIndex: Int { 0 }

    public var endIndex: Int {
        switch storage {
        case .findings(let all): return all.count
        case .drafts(let drafts): return drafts.count
        }
    }

    public subscript(position: Int) -> Finding {
        switch storage {
        case .findings(let all): return all[position]
        case .drafts(let drafts): return drafts.finding(position)
        }
    }

    /// Hands the finding at `position` to `writer` part by part: a run's drafts without making
    /// a `Finding` (its records' values come straight from the rows), others as `Finding.write`.
    /// For a report of millions of findings, making and freeing each `Finding` was about half
    /// of the writing.
    public func write(_ position: Int, to writer: inout some FindingWriter) {
        switch storage {
        case .findings(let all): all[position].write(to: &writer)
        case .drafts(let drafts): drafts.write(position, to: &writer)
        }
    }

    /// `write(i, to:)` for each finding in `range`, in order, with `each` called after each one
    /// (a jsonl report ends its line there). A run's drafts ask for each finding's rows a few
    /// findings ahead (`DraftFindings.write(_:to:each:)`), and the drafts are looked up once per
    /// range, not once per finding: both threads of a report retaining the same object moved
    /// its cache line between the cores at every finding.
    public func write<W: FindingWriter>(_ range: Range<Int>, to writer: inout W, each: (inout W) -> Void = { _ in }) {
        switch storage {
        case .findings(let all):
            for i in range {
                all[i].write(to: &writer)
                each(&writer)
            }
        case .drafts(let drafts):
            drafts.write(range, to: &writer, each: each)
        }
    }

    public static func == (a: FindingList, b: FindingList) -> Bool { a.elementsEqual(b) }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for finding in self { hasher.combine(finding) }
    }
}

/// A run's drafts, which of them are listed in which order, and the tables whose records they
/// show; read only once made.
final class DraftFindings: @unchecked Sendable {
    /// Held, not read: `listed` points into its chunks.
    private let drafts: DraftList
    /// How many drafts are listed.
    let count: Int
    let tables: [SourceTable]

    /// Per table, where its records lie (`prefetch`), and the key arrays those pointers lead
    /// into, held so that they stay as they are while this lives.
    private let rowAddresses: UnsafeMutableBufferPointer<RowAddresses>
    private let heldKeys: [KeyArrays]
    /// The tables' source names, read without the tables.
    private let sourceNames: [String]
    /// The tables, used without a retain per record (`tables` keeps them).
    private let unretainedTables: [Unmanaged<SourceTable>]
    /// The listed drafts' addresses in `drafts`, in result order (instead of their indexes,
    /// `order`): a draft read through `drafts[i]` was copied whole on its way to a `borrowing`
    /// parameter, each of its texts retained and released by both threads of a report, a sixth
    /// of rendering the 5M report.
    private let listed: UnsafeMutableBufferPointer<UnsafePointer<FindingDraft>>

    init(drafts: DraftList, order: [Int32], tables: [SourceTable]) {
        self.drafts = drafts
        count = order.count
        self.tables = tables
        let found = tables.map { $0.rows.addresses() }
        rowAddresses = .allocate(capacity: max(1, tables.count))
        _ = rowAddresses.initialize(from: found.map(\.addresses))
        heldKeys = found.map(\.held)
        sourceNames = tables.map(\.def.name)
        unretainedTables = tables.map { Unmanaged.passUnretained($0) }
        let listed = UnsafeMutableBufferPointer<UnsafePointer<FindingDraft>>.allocate(capacity: max(1, order.count))
        drafts.withAddresses { address in
            for (k, i) in order.enumerated() { (listed.baseAddress! + k).initialize(to: address(Int(i))) }
        }
        self.listed = listed
    }

    deinit {
        for addresses in rowAddresses.prefix(tables.count) { addresses.free() }
        rowAddresses.deallocate()
        listed.deallocate()
    }

    /// `finding(i)` handed to `writer` part by part, in the same order, with the same texts.
    func write(_ i: Int, to writer: inout some FindingWriter) {
        write(listed[i], to: &writer)
    }

    /// How many findings ahead of the one it writes `write(_:to:each:)` asks for rows.
    static let prefetchDistance = 8

    /// The findings in `range` handed to `writer`, each followed by `each`; the rows a finding
    /// shows are asked for `prefetchDistance` findings ahead. A report of many findings reads
    /// rows scattered over the tables: without asking ahead, waiting for those lines was about
    /// three quarters of writing's own samples in `perf` (5M records a side).
    func write<W: FindingWriter>(_ range: Range<Int>, to writer: inout W, each: (inout W) -> Void) {
        let ahead = DraftFindings.prefetchDistance
        for i in range.lowerBound..<min(range.upperBound, range.lowerBound &+ ahead) { prefetch(i, keys: false) }
        for i in range {
            // Rows and case numbers `ahead`, keys by case number halfway.
            if i &+ ahead < range.upperBound { prefetch(i &+ ahead, keys: false) }
            if i &+ ahead / 2 < range.upperBound { prefetch(i &+ ahead / 2, keys: true) }
            write(listed[i], to: &writer)
            each(&writer)
        }
    }

    private func prefetch(_ i: Int, keys: Bool) {
        let d = listed[i]
        for k in 0..<d.pointee.records.count {
            let (s, r) = d.pointee.records[k]
            if keys { rowAddresses[s].prefetchKey(record: r) } else { rowAddresses[s].prefetch(record: r) }
        }
    }

    private func write(_ draft: UnsafePointer<FindingDraft>, to writer: inout some FindingWriter) {
        writer.beginFinding(rule: draft.pointee.rule, kind: draft.pointee.kind, severity: draft.pointee.severity,
                            status: draft.pointee.status, key: draft.pointee.keyParts, message: draft.pointee.message,
                            fixIn: draft.pointee.fixIn, fingerprint: draft.pointee.fingerprint)
        if let (s, entry) = draft.pointee.malformed {
            let table = tables[s], e = table.malformed[entry]
            writer.beginSource(table.def.name)
            writer.beginRecord(file: e.file ?? table.file, line: e.line)
            for f in 0..<table.width { writer.value(table.fieldNames[f], f < e.values.count ? e.values[f] : .unknown) }
            writer.endRecord(raw: e.detail.raw)
            writer.endSource()
        }
        var source = -1
        for k in 0..<draft.pointee.records.count {
            let (s, r) = draft.pointee.records[k]
            if s != source {
                if source >= 0 { writer.endSource() }
                writer.beginSource(sourceNames[s])
                source = s
            }
            unretainedTables[s]._withUnsafeGuaranteedRef { write(record: r, of: $0, source: s, to: &writer) }
        }
        if source >= 0 { writer.endSource() }
        writer.endFinding()
    }

    /// One record's file, line and values. The table not retained: both threads of a report
    /// write records of the same tables, and each retain and release of a shared object moved
    /// its cache line from one core to the other.
    private func write(record r: Int, of table: borrowing SourceTable, source s: Int, to writer: inout some FindingWriter) {
        writer.beginRecord(file: table.fileName(record: r), line: Int(table.lines[r]))
        for f in 0..<table.width {
            writer.value(source: s, field: f, name: table.fieldNames[f], table.value(record: r, field: f))
        }
        writer.endRecord(raw: nil)
    }

    /// The finding listed at position `i`, with its records' values written out.
    func finding(_ i: Int) -> Finding {
        var builder = FindingBuilder()
        write(i, to: &builder)
        return builder.finding
    }
}

/// Makes a `Finding` of the parts a `FindingWriter` takes (`DraftFindings.finding`).
private struct FindingBuilder: FindingWriter {
    var finding = Finding(rule: "", kind: "", severity: .error, key: [], message: "", fixIn: nil, fingerprint: "", records: [])
    private var file = ""
    private var line = 0
    private var values: [FieldText] = []

    mutating func beginFinding(rule: String, kind: String, severity: Severity, status: FindingStatus, key: [String],
                               message: String, fixIn: String?, fingerprint: String, firstSeen: String?) {
        finding = Finding(rule: rule, kind: kind, severity: severity, status: status, key: key, message: message,
                          fixIn: fixIn, fingerprint: fingerprint, records: [])
        finding.firstSeen = firstSeen
    }

    mutating func beginSource(_ name: String) { finding.records.append(SourceRecords(source: name, records: [])) }

    mutating func beginRecord(file: String, line: Int) {
        self.file = file
        self.line = line
        values = []
    }

    mutating func value(_ name: String, _ value: Value) { values.append(FieldText(name, value.resultText)) }

    mutating func endRecord(raw: String?) {
        finding.records[finding.records.count - 1].records.append(FindingRecord(file: file, line: line, values: values, raw: raw))
    }

    mutating func endSource() {}
    mutating func endFinding() {}
}

/// Takes one finding's parts in the order a report writes them (`FindingList.write`): the
/// head, then per source its records, each with its values in the source's field order.
public protocol FindingWriter {
    mutating func beginFinding(rule: String, kind: String, severity: Severity, status: FindingStatus, key: [String],
                               message: String, fixIn: String?, fingerprint: String, firstSeen: String?)
    /// `beginFinding` with the key as a draft holds it and the fingerprint as its digest: a
    /// writer that lays out bytes itself (jsonl) makes no array of the key and no hex `String`
    /// per finding. By default the same as the other.
    mutating func beginFinding(rule: String, kind: String, severity: Severity, status: FindingStatus, key: DraftKey,
                               message: String, fixIn: String?, fingerprint: SHA256Digest)
    mutating func beginSource(_ name: String)
    mutating func beginRecord(file: String, line: Int)
    /// A field of the record; its text is `value.resultText`.
    mutating func value(_ name: String, _ value: Value)
    /// `value(name, value)` for field `field` of source `source` (its number in the run): a
    /// writer that keeps bytes per field finds them by position instead of comparing names. By
    /// default the same as the other.
    mutating func value(source: Int, field: Int, name: String, _ value: Value)
    mutating func endRecord(raw: String?)
    mutating func endSource()
    mutating func endFinding()
}

extension FindingWriter {
    public mutating func beginFinding(rule: String, kind: String, severity: Severity, status: FindingStatus,
                                      key: DraftKey, message: String, fixIn: String?, fingerprint: SHA256Digest) {
        beginFinding(rule: rule, kind: kind, severity: severity, status: status, key: key.parts, message: message,
                     fixIn: fixIn, fingerprint: fingerprint.hex, firstSeen: nil)
    }

    public mutating func value(source: Int, field: Int, name: String, _ value: Value) { self.value(name, value) }
}

extension Finding {
    /// Hands the finding to `writer` part by part.
    public func write(to writer: inout some FindingWriter) {
        writer.beginFinding(rule: rule, kind: kind, severity: severity, status: status, key: key, message: message,
                            fixIn: fixIn, fingerprint: fingerprint, firstSeen: firstSeen)
        for group in records {
            writer.beginSource(group.source)
            for record in group.records {
                writer.beginRecord(file: record.file, line: record.line)
                for v in record.values { writer.value(v.name, .text(v.text)) }
                writer.endRecord(raw: record.raw)
            }
            writer.endSource()
        }
        writer.endFinding()
    }
}
