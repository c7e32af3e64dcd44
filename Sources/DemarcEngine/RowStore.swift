import DemarcCore

/// Rows of values in fixed-size chunks, stored compactly: one tag byte and one 4-byte payload
/// per field, instead of a 24-byte `Value` (and a `String` for every text). A payload that does
/// not fit 32 bits (a large number, an arena beyond 4 GiB) goes to a side array of 8-byte
/// values and the tag's high bit says so.
///
/// Appending never copies what is stored, and the slack is at most one chunk (a flat array
/// doubling would briefly hold three times the rows). The subscript rebuilds a `Value` on
/// demand: cases and findings read few fields of few records, reading writes many.
///
/// Text is interned per field (the payload is an index into the field's table) while the
/// field has at most `internLimit` distinct texts; beyond that (keys, names) each new text is
/// copied into a byte arena (the payload is its position there).
struct RowStore: Sendable {
    /// Records per chunk.
    static let chunkShift = 14
    static let chunkRecords = 1 << chunkShift
    /// Distinct texts a field interns before it writes further new texts to the arena.
    static let internLimit = 4096

    let width: Int
    private var tagChunks: [[UInt8]] = []
    private var payloadChunks: [[UInt32]] = []
    /// Payloads too wide for 32 bits (tag with `wideFlag`); a decimal's scale follows its units.
    private var wide: [Int64] = []
    private(set) var count = 0
    /// Per field: the interned texts, and their ids while the field is still interning.
    private var texts: [[String]]
    private var textIDs: [[String: Int32]]
    private var arena = TextArena()

    init(width: Int) {
        self.width = width
        texts = Array(repeating: [], count: width)
        textIDs = Array(repeating: [:], count: width)
    }

    // Tags: a decimal's tag is `decimalTag + scale`.
    private static let unknownTag: UInt8 = 0
    private static let internedTag: UInt8 = 1
    private static let arenaTag: UInt8 = 2
    private static let integerTag: UInt8 = 3
    private static let dateTag: UInt8 = 4
    private static let datetimeTag: UInt8 = 5
    private static let falseTag: UInt8 = 6
    private static let trueTag: UInt8 = 7
    private static let durationTag: UInt8 = 8
    private static let wideDecimalTag: UInt8 = 9
    private static let decimalTag: UInt8 = 16
    private static let maxTagScale: UInt8 = 100
    private static let wideFlag: UInt8 = 0x80

    /// Appends one record's values (`width` of them).
    mutating func append(_ row: [Value]) {
        let slot = (count & (RowStore.chunkRecords - 1)) * width
        if slot == 0 {
            tagChunks.append([UInt8](repeating: 0, count: RowStore.chunkRecords * width))
            payloadChunks.append([UInt32](repeating: 0, count: RowStore.chunkRecords * width))
        }
        let last = tagChunks.count - 1
        var tags = [UInt8](repeating: 0, count: 0)
        var payloads = [UInt32](repeating: 0, count: 0)
        swap(&tags, &tagChunks[last])
        swap(&payloads, &payloadChunks[last])
        for f in 0..<width {
            let (tag, payload) = encode(row[f], field: f)
            if tag == RowStore.arenaTag, payload >> 32 < 4096, payload & 0xFFFF_FFFF < 1 << 20 {
                // Arena chunk (12 bits) and offset in it (20 bits: chunks are 1 MiB, a larger
                // text has a chunk of its own at offset 0).
                tags[slot &+ f] = tag
                payloads[slot &+ f] = UInt32(truncatingIfNeeded: payload >> 32) << 20 | UInt32(truncatingIfNeeded: payload & 0xF_FFFF)
            } else if tag != RowStore.arenaTag && tag != RowStore.wideDecimalTag,
                      let narrow = Int32(exactly: payload) {
                tags[slot &+ f] = tag
                payloads[slot &+ f] = UInt32(bitPattern: narrow)
            } else {
                tags[slot &+ f] = tag | RowStore.wideFlag
                payloads[slot &+ f] = UInt32(truncatingIfNeeded: wide.count)
                wide.append(payload)
                if tag == RowStore.wideDecimalTag, case .decimal(let d) = row[f] { wide.append(Int64(d.scale)) }
            }
        }
        swap(&tags, &tagChunks[last])
        swap(&payloads, &payloadChunks[last])
        count += 1
    }

    private mutating func encode(_ value: Value, field f: Int) -> (UInt8, Int64) {
        switch value {
        case .unknown: return (RowStore.unknownTag, 0)
        case .text(let s):
            // A field that reached the limit writes every further text to the arena.
            if texts[f].count >= RowStore.internLimit { return (RowStore.arenaTag, arena.append(s)) }
            // Few distinct texts (currencies, states): comparing beats hashing.
            let known = texts[f].count
            if known <= 16 {
                for i in 0..<known where texts[f][i] == s { return (RowStore.internedTag, Int64(i)) }
            } else if let id = textIDs[f][s] {
                return (RowStore.internedTag, Int64(id))
            }
            if texts[f].count < RowStore.internLimit - 1 {
                let id = Int32(texts[f].count)
                texts[f].append(s)
                textIDs[f][s] = id
                return (RowStore.internedTag, Int64(id))
            }
            texts[f].append("")   // saturated: the table stops growing, its ids stay valid
            textIDs[f] = [:]
            return (RowStore.arenaTag, arena.append(s))
        case .decimal(let d):
            if d.scale <= RowStore.maxTagScale { return (RowStore.decimalTag &+ d.scale, d.units) }
            return (RowStore.wideDecimalTag, d.units)   // the scale follows in `wide`
        case .integer(let i): return (RowStore.integerTag, i)
        case .date(let d): return (RowStore.dateTag, Int64(d.daysSinceEpoch))
        case .datetime(let t): return (RowStore.datetimeTag, t.millisSinceEpoch)
        case .bool(let b): return (b ? RowStore.trueTag : RowStore.falseTag, 0)
        case .duration(let d): return (RowStore.durationTag, d)
        }
    }

    /// One field of one record.
    @inline(__always) subscript(record: Int, field: Int) -> Value {
        let chunk = record >> RowStore.chunkShift
        let slot = (record & (RowStore.chunkRecords - 1)) * width + field
        var tag = tagChunks[chunk][slot]
        let narrow = payloadChunks[chunk][slot]
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
        case RowStore.internedTag: return .text(texts[field][Int(payload)])
        case RowStore.arenaTag: return .text(arena.text(at: payload))
        case RowStore.integerTag: return .integer(payload)
        case RowStore.dateTag: return .date(Day(daysSinceEpoch: Int32(truncatingIfNeeded: payload)))
        case RowStore.datetimeTag: return .datetime(Instant(millisSinceEpoch: payload))
        case RowStore.falseTag: return .bool(false)
        case RowStore.trueTag: return .bool(true)
        case RowStore.durationTag: return .duration(payload)
        default: return .decimal(FixedDecimal(units: payload, scale: tag &- RowStore.decimalTag))
        }
    }
}

/// Texts in 1 MiB byte chunks, each a 4-byte length and its UTF-8; a position is the chunk
/// (upper 32 bits) and the offset in it.
struct TextArena: Sendable {
    static let chunkSize = 1 << 20
    private var chunks: [[UInt8]] = []
    private var used = 0

    /// Stores `text`; returns its position.
    mutating func append(_ text: String) -> Int64 {
        var text = text
        return text.withUTF8 { bytes in
            let need = bytes.count + 4
            if chunks.isEmpty || used + need > chunks[chunks.count - 1].count {
                chunks.append([UInt8](repeating: 0, count: max(TextArena.chunkSize, need)))
                used = 0
            }
            let c = chunks.count - 1
            let offset = used
            let n = UInt32(truncatingIfNeeded: bytes.count)
            chunks[c].withUnsafeMutableBufferPointer { chunk in
                chunk[offset] = UInt8(truncatingIfNeeded: n)
                chunk[offset + 1] = UInt8(truncatingIfNeeded: n >> 8)
                chunk[offset + 2] = UInt8(truncatingIfNeeded: n >> 16)
                chunk[offset + 3] = UInt8(truncatingIfNeeded: n >> 24)
                if let base = chunk.baseAddress, let from = bytes.baseAddress {
                    (base + offset + 4).update(from: from, count: bytes.count)
                }
            }
            used = offset + need
            return Int64(c) << 32 | Int64(offset)
        }
    }

    /// The text at `position`.
    func text(at position: Int64) -> String {
        let c = Int(position >> 32), offset = Int(position & 0xFFFF_FFFF)
        return chunks[c].withUnsafeBufferPointer { all in
            let n = Int(all[offset]) | Int(all[offset + 1]) << 8 | Int(all[offset + 2]) << 16 | Int(all[offset + 3]) << 24
            return String(decoding: UnsafeBufferPointer(rebasing: all[(offset + 4)..<(offset + 4 + n)]), as: UTF8.self)
        }
    }
}
