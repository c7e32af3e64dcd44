import Foundation
import DemarcCore
import DemarcReaders
import DemarcRules

/// Reads one source into a `SourceTable`: requests only the fields the rule file maps, decodes
/// each value once, evaluates derived fields, normalizes the key and classifies the state.
struct SourceLoader {
    let def: SourceDef
    let order: Int
    let input: InputFile
    let asOf: Day
    let calendar: Calendar?
    let normalizer: KeyNormalizer
    /// `--progress` counters, when shown.
    var progress: ReadProgress? = nil
    /// Streaming (`StreamingRun`): every `blockSize` records read, the records so far go to
    /// `onBlock` as a table of their own and the loader starts an empty one; the last block
    /// follows the end of the input. The loaded table then holds only the counts and summary.
    var blockSize = 0
    var onBlock: ((SourceTable) throws -> Void)? = nil
    /// Another reader thread's help, once it is done with its own source (`ReadHelp`).
    var help: ReadHelp? = nil

    /// Reads the whole source; throws `.unreadableInput` when it cannot be read at all.
    ///
    /// A `file:` pattern reads every matching file in byte order into the one table; each
    /// record keeps its own file and line, `sha256` covers every file (`SourceGlob`).
    func load() throws -> SourceTable {
        let table = SourceTable(def: def, order: order, file: input.displayName)
        guard let files = try SourceGlob.expand(input, position: def.position) else {
            progress?.start(order, totalBytes: input.path.flatMap(fileSize))
            table.readSummary = try read(input, into: table)
            progress?.finish(order, records: table.recordCount)
            return table
        }
        // Progress over the whole pattern: percent of the bytes of every matching file.
        let sizes = files.map { $0.path.flatMap(fileSize) }
        progress?.start(order, totalBytes: sizes.contains { $0 == nil } ? nil : sizes.reduce(0) { $0 + ($1 ?? 0) })
        var summaries: [SourceFileSummary] = []
        var encodings: [String] = []
        for file in files {
            let before = table.recordCount
            table.fileSpans.append(FileSpan(file: file.displayName, firstRecord: Int32(clamping: table.lines.count)))
            let summary = try read(file, into: table)
            summaries.append(SourceFileSummary(file: file.displayName, sha256: summary.sha256,
                                               records: table.recordCount - before))
            if !encodings.contains(summary.encoding) { encodings.append(summary.encoding) }
            if summaries.count == 1 { table.readSummary = summary }
        }
        table.readSummary.encoding = encodings.sorted().joined(separator: ",")
        table.readSummary.sha256 = input.digest ? SourceGlob.combinedDigest(summaries) : ""
        table.files = summaries
        progress?.finish(order, records: table.recordCount)
        return table
    }

    /// Reads one file of the source, appending its records to `table`.
    private func read(_ input: InputFile, into table: SourceTable) throws -> ReadSummary {
        if let path = input.path, !FileManager.default.fileExists(atPath: path) {
            throw DemarcError.unreadableInput(SourcePosition(file: input.displayName, line: 0),
                                              "cannot open '\(input.displayName)': no such file")
        }
        var plan = RequestPlan(def)
        let progress = self.progress, order = self.order
        let countBytes: ((UnsafeRawBufferPointer) -> Void)? = progress.map { counters in
            { chunk in counters.addBytes(order, chunk.count) }
        }
        switch def.format {
        case .csv:
            let reader = CSVReader(input: input, options: def.csv)
            reader.lendsBytes = true   // the sink below copies what it keeps
            return try readRecords(into: table, file: input.displayName, path: input.path, plan: plan) { sink, batch in
                try reader.read(fields: plan.requests, onChunk: countBytes, sink: sink, batch: batch)
            }
        case .xml:
            // libxml2's parse alone keeps a core busy: the records are decoded on another.
            let reader = XMLRecordReader(input: input, options: def.xml ?? XMLOptions(record: ""))
            return try readRecords(into: table, file: input.displayName, path: input.path, plan: plan) { sink, _ in
                try RecordPipeline.run(read: { try reader.read(fields: plan.requests, onChunk: countBytes, sink: $0) },
                                       sink: sink)
            }
        case .gobd:
            guard let gobd = def.gobd else { throw DemarcError.internalError("gobd source '\(def.name)' without its index") }
            let reader = GoBDReader(input: input, table: gobd.table)
            return try readRecords(into: table, file: input.displayName, path: input.path, plan: plan) { sink, _ in
                try reader.read(fields: plan.requests, onChunk: countBytes, sink: sink)
            }
        case .datev:
            // Several DATEV files: each file's header classifies its own records; the table
            // keeps the first one's (for groups and `header.` in rules).
            let reader = DatevReader(input: input, overrides: def.csv)
            let header = try reader.readHeader()
            if table.header == nil || table.fileSpans.count <= 1 { table.header = header }
            plan.setPeriod(header.period)
            return try readRecords(into: table, file: input.displayName, path: input.path, plan: plan, header: header) { sink, _ in
                try reader.read(fields: plan.requests, onChunk: countBytes, sink: sink)
            }
        }
    }

    /// Decodes every record the reader delivers into `table` (`RecordLoad`).
    ///
    /// The sink is a non-escaping closure over one local value, so the hot loop has no dynamic
    /// exclusivity checks, no per-field copies of `FieldDef` and no captures to forward per
    /// record (each showed in profiles).
    private func readRecords(into table: SourceTable, file: String, path: String?, plan: RequestPlan,
                             header: DatevHeader? = nil,
                             read: (RecordSink, BatchSink?) throws -> ReadSummary) throws -> ReadSummary {
        var load: RecordLoad? = RecordLoad(self, table: table, file: file, path: path, plan: plan, header: header)
        var job: HelpJob? = nil
        defer {
            _ = job?.close(into: &load)   // after a throw: the helper stops, the loader comes back
            load?.deallocate()
        }
        let summary: ReadSummary
        if load!.takesBatches {
            let help = self.help
            summary = try read({ raw in
                if let job { job.post(&raw) } else { try load!.take(&raw) }
            }, { batch in
                if let job { job.post(batch); return }
                // Help, when a thread offers it, for keys in order so far: a thread with nothing
                // to do hashes sorted keys ahead for keys in no order, which then need it more.
                if let help, load!.recordCount > 0, load!.keysAscending, let hired = help.hire(&load) {
                    PhaseClock.note("\(def.name) helped from record \(hired.recordCount)")
                    job = hired
                    hired.post(batch)
                    return
                }
                load!.take(batch)
            })
        } else {
            summary = try read({ raw in try load!.take(&raw) }, nil)
        }
        if let hired = job {
            job = nil
            if let failure = hired.close(into: &load) { throw failure }
        }
        try load!.finish()
        return summary
    }
}

/// `ValueParser.parse` of a text field: empty when only whitespace, else the bytes as they are.
@inline(__always) func parseText(_ bytes: UnsafeRawBufferPointer) -> ParsedValue {
    isBlank(bytes) ? .empty : .value(.text(String(decoding: bytes, as: UTF8.self)))
}

/// Whether a text field is empty: nothing but ASCII white space.
@inline(__always) func isBlank(_ bytes: UnsafeRawBufferPointer) -> Bool {
    for byte in bytes where !(byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)) { return false }
    return true
}

/// The text of a key part: text as is, other values as in `values`.
func keyText(_ value: Value) -> String {
    if case .text(let s) = value { return s }
    return value.resultText
}

/// `sign:` negation of numbers; other values are left alone.
func negate(_ value: Value) -> Value {
    switch value {
    case .decimal(let d): return .decimal(d.negated)
    case .integer(let i): return i == Int64.min ? value : .integer(-i)
    default: return value
    }
}

/// Which raw fields to ask the reader for, and how to decode each.
struct RequestPlan {
    var requests: [FieldRequest] = []
    /// Per field of the source: the request that feeds it (nil for derived fields).
    var fieldRequest: [Int?] = []
    /// Per field: the request of its `sign` column.
    var signRequest: [Int?] = []
    var specs: [ValueSpec] = []

    init(_ def: SourceDef) {
        var index: [FieldRequest: Int] = [:]
        func request(_ r: FieldRequest) -> Int {
            if let i = index[r] { return i }
            index[r] = requests.count
            requests.append(r)
            return requests.count - 1
        }
        for field in def.fields {
            if let selector = field.selector {
                fieldRequest.append(request(FieldRequest(selector, keepAllMatches: field.repeated != nil)))
            } else {
                fieldRequest.append(nil)
            }
            signRequest.append(field.sign.map { request(FieldRequest($0.selector)) })
            specs.append(ValueSpec(type: field.type, dateFormat: field.dateFormat, year: field.year,
                                   decimalMark: field.decimalMark ?? def.decimalMark,
                                   thousandsMark: field.thousandsMark ?? def.thousandsMark))
        }
    }

    /// DATEV: `ddMM` dates without `year:` take the year from the metadata period.
    mutating func setPeriod(_ period: ClosedRange<Day>?) {
        for i in specs.indices where specs[i].dateFormat == .dayMonth && specs[i].year == nil {
            specs[i].dayMonthPeriod = period
        }
    }

    /// Whether the sign column's trimmed text is one of `negative`.
    func isNegative(_ raw: RawRecord, request: Int, negative: [String]) -> Bool {
        guard request < raw.fields.count, let range = raw.fields[request] else { return false }
        let text = trimWhitespace(String(decoding: raw.bytes[range], as: UTF8.self))
        return negative.contains(text)
    }

    /// XML `repeated:` over every match of a field.
    func repeatedValue(_ raw: RawRecord, request: Int, spec: ValueSpec, mode: Repeated) -> ParsedValue {
        guard request < raw.fields.count else { return .empty }
        let matches = raw.allMatches(request)
        func parse(_ range: Range<Int>) -> ParsedValue {
            raw.bytes.withUnsafeBytes { ValueParser.parse(UnsafeRawBufferPointer(rebasing: $0[range]), as: spec) }
        }
        switch mode {
        case .first: return matches.first.map(parse) ?? .empty
        case .last: return matches.last.map(parse) ?? .empty
        case .count: return .value(.integer(Int64(matches.count)))
        case .join:
            var parts: [String] = []
            for m in matches {
                let t = trimWhitespace(String(decoding: raw.bytes[m], as: UTF8.self))
                if !t.isEmpty { parts.append(t) }
            }
            return parts.isEmpty ? .empty : .value(.text(parts.joined(separator: ", ")))
        case .sum:
            var total: Value = .unknown
            for m in matches {
                switch parse(m) {
                case .empty: continue
                case .invalid(let why): return .invalid(why)
                case .value(let v):
                    guard let sum = addValues(total, v) else { return .invalid("the sum does not fit") }
                    total = sum
                }
            }
            return total.isUnknown ? .empty : .value(total)
        }
    }
}

/// `a + b` for numbers, skipping an unknown `a`; nil on overflow or other types.
func addValues(_ a: Value, _ b: Value) -> Value? {
    switch (a, b) {
    case (.unknown, _): return b
    case (.decimal(let x), .decimal(let y)): return FixedDecimal.adding(x, y).map(Value.decimal)
    case (.integer(let x), .integer(let y)):
        let (r, o) = x.addingReportingOverflow(y)
        return o ? nil : .integer(r)
    case (.decimal(let x), .integer(let y)): return FixedDecimal.adding(x, FixedDecimal(y)).map(Value.decimal)
    case (.integer(let x), .decimal(let y)): return FixedDecimal.adding(FixedDecimal(x), y).map(Value.decimal)
    default: return nil
    }
}

/// The size of the file at `path`, if it is a regular file or a symbolic link to one (a
/// nightly job's `latest.csv`): `attributesOfItem` does not follow links, which left a linked
/// export without its index order, its reserved arrays and the streaming engine.
func fileSize(_ path: String) -> Int? {
    var st = stat()
    guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
    return Int(st.st_size)
}

/// About how many lines a file has: its size over the mean line length of its first MiB.
func estimatedLines(_ path: String?, size: Int) -> Int? {
    guard let path, let handle = FileHandle(forReadingAtPath: path) else { return nil }
    defer { try? handle.close() }
    guard let sample = try? handle.read(upToCount: 1 << 20), !sample.isEmpty else { return nil }
    // Over the raw bytes: `Data`'s iterator took 60 instructions a byte (20 ms a call, on
    // the main thread before any reading starts).
    let lines = max(1, sample.withUnsafeBytes { bytes in
        guard let base = bytes.baseAddress else { return 0 }
        var count = 0, at = base, end = base + bytes.count
        while at < end, let hit = memchr(at, 0x0A, end - at) {
            count &+= 1
            at = UnsafeRawPointer(hit) + 1
        }
        return count
    })
    return Int((Double(size) * Double(lines) / Double(sample.count)).rounded())
}
