import CHints
import DemarcCore
import Foundation

/// Rows of values in fixed-size chunks, stored compactly: per chunk and field, two bytes a
/// record while the field's values there are unknown, interned texts or the record's key (the
/// usual state, currency and key fields), else one tag byte and one 4-byte payload, instead of
/// a 24-byte `Value` (and a `String` for every text). A payload that does not fit 32 bits (a
/// large number, an arena beyond 4 GiB) goes to a side array of 8-byte values and the tag's high
/// bit says so.
///
/// Appending never copies what is stored, and the slack is at most one chunk (a flat array
/// doubling would briefly hold three times the rows). The subscript rebuilds a `Value` on
/// demand: cases and findings read few fields of few records, reading writes many.
///
/// `@unchecked Sendable`: the buffers behind its plain pointers belong to its chunks, which live
/// as long as the store, and slots below `count` never change once written (a column that
/// widens keeps its two-byte buffer, so a copy of the store made before still reads it).
///
/// Text is interned per field (the payload is an index into the field's table) while the
/// field has at most `internLimit` distinct texts; beyond that (keys, names) each new text is
/// copied into a byte arena (the payload is its position there).
struct RowStore: @unchecked Sendable {
    /// Records per chunk.
    static let chunkShift = 14
    static let chunkRecords = 1 << chunkShift
    /// Distinct texts a field interns before it writes further new texts to the arena.
    static let internLimit = 4096

    let width: Int
    /// Append-only: a chunk's slots below `count` never change once written, so copies of the
    /// store may share chunks; only the store that owns the table appends (the loader).
    private var chunks: [RowChunk] = []
    /// The chunks' columns, `chunk * width + field`: reads and writes go through these plain
    /// pointers, so that no chunk object is retained and released per field (which two threads
    /// reading the same store would also contend on).
    private var columns: [ChunkColumn] = []
    /// Per field: whether its next chunk starts wide (the last one widened within its first
    /// records: a number field, or texts beyond the interning limit).
    private var startsWide: [Bool]
    /// Payloads too wide for 32 bits (tag with `wideFlag`); a decimal's scale follows its units.
    private var wide: [Int64] = []
    private(set) var count = 0
    /// Per field: the interned texts (by their bytes) while the field is still interning.
    private var interners: [ByteInterner]
    private var arena = TextArena()
    /// Where fields stored as `keyTag` find their text (shared by copies of the store).
    let keyTexts = KeyTexts()

    init(width: Int) {
        self.width = width
        interners = Array(repeating: ByteInterner(), count: width)
        startsWide = Array(repeating: false, count: width)
    }

    // Tags: a decimal's tag is `decimalTag + scale`.
    static let unknownTag: UInt8 = 0
    static let internedTag: UInt8 = 1
    static let arenaTag: UInt8 = 2
    private static let integerTag: UInt8 = 3
    private static let dateTag: UInt8 = 4
    private static let datetimeTag: UInt8 = 5
    private static let falseTag: UInt8 = 6
    private static let trueTag: UInt8 = 7
    private static let durationTag: UInt8 = 8
    private static let wideDecimalTag: UInt8 = 9
    /// A text that equals the record's normalized key (a one-part key): not stored, but read
    /// from `keyTexts`, which the key itself is kept in anyway (the arena would hold it twice).
    static let keyTag: UInt8 = 10
    private static let decimalTag: UInt8 = 16
    private static let maxTagScale: UInt8 = 100
    private static let wideFlag: UInt8 = 0x80

    /// Appends one record's values (`width` of them).
    mutating func append(_ row: [Value]) {
        let record = beginRecord()
        for f in 0..<width { set(row[f], record: record, field: f) }
        count += 1
    }

    // MARK: - Writing a record field by field

    /// Starts the next record: returns its index in the current chunk. Every field must then be
    /// set (`set`, `setText`, `setKeyText`, `setUnknown`) before `endRecord`.
    @inline(__always) mutating func beginRecord() -> Int {
        let record = count & (RowStore.chunkRecords - 1)
        if record == 0 {
            let chunk = RowChunk(startsWide: startsWide)
            chunks.append(chunk)
            columns.append(contentsOf: chunk.columns)
        }
        return record
    }

    /// Ends the record begun last.
    @inline(__always) mutating func endRecord() { count += 1 }

    /// Sets a field of the current record (`record`: `beginRecord`'s) to `value`.
    @inline(__always) mutating func set(_ value: Value, record: Int, field: Int) {
        switch value {
        case .text(var s):
            let (tag, payload) = s.withUTF8 { encodeText(UnsafeRawBufferPointer($0), field: field) }
            store(tag, payload, record: record, field: field)
        case .decimal(let d):
            setDecimal(units: d.units, scale: d.scale, record: record, field: field)
        default:
            let (tag, payload) = encode(value)
            store(tag, payload, record: record, field: field)
        }
    }

    /// Sets a field of the current record to the decimal `units` × 10^-`scale` (`set` of a
    /// `.decimal` comes here; the loader calls it without making the `Value`).
    @inline(__always) mutating func setDecimal(units: Int64, scale: UInt8, record: Int, field: Int) {
        if scale <= RowStore.maxTagScale {
            store(RowStore.decimalTag &+ scale, units, record: record, field: field)
        } else {
            store(RowStore.wideDecimalTag, units, record: record, field: field)
            wide.append(Int64(scale))
        }
    }

    /// Sets a text field of the current record from its UTF-8 bytes (not empty); returns the
    /// tag and payload stored (`internedTag` and the text's id while the field interns).
    @inline(__always) @discardableResult
    mutating func setText(_ bytes: UnsafeRawBufferPointer, record: Int, field: Int) -> (tag: UInt8, payload: Int64) {
        let encoded = encodeText(bytes, field: field)
        store(encoded.0, encoded.1, record: record, field: field)
        return encoded
    }

    /// Sets a text field of the current record to the record's key (`keyTag`).
    @inline(__always) mutating func setKeyText(record: Int, field: Int) {
        store(RowStore.keyTag, 0, record: record, field: field)
    }

    /// Sets a field of the current record to unknown.
    @inline(__always) mutating func setUnknown(record: Int, field: Int) {
        store(RowStore.unknownTag, 0, record: record, field: field)
    }

    /// Where this store's records lie, for prefetching them (`RowAddresses`); `held` keeps the
    /// key arrays it points into alive and unchanged while the caller holds it.
    func addresses() -> (addresses: RowAddresses, held: KeyArrays) {
        let copy = UnsafeMutableBufferPointer<ChunkColumn>.allocate(capacity: max(1, columns.count))
        _ = copy.initialize(from: columns)
        let held = keyTexts.arrays()
        let keys = held.records.isEmpty ? held.caseKeys : held.records
        let addresses = RowAddresses(width: width, count: count, columns: copy,
                             keys: keys.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) },
                             keyCount: held.records.isEmpty ? held.recordCases.count : held.records.count,
                             cases: held.cases.isEmpty ? nil : held.cases.withUnsafeBufferPointer { UnsafePointer($0.baseAddress) })
        return (addresses, held)
    }

    /// The interned text with `id` of `field`.
    func internedText(_ id: Int, field: Int) -> String { interners[field].texts[id] }

    /// The texts a field interned, by id.
    func internedTexts(field: Int) -> [String] { interners[field].texts }

    /// How one field of one record is stored: its tag and 32-bit payload (a two-byte column's
    /// value as the tag and payload it stands for).
    @inline(__always) func encoding(record: Int, field: Int) -> (tag: UInt8, payload: UInt32) {
        let column = columns[(record >> RowStore.chunkShift) &* width &+ field]
        let r = record & (RowStore.chunkRecords - 1)
        if let tags = column.tags { return (tags[r], column.payloads![r]) }
        return RowStore.decodeNarrow(column.narrow![r])
    }

    /// Whether the tag holds its whole value in tag and payload, so that equal encodings of it
    /// are equal values, in any store: a known number, date, time, truth value or duration.
    @inline(__always) static func isSelfContained(_ tag: UInt8) -> Bool {
        switch tag {
        case integerTag, dateTag, datetimeTag, falseTag, trueTag, durationTag: return true
        default: return tag >= decimalTag && tag & wideFlag == 0
        }
    }

    // Two-byte codes: 0 unknown, `narrowKey` the record's key, else an interned text's id + 1.
    static let narrowKey: UInt16 = 0xFFFF
    private static let narrowIDs = 0xFFFE

    @inline(__always) static func decodeNarrow(_ code: UInt16) -> (tag: UInt8, payload: UInt32) {
        switch code {
        case 0: return (unknownTag, 0)
        case narrowKey: return (keyTag, 0)
        default: return (internedTag, UInt32(code) &- 1)
        }
    }

    @inline(__always) private mutating func store(_ tag: UInt8, _ payload: Int64, record r: Int, field f: Int) {
        let i = columns.count &- width &+ f
        var column = columns[i]
        if column.tags == nil {
            switch tag {
            case RowStore.unknownTag: column.narrow![r] = 0; return
            case RowStore.keyTag: column.narrow![r] = RowStore.narrowKey; return
            case RowStore.internedTag where payload < RowStore.narrowIDs:
                column.narrow![r] = UInt16(truncatingIfNeeded: payload &+ 1); return
            default:
                column = chunks[chunks.count - 1].widen(field: f, records: r)
                columns[i] = column
                startsWide[f] = r < 64
            }
        }
        let tags = column.tags!, payloads = column.payloads!
        if tag == RowStore.arenaTag, payload >> 32 < 4096, payload & 0xFFFF_FFFF < 1 << 20 {
            // Arena chunk (12 bits) and offset in it (20 bits: chunks are 1 MiB, a larger
            // text has a chunk of its own at offset 0).
            tags[r] = tag
            payloads[r] = UInt32(truncatingIfNeeded: payload >> 32) << 20 | UInt32(truncatingIfNeeded: payload & 0xF_FFFF)
        } else if tag != RowStore.arenaTag && tag != RowStore.wideDecimalTag, let narrow = Int32(exactly: payload) {
            tags[r] = tag
            payloads[r] = UInt32(bitPattern: narrow)
        } else {
            tags[r] = tag | RowStore.wideFlag
            payloads[r] = UInt32(truncatingIfNeeded: wide.count)
            wide.append(payload)   // a wide decimal's scale follows (`setDecimal`)
        }
    }

    @inline(__always) private mutating func encodeText(_ bytes: UnsafeRawBufferPointer, field f: Int) -> (UInt8, Int64) {
        // A text seen before, found without a mutating access (whose uniqueness check of the
        // interners showed per field in profiles); a new one is added below.
        if let id = interners[f].find(bytes) { return (RowStore.internedTag, Int64(id)) }
        if let id = interners[f].intern(bytes) { return (RowStore.internedTag, Int64(id)) }
        return (RowStore.arenaTag, arena.append(bytes))
    }

    private func encode(_ value: Value) -> (UInt8, Int64) {
        switch value {
        case .unknown: return (RowStore.unknownTag, 0)
        case .text, .decimal: return (RowStore.unknownTag, 0)   // `set` stores texts and decimals
        case .integer(let i): return (RowStore.integerTag, i)
        case .date(let d): return (RowStore.dateTag, Int64(d.daysSinceEpoch))
        case .datetime(let t): return (RowStore.datetimeTag, t.millisSinceEpoch)
        case .bool(let b): return (b ? RowStore.trueTag : RowStore.falseTag, 0)
        case .duration(let d): return (RowStore.durationTag, d)
        }
    }

    /// One field of one record.
    @inline(__always) subscript(record: Int, field: Int) -> Value {
        let column = columns[(record >> RowStore.chunkShift) &* width &+ field]
        let r = record & (RowStore.chunkRecords - 1)
        guard let tags = column.tags else {
            let code = column.narrow![r]
            switch code {
            case 0: return .unknown
            case RowStore.narrowKey: return .text(keyTexts.text(record: record))
            default: return .text(interners[field].texts[Int(code) &- 1])
            }
        }
        var tag = tags[r]
        let narrow = column.payloads![r]
        let payload: Int64
        if tag & RowStore.wideFlag != 0 {
            tag &= ~RowStore.wideFlag
            if tag == RowStore.wideDecimalTag {
                let i = Int(narrow)
                return .decimal(FixedDecimal(units: wide[i], scale: UInt8(truncatingIfNeeded: wide[i + 1])))
            }
            payload = wide[Int(narrow)]
        } else if tag == RowStore.arenaTag {
            payload = Int64(narrow >> 20) << 32 | Int64(narrow & 0xF_FFFF)
        } else {
            payload = Int64(Int32(bitPattern: narrow))
        }
        switch tag {
        case RowStore.unknownTag: return .unknown
        case RowStore.internedTag: return .text(interners[field].texts[Int(payload)])
        case RowStore.arenaTag: return .text(arena.text(at: payload))
        case RowStore.integerTag: return .integer(payload)
        case RowStore.dateTag: return .date(Day(daysSinceEpoch: Int32(truncatingIfNeeded: payload)))
        case RowStore.datetimeTag: return .datetime(Instant(millisSinceEpoch: payload))
        case RowStore.falseTag: return .bool(false)
        case RowStore.trueTag: return .bool(true)
        case RowStore.durationTag: return .duration(payload)
        case RowStore.keyTag: return .text(keyTexts.text(record: record))
        default: return .decimal(FixedDecimal(units: payload, scale: tag &- RowStore.decimalTag))
        }
    }
}

/// The normalized key of each well-formed record of a table (parts joined by U+001F): for
/// `CaseStore.keyParts(record:of:)`, and for the key fields the rows do not store
/// (`RowStore.keyTag`). Before the cases are built it holds the table's per-record keys; after,
/// each record's case and the case keys (the per-record keys are then released).
final class KeyTexts: @unchecked Sendable {
    private var records: [String] = []
    private var caseKeys: [String] = []
    private var recordCases: RecordCases = []

    /// The keys by record (while the table holds them).
    func use(records keys: [String]) {
        records = keys
        caseKeys = []
        recordCases = []
    }

    /// The keys by case, and each record's case.
    func use(caseKeys keys: [String], recordCases cases: RecordCases) {
        records = []
        caseKeys = keys
        recordCases = cases
    }

    /// The key of `record`; nil for a table whose keys were never given (records copied in).
    func key(record: Int) -> String? {
        if record < records.count { return records[record] }
        return record < recordCases.count ? caseKeys[Int(recordCases[record])] : nil
    }

    /// The key of a record whose key field is stored as `keyTag` (it has one).
    func text(record: Int) -> String { key(record: record) ?? "" }

    /// The key arrays as they are now (`RowStore.addresses()`).
    func arrays() -> KeyArrays {
        KeyArrays(records: records, caseKeys: caseKeys, recordCases: recordCases,
                  cases: records.isEmpty && !recordCases.isIdentity ? recordCases.numbers : [])
    }
}

/// A table's key arrays, held by whoever reads them through `RowAddresses`' plain pointers: a held
/// array is neither freed nor changed in place.
struct KeyArrays {
    let records: [String]
    let caseKeys: [String]
    let recordCases: RecordCases
    /// Each record's case number (empty when by record, or record r is case r).
    let cases: [Int32]
}

/// Where a store's records lie (`RowStore.addresses()`): a copy of its column pointers, and the
/// addresses of its keys (in arrays the owner holds: `KeyArrays`). Plain values, so that a
/// report asking for a finding's rows ahead (`DraftFindings.prefetch`) retains nothing: through
/// the store itself, the retains and releases of its arrays, made by two threads at once, cost
/// more than the prefetch saved. The owner frees it (`free`).
struct RowAddresses {
    let width: Int
    let count: Int
    let columns: UnsafeMutableBufferPointer<ChunkColumn>
    let keys: UnsafeRawPointer?
    let keyCount: Int
    /// Each record's case number, when keys are by case and record r is not case r.
    let cases: UnsafePointer<Int32>?

    /// Asks for the cache lines that reading every field of `record` touches, and for its key
    /// or, where keys are by case, for its case number (`prefetchKey` then asks for the key).
    @inline(__always) func prefetch(record: Int) {
        guard record < count else { return }
        let base = (record >> RowStore.chunkShift) &* width
        let r = record & (RowStore.chunkRecords - 1)
        for f in 0..<width {
            let column = columns[base &+ f]
            if let narrow = column.narrow { demarc_prefetch(narrow + r) }
            if let tags = column.tags { demarc_prefetch(tags + r) }
            if let payloads = column.payloads { demarc_prefetch(payloads + r) }
        }
        guard record < keyCount, let keys else { return }
        if let cases {
            demarc_prefetch(cases + record)
        } else {
            demarc_prefetch(keys + record &* MemoryLayout<String>.stride)
        }
    }

    /// Asks for the key of `record` where keys are by case, reading its case number (asked for
    /// by `prefetch` some findings before).
    @inline(__always) func prefetchKey(record: Int) {
        guard record < keyCount, let keys, let cases else { return }
        demarc_prefetch(keys + Int(cases[record]) &* MemoryLayout<String>.stride)
    }

    func free() { columns.deallocate() }
}

/// One field's values in one chunk of a `RowStore`: two bytes a record (`narrow`) until a value
/// needs more, then a tag byte and a 4-byte payload a record (`tags`, `payloads`).
struct ChunkColumn {
    var narrow: UnsafeMutablePointer<UInt16>?
    var tags: UnsafeMutablePointer<UInt8>?
    var payloads: UnsafeMutablePointer<UInt32>?
}

/// One chunk of a `RowStore`: its columns, in memory of their own (stores through a pointer: no
/// uniqueness check per field, as nested arrays had).
final class RowChunk: @unchecked Sendable {
    private(set) var columns: [ChunkColumn]

    init(startsWide: [Bool]) {
        columns = startsWide.map { wide in
            var column = ChunkColumn()
            if wide { RowChunk.allocateWide(&column) } else {
                column.narrow = .allocate(capacity: RowStore.chunkRecords)
                column.narrow!.initialize(repeating: 0, count: RowStore.chunkRecords)
            }
            return column
        }
    }

    private static func allocateWide(_ column: inout ChunkColumn) {
        column.tags = .allocate(capacity: RowStore.chunkRecords)
        column.tags!.initialize(repeating: 0, count: RowStore.chunkRecords)
        column.payloads = .allocate(capacity: RowStore.chunkRecords)
        column.payloads!.initialize(repeating: 0, count: RowStore.chunkRecords)
    }

    /// Gives `field` a tag and a payload a record, its first `records` records' codes
    /// converted; the two-byte buffer stays until the chunk goes (copies may still read it).
    func widen(field: Int, records: Int) -> ChunkColumn {
        var column = columns[field]
        RowChunk.allocateWide(&column)
        if let narrow = column.narrow {
            for r in 0..<records { (column.tags![r], column.payloads![r]) = RowStore.decodeNarrow(narrow[r]) }
        }
        columns[field] = column
        return column
    }

    deinit {
        for column in columns {
            column.narrow?.deallocate()
            column.tags?.deallocate()
            column.payloads?.deallocate()
        }
    }
}

/// The distinct texts of one field, looked up by their bytes (no `String` per lookup): up to
/// `RowStore.internLimit` of them, then the field is saturated and interns no more.
struct ByteInterner: Sendable {
    /// By id.
    private(set) var texts: [String] = []
    /// Every text's bytes, one after the other; text `id` is `bytes[starts[id]..<starts[id + 1]]`.
    private var bytes: [UInt8] = []
    private var starts: [Int32] = [0]
    /// Open addressing: `id + 1`, 0 for an empty slot.
    private var slots: [Int32] = []
    private var saturated = false
    /// Probes after which a lookup gives up and saturates the field: a bound on the work that
    /// texts crafted to collide can cause.
    private static let maxProbes = 64
    private static let seed = UInt64.random(in: .min ... .max)

    /// The id of `text` if it is interned (nil when new, or once the field is saturated): no
    /// mutating access for the texts a field repeats.
    @inline(__always) func find(_ text: UnsafeRawBufferPointer) -> Int32? {
        saturated ? nil : place(text).id
    }

    /// The id of `text`, adding it when new; nil once the field is saturated.
    @inline(__always) mutating func intern(_ text: UnsafeRawBufferPointer) -> Int32? {
        if saturated { return nil }
        var found = place(text)
        if let id = found.id { return id }
        if found.probesRanOut { saturate(); return nil }
        // Few distinct texts (currencies, states): comparing beats hashing.
        if texts.count < 8 { return add(text, slot: nil) }
        if slots.isEmpty {
            rehash(capacity: 32)
            found = place(text)
        }
        guard let slot = found.slot, texts.count < RowStore.internLimit else { saturate(); return nil }
        return add(text, slot: slot)
    }

    /// Where `text` is: its id; or the empty slot where it would go (nil while the few texts are
    /// compared one by one, with no slots yet); or that the probes ran out.
    @inline(__always) private func place(_ text: UnsafeRawBufferPointer) -> (id: Int32?, slot: Int?, probesRanOut: Bool) {
        let known = texts.count
        if known <= 8 {
            for id in 0..<known where equals(id, text) { return (Int32(id), nil, false) }
            if slots.isEmpty { return (nil, nil, false) }
        }
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: KeyIndex.hash(text, seed: ByteInterner.seed)) & mask
        var probes = 0
        while true {
            let entry = slots[i]
            if entry == 0 { return (nil, i, false) }
            if equals(Int(entry - 1), text) { return (entry - 1, nil, false) }
            probes += 1
            if probes > ByteInterner.maxProbes { return (nil, nil, true) }
            i = (i + 1) & mask
        }
    }

    private mutating func add(_ text: UnsafeRawBufferPointer, slot: Int?) -> Int32 {
        let id = Int32(texts.count)
        texts.append(String(decoding: text, as: UTF8.self))
        bytes.append(contentsOf: text)
        starts.append(Int32(bytes.count))
        if let slot {
            slots[slot] = id + 1
            if texts.count * 2 > slots.count { rehash(capacity: slots.count * 2) }
        } else if !slots.isEmpty {
            rehash(capacity: slots.count)
        }
        return id
    }

    /// The field takes no further texts; its ids stay valid.
    private mutating func saturate() {
        saturated = true
        slots = []
        bytes = []
        starts = []
    }

    private mutating func rehash(capacity: Int) {
        var capacity = capacity
        while texts.count * 2 > capacity { capacity *= 2 }
        slots = Array(repeating: 0, count: capacity)
        let mask = capacity - 1
        for id in 0..<texts.count {
            let hash = bytes.withUnsafeBytes { KeyIndex.hash(UnsafeRawBufferPointer(rebasing: $0[Int(starts[id])..<Int(starts[id + 1])]), seed: ByteInterner.seed) }
            var i = Int(truncatingIfNeeded: hash) & mask
            while slots[i] != 0 { i = (i + 1) & mask }
            slots[i] = Int32(id + 1)
        }
    }

    @inline(__always) private func equals(_ id: Int, _ text: UnsafeRawBufferPointer) -> Bool {
        let from = Int(starts[id]), to = Int(starts[id + 1])
        guard to - from == text.count else { return false }
        if text.isEmpty { return true }
        return bytes.withUnsafeBytes { all in ASCIIBytes.equal(all.baseAddress! + from, text.baseAddress!, count: text.count) }
    }
}

/// Texts in 1 MiB byte chunks, each its length and its UTF-8; a position is the chunk (upper
/// 32 bits) and the offset in it. A length below 128 takes one byte (keys, names), a longer one
/// four (the first with its high bit set): 3 bytes a key less than a fixed 4-byte length.
struct TextArena: Sendable {
    static let chunkSize = 1 << 20
    private var chunks: [[UInt8]] = []
    private var used = 0

    /// Stores `text`; returns its position.
    mutating func append(_ text: String) -> Int64 {
        var text = text
        return text.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    /// Stores the UTF-8 text `bytes`; returns its position.
    mutating func append(_ bytes: UnsafeRawBufferPointer) -> Int64 {
        let short = bytes.count < 0x80
        let need = bytes.count + (short ? 1 : 4)
        if chunks.isEmpty || used + need > chunks[chunks.count - 1].count {
            chunks.append([UInt8](repeating: 0, count: max(TextArena.chunkSize, need)))
            used = 0
        }
        let c = chunks.count - 1
        let offset = used
        let n = UInt32(truncatingIfNeeded: bytes.count)
        chunks[c].withUnsafeMutableBufferPointer { chunk in
            var at = offset
            if short {
                chunk[at] = UInt8(truncatingIfNeeded: n)
                at += 1
            } else {
                // Big-endian with the high bit set: the first byte says "four".
                chunk[at] = UInt8(truncatingIfNeeded: n >> 24) | 0x80
                chunk[at + 1] = UInt8(truncatingIfNeeded: n >> 16)
                chunk[at + 2] = UInt8(truncatingIfNeeded: n >> 8)
                chunk[at + 3] = UInt8(truncatingIfNeeded: n)
                at += 4
            }
            if let base = chunk.baseAddress, let from = bytes.baseAddress {
                UnsafeMutableRawPointer(base + at).copyMemory(from: from, byteCount: bytes.count)
            }
        }
        used = offset + need
        return Int64(c) << 32 | Int64(offset)
    }

    /// The text at `position`.
    func text(at position: Int64) -> String {
        let c = Int(position >> 32), offset = Int(position & 0xFFFF_FFFF)
        return chunks[c].withUnsafeBufferPointer { all in
            var at = offset
            var n = Int(all[at])
            if n & 0x80 == 0 {
                at += 1
            } else {
                n = Int(all[at] & 0x7F) << 24 | Int(all[at + 1]) << 16 | Int(all[at + 2]) << 8 | Int(all[at + 3])
                at += 4
            }
            return String(decoding: UnsafeBufferPointer(rebasing: all[at..<(at + n)]), as: UTF8.self)
        }
    }
}
