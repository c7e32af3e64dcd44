import DemarcCore

/// A finding before ordering, truncation and materialization of its records' values.
///
/// Numbers are stored in 32 bits behind `Int` accessors (ranks, lines and indexes fit, as the
/// tables' `Int32` lines do): drafts are the largest thing a run with many findings makes
/// after its records, and this takes 40 bytes off each (176 bytes now, with `DraftKey`).
struct FindingDraft {
    /// The check's position: rules in file order, then the implicit checks.
    var rank: Int {
        get { Int(rank32) }
        set { rank32 = Int32(clamping: newValue) }
    }
    var rule: String
    var kind: String
    var severity: Severity
    /// Open until a baseline or waiver says otherwise.
    var status: FindingStatus = .open
    /// The key parts (made from `keyParts` when asked for).
    var key: [String] { keyParts.parts }
    /// The key parts held without an array for a one-part key (an array a draft was 25 MB at
    /// the peak of a 5M run).
    let keyParts: DraftKey
    var message: String
    var fixIn: String?
    /// The fingerprint's digest (`Finding.fingerprint` is its hex).
    var fingerprint: SHA256Digest
    /// Well-formed records shown, per source (table order), in file order.
    var records: RecordRefs
    /// A malformed record shown instead (`malformed-record`): table and entry index.
    var malformed: (source: Int, entry: Int)? {
        get { malformedSource < 0 ? nil : (Int(malformedSource), Int(malformedEntry)) }
        set {
            malformedSource = newValue.map { Int32(clamping: $0.source) } ?? -1
            malformedEntry = newValue.map { Int32(clamping: $0.entry) } ?? -1
        }
    }
    /// Tie-breakers after key and fingerprint (DETAILS.md 24).
    var sourceRank: Int {
        get { Int(sourceRank32) }
        set { sourceRank32 = Int32(clamping: newValue) }
    }
    var line: Int {
        get { Int(line32) }
        set { line32 = Int32(clamping: newValue) }
    }
    var fieldRank: Int {
        get { Int(fieldRank32) }
        set { fieldRank32 = Int32(clamping: newValue) }
    }

    private var rank32: Int32
    private var malformedSource: Int32 = -1
    private var malformedEntry: Int32 = -1
    private var sourceRank32: Int32
    private var line32: Int32
    private var fieldRank32: Int32

    init(rank: Int, rule: String, kind: String, severity: Severity, key: [String], message: String, fixIn: String?,
         fingerprint: SHA256Digest, records: RecordRefs, malformed: (source: Int, entry: Int)?,
         sourceRank: Int, line: Int, fieldRank: Int, status: FindingStatus = .open) {
        self.init(rank: rank, rule: rule, kind: kind, severity: severity, keyParts: DraftKey(key), message: message,
                  fixIn: fixIn, fingerprint: fingerprint, records: records, malformed: malformed,
                  sourceRank: sourceRank, line: line, fieldRank: fieldRank, status: status)
    }

    init(rank: Int, rule: String, kind: String, severity: Severity, keyParts: DraftKey, message: String, fixIn: String?,
         fingerprint: SHA256Digest, records: RecordRefs, malformed: (source: Int, entry: Int)?,
         sourceRank: Int, line: Int, fieldRank: Int, status: FindingStatus = .open) {
        rank32 = Int32(clamping: rank)
        self.rule = rule; self.kind = kind; self.severity = severity; self.status = status
        self.keyParts = keyParts; self.message = message; self.fixIn = fixIn; self.fingerprint = fingerprint
        self.records = records
        sourceRank32 = Int32(clamping: sourceRank)
        line32 = Int32(clamping: line)
        fieldRank32 = Int32(clamping: fieldRank)
        self.malformed = malformed
    }

    /// The drafts' result order: `order[p]` is the index of the draft at position `p`.
    ///
    /// The drafts themselves stay where they are: moving them into order went along the
    /// permutation's cycles through the whole array, and where checks append rule after rule per
    /// block (the streaming engine) that scattered move cost 0.3 s for 416,863 drafts against
    /// 0.1 s for the same drafts nearly in order; a sorted copy would hold every draft twice.
    static func order(_ drafts: DraftList) -> [Int32] {
        // A rule's drafts come in case order, which is key order where the exports list their
        // keys in order: then they are in result order already, and the sort below (which
        // keeps equal drafts where they are) would give each its own place. One pass tells,
        // without the sort keys (33 MB for 416,863 drafts at 5M records a side).
        let inOrder = drafts.withAddresses { address in
            (1..<max(1, drafts.count)).allSatisfy { !precedes(address($0), address($0 - 1)) }
        }
        if inOrder { return (0..<drafts.count).map { Int32(truncatingIfNeeded: $0) } }
        // 80 bytes a draft (with the merge sort's scratch, the peak of a run with millions of
        // findings): ranks and lines fit 32 bits (tables keep lines as `Int32` already).
        struct SortKey {
            var rank: Int32
            var index: Int32
            var key: DraftKey
            var fingerprint: SHA256Digest
            var source: Int32
            var line: Int32
            var field: Int32
        }
        var keys = drafts.enumerated().map { i, d in
            SortKey(rank: Int32(clamping: d.rank), index: Int32(truncatingIfNeeded: i), key: d.keyParts,
                    fingerprint: d.fingerprint, source: Int32(clamping: d.sourceRank),
                    line: Int32(clamping: d.line), field: Int32(clamping: d.fieldRank))
        }
        keys.sort { a, b in
            if a.rank != b.rank { return a.rank < b.rank }
            if a.key != b.key { return a.key.precedes(b.key) }
            if a.fingerprint != b.fingerprint { return a.fingerprint < b.fingerprint }
            if a.source != b.source { return a.source < b.source }
            if a.line != b.line { return a.line < b.line }
            if a.field != b.field { return a.field < b.field }
            return a.index < b.index
        }
        return keys.map(\.index)
    }

    /// `precedes` of two drafts in place: the fields read through the addresses, no draft
    /// copied (a copy retains every text a draft holds; checking 416,863 drafts that way took
    /// as long as sorting them).
    static func precedes(_ a: UnsafePointer<FindingDraft>, _ b: UnsafePointer<FindingDraft>) -> Bool {
        if a.pointee.rank32 != b.pointee.rank32 { return a.pointee.rank32 < b.pointee.rank32 }
        if case .one(let x) = a.pointee.keyParts, case .one(let y) = b.pointee.keyParts {
            if x != y { return utf8Less(x, y) }
        } else if a.pointee.keyParts != b.pointee.keyParts {
            return a.pointee.keyParts.precedes(b.pointee.keyParts)
        }
        if a.pointee.fingerprint != b.pointee.fingerprint { return a.pointee.fingerprint < b.pointee.fingerprint }
        if a.pointee.sourceRank32 != b.pointee.sourceRank32 { return a.pointee.sourceRank32 < b.pointee.sourceRank32 }
        if a.pointee.line32 != b.pointee.line32 { return a.pointee.line32 < b.pointee.line32 }
        return a.pointee.fieldRank32 < b.pointee.fieldRank32
    }

    /// Result order (DETAILS.md 24).
    static func precedes(_ a: FindingDraft, _ b: FindingDraft) -> Bool {
        if a.rank != b.rank { return a.rank < b.rank }
        if a.keyParts != b.keyParts { return a.keyParts.precedes(b.keyParts) }
        if a.fingerprint != b.fingerprint { return a.fingerprint < b.fingerprint }
        if a.sourceRank != b.sourceRank { return a.sourceRank < b.sourceRank }
        if a.line != b.line { return a.line < b.line }
        return a.fieldRank < b.fieldRank
    }
}

/// The well-formed records a finding shows: per source in table order, each source's records in
/// file order. One flat array of (source, record) packed in an `Int` each: a draft's records
/// cost one allocation, not one per source and one for the list (drafts peak a large run).
struct RecordRefs {
    /// The first two records (-1: none), then the others: most findings show one or two
    /// records, and those take no allocation (48 bytes a draft at a run's peak).
    private var first0 = -1
    private var first1 = -1
    private var rest: [Int] = []
    private static let shift = 40

    init() {}

    /// `rows` of source `source`, after the sources already added.
    init(source: Int, _ rows: [Int]) { append(source: source, rows) }

    mutating func append(source: Int, _ rows: [Int]) {
        for r in rows { append(source: source, row: r) }
    }

    /// One record `row` of source `source`, after those already added.
    mutating func append(source: Int, row: Int) {
        let p = source << RecordRefs.shift | row
        if first0 < 0 { first0 = p } else if first1 < 0 { first1 = p } else { rest.append(p) }
    }

    /// How many records.
    var count: Int { first0 < 0 ? 0 : (first1 < 0 ? 1 : 2 + rest.count) }

    private func packed(_ k: Int) -> Int { k == 0 ? first0 : (k == 1 ? first1 : rest[k - 2]) }

    /// The `k`th record and its source.
    subscript(k: Int) -> (source: Int, record: Int) {
        let p = packed(k)
        return (p >> RecordRefs.shift, p & (1 << RecordRefs.shift - 1))
    }

    /// The first record and its source.
    var first: (source: Int, record: Int)? { count > 0 ? self[0] : nil }

    /// Replaces each record of `source` by `move(record)`.
    mutating func remap(source: Int, _ move: (Int) -> Int) {
        func moved(_ p: Int) -> Int {
            p >= 0 && p >> RecordRefs.shift == source ? source << RecordRefs.shift | move(p & (1 << RecordRefs.shift - 1)) : p
        }
        first0 = moved(first0)
        first1 = moved(first1)
        for i in rest.indices { rest[i] = moved(rest[i]) }
    }
}

/// A run's drafts in order, in chunks of 4096 that never move once allocated.
///
/// A flat array grew by doubling (old and new copy side by side), and the rules' lists,
/// made one per rule on two threads, were then joined into one more: at 5M records a side
/// those copies were the peak of the run (70 MiB above the drafts themselves). Chunks fill up
/// in place, and joining lists moves their chunks, not their drafts.
struct DraftList: RandomAccessCollection, MutableCollection {
    static let chunkSize = 4096
    private var chunks: [[FindingDraft]] = []
    /// The index of each chunk's first draft.
    private var starts: [Int] = []
    private(set) var count = 0

    init() {}

    var startIndex: Int { 0 }
    var endIndex: Int { count }

    /// Takes `draft` over (`consuming`: a draft made for the list is moved into it, not copied
    /// with a retain and a release of each of its texts).
    mutating func append(_ draft: consuming FindingDraft) {
        if chunks.isEmpty || chunks[chunks.count - 1].count == DraftList.chunkSize {
            var chunk: [FindingDraft] = []
            chunk.reserveCapacity(DraftList.chunkSize)
            chunks.append(chunk)
            starts.append(count)
        }
        chunks[chunks.count - 1].append(draft)
        count += 1
    }

    /// Appends `other`'s drafts by taking over its chunks; `other` is left empty.
    mutating func append(moving other: inout DraftList) {
        for chunk in other.chunks where !chunk.isEmpty {
            starts.append(count)
            chunks.append(chunk)
            count += chunk.count
        }
        other = DraftList()
    }

    /// The chunk and offset of draft `i`: direct while every chunk before is full, else a
    /// binary search over the chunks' starts (joined lists leave partly filled chunks).
    @inline(__always) private func locate(_ i: Int) -> (chunk: Int, offset: Int) {
        let guess = i >> 12
        if guess < starts.count, starts[guess] == guess << 12, i - starts[guess] < chunks[guess].count {
            return (guess, i - starts[guess])
        }
        var low = 0, high = starts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if starts[mid] <= i { low = mid } else { high = mid - 1 }
        }
        return (low, i - starts[low])
    }

    /// Calls `body` with a function that gives each draft's address. The addresses stay valid
    /// while this list lives and no draft is changed or removed: appending adds chunks and never
    /// moves a draft (`DraftFindings` holds its list and only reads it).
    func withAddresses<R>(_ body: ((Int) -> UnsafePointer<FindingDraft>) -> R) -> R {
        let bases = chunks.map { $0.withUnsafeBufferPointer { $0.baseAddress } }
        return body { i in
            let (c, o) = locate(i)
            return bases[c]! + o
        }
    }

    subscript(i: Int) -> FindingDraft {
        // Read in place: `drafts[i].rule` copies no whole draft (and retains none of its texts).
        _read {
            let (c, o) = locate(i)
            yield chunks[c][o]
        }
        _modify {
            let (c, o) = locate(i)
            yield &chunks[c][o]
        }
        set {
            let (c, o) = locate(i)
            chunks[c][o] = newValue
        }
    }
}

/// A draft's key parts: one part as a `String` of its own (inline when short), others in an
/// array. Equal parts give equal keys: a one-part list is always `.one`.
public enum DraftKey: Equatable, Sendable {
    case one(String)
    case many([String])

    init(_ parts: [String]) { self = parts.count == 1 ? .one(parts[0]) : .many(parts) }

    public var parts: [String] {
        switch self {
        case .one(let part): return [part]
        case .many(let parts): return parts
        }
    }

    /// Byte-wise order of the parts (`keyLess`).
    func precedes(_ other: DraftKey) -> Bool {
        if case .one(let a) = self, case .one(let b) = other { return utf8Less(a, b) }
        return keyLess(parts, other.parts)
    }
}
