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
        case .drafts(let drafts): return drafts.order.count
        }
    }

    public subscript(position: Int) -> Finding {
        switch storage {
        case .findings(let all): return all[position]
        case .drafts(let drafts): return drafts.finding(position)
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
    let drafts: [FindingDraft]
    /// The listed drafts in result order (indexes into `drafts`).
    let order: [Int32]
    let tables: [SourceTable]

    init(drafts: [FindingDraft], order: [Int32], tables: [SourceTable]) {
        self.drafts = drafts
        self.order = order
        self.tables = tables
    }

    /// The finding listed at position `i`, with its records' values written out.
    func finding(_ i: Int) -> Finding {
        let d = drafts[Int(order[i])]
        var records: [SourceRecords] = []
        if let (s, entry) = d.malformed {
            let table = tables[s]
            records.append(SourceRecords(source: table.def.name,
                                         records: [table.findingRecord(malformed: table.malformed[entry])]))
        }
        for (s, rows) in d.records.groups {
            let table = tables[s]
            records.append(SourceRecords(source: table.def.name, records: rows.map(table.findingRecord)))
        }
        return Finding(rule: d.rule, kind: d.kind, severity: d.severity, status: d.status, key: d.key,
                       message: d.message, fixIn: d.fixIn, fingerprint: d.fingerprint.hex, records: records)
    }
}
