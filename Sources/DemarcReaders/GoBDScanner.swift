/// One field of a GoBD record: a byte range in the window, and whether doubled encapsulators
/// in it must be undoubled.
struct GoBDSpan {
    var start: Int
    var end: Int
    var escaped: Bool
}

/// How far one GoBD record reaches in the window.
struct GoBDExtent {
    enum Status { case complete, needMore, unterminated }
    var status: Status = .complete
    /// One past the record's last byte (its record delimiter excluded).
    var contentEnd = 0
    /// Where the next record starts.
    var next = 0
    var textAfterQuote = false
}

/// Finds records and fields in decoded UTF-8 bytes with the delimiters an index declares.
///
/// The CSV scanner's fast path assumes one-byte delimiters and line ends; GoBD allows strings
/// (`||`, `'''`, any record delimiter), so this scanner compares tokens. A `CRLF` record
/// delimiter (the GDPdU default) also accepts a bare LF, since many exports declare the default
/// and write LF.
struct GoBDScanner {
    /// Empty for fixed-length records.
    let column: [UInt8]
    let record: [UInt8]
    /// Empty: fields are never encapsulated.
    let quote: [UInt8]
    let lenientLF: Bool

    init(column: [UInt8], record: [UInt8], quote: [UInt8]) {
        self.column = column
        self.record = record
        self.quote = quote
        lenientLF = record == [0x0D, 0x0A]
    }

    private enum Match { case yes, no, undecided }

    /// Whether `token` starts at `i`; undecided when the window ends inside a possible match.
    @inline(__always)
    private func match(_ token: [UInt8], _ p: UnsafePointer<UInt8>, _ i: Int, _ limit: Int, _ atEnd: Bool) -> Match {
        guard !token.isEmpty else { return .no }
        var k = 0
        while k < token.count {
            if i &+ k >= limit { return atEnd ? .no : .undecided }
            if p[i &+ k] != token[k] { return .no }
            k &+= 1
        }
        return .yes
    }

    /// At `i`: the length of a record end (delimiter, or a lenient LF), 0 when none, nil when
    /// undecided.
    @inline(__always)
    private func recordEnd(_ p: UnsafePointer<UInt8>, _ i: Int, _ limit: Int, _ atEnd: Bool) -> Int? {
        switch match(record, p, i, limit, atEnd) {
        case .yes: return record.count
        case .undecided: return nil
        case .no: return lenientLF && i < limit && p[i] == 0x0A ? 1 : 0
        }
    }

    /// Scans a delimited record at `from` (not at a record end). Fields go to `fields`.
    func scanVariable(_ p: UnsafePointer<UInt8>, from: Int, limit: Int, atEnd: Bool, fields: inout [GoBDSpan]) -> GoBDExtent {
        var extent = GoBDExtent()
        fields.removeAll(keepingCapacity: true)
        var i = from
        while true {
            var quoted = false
            switch match(quote, p, i, limit, atEnd) {
            case .undecided: extent.status = .needMore; return extent
            case .yes: quoted = true
            case .no: break
            }
            if quoted {
                let open = i
                i &+= quote.count
                let start = i
                var escaped = false
                scanQuoted: while true {
                    if i >= limit {
                        if !atEnd { extent.status = .needMore; return extent }
                        return unterminated(p, open: open, limit: limit, fields: &fields)
                    }
                    if p[i] == quote[0] {
                        switch match(quote, p, i, limit, atEnd) {
                        case .undecided: extent.status = .needMore; return extent
                        case .no: i &+= 1; continue scanQuoted
                        case .yes: break
                        }
                        switch match(quote, p, i &+ quote.count, limit, atEnd) {
                        case .undecided: extent.status = .needMore; return extent
                        case .yes: escaped = true; i &+= 2 &* quote.count; continue scanQuoted
                        case .no: break
                        }
                        fields.append(GoBDSpan(start: start, end: i, escaped: escaped))
                        i &+= quote.count
                        break scanQuoted
                    }
                    i &+= 1
                }
                // After the closing encapsulator: a delimiter, a record end or the end.
                if i < limit {
                    let atColumn = match(column, p, i, limit, atEnd)
                    guard let end = recordEnd(p, i, limit, atEnd), atColumn != .undecided else {
                        extent.status = .needMore; return extent
                    }
                    if atColumn == .no && end == 0 {
                        extent.textAfterQuote = true
                        fields.removeLast()
                        guard let stop = nextDelimiter(p, from: i, limit: limit, atEnd: atEnd) else {
                            extent.status = .needMore; return extent
                        }
                        fields.append(GoBDSpan(start: open, end: stop, escaped: false))
                        i = stop
                    }
                }
            } else {
                guard let stop = nextDelimiter(p, from: i, limit: limit, atEnd: atEnd) else {
                    extent.status = .needMore; return extent
                }
                fields.append(GoBDSpan(start: i, end: stop, escaped: false))
                i = stop
            }
            if i >= limit {
                extent.contentEnd = limit
                extent.next = limit
                return extent
            }
            if match(column, p, i, limit, atEnd) == .yes { i &+= column.count; continue }
            let end = recordEnd(p, i, limit, atEnd) ?? 0
            extent.contentEnd = i
            extent.next = i &+ max(end, 1)
            return extent
        }
    }

    /// The next column delimiter or record end at or after `from`; `limit` at the end of the
    /// input; nil when more bytes are needed to decide.
    private func nextDelimiter(_ p: UnsafePointer<UInt8>, from: Int, limit: Int, atEnd: Bool) -> Int? {
        let c0 = column.first ?? record[0]
        let r0 = record[0]
        var i = from
        while i < limit {
            let b = p[i]
            if b == c0 || b == r0 || (lenientLF && b == 0x0A) {
                let atColumn = match(column, p, i, limit, atEnd)
                if atColumn == .yes { return i }
                guard let end = recordEnd(p, i, limit, atEnd), atColumn != .undecided else { return nil }
                if end > 0 { return i }
            }
            i &+= 1
        }
        return atEnd ? limit : nil
    }

    /// An encapsulator never closed: the record runs to the first record end after it opened,
    /// so one stray encapsulator never hides the rest of the file.
    private func unterminated(_ p: UnsafePointer<UInt8>, open: Int, limit: Int, fields: inout [GoBDSpan]) -> GoBDExtent {
        var extent = GoBDExtent(status: .unterminated)
        var i = open &+ quote.count
        while i < limit {
            if let end = recordEnd(p, i, limit, true), end > 0 {
                fields.append(GoBDSpan(start: open &+ quote.count, end: i, escaped: false))
                extent.contentEnd = i
                extent.next = i &+ end
                return extent
            }
            i &+= 1
        }
        fields.append(GoBDSpan(start: min(open &+ quote.count, limit), end: limit, escaped: false))
        extent.contentEnd = limit
        extent.next = limit
        return extent
    }

    /// A fixed-length record at `from`: `length` characters (then an optional line end), or up
    /// to the record delimiter.
    func scanFixed(_ p: UnsafePointer<UInt8>, from: Int, limit: Int, atEnd: Bool, length: Int?) -> GoBDExtent {
        var extent = GoBDExtent()
        var i = from
        if let length {
            var characters = 0
            while characters < length {
                if i >= limit {
                    if atEnd { break }
                    extent.status = .needMore; return extent
                }
                i &+= 1
                while i < limit && p[i] & 0xC0 == 0x80 { i &+= 1 }
                characters &+= 1
            }
            if i >= limit && !atEnd && characters == length {
                extent.status = .needMore; return extent
            }
            extent.contentEnd = i
            // Line ends between fixed records are tolerated.
            if i < limit && p[i] == 0x0D {
                if i &+ 1 >= limit && !atEnd { extent.status = .needMore; return extent }
                i &+= (i &+ 1 < limit && p[i &+ 1] == 0x0A) ? 2 : 1
            } else if i < limit && p[i] == 0x0A {
                i &+= 1
            }
            extent.next = i
            return extent
        }
        while i < limit {
            guard let end = recordEnd(p, i, limit, atEnd) else { extent.status = .needMore; return extent }
            if end > 0 {
                extent.contentEnd = i
                extent.next = i &+ end
                return extent
            }
            i &+= 1
        }
        if !atEnd { extent.status = .needMore; return extent }
        extent.contentEnd = limit
        extent.next = limit
        return extent
    }
}
