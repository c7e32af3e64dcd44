import DemarcCore

/// Streams the records of a CSV file (RULES.md Sources and Fields, DETAILS.md 1-4, 10).
///
/// Reads with POSIX `read` in 1 MiB chunks; memory depends on the longest record, not on the
/// file. Every raw byte is hashed (ReadSummary.sha256) and handed to `onChunk`.
public final class CSVReader {
    private let input: InputFile
    private let options: CSVOptions
    /// Raw bytes already taken from the input (DATEV header read of standard input).
    var prefix: [UInt8] = []
    /// When set, the raw bytes read are kept in `captured` (to replay standard input).
    var capturesRawBytes = false
    /// The raw bytes read, when `capturesRawBytes` was set.
    private(set) var captured: [UInt8] = []
    /// Raw bytes per `read` call; tests and fuzz/ make it tiny to put chunk boundaries everywhere.
    public var chunkSize = DecodedInput.defaultChunkSize
    /// Called with the decoded text of line 1 when it lies before the header line.
    var firstLineHook: ((UnsafeBufferPointer<UInt8>) throws -> Void)?
    /// When set, a record whose requested fields hold no doubled quotes is handed to the sink
    /// in the reader's own buffer (`RawRecord.isLent`), not copied into `bytes`: the sink
    /// reads it through `withBytes` and calls `ownBytes` to use `bytes`. For sinks that keep
    /// nothing of the record past the call (the engine's loader).
    public var lendsBytes = false

    /// A reader of `input` with `options`.
    public init(input: InputFile, options: CSVOptions) {
        self.input = input
        self.options = options
    }

    /// Streams every record. `fields == nil` requests every column in file order (profile).
    /// A header name the file lacks throws .unreadableInput listing the file's columns.
    ///
    /// With `batch` (and `lendsBytes`), well-formed records whose requested fields hold no
    /// doubled quotes go to `batch` in runs (`RecordBatch`), the others to `sink` one by one,
    /// all in file order.
    public func read(fields: [FieldRequest]?, onChunk: ((UnsafeRawBufferPointer) -> Void)? = nil,
                     sink: RecordSink, batch: BatchSink? = nil) throws -> ReadSummary {
        let source = try ByteSource(input: input, prefix: prefix)
        if capturesRawBytes { source.captured = [] }
        defer { if capturesRawBytes { captured = source.captured ?? [] } }
        let run = CSVRun(input: DecodedInput(source: source, displayName: input.displayName,
                                             declared: options.encoding, onChunk: onChunk,
                                             chunkSize: chunkSize),
                         options: options, displayName: input.displayName)
        run.firstLineHook = firstLineHook
        run.lendsBytes = lendsBytes
        return try run.read(fields: fields, sink: sink, batch: lendsBytes ? batch : nil)
    }
}

/// The state of one read: position, line number, header and what the summary collects.
final class CSVRun {
    let input: DecodedInput
    let window: ByteWindow
    let options: CSVOptions
    let displayName: String
    var firstLineHook: ((UnsafeBufferPointer<UInt8>) throws -> Void)?
    /// `CSVReader.lendsBytes`.
    var lendsBytes = false
    /// The physical line at `window.start`.
    var line = 1
    var lineEnds: LineEnds = []
    var summary = ReadSummary()
    var spans = FieldSpans()
    /// Per requested field, the 0-based column it reads; nil until known (no header, all columns).
    var slotColumns: [Int]?
    var expectedFieldCount: Int?

    init(input: DecodedInput, options: CSVOptions, displayName: String) {
        self.input = input
        self.window = input.window
        self.options = options
        self.displayName = displayName
    }

    deinit { spans.deallocate() }

    func read(fields: [FieldRequest]?, sink: RecordSink, batch: BatchSink? = nil) throws -> ReadSummary {
        try input.begin()
        summary.encodingSource = input.encodingSource
        summary.encoding = input.encoding.rawValue
        if options.headerLine > 1 { try skipLines(before: options.headerLine) }
        if options.headerLine == 0 { try skipEmptyLines() }
        let delimiter = try options.delimiter ?? sniffDelimiter()
        summary.delimiter = String(UnicodeScalar(delimiter))
        summary.delimiterSource = options.delimiter == nil ? "sniffed" : "declared"
        let scanner = CSVScanner(delimiter: delimiter, quote: options.quote)
        if options.headerLine > 0 { try readHeader(scanner) }
        try resolve(fields)
        try readRecords(scanner, sink: sink, batch: batch)
        summary.lineEnds = lineEnds.names
        summary.sha256 = input.finishHash()
        return summary
    }

    // MARK: - Before the records

    private func skipLines(before headerLine: Int) throws {
        while line < headerLine {
            guard let next = try nextPhysicalLine() else { return }
            if line == 1, let hook = firstLineHook {
                try hook(UnsafeBufferPointer(start: window.base + window.start, count: next.contentEnd - window.start))
            }
            lineEnds.formUnion(next.lineEnd)
            line += 1
            window.start = next.next
        }
    }

    private func skipEmptyLines() throws {
        while let next = try nextPhysicalLine(), next.contentEnd == window.start, !next.lineEnd.isEmpty {
            lineEnds.formUnion(next.lineEnd)
            line += 1
            window.start = next.next
        }
    }

    /// The physical line at `window.start`, reading more as needed; nil at the end of the input.
    private func nextPhysicalLine() throws -> (contentEnd: Int, next: Int, lineEnd: LineEnds)? {
        while true {
            if window.start >= window.end {
                if input.atEnd { return nil }
                try input.fill()
                continue
            }
            if let found = CSVScanner.physicalLine(window.base, from: window.start, limit: window.end, atEnd: input.atEnd) {
                return found
            }
            try input.fill(minimum: max(input.chunkSize, window.end - window.start))
        }
    }

    /// DETAILS.md 10: the most frequent of `,` `;` TAB `|` outside quotes on the header line
    /// (without header: the first non-empty line); ties in that order; `,` when none occurs.
    private func sniffDelimiter() throws -> UInt8 {
        let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), 0x09, UInt8(ascii: "|")]
        guard let found = try nextPhysicalLine() else { return candidates[0] }
        var counts = [Int](repeating: 0, count: candidates.count)
        var inQuotes = false
        for i in window.start..<found.contentEnd {
            let b = window.base[i]
            if b == options.quote { inQuotes.toggle(); continue }
            if inQuotes { continue }
            if let index = candidates.firstIndex(of: b) { counts[index] += 1 }
        }
        var best = 0
        for index in counts.indices where counts[index] > counts[best] { best = index }
        return candidates[best]
    }

    private func readHeader(_ scanner: CSVScanner) throws {
        guard let extent = try scanNext(scanner) else { return }
        var names: [String] = []
        names.reserveCapacity(spans.count)
        var bytes: [UInt8] = []
        for column in 0..<spans.count {
            bytes.removeAll(keepingCapacity: true)
            spans.appendField(column, from: window.base, quote: scanner.quote, to: &bytes)
            var slice = bytes[...]
            if column == 0, slice.starts(with: [0xEF, 0xBB, 0xBF]) { slice = slice.dropFirst(3) }
            while let first = slice.first, first == 0x20 || first == 0x09 { slice = slice.dropFirst() }
            while let last = slice.last, last == 0x20 || last == 0x09 { slice = slice.dropLast() }
            names.append(String(decoding: slice, as: UTF8.self))
        }
        summary.header = names
        expectedFieldCount = spans.count
        lineEnds.formUnion(extent.lineEnd)
        line += extent.lineBreaks
        window.start = extent.next
    }

    /// Maps the requests to columns; a name or position the header lacks throws.
    private func resolve(_ fields: [FieldRequest]?) throws {
        let header = summary.header
        let hasHeader = options.headerLine > 0
        let position = SourcePosition(file: displayName, line: options.headerLine)
        guard let fields else {
            if hasHeader { slotColumns = Array(header.indices) }
            return
        }
        var columns: [Int] = []
        for request in fields {
            switch request.selector {
            case .column(let name):
                guard let index = header.firstIndex(of: name) else {
                    throw DemarcError.unreadableInput(position, missingColumnMessage(name, header: header, hasHeader: hasHeader))
                }
                columns.append(index)
            case .position(let number):
                guard number >= 1, !hasHeader || number <= header.count else {
                    throw DemarcError.unreadableInput(position, "no column \(number); the file has \(header.count) columns")
                }
                columns.append(number - 1)
            case .path(let path):
                throw DemarcError.unreadableInput(position, "an xml path ('\(path)') cannot select a csv column")
            }
        }
        slotColumns = columns
    }

    /// Why column `name` is not in the header: the columns there are, or that there is no
    /// header line at all, or (NUL bytes) that the file looks like UTF-16 without a BOM.
    private func missingColumnMessage(_ name: String, header: [String], hasHeader: Bool) -> String {
        guard hasHeader else { return "no column '\(name)' in the header; the file has no header (header_line: 0)" }
        if header.isEmpty {
            return "no column '\(name)': the file ends before the header line \(options.headerLine)"
        }
        if header.contains(where: { $0.utf8.contains(0) }) {
            return "no column '\(name)': the header has NUL bytes; is the file utf-16 without a BOM? "
                + "declare 'encoding: utf-16le' or 'utf-16be'"
        }
        return "no column '\(name)' in the header; the file has: " + header.map { "'\($0)'" }.joined(separator: ", ")
    }

    // MARK: - Records

    /// Scans the record at `window.start`, reading more as needed; nil at the end of the input.
    /// An unterminated quote yields its start line only, so reading resumes after it.
    func scanNext(_ scanner: CSVScanner) throws -> RecordExtent? {
        while true {
            if window.start >= window.end {
                if input.atEnd { return nil }
                try input.fill()
                continue
            }
            var extent = scanner.scanRecord(window.base, from: window.start, limit: window.end,
                                            atEnd: input.atEnd, spans: &spans)
            switch extent.status {
            case .complete:
                return extent
            case .needMore:
                // Read at least as much as is pending, so a long record is rescanned a
                // logarithmic number of times, not once per chunk.
                try input.fill(minimum: max(input.chunkSize, window.end - window.start))
            case .unterminated:
                let startLine = CSVScanner.physicalLine(window.base, from: window.start, limit: window.end, atEnd: true)
                    ?? (window.end, window.end, [])
                extent = scanner.scanRecord(window.base, from: window.start, limit: startLine.contentEnd,
                                            atEnd: true, spans: &spans)
                extent.status = .unterminated
                extent.contentEnd = startLine.contentEnd
                extent.next = startLine.next
                extent.lineEnd = startLine.lineEnd
                extent.lineBreaks = startLine.lineEnd.isEmpty ? 0 : 1
                return extent
            }
        }
    }
}
