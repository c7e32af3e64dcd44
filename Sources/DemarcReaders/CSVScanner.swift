/// The kinds of line end, as bits of a set.
struct LineEnds: OptionSet, Sendable {
    let rawValue: UInt8
    static let lf = LineEnds(rawValue: 1)
    static let crlf = LineEnds(rawValue: 2)
    static let cr = LineEnds(rawValue: 4)

    /// The names for ReadSummary.lineEnds, in a fixed order.
    var names: [String] {
        var result: [String] = []
        if contains(.lf) { result.append("LF") }
        if contains(.crlf) { result.append("CRLF") }
        if contains(.cr) { result.append("CR") }
        return result
    }
}

/// The field spans of the record being scanned: reused storage, never shrunk.
///
/// A struct passed `inout` (not a class) so that the scan loop pays no dynamic exclusivity
/// checks: with a class, `swift_beginAccess` took a quarter of a read's time in `perf`.
/// The owner calls `deallocate()` once.
struct FieldSpans {
    private(set) var count = 0
    private var capacity = 64
    private(set) var starts: UnsafeMutablePointer<Int>
    private(set) var ends: UnsafeMutablePointer<Int>
    /// Whether the span is a quoted field's content holding doubled quotes.
    private(set) var escaped: UnsafeMutablePointer<Bool>

    init() {
        starts = .allocate(capacity: capacity)
        ends = .allocate(capacity: capacity)
        escaped = .allocate(capacity: capacity)
    }

    /// Frees the storage; the spans must not be used afterwards.
    func deallocate() {
        starts.deallocate(); ends.deallocate(); escaped.deallocate()
    }

    @inline(__always) mutating func removeAll() { count = 0 }

    @inline(__always) mutating func append(_ start: Int, _ end: Int, escaped isEscaped: Bool) {
        if count == capacity { grow() }
        starts[count] = start
        ends[count] = end
        escaped[count] = isEscaped
        count &+= 1
    }

    private mutating func grow() {
        let newCapacity = capacity * 2
        let s = UnsafeMutablePointer<Int>.allocate(capacity: newCapacity)
        let e = UnsafeMutablePointer<Int>.allocate(capacity: newCapacity)
        let q = UnsafeMutablePointer<Bool>.allocate(capacity: newCapacity)
        s.update(from: starts, count: count); e.update(from: ends, count: count); q.update(from: escaped, count: count)
        deallocate()
        starts = s; ends = e; escaped = q
        capacity = newCapacity
    }

    /// Appends the text of field `index` to `bytes`, undoubling the quotes of a quoted field.
    func appendField(_ index: Int, from p: UnsafePointer<UInt8>, quote: UInt8, to bytes: inout [UInt8]) {
        var i = starts[index]
        let end = ends[index]
        guard escaped[index] else {
            bytes.append(contentsOf: UnsafeBufferPointer(start: p + i, count: end - i))
            return
        }
        while i < end {
            let b = p[i]
            bytes.append(b)
            i += (b == quote && i + 1 < end && p[i + 1] == quote) ? 2 : 1
        }
    }
}

/// How far one record reaches in the window.
struct RecordExtent {
    enum Status { case complete, needMore, unterminated }
    var status: Status = .complete
    /// One past the record's last text byte (its line end excluded).
    var contentEnd = 0
    /// Where the next record starts.
    var next = 0
    /// Line ends inside the record (in quotes) and after it.
    var lineBreaks = 0
    var lineEnd: LineEnds = []
    var textAfterQuote = false
}

/// Finds records and fields in decoded UTF-8 bytes (RFC 4180 with the DETAILS.md 2 leniencies).
struct CSVScanner {
    let delimiter: UInt8
    let quote: UInt8
    private let delimiterWord: UInt64
    private let quoteWord: UInt64
    private let delimiterVector: SIMD16<UInt8>
    private let quoteVector: SIMD16<UInt8>
    /// The delimiter and then a quote, as two bytes read as one little-endian `UInt16`.
    private let closeOpen: UInt16
    private static let lfWord = broadcast(0x0A)
    private static let crWord = broadcast(0x0D)

    init(delimiter: UInt8, quote: UInt8) {
        self.delimiter = delimiter
        self.quote = quote
        closeOpen = UInt16(delimiter) | UInt16(quote) << 8
        delimiterWord = broadcast(delimiter)
        quoteWord = broadcast(quote)
        delimiterVector = SIMD16(repeating: delimiter)
        quoteVector = SIMD16(repeating: quote)
    }

    /// Scans the record starting at `from` (not at a line end) up to `limit`; `atEnd` says that
    /// no bytes follow `limit`. Field spans go to `spans`.
    ///
    /// The loop jumps from special byte to special byte (`nextFieldEnd`, `nextInQuotes`),
    /// eight bytes per step, instead of switching on every byte: fields are copied and
    /// converted only when a caller asked for them, so this scan is most of the cost of a read.
    func scanRecord(_ p: UnsafePointer<UInt8>, from: Int, limit: Int, atEnd: Bool, spans: inout FieldSpans) -> RecordExtent {
        var extent = RecordExtent()
        spans.removeAll()
        var i = from
        while true {
            if i < limit && p[i] == quote {
                var open = i
                var isEscaped = false
                i &+= 1
                // Inside quotes only the quote is special; line ends are counted as lines.
                while true {
                    i = nextInQuotes(p, from: i, limit: limit)
                    // A closing quote, the delimiter and the next field's opening quote (`","`,
                    // every field of a Salesforce export): the next field is scanned from here,
                    // with one load of the two bytes after the quote instead of the way round
                    // through the field's end and the next field's start (measured in
                    // bench/RESULTS.md, eleventh session).
                    if i &+ 2 < limit, p[i] == quote,
                       UInt16(littleEndian: UnsafeRawPointer(p + (i &+ 1)).loadUnaligned(as: UInt16.self)) == closeOpen {
                        spans.append(open &+ 1, i, escaped: isEscaped)
                        open = i &+ 2
                        isEscaped = false
                        i &+= 3
                        continue
                    }
                    if i >= limit {
                        if atEnd {
                            // What could be read: the open field's text up to the limit.
                            spans.append(open &+ 1, limit, escaped: isEscaped)
                            extent.status = .unterminated
                            extent.contentEnd = limit
                            extent.next = limit
                        } else {
                            extent.status = .needMore
                        }
                        return extent
                    }
                    let b = p[i]
                    if b == quote {
                        if i &+ 1 < limit {
                            if p[i &+ 1] == quote { isEscaped = true; i &+= 2; continue }
                            break
                        }
                        if atEnd { break }
                        extent.status = .needMore
                        return extent
                    }
                    if b == 0x0A {
                        extent.lineBreaks &+= 1; i &+= 1
                    } else if i &+ 1 < limit {
                        extent.lineBreaks &+= 1; i &+= p[i &+ 1] == 0x0A ? 2 : 1
                    } else if atEnd {
                        extent.lineBreaks &+= 1; i &+= 1
                    } else {
                        extent.status = .needMore
                        return extent
                    }
                }
                let close = i
                i &+= 1
                if i < limit, p[i] != delimiter, p[i] != 0x0A, p[i] != 0x0D {
                    // `"ab"c,`: the field runs to the next delimiter, kept raw.
                    extent.textAfterQuote = true
                    i = nextFieldEnd(p, from: i, limit: limit)
                    if i >= limit && !atEnd { extent.status = .needMore; return extent }
                    spans.append(open, i, escaped: false)
                } else {
                    spans.append(open &+ 1, close, escaped: isEscaped)
                }
            } else {
                // Unquoted: a quote here is an ordinary byte (`5" disk`).
                let start = i
                i = nextFieldEnd(p, from: i, limit: limit)
                if i >= limit && !atEnd { extent.status = .needMore; return extent }
                spans.append(start, i, escaped: false)
            }
            if i >= limit {
                extent.contentEnd = limit
                extent.next = limit
                return extent
            }
            let b = p[i]
            if b == delimiter { i &+= 1; continue }
            extent.contentEnd = i
            if b == 0x0A {
                extent.next = i &+ 1; extent.lineEnd = .lf
            } else if i &+ 1 < limit {
                if p[i &+ 1] == 0x0A { extent.next = i &+ 2; extent.lineEnd = .crlf } else { extent.next = i &+ 1; extent.lineEnd = .cr }
            } else if atEnd {
                extent.next = i &+ 1; extent.lineEnd = .cr
            } else {
                extent.status = .needMore
                return extent
            }
            extent.lineBreaks &+= 1
            return extent
        }
    }

    /// The physical line at `from`: where its text ends, where the next line starts and its
    /// line end; nil when the window ends before the line does and more bytes may follow.
    static func physicalLine(_ p: UnsafePointer<UInt8>, from: Int, limit: Int, atEnd: Bool)
        -> (contentEnd: Int, next: Int, lineEnd: LineEnds)? {
        var i = from
        while i < limit, p[i] != 0x0A, p[i] != 0x0D { i &+= 1 }
        if i >= limit { return atEnd ? (limit, limit, []) : nil }
        if p[i] == 0x0A { return (i, i &+ 1, .lf) }
        if i &+ 1 < limit { return p[i &+ 1] == 0x0A ? (i, i &+ 2, .crlf) : (i, i &+ 1, .cr) }
        return atEnd ? (i, i &+ 1, .cr) : nil
    }

    // MARK: - Byte search

    /// The next delimiter, LF or CR at or after `from`, or `limit`.
    @_transparent
    private func nextFieldEnd(_ p: UnsafePointer<UInt8>, from: Int, limit: Int) -> Int {
        nextStop(p, from: from, limit: limit, byte: delimiter, word: delimiterWord, vector: delimiterVector)
    }

    /// The next quote, LF or CR at or after `from`, or `limit`.
    @_transparent
    private func nextInQuotes(_ p: UnsafePointer<UInt8>, from: Int, limit: Int) -> Int {
        nextStop(p, from: from, limit: limit, byte: quote, word: quoteWord, vector: quoteVector)
    }

    /// The next `byte`, LF or CR at or after `from`, or `limit`: sixteen bytes at a time
    /// (`vector` is `byte` in every lane), then eight (SWAR; `word` is `byte` in every byte of
    /// a word), then byte by byte.
    @_transparent
    private func nextStop(_ p: UnsafePointer<UInt8>, from: Int, limit: Int, byte: UInt8, word target: UInt64,
                          vector wanted: SIMD16<UInt8>) -> Int {
        var i = from
        // Sixteen bytes a step (one vector compare per special byte), then eight, then one:
        // most fields of an export are under 16 bytes, so one step finds their end. (With
        // the vectors, `@inline(__always)` no longer inlined this into `scanRecord`, and the
        // calls ate the gain; `@_transparent` does: the scan's samples 847 → 656 at 5M.)
        let lf = SIMD16<UInt8>(repeating: 0x0A), cr = SIMD16<UInt8>(repeating: 0x0D)
        while i &+ 16 <= limit {
            let v = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<UInt8>.self)
            let hits = (v .== wanted) .| (v .== lf) .| (v .== cr)
            if any(hits) {
                let words = unsafeBitCast(hits, to: SIMD2<UInt64>.self)   // a hit is a byte of ones
                return i &+ (words[0] != 0 ? words[0].trailingZeroBitCount >> 3 : 8 &+ words[1].trailingZeroBitCount >> 3)
            }
            i &+= 16
        }
        while i &+ 8 <= limit {
            let word = UInt64(littleEndian: UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self))
            let hits = zeroBytes(word ^ target) | zeroBytes(word ^ CSVScanner.lfWord)
                | zeroBytes(word ^ CSVScanner.crWord)
            if hits != 0 { return i &+ hits.trailingZeroBitCount >> 3 }
            i &+= 8
        }
        while i < limit {
            let b = p[i]
            if b == byte || b == 0x0A || b == 0x0D { return i }
            i &+= 1
        }
        return limit
    }
}

/// `b` in every byte of a word.
@inline(__always) private func broadcast(_ b: UInt8) -> UInt64 { UInt64(b) &* 0x0101_0101_0101_0101 }

/// The high bit set in each zero byte of `v` (exact for the lowest zero byte, which is all
/// the searches use).
@inline(__always) private func zeroBytes(_ v: UInt64) -> UInt64 {
    (v &- 0x0101_0101_0101_0101) & ~v & 0x8080_8080_8080_8080
}
