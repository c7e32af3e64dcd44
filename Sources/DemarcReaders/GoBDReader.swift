import DemarcCore

/// Streams the records of one GoBD / GDPdU table as its `index.xml` describes it.
///
/// Decoding, chunking and hashing are the CSV reader's (`DecodedInput`); records and fields are
/// found by `GoBDScanner`. Fields are requested by the index's column `Name` (`.column`) or by
/// position. What `ValueSpec` cannot say is done here, per column: `ImpliedAccuracy` inserts the
/// decimal symbol, a multi-character `DigitGroupingSymbol` is removed from numbers, two-digit
/// years (`YY`) are widened with `Epoch`, `Map` entries are applied, fixed-width values are
/// trimmed. `Range` selects records after `SkipNumBytes`; entirely empty records are skipped.
public final class GoBDReader {
    private let input: InputFile
    private let table: GoBDTable
    /// Raw bytes per `read` call; tests make it tiny to put chunk boundaries everywhere.
    var chunkSize = DecodedInput.defaultChunkSize

    /// A reader of `table`'s data from `input` (normally `table.dataPath`).
    public init(input: InputFile, table: GoBDTable) {
        self.input = input
        self.table = table
    }

    /// Streams every selected record. `fields == nil` requests every column in index order.
    /// `onChunk` sees every raw byte read (progress, checksums).
    public func read(fields: [FieldRequest]?, onChunk: ((UnsafeRawBufferPointer) -> Void)? = nil,
                     sink: RecordSink) throws -> ReadSummary {
        let position = SourcePosition(file: input.displayName, line: 0)
        if !table.problems.isEmpty {
            throw DemarcError.unreadableInput(position, "gobd table '\(table.name)' cannot be read: " + table.problems.joined(separator: "; "))
        }
        let slots = try resolve(fields, position: position)
        let source = try ByteSource(input: input)
        let decoded = DecodedInput(source: source, displayName: input.displayName, declared: table.encoding,
                                   onChunk: onChunk, chunkSize: chunkSize)
        decoded.skipRawBytes = table.skipBytes
        try decoded.begin()
        var summary = ReadSummary()
        summary.encoding = decoded.encoding.rawValue
        summary.encodingSource = decoded.encodingSource == "BOM" ? "BOM" : "index.xml"
        summary.header = table.columns.map(\.name)
        if case .variable(let column, _, _) = table.layout {
            summary.delimiter = String(decoding: column, as: UTF8.self)
            summary.delimiterSource = "index.xml"
        }
        let run = GoBDRun(table: table, input: decoded, slots: slots)
        try run.readRecords(sink: sink, summary: &summary)
        summary.sha256 = decoded.finishHash()
        return summary
    }

    private func resolve(_ fields: [FieldRequest]?, position: SourcePosition) throws -> [Int] {
        guard let fields else { return Array(table.columns.indices) }
        return try fields.map { request in
            switch request.selector {
            case .column(let name):
                guard let index = table.column(named: name) else {
                    let names = table.columns.map { "'\($0.name)'" }.joined(separator: ", ")
                    throw DemarcError.unreadableInput(position, "no column '\(name)' in gobd table '\(table.name)'; the table has: \(names)")
                }
                return index
            case .position(let number):
                guard number >= 1, number <= table.columns.count else {
                    throw DemarcError.unreadableInput(position, "no column \(number); gobd table '\(table.name)' has \(table.columns.count) columns")
                }
                return number - 1
            case .path(let path):
                throw DemarcError.unreadableInput(position, "an xml path ('\(path)') cannot select a gobd column")
            }
        }
    }
}

/// The state of one read.
struct GoBDRun {
    let table: GoBDTable
    let input: DecodedInput
    /// Per requested field, its column.
    let slots: [Int]
    let rewrites: [GoBDRewrite]
    let isFixed: Bool
    /// The text encapsulator (empty for fixed-length tables).
    let quote: [UInt8]

    init(table: GoBDTable, input: DecodedInput, slots: [Int]) {
        self.table = table
        self.input = input
        self.slots = slots
        rewrites = table.columns.map { GoBDRewrite(column: $0, table: table) }
        switch table.layout {
        case .variable(_, _, let q): isFixed = false; quote = q
        case .fixed: isFixed = true; quote = []
        }
    }

    func readRecords(sink: RecordSink, summary: inout ReadSummary) throws {
        let window = input.window
        let scanner: GoBDScanner
        var fixedLength: Int?
        switch table.layout {
        case .variable(let column, let record, let quote):
            scanner = GoBDScanner(column: column, record: record, quote: quote)
        case .fixed(let length, let record):
            scanner = GoBDScanner(column: [], record: record, quote: [])
            fixedLength = length
        }
        var spans: [GoBDSpan] = []
        var record = RawRecord()
        var line = 1 + input.skippedLineBreaks
        var ordinal = 0   // non-empty records seen, 1-based after increment
        let first = table.firstRecord
        let last = table.recordCount.map { first &+ $0 &- 1 }
        while true {
            if window.start >= window.end {
                if input.atEnd { break }
                try input.fill()
                continue
            }
            let p = UnsafePointer(window.base)
            let pos = window.start
            var extent = isFixed
                ? scanner.scanFixed(p, from: pos, limit: window.end, atEnd: input.atEnd, length: fixedLength)
                : scanner.scanVariable(p, from: pos, limit: window.end, atEnd: input.atEnd, fields: &spans)
            if extent.status == .needMore {
                try input.fill(minimum: max(input.chunkSize, window.end - window.start))
                continue
            }
            if extent.next <= pos { extent.next = pos + 1 }   // progress, whatever the input
            let recordLine = line
            for i in pos..<extent.next where p[i] == 0x0A { line &+= 1 }
            window.start = extent.next
            guard extent.contentEnd > pos else { continue }   // an entirely empty record
            ordinal &+= 1
            if ordinal < first { continue }
            if let last, ordinal > last { break }
            let text = UnsafeBufferPointer(start: p + pos, count: extent.contentEnd - pos)
            if isFixed { spans = fixedSpans(text, from: pos) }
            deliver(into: &record, text: text, base: pos, spans: spans, extent: extent, line: recordLine)
            summary.records &+= 1
            if record.malformed != nil { summary.malformed &+= 1 }
            try sink(&record)
        }
        // The rest is hashed, not scanned (a Range that ends early).
        while !input.atEnd { window.start = window.end; try input.fill() }
    }

    /// Fixed-width columns as spans of the record (character positions; missing columns are
    /// left out, so the record counts as short).
    private func fixedSpans(_ text: UnsafeBufferPointer<UInt8>, from base: Int) -> [GoBDSpan] {
        var offsets: [Int] = []   // byte offset of each character
        offsets.reserveCapacity(text.count + 1)
        for (i, b) in text.enumerated() where b & 0xC0 != 0x80 { offsets.append(i) }
        offsets.append(text.count)
        let characters = offsets.count - 1
        var spans: [GoBDSpan] = []
        for column in table.columns {
            guard let range = column.fixedRange, range.lowerBound < characters else { break }
            let upper = min(range.upperBound, characters)
            spans.append(GoBDSpan(start: base + offsets[range.lowerBound], end: base + offsets[upper], escaped: false))
        }
        return spans
    }

    private func deliver(into record: inout RawRecord, text: UnsafeBufferPointer<UInt8>, base: Int,
                         spans: [GoBDSpan], extent: GoBDExtent, line: Int) {
        record.reset(fieldCount: slots.count)
        record.line = line
        record.bytes.append(contentsOf: text)
        for (slot, column) in slots.enumerated() where column < spans.count {
            let span = spans[column]
            var range = (span.start - base)..<(span.end - base)
            if span.escaped { range = appendUndoubled(range, quote: quote, to: &record.bytes) }
            if isFixed { range = trimmedSpaces(range, in: record.bytes) }
            if let rewritten = rewrites[column].apply(record.bytes[range]) {
                let from = record.bytes.count
                record.bytes.append(contentsOf: rewritten)
                range = from..<record.bytes.count
            }
            record.fields[slot] = range
        }
        let invalid = input.window.hasMark(in: base..<max(extent.next, extent.contentEnd))
        let raw = { String(decoding: text, as: UTF8.self) }
        if invalid {
            record.malformed = MalformedRecord(reason: .invalidEncoding, detail: "bytes invalid in \(input.encoding.rawValue)", raw: raw())
        } else if extent.status == .unterminated {
            record.malformed = MalformedRecord(reason: .unterminatedQuote, detail: "a text encapsulator opened on line \(line) is never closed", raw: raw())
        } else if extent.textAfterQuote {
            record.malformed = MalformedRecord(reason: .textAfterQuote, detail: "text after a closing text encapsulator", raw: raw())
        } else if isFixed ? spans.count < table.columns.count : spans.count != table.columns.count {
            let detail = isFixed
                ? "the record is too short for column '\(table.columns[spans.count].name)'"
                : "expected \(table.columns.count) fields, found \(spans.count)"
            record.malformed = MalformedRecord(reason: .wrongFieldCount, detail: detail, raw: raw())
        }
    }

    /// Appends the field with each doubled encapsulator undoubled; returns its new range.
    private func appendUndoubled(_ range: Range<Int>, quote: [UInt8], to bytes: inout [UInt8]) -> Range<Int> {
        let from = bytes.count
        var i = range.lowerBound
        while i < range.upperBound {
            if !quote.isEmpty, i + 2 * quote.count <= range.upperBound,
               bytes[i..<(i + quote.count)].elementsEqual(quote),
               bytes[(i + quote.count)..<(i + 2 * quote.count)].elementsEqual(quote) {
                bytes.append(contentsOf: quote)
                i += 2 * quote.count
            } else {
                bytes.append(bytes[i])
                i += 1
            }
        }
        return from..<bytes.count
    }

    private func trimmedSpaces(_ range: Range<Int>, in bytes: [UInt8]) -> Range<Int> {
        var lower = range.lowerBound, upper = range.upperBound
        while lower < upper, bytes[lower] == 0x20 { lower += 1 }
        while upper > lower, bytes[upper - 1] == 0x20 { upper -= 1 }
        return lower..<upper
    }
}
