import DemarcCore

extension CSVRun {
    /// Delivers every record after the header to `sink`.
    ///
    /// The loop keeps its position, window bounds, record and counters in locals and writes
    /// them back only around `fill`: every access to a class property costs a dynamic
    /// exclusivity check (`swift_beginAccess`), which `perf` showed as a quarter of the time
    /// when this loop read them from `self` per record.
    ///
    /// With `batchSink`, well-formed records whose requested fields hold no doubled quotes are
    /// gathered into a `RecordBatch` instead, handed over when it is full, before any other
    /// record goes to `sink` and before the window moves (`refill`): the order stays the file's.
    func readRecords(_ scanner: CSVScanner, sink: RecordSink, batch batchSink: BatchSink? = nil) throws {
        let window = self.window
        let quote = scanner.quote
        var spans = self.spans
        var record = RawRecord()
        var line = self.line
        var lineEnds = self.lineEnds
        var records = 0, malformedCount = 0
        var columns = slotColumns
        var expected = expectedFieldCount
        var pos = window.start, end = window.end, base = UnsafePointer(window.base)
        var atEnd = input.atEnd, marked = !window.marks.isEmpty
        let lendsBytes = self.lendsBytes
        defer {
            self.spans = spans
            self.line = line
            self.lineEnds = lineEnds
            summary.records += records
            summary.malformed += malformedCount
            window.start = pos
        }

        // The batch (the requested columns are known: the engine names them); `batched`
        // records in it so far. A constant, so the loop does not retain it per record.
        let batch: RecordBatch? = batchSink == nil ? nil : columns.map { RecordBatch(slots: $0.count) }
        let batchColumns = columns ?? []
        var batched = 0
        func flush() throws {
            guard batched > 0, let batch, let batchSink else { return }
            batch.count = batched
            batch.base = UnsafeRawPointer(base)
            batched = 0
            try batchSink(batch)
        }

        func refill(minimum: Int) throws {
            try flush()
            window.start = pos
            try input.fill(minimum: minimum)
            pos = window.start; end = window.end; base = UnsafePointer(window.base)
            atEnd = input.atEnd; marked = !window.marks.isEmpty
        }

        while true {
            if pos >= end {
                if atEnd { try flush(); return }
                try refill(minimum: input.chunkSize)
                continue
            }
            let first = base[pos]
            if first == 0x0A || first == 0x0D {
                // An entirely empty line: no record, but a line.
                guard let empty = CSVScanner.physicalLine(base, from: pos, limit: end, atEnd: atEnd) else {
                    try refill(minimum: input.chunkSize)
                    continue
                }
                lineEnds.formUnion(empty.lineEnd)
                line &+= 1
                pos = empty.next
                continue
            }
            var extent = scanner.scanRecord(base, from: pos, limit: end, atEnd: atEnd, spans: &spans)
            var strayQuote = false
            switch extent.status {
            case .complete:
                // A quote that ran over line ends into a broken record (text after its closing
                // quote, or the wrong number of fields) was a stray quote: DETAILS.md 2 wants the
                // start line reported and reading resumed on the next line, not the lines in
                // between swallowed.
                if extent.lineBreaks > 1,
                   extent.textAfterQuote || (expected != nil && spans.count != expected) {
                    extent = unterminatedRecord(scanner, base: base, from: pos, end: end, spans: &spans)
                    strayQuote = true
                }
            case .needMore:
                // At least as much as is pending, so that a record longer than a chunk is
                // rescanned a logarithmic number of times, not once per chunk.
                try refill(minimum: max(input.chunkSize, end - pos))
                continue
            case .unterminated:
                extent = unterminatedRecord(scanner, base: base, from: pos, end: end, spans: &spans)
            }

            // Deliver: the record's text once, then per requested field a range into it.
            let fieldCount = spans.count
            if columns == nil { columns = Array(0..<fieldCount) }
            if expected == nil { expected = fieldCount }
            if let batch, extent.status == .complete, !strayQuote, !extent.textAfterQuote,
               fieldCount == expected, !(marked && window.hasMark(in: pos..<max(extent.next, extent.contentEnd))) {
                if Self.add(batchColumns, spans: spans, fieldCount: fieldCount, to: batch, at: batched) {
                    batch.lines[batched] = line
                    batch.textStarts[batched] = pos
                    batch.textEnds[batched] = extent.contentEnd
                    batched &+= 1
                    records &+= 1
                    lineEnds.formUnion(extent.lineEnd)
                    line &+= extent.lineBreaks
                    pos = extent.next
                    if batched == RecordBatch.capacity { try flush() }
                    continue
                }
            }
            try flush()
            let slots = columns ?? []
            record.reset(fieldCount: slots.count)
            record.line = line
            // The ranges through one buffer: one uniqueness check, not one per field.
            var escaped = false
            record.fields.withUnsafeMutableBufferPointer { fields in
                for slot in slots.indices {
                    let column = slots[slot]
                    guard column < fieldCount else { continue }
                    if spans.escaped[column] {
                        escaped = true
                    } else {
                        fields[slot] = (spans.starts[column] &- pos)..<(spans.ends[column] &- pos)
                    }
                }
            }
            // Lent: the ranges point into the window, which stays put until the sink returns
            // (the copy and its array bookkeeping were 7% of reading the benchmark's CRM file).
            if lendsBytes && !escaped {
                record.lend(UnsafeRawPointer(base + pos), count: extent.contentEnd - pos)
            } else {
                record.bytes.append(contentsOf: UnsafeBufferPointer(start: base + pos, count: extent.contentEnd - pos))
            }
            record.rawText = 0..<(extent.contentEnd - pos)
            // Doubled quotes undone in a copy after the record's text.
            if escaped {
                for slot in slots.indices {
                    let column = slots[slot]
                    guard column < fieldCount, spans.escaped[column] else { continue }
                    let from = record.bytes.count
                    spans.appendField(column, from: base, quote: quote, to: &record.bytes)
                    record.fields[slot] = from..<record.bytes.count
                }
            }
            let invalidBytes = marked && window.hasMark(in: pos..<max(extent.next, extent.contentEnd))
            if invalidBytes || extent.status == .unterminated || extent.textAfterQuote || fieldCount != expected {
                record.malformed = malformed(extent, invalidBytes: invalidBytes, strayQuote: strayQuote, line: line,
                                             fieldCount: fieldCount, expected: expected ?? fieldCount,
                                             text: UnsafeBufferPointer(start: base + pos, count: extent.contentEnd - pos))
                malformedCount &+= 1
            }
            records &+= 1
            try sink(&record)
            lineEnds.formUnion(extent.lineEnd)
            line &+= extent.lineBreaks
            pos = extent.next
        }
    }

    /// Writes the requested fields' spans of the record in `spans` as record `index` of
    /// `batch`; false when one of them holds doubled quotes (the record goes to the sink).
    @inline(__always)
    private static func add(_ slots: [Int], spans: FieldSpans, fieldCount: Int, to batch: RecordBatch, at index: Int) -> Bool {
        let row = index &* batch.slots
        let starts = batch.fieldStarts + row, ends = batch.fieldEnds + row
        for slot in slots.indices {
            let column = slots[slot]
            if column < fieldCount {
                if spans.escaped[column] { return false }
                starts[slot] = spans.starts[column]
                ends[slot] = spans.ends[column]
            } else {
                starts[slot] = -1
            }
        }
        return true
    }

    /// DETAILS.md 2: an unterminated quote is a record of its start line only, so that reading
    /// resumes at the next physical line.
    private func unterminatedRecord(_ scanner: CSVScanner, base: UnsafePointer<UInt8>, from pos: Int, end: Int,
                                    spans: inout FieldSpans) -> RecordExtent {
        let startLine = CSVScanner.physicalLine(base, from: pos, limit: end, atEnd: true) ?? (end, end, [])
        var extent = scanner.scanRecord(base, from: pos, limit: startLine.contentEnd, atEnd: true, spans: &spans)
        extent.status = .unterminated
        extent.contentEnd = startLine.contentEnd
        extent.next = startLine.next
        extent.lineEnd = startLine.lineEnd
        extent.lineBreaks = startLine.lineEnd.isEmpty ? 0 : 1
        return extent
    }

    /// Why the record is malformed (the first that applies), with its decoded text.
    private func malformed(_ extent: RecordExtent, invalidBytes: Bool, strayQuote: Bool, line: Int,
                           fieldCount: Int, expected: Int,
                           text: UnsafeBufferPointer<UInt8>) -> MalformedRecord {
        let reason: MalformedReason
        let detail: String
        if invalidBytes {
            reason = .invalidEncoding
            detail = "bytes invalid in \(input.encoding.rawValue)"
        } else if extent.status == .unterminated {
            reason = .unterminatedQuote
            detail = strayQuote ? "a quote opened on line \(line) does not close on that line, and what follows is no well-formed record"
                                : "a quote opened on line \(line) is never closed"
        } else if extent.textAfterQuote {
            reason = .textAfterQuote
            detail = "text after a closing quote"
        } else {
            reason = .wrongFieldCount
            detail = "expected \(expected) fields, found \(fieldCount)"
        }
        let raw = String(decoding: text, as: UTF8.self)
        return MalformedRecord(reason: reason, detail: detail, raw: raw)
    }
}
