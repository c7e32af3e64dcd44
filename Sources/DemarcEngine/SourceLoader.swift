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
            return try readRecords(into: table, file: input.displayName, path: input.path, plan: plan) { sink in
                try reader.read(fields: plan.requests, onChunk: countBytes, sink: sink)
            }
        case .xml:
            // libxml2's parse alone keeps a core busy: the records are decoded on another.
            let reader = XMLRecordReader(input: input, options: def.xml ?? XMLOptions(record: ""))
            return try readRecords(into: table, file: input.displayName, path: input.path, plan: plan) { sink in
                try RecordPipeline.run(read: { try reader.read(fields: plan.requests, onChunk: countBytes, sink: $0) },
                                       sink: sink)
            }
        case .gobd:
            guard let gobd = def.gobd else { throw DemarcError.internalError("gobd source '\(def.name)' without its index") }
            let reader = GoBDReader(input: input, table: gobd.table)
            return try readRecords(into: table, file: input.displayName, path: input.path, plan: plan) { sink in
                try reader.read(fields: plan.requests, onChunk: countBytes, sink: sink)
            }
        case .datev:
            // Several DATEV files: each file's header classifies its own records; the table
            // keeps the first one's (for groups and `header.` in rules).
            let reader = DatevReader(input: input, overrides: def.csv)
            let header = try reader.readHeader()
            if table.header == nil || table.fileSpans.count <= 1 { table.header = header }
            plan.setPeriod(header.period)
            return try readRecords(into: table, file: input.displayName, path: input.path, plan: plan, header: header) { sink in
                try reader.read(fields: plan.requests, onChunk: countBytes, sink: sink)
            }
        }
    }

    // MARK: - Per record

    /// Decodes every record the reader delivers into `table`.
    ///
    /// The sink is a non-escaping closure over local arrays, so the hot loop has no dynamic
    /// exclusivity checks and no per-field copies of `FieldDef` (both showed in profiles).
    private func readRecords(into table: SourceTable, file: String, path: String?, plan: RequestPlan,
                             header: DatevHeader? = nil,
                             read: (RecordSink) throws -> ReadSummary) throws -> ReadSummary {
        let width = table.width
        let box = RowBox(width: width)
        let context = RowContext(source: def.name, fieldIndex: table.fieldIndex, row: box,
                                 headerValues: header ?? table.header, asOf: asOf)
        let classifier = StateClassifier(def, fieldIndex: table.fieldIndex)
        let derived = derivedOrder(def).compactMap { d in def.fields[d].expr.map { (d, $0) } }
        let keyFields = def.key.map { table.fieldIndex[$0] ?? -1 }
        let classifyRecords = classifier.hasState && def.cardinality == .one
        let names = def.fields.map(\.name)
        let required = def.fields.map(\.required)
        let repeated = def.fields.map(\.repeated)
        let negatives = def.fields.map { $0.sign?.negative ?? [] }
        let directFields = (0..<width).filter { plan.fieldRequest[$0] != nil }
        let calendar = self.calendar
        let normalizer = self.normalizer
        let spanFile: String? = table.fileSpans.isEmpty ? nil : file

        // Continue the table's arrays (a pattern source reads several files into one table);
        // they are moved out so that appending does not copy them.
        var recordCount = table.recordCount
        var row = [Value](repeating: .unknown, count: width)
        var rows = table.rows
        var lines = table.lines
        var keys = table.keys
        var keyMissing = table.keyMissing
        var recordState = table.recordState
        var issues = table.valueIssues
        var malformed = table.malformed
        var missingKeyRaw = table.missingKeyRaw
        table.rows = RowStore(width: width)
        table.lines = LineNumbers(); table.keys = []; table.keyMissing = []; table.recordState = []
        // Room for the records a CSV file will have, by its lines: grown by doubling, each of
        // these arrays briefly held its old and its new copy, near the peak of a large run.
        if [.csv, .datev].contains(def.format), let path, let size = fileSize(path),
           let estimate = estimatedLines(path, size: size) {
            // At most 64M records ahead (a gigabyte of keys reserved, not touched); beyond, the
            // arrays grow as they go.
            let more = min(estimate + estimate / 32, onBlock == nil ? 1 << 26 : max(1, self.blockSize))
            // An eighth more for the keys: they may become the case keys (`CaseIndex`), which
            // grow by the other sources' keys this one lacks. Reserved, not touched.
            keys.reserveCapacity(keys.count + more + more / 8)
            keyMissing.reserveCapacity(keyMissing.count + more)
            if classifyRecords { recordState.reserveCapacity(recordState.count + more) }
        }
        table.valueIssues = []; table.malformed = []; table.missingKeyRaw = [:]
        // Streaming: the records read since the last block go over as a table of their own.
        // (Inline, not a local function: one capturing these arrays makes every access to
        // them a dynamic exclusivity check, which cost half again the reading time.)
        var blockRecords = 0
        let onBlock = self.onBlock
        let newBlock = { SourceTable(def: table.def, order: table.order, file: table.file) }
        let blockSize = onBlock == nil ? Int.max : max(1, self.blockSize)

        // Text fields take the parser's text path here: handing the field's `ValueSpec` to the
        // parser copied it (a String inside `DateFormat` makes that a value-witness call),
        // 2.4% of a run in `perf`.
        let isText = plan.specs.map { $0.type == .text }
        // Decimal fields' marks, read once: the byte path parses them without the spec.
        let isDecimal = plan.specs.map { $0.type == .decimal }
        let decimalMarks = plan.specs.map { ($0.decimalMark, $0.thousandsMark) }

        // The byte path: when every field is read directly (none derived, repeated or signed)
        // and a state, if any, is decided by one field's value, a well-formed record's texts go
        // from the reader's bytes into the row store, with no `String` or `Value` row between;
        // interned state texts are classified once per distinct text. Other records take the
        // general path below; both store the same values.
        let bytePath = derived.isEmpty && directFields.count == width && repeated.allSatisfy { $0 == nil }
            && plan.signRequest.allSatisfy { $0 == nil } && (!classifyRecords || classifier.valueField != nil)
        let stateField = classifyRecords ? classifier.valueField ?? -1 : -1
        let requestOf = plan.fieldRequest.map { $0 ?? Int.max }
        let keyIsText = keyFields.map { $0 >= 0 && isText[$0] }
        // A one-part text key: its field is stored only where its text differs from the key
        // (`RowStore.keyTag`), which saves the text's second copy (arena) for nearly every record.
        let keyField = keyFields.count == 1 && keyIsText[0] && keyFields[0] != stateField ? keyFields[0] : -1
        // Such a key whose text starts and ends in printable ASCII is its own normalized form
        // (trimming leaves it alone): it goes from the bytes to the keys in one step.
        let plainKeys = keyField >= 0 && normalizer.keepsPlainText
        // Fields that are key parts: only those keep their value for the key (`keyValues`).
        let isKeyPart = (0..<width).map { keyFields.contains($0) }
        var stateByID: [Int16] = []
        let unknownState = classifyRecords ? classifier.classify(value: .unknown) : CaseState.unclassified
        // Per field of the record at hand; buffers, not arrays: no uniqueness check per write.
        let textRanges = UnsafeMutableBufferPointer<Range<Int>?>.allocate(capacity: max(1, width))
        textRanges.initialize(repeating: nil)
        let keyValues = UnsafeMutableBufferPointer<Value>.allocate(capacity: max(1, width))
        keyValues.initialize(repeating: .unknown)
        defer {
            textRanges.deallocate()
            keyValues.deinitialize().deallocate()
        }
        let summary = try plan.specs.withUnsafeBufferPointer { specs in try read { raw in
            recordCount += 1
            if bytePath && raw.malformed == nil && blockRecords < blockSize {
                let recordIndex = Int32(truncatingIfNeeded: lines.count)
                blockRecords += 1
                if recordCount & 4095 == 0 { progress?.setRecords(order, recordCount) }
                let record = rows.beginRecord()
                var state = unknownState
                raw.withBytes { all in
                    for f in 0..<width {
                        let request = requestOf[f]
                        textRanges[f] = nil
                        if isKeyPart[f] { keyValues[f] = .unknown }
                        if request < raw.fields.count, let r = raw.fields[request] {
                            let bytes = UnsafeRawBufferPointer(rebasing: all[r])
                            if isText[f] {
                                if !isBlank(bytes) {
                                    textRanges[f] = r
                                    if f == keyField { continue }   // stored with the key, below
                                    let (tag, id) = rows.setText(bytes, record: record, field: f)
                                    if f == stateField {
                                        // A known id inline: the call passes the row store by
                                        // value, a copy of it per record from inside this closure.
                                        let i = Int(id)
                                        if tag == RowStore.internedTag && i < stateByID.count && stateByID[i] != Int16.min {
                                            state = stateByID[i]
                                        } else {
                                            state = tag == RowStore.internedTag
                                                ? Self.stateOf(i, field: f, &stateByID, rows, classifier)
                                                : classifier.classify(value: .text(String(decoding: bytes, as: UTF8.self)))
                                        }
                                    }
                                    continue
                                }
                            } else {
                                let parsed = isDecimal[f]
                                    ? ValueParser.parseDecimal(bytes, mark: decimalMarks[f].0, thousands: decimalMarks[f].1)
                                    : ValueParser.parse(bytes, as: specs[f])
                                switch parsed {
                                case .value(let v):
                                    rows.set(v, record: record, field: f)
                                    if isKeyPart[f] { keyValues[f] = v }
                                    if f == stateField { state = classifier.classify(value: v) }
                                    continue
                                case .empty:
                                    break
                                case .invalid(let why):
                                    rows.setUnknown(record: record, field: f)
                                    let text = String(decoding: bytes, as: UTF8.self)
                                    issues.append(ValueIssue(record: recordIndex, field: Int32(f),
                                                             message: "field '\(names[f])' at \(file):\(raw.line) has '\(text)': \(why)"))
                                    continue
                                }
                            }
                        }
                        rows.setUnknown(record: record, field: f)
                        if required[f] {
                            issues.append(ValueIssue(record: recordIndex, field: Int32(f),
                                                     message: "required field '\(names[f])' is empty at \(file):\(raw.line)"))
                        }
                    }
                }
                lines.append(Int32(clamping: raw.line))
                let plainKey: String? = !plainKeys ? nil : textRanges[keyField].flatMap { r in
                    raw.withBytes { all in
                        let bytes = UnsafeRawBufferPointer(rebasing: all[r])
                        @inline(__always) func plain(_ b: UInt8) -> Bool { b > 0x20 && b < 0x80 }
                        guard plain(bytes[0]), plain(bytes[bytes.count - 1]) else { return nil }
                        return String(decoding: bytes, as: UTF8.self)
                    }
                }
                if let plainKey {
                    keys.append(plainKey)
                    keyMissing.append(false)
                    rows.setKeyText(record: record, field: keyField)
                } else {
                    var keyFieldText: String? = nil
                    Self.appendKey(of: raw, record: recordIndex, fields: keyFields, normalizer: normalizer,
                                   &keys, &keyMissing, &missingKeyRaw) { p, f in
                        guard keyIsText[p], let r = textRanges[f] else { return keyText(keyValues[f]) }
                        let text = raw.withBytes { String(decoding: UnsafeRawBufferPointer(rebasing: $0[r]), as: UTF8.self) }
                        if f == keyField { keyFieldText = text }
                        return text
                    }
                    if let text = keyFieldText, let r = textRanges[keyField] {
                        if keys[keys.count - 1] == text {
                            rows.setKeyText(record: record, field: keyField)
                        } else {
                            raw.withBytes { _ = rows.setText(UnsafeRawBufferPointer(rebasing: $0[r]), record: record, field: keyField) }
                        }
                    }
                }
                rows.endRecord()
                if classifyRecords { recordState.append(state) }
                return
            }
            // The general path reads `raw.bytes` (and keeps malformed records' texts).
            raw.ownBytes()
            blockRecords += 1
            if blockRecords > blockSize, let onBlock {
                try onBlock(Self.block(newBlock(), header: header ?? table.header, records: blockRecords - 1,
                                       &rows, &lines, &keys, &keyMissing, &recordState, &issues, &malformed, &missingKeyRaw))
                blockRecords = 1
                stateByID.removeAll()   // the new block's rows intern anew
            }
            // Publish the count every 4096 records: the lock stays off the per-record path.
            if recordCount & 4095 == 0 { progress?.setRecords(order, recordCount) }
            let recordIndex = Int32(truncatingIfNeeded: lines.count)
            let isMalformed = raw.malformed != nil
            for f in directFields {
                let request = plan.fieldRequest[f] ?? 0
                let parsed: ParsedValue
                var range: Range<Int>? = nil
                if let mode = repeated[f] {
                    parsed = plan.repeatedValue(raw, request: request, spec: plan.specs[f], mode: mode)
                } else if request < raw.fields.count, let r = raw.fields[request] {
                    range = r
                    parsed = raw.bytes.withUnsafeBytes { all in
                        let bytes = UnsafeRawBufferPointer(rebasing: all[r])
                        return isText[f] ? parseText(bytes) : ValueParser.parse(bytes, as: specs[f])
                    }
                } else {
                    parsed = .empty
                }
                switch parsed {
                case .empty:
                    row[f] = .unknown
                    if required[f] && !isMalformed {
                        issues.append(ValueIssue(record: recordIndex, field: Int32(f),
                                                 message: "required field '\(names[f])' is empty at \(file):\(raw.line)"))
                    }
                case .value(let v):
                    row[f] = v
                case .invalid(let why):
                    row[f] = .unknown
                    if !isMalformed {
                        let text = range.map { String(decoding: raw.bytes[$0], as: UTF8.self) } ?? ""
                        issues.append(ValueIssue(record: recordIndex, field: Int32(f),
                                                 message: "field '\(names[f])' at \(file):\(raw.line) has '\(text)': \(why)"))
                    }
                }
                if let signRequest = plan.signRequest[f],
                   plan.isNegative(raw, request: signRequest, negative: negatives[f]) {
                    row[f] = negate(row[f])
                }
            }
            if !derived.isEmpty {
                box.values = row
                for (d, expr) in derived {
                    let v = Evaluator.evaluate(expr, in: context, calendar: calendar)
                    box.values[d] = v
                }
                row = box.values
            }
            if let detail = raw.malformed {
                malformed.append(MalformedEntry(line: raw.line, values: row, detail: detail, file: spanFile))
                return
            }
            rows.append(row)
            lines.append(Int32(clamping: raw.line))
            Self.appendKey(of: raw, record: recordIndex, fields: keyFields, normalizer: normalizer,
                           &keys, &keyMissing, &missingKeyRaw) { _, f in keyText(row[f]) }
            if classifyRecords {
                recordState.append(classifier.classify(row, context: context, calendar: calendar))
            }
        } }
        table.recordCount = recordCount
        progress?.setRecords(order, recordCount)
        if let onBlock {
            // The last block; the table keeps only the counts.
            try onBlock(Self.block(newBlock(), header: header ?? table.header, records: blockRecords,
                                   &rows, &lines, &keys, &keyMissing, &recordState, &issues, &malformed, &missingKeyRaw))
        }
        rows.keyTexts.use(records: keys)
        table.rows = rows
        table.lines = lines
        table.keys = keys
        table.keyMissing = keyMissing
        table.recordState = recordState
        table.valueIssues = issues
        table.malformed = malformed
        table.missingKeyRaw = missingKeyRaw
        return summary
    }

    /// Appends a record's key: the text of each key field (`part(index, field)`), normalized,
    /// the parts joined by U+001F; a key whose parts are all empty is missing, and the
    /// record's raw text is kept for its fingerprint.
    @inline(__always)
    private static func appendKey(of raw: RawRecord, record: Int32, fields: [Int], normalizer: KeyNormalizer,
                                  _ keys: inout [String], _ keyMissing: inout BitList,
                                  _ missingKeyRaw: inout [Int32: String], part: (Int, Int) -> String) {
        var key = ""
        var allEmpty = true
        for (p, f) in fields.enumerated() {
            let text = f >= 0 ? normalizer.normalize(part(p, f)) : ""
            if !text.isEmpty { allEmpty = false }
            if p > 0 { key.append("\u{1F}") }
            key.append(text)
        }
        keys.append(key)
        keyMissing.append(allEmpty)
        if allEmpty, let text = raw.rawText {
            missingKeyRaw[record] = raw.withBytes { String(decoding: UnsafeRawBufferPointer(rebasing: $0[text]), as: UTF8.self) }
        }
    }

    /// The class of the interned text `id` of the state field, classified on first sight.
    private static func stateOf(_ id: Int, field: Int, _ known: inout [Int16], _ rows: RowStore,
                                _ classifier: StateClassifier) -> Int16 {
        if id < known.count, known[id] != Int16.min { return known[id] }
        if id >= known.count { known += Array(repeating: Int16.min, count: id + 1 - known.count) }
        known[id] = classifier.classify(value: .text(rows.internedText(id, field: field)))
        return known[id]
    }

    /// A block of a streamed source: `block` with the records read since the last one, which
    /// the arrays give up.
    private static func block(_ block: SourceTable, header: DatevHeader?, records: Int, _ rows: inout RowStore,
                              _ lines: inout LineNumbers, _ keys: inout [String], _ keyMissing: inout BitList,
                              _ recordState: inout [Int16], _ issues: inout [ValueIssue],
                              _ malformed: inout [MalformedEntry], _ missingKeyRaw: inout [Int32: String]) -> SourceTable {
        block.header = header
        block.recordCount = records
        swap(&block.rows, &rows); swap(&block.lines, &lines); swap(&block.keys, &keys)
        block.rows.keyTexts.use(records: block.keys)
        swap(&block.keyMissing, &keyMissing); swap(&block.recordState, &recordState)
        swap(&block.valueIssues, &issues); swap(&block.malformed, &malformed)
        swap(&block.missingKeyRaw, &missingKeyRaw)
        return block
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
