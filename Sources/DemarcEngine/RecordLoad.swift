import Foundation
import DemarcCore
import DemarcReaders
import DemarcRules

/// What the byte path (`RecordLoad.takeWellFormed`) reads of one field.
struct FieldStep {
    /// The reader's request that feeds the field.
    var request: Int
    var isText: Bool
    var isDecimal: Bool
    /// Part of the key: its text or value is kept for the key.
    var isKeyPart: Bool
    /// The field that decides the record's state.
    var isState: Bool
    /// A one-part text key's field (`RecordLoad.keyField`): stored with the key.
    var isKey: Bool
    var required: Bool
    /// A decimal field's mark.
    var mark: UInt8
}

/// One source's records on their way into its table (`SourceLoader.readRecords`): the arrays
/// they fill and everything the step per record reads, in one value.
///
/// The reader calls its sink once per record. A sink closure that captured each of these
/// (some forty values) reached its body through a thunk that copied every capture into place
/// per call: about 100 instructions and a store-forwarding stall a record, 4% of a run at 5M
/// records a side in `perf`. The sink now captures this one value and calls `take`. (A class
/// would cost a dynamic exclusivity check per access to its arrays; a local value captured by
/// a non-escaping closure costs none.)
struct RecordLoad {
    // What the step reads.
    let table: SourceTable
    let file: String
    let header: DatevHeader?
    let plan: RequestPlan
    let width: Int
    let box: RowBox
    let context: RowContext
    let classifier: StateClassifier
    let derived: [(Int, Expr)]
    let keyFields: [Int]
    let classifyRecords: Bool
    let names: [String]
    let required: [Bool]
    let repeated: [Repeated?]
    let negatives: [[String]]
    let directFields: [Int]
    let calendar: Calendar?
    let normalizer: KeyNormalizer
    let spanFile: String?
    let progress: ReadProgress?
    let order: Int
    let onBlock: ((SourceTable) throws -> Void)?
    let blockSize: Int
    let isText: [Bool]
    let isDecimal: [Bool]
    let decimalMarks: [(UInt8, UInt8?)]
    let bytePath: Bool
    let stateField: Int
    let requestOf: [Int]
    let keyIsText: [Bool]
    let keyField: Int
    let plainKeys: Bool
    let isKeyPart: [Bool]
    let unknownState: Int16
    /// Per field of the record at hand; buffers, not arrays: no uniqueness check per write.
    let textRanges: UnsafeMutableBufferPointer<Range<Int>?>
    let keyValues: UnsafeMutableBufferPointer<Value>
    /// Per field, what the byte path reads of it, in one place (`FieldStep`): the loop over a
    /// record's fields loaded each of these from an array of its own, bounds-checked.
    let steps: UnsafeMutableBufferPointer<FieldStep>
    /// The fields' specs, read in place: handing a `ValueSpec` out of an array copied it (a
    /// String inside `DateFormat` makes that a value-witness call).
    let specs: UnsafeMutableBufferPointer<ValueSpec>

    // What the step fills: the table's arrays, moved out so that appending does not copy them.
    var recordCount: Int
    var row: [Value]
    var rows: RowStore
    var lines: LineNumbers
    var keys: [String]
    var keyMissing: BitList
    var recordState: [Int16]
    var issues: [ValueIssue]
    var malformed: [MalformedEntry]
    var missingKeyRaw: [Int32: String]
    /// Streaming: records read since the last block.
    var blockRecords = 0
    /// Whether every key so far took the plain path, ASCII and above the one before in byte
    /// order (`SourceTable.keysAscending`): checked here, a key at a time from its bytes, it
    /// costs a tenth of checking 5M keys as strings afterwards, on the thread that then indexes
    /// them while the other side is still being read. The last key's bytes in `lastKey`.
    var keysAscending: Bool
    let lastKey = UnsafeMutableRawBufferPointer.allocate(byteCount: RecordLoad.lastKeyCapacity, alignment: 8)
    var lastKeyCount = -1
    static let lastKeyCapacity = 64
    /// The class of each interned text of the state field, once seen.
    var stateByID: [Int16] = []

    /// Takes over `table`'s arrays (a pattern source reads several files into one table) and
    /// works out how each field is decoded.
    init(_ loader: SourceLoader, table: SourceTable, file: String, path: String?, plan: RequestPlan,
         header: DatevHeader?) {
        let def = loader.def
        self.table = table
        self.file = file
        self.header = header
        self.plan = plan
        let width = table.width
        self.width = width
        let box = RowBox(width: width)
        self.box = box
        context = RowContext(source: def.name, fieldIndex: table.fieldIndex, row: box,
                             headerValues: header ?? table.header, asOf: loader.asOf)
        let classifier = StateClassifier(def, fieldIndex: table.fieldIndex)
        self.classifier = classifier
        derived = derivedOrder(def).compactMap { d in def.fields[d].expr.map { (d, $0) } }
        let keyFields = def.key.map { table.fieldIndex[$0] ?? -1 }
        self.keyFields = keyFields
        let classifyRecords = classifier.hasState && def.cardinality == .one
        self.classifyRecords = classifyRecords
        names = def.fields.map(\.name)
        required = def.fields.map(\.required)
        repeated = def.fields.map(\.repeated)
        negatives = def.fields.map { $0.sign?.negative ?? [] }
        directFields = (0..<width).filter { plan.fieldRequest[$0] != nil }
        calendar = loader.calendar
        normalizer = loader.normalizer
        spanFile = table.fileSpans.isEmpty ? nil : file
        progress = loader.progress
        order = loader.order

        recordCount = table.recordCount
        row = [Value](repeating: .unknown, count: width)
        rows = table.rows
        lines = table.lines
        keys = table.keys
        keyMissing = table.keyMissing
        recordState = table.recordState
        issues = table.valueIssues
        malformed = table.malformed
        missingKeyRaw = table.missingKeyRaw
        table.rows = RowStore(width: width)
        table.lines = LineNumbers(); table.keys = []; table.keyMissing = []; table.recordState = []
        // Room for the records a CSV file will have, by its lines: grown by doubling, each of
        // these arrays briefly held its old and its new copy, near the peak of a large run.
        if [.csv, .datev].contains(def.format), let path, let size = fileSize(path),
           let estimate = estimatedLines(path, size: size) {
            // At most 64M records ahead (a gigabyte of keys reserved, not touched); beyond, the
            // arrays grow as they go.
            let more = min(estimate + estimate / 32, loader.onBlock == nil ? 1 << 26 : max(1, loader.blockSize))
            // An eighth more for the keys: they may become the case keys (`CaseIndex`), which
            // grow by the other sources' keys this one lacks. Reserved, not touched.
            keys.reserveCapacity(keys.count + more + more / 8)
            keyMissing.reserveCapacity(keyMissing.count + more)
            if classifyRecords { recordState.reserveCapacity(recordState.count + more) }
        }
        table.valueIssues = []; table.malformed = []; table.missingKeyRaw = [:]
        keysAscending = keys.isEmpty && loader.onBlock == nil
        // Streaming: the records read since the last block go over as a table of their own.
        onBlock = loader.onBlock
        blockSize = loader.onBlock == nil ? Int.max : max(1, loader.blockSize)

        // Text fields take the parser's text path here: handing the field's `ValueSpec` to the
        // parser copied it (a String inside `DateFormat` makes that a value-witness call),
        // 2.4% of a run in `perf`.
        let isText = plan.specs.map { $0.type == .text }
        self.isText = isText
        // Decimal fields' marks, read once: the byte path parses them without the spec.
        isDecimal = plan.specs.map { $0.type == .decimal }
        decimalMarks = plan.specs.map { ($0.decimalMark, $0.thousandsMark) }

        // The byte path: when every field is read directly (none derived, repeated or signed)
        // and a state, if any, is decided by one field's value, a well-formed record's texts go
        // from the reader's bytes into the row store, with no `String` or `Value` row between;
        // interned state texts are classified once per distinct text. Other records take the
        // general path in `take`; both store the same values.
        bytePath = derived.isEmpty && directFields.count == width && repeated.allSatisfy { $0 == nil }
            && plan.signRequest.allSatisfy { $0 == nil } && (!classifyRecords || classifier.valueField != nil)
        let stateField = classifyRecords ? classifier.valueField ?? -1 : -1
        self.stateField = stateField
        requestOf = plan.fieldRequest.map { $0 ?? Int.max }
        let keyIsText = keyFields.map { $0 >= 0 && isText[$0] }
        self.keyIsText = keyIsText
        // A one-part text key: its field is stored only where its text differs from the key
        // (`RowStore.keyTag`), which saves the text's second copy (arena) for nearly every record.
        let keyField = keyFields.count == 1 && keyIsText[0] && keyFields[0] != stateField ? keyFields[0] : -1
        self.keyField = keyField
        // Such a key whose text starts and ends in printable ASCII is its own normalized form
        // (trimming leaves it alone): it goes from the bytes to the keys in one step.
        plainKeys = keyField >= 0 && loader.normalizer.keepsPlainText
        // Fields that are key parts: only those keep their value for the key (`keyValues`).
        isKeyPart = (0..<width).map { keyFields.contains($0) }
        unknownState = classifyRecords ? classifier.classify(value: .unknown) : CaseState.unclassified
        steps = .allocate(capacity: max(1, width))
        for f in 0..<width {
            steps[f] = FieldStep(request: requestOf[f], isText: isText[f], isDecimal: isDecimal[f],
                                 isKeyPart: isKeyPart[f], isState: f == stateField, isKey: f == keyField,
                                 required: required[f], mark: decimalMarks[f].0)
        }
        textRanges = UnsafeMutableBufferPointer<Range<Int>?>.allocate(capacity: max(1, width))
        textRanges.initialize(repeating: nil)
        keyValues = UnsafeMutableBufferPointer<Value>.allocate(capacity: max(1, width))
        keyValues.initialize(repeating: .unknown)
        specs = UnsafeMutableBufferPointer<ValueSpec>.allocate(capacity: max(1, plan.specs.count))
        _ = specs.initialize(from: plan.specs)
    }

    /// Frees the buffers; called once, after the last `take`.
    func deallocate() {
        lastKey.deallocate()
        steps.deallocate()
        textRanges.deallocate()
        keyValues.deinitialize().deallocate()
        if let base = specs.baseAddress { base.deinitialize(count: plan.specs.count) }
        specs.deallocate()
    }

    /// A new, empty table of the same source (streaming's next block).
    private func newBlock() -> SourceTable { SourceTable(def: table.def, order: table.order, file: table.file) }

    /// Whether well-formed records may come in batches (`take(_: RecordBatch)`): they all take
    /// the byte path, and no streaming block ends among them.
    var takesBatches: Bool { bytePath && onBlock == nil }

    /// Decodes one record into the arrays.
    @inline(__always)
    mutating func take(_ raw: inout RawRecord) throws {
        recordCount += 1
        if bytePath && raw.malformed == nil && blockRecords < blockSize {
            let line = raw.line, rawText = raw.rawText
            raw.withBytes { all in
                takeWellFormed(all, line: line, rawText: rawText) { request in
                    request < raw.fields.count ? raw.fields[request] : nil
                }
            }
            return
        }
        // The general path reads `raw.bytes` (and keeps malformed records' texts).
        raw.ownBytes()
        blockRecords += 1
        if blockRecords > blockSize, let onBlock {
            try onBlock(RecordLoad.block(newBlock(), header: header ?? table.header, records: blockRecords - 1,
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
        keysAscending = false
        RecordLoad.appendKey(record: recordIndex, fields: keyFields, normalizer: normalizer,
                             &keys, &keyMissing, &missingKeyRaw,
                             rawText: { raw.rawText.map { String(decoding: raw.bytes[$0], as: UTF8.self) } }) { _, f in keyText(row[f]) }
        if classifyRecords {
            recordState.append(classifier.classify(row, context: context, calendar: calendar))
        }
    }

    /// Decodes a batch of well-formed records (`takesBatches`), each as `take` does.
    mutating func take(_ batch: RecordBatch) {
        let all = batch.bytes
        let slots = batch.slots
        let starts = batch.fieldStarts, ends = batch.fieldEnds
        for i in 0..<batch.count {
            recordCount += 1
            let row = i &* slots
            takeWellFormed(all, line: batch.lines[i], rawText: batch.textStarts[i]..<batch.textEnds[i]) { request in
                guard request < slots else { return nil }
                let start = starts[row &+ request]
                return start < 0 ? nil : start..<ends[row &+ request]
            }
        }
    }

    /// The byte path of `take` for one well-formed record whose bytes are `all`: `field` gives a
    /// request's range in them, `rawText` the record's own text.
    @inline(__always)
    private mutating func takeWellFormed(_ all: UnsafeRawBufferPointer, line: Int, rawText: Range<Int>?,
                                         field: (Int) -> Range<Int>?) {
        let recordIndex = Int32(truncatingIfNeeded: lines.count)
        blockRecords += 1
        if recordCount & 4095 == 0 { progress?.setRecords(order, recordCount) }
        let record = rows.beginRecord()
        var state = unknownState
        for f in 0..<width {
            let step = steps[f]
            if step.isKeyPart {
                textRanges[f] = nil   // read for key parts only
                keyValues[f] = .unknown
            }
            if let r = field(step.request) {
                let bytes = UnsafeRawBufferPointer(rebasing: all[r])
                if step.isText {
                    if !isBlank(bytes) {
                        if step.isKeyPart { textRanges[f] = r }
                        if step.isKey { continue }   // stored with the key, below
                        let (tag, id) = rows.setText(bytes, record: record, field: f)
                        if step.isState {
                            // A known id inline: the call passes the row store by
                            // value, a copy of it per record from inside this closure.
                            let i = Int(id)
                            if tag == RowStore.internedTag && i < stateByID.count && stateByID[i] != Int16.min {
                                state = stateByID[i]
                            } else {
                                state = tag == RowStore.internedTag
                                    ? RecordLoad.stateOf(i, field: f, &stateByID, rows, classifier)
                                    : classifier.classify(value: .text(String(decoding: bytes, as: UTF8.self)))
                            }
                        }
                        continue
                    }
                } else {
                    if step.isDecimal, let (units, scale) = ValueParser.plainDecimalUnits(bytes, mark: step.mark) {
                        // An amount as exports write it: straight into the row store.
                        rows.setDecimal(units: units, scale: scale, record: record, field: f)
                        if step.isKeyPart || step.isState {
                            let v = Value.decimal(FixedDecimal(units: units, scale: scale))
                            if step.isKeyPart { keyValues[f] = v }
                            if step.isState { state = classifier.classify(value: v) }
                        }
                        continue
                    }
                    let parsed = step.isDecimal
                        ? ValueParser.parseDecimal(bytes, mark: decimalMarks[f].0, thousands: decimalMarks[f].1)
                        : ValueParser.parse(bytes, as: specs[f])
                    switch parsed {
                    case .value(let v):
                        rows.set(v, record: record, field: f)
                        if step.isKeyPart { keyValues[f] = v }
                        if step.isState { state = classifier.classify(value: v) }
                        continue
                    case .empty:
                        break
                    case .invalid(let why):
                        rows.setUnknown(record: record, field: f)
                        let text = String(decoding: bytes, as: UTF8.self)
                        issues.append(ValueIssue(record: recordIndex, field: Int32(f),
                                                 message: "field '\(names[f])' at \(file):\(line) has '\(text)': \(why)"))
                        continue
                    }
                }
            }
            rows.setUnknown(record: record, field: f)
            if step.required {
                issues.append(ValueIssue(record: recordIndex, field: Int32(f),
                                         message: "required field '\(names[f])' is empty at \(file):\(line)"))
            }
        }
        lines.append(Int32(clamping: line))
        let plainKey: String? = !plainKeys ? nil : textRanges[keyField].flatMap { r in
            let bytes = UnsafeRawBufferPointer(rebasing: all[r])
            @inline(__always) func plain(_ b: UInt8) -> Bool { b > 0x20 && b < 0x80 }
            guard plain(bytes[0]), plain(bytes[bytes.count - 1]) else { return nil }
            if keysAscending { noteKey(bytes) }
            return ASCIIBytes.string(bytes)
        }
        if let plainKey {
            keys.append(plainKey)
            keyMissing.append(false)
            rows.setKeyText(record: record, field: keyField)
        } else {
            keysAscending = false
            var keyFieldText: String? = nil
            RecordLoad.appendKey(record: recordIndex, fields: keyFields, normalizer: normalizer,
                                 &keys, &keyMissing, &missingKeyRaw,
                                 rawText: { rawText.map { String(decoding: UnsafeRawBufferPointer(rebasing: all[$0]), as: UTF8.self) } }) { p, f in
                guard keyIsText[p], let r = textRanges[f] else { return keyText(keyValues[f]) }
                let text = ASCIIBytes.string(UnsafeRawBufferPointer(rebasing: all[r]))
                if f == keyField { keyFieldText = text }
                return text
            }
            if let text = keyFieldText, let r = textRanges[keyField] {
                if keys[keys.count - 1] == text {
                    rows.setKeyText(record: record, field: keyField)
                } else {
                    rows.setText(UnsafeRawBufferPointer(rebasing: all[r]), record: record, field: keyField)
                }
            }
        }
        rows.endRecord()
        if classifyRecords { recordState.append(state) }
    }

    /// Follows a plain key's bytes for `keysAscending`.
    @inline(__always)
    private mutating func noteKey(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count <= RecordLoad.lastKeyCapacity, ASCIIBytes.isASCII(bytes),
              lastKeyCount < 0 || ASCIIBytes.order(bytes, UnsafeRawBufferPointer(rebasing: lastKey[..<lastKeyCount])) > 0 else {
            keysAscending = false
            return
        }
        lastKey.baseAddress!.copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        lastKeyCount = bytes.count
    }

    /// Hands the last block over (streaming) or the arrays back to the table.
    mutating func finish() throws {
        table.recordCount = recordCount
        progress?.setRecords(order, recordCount)
        if let onBlock {
            // The last block; the table keeps only the counts.
            try onBlock(RecordLoad.block(newBlock(), header: header ?? table.header, records: blockRecords,
                                         &rows, &lines, &keys, &keyMissing, &recordState, &issues, &malformed, &missingKeyRaw))
        }
        rows.keyTexts.use(records: keys)
        table.rows = rows
        table.lines = lines
        table.keys = keys
        table.keyMissing = keyMissing
        table.keysAscending = keysAscending && onBlock == nil && !keys.isEmpty
        table.recordState = recordState
        table.valueIssues = issues
        table.malformed = malformed
        table.missingKeyRaw = missingKeyRaw
    }

    /// Appends a record's key: the text of each key field (`part(index, field)`), normalized,
    /// the parts joined by U+001F; a key whose parts are all empty is missing, and the
    /// record's raw text is kept for its fingerprint.
    @inline(__always)
    fileprivate static func appendKey(record: Int32, fields: [Int], normalizer: KeyNormalizer,
                                      _ keys: inout [String], _ keyMissing: inout BitList,
                                      _ missingKeyRaw: inout [Int32: String], rawText: () -> String?,
                                      part: (Int, Int) -> String) {
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
        if allEmpty, let text = rawText() { missingKeyRaw[record] = text }
    }

    /// The class of the interned text `id` of the state field, classified on first sight.
    fileprivate static func stateOf(_ id: Int, field: Int, _ known: inout [Int16], _ rows: RowStore,
                                _ classifier: StateClassifier) -> Int16 {
        if id < known.count, known[id] != Int16.min { return known[id] }
        if id >= known.count { known += Array(repeating: Int16.min, count: id + 1 - known.count) }
        known[id] = classifier.classify(value: .text(rows.internedText(id, field: field)))
        return known[id]
    }

    /// A block of a streamed source: `block` with the records read since the last one, which
    /// the arrays give up.
    fileprivate static func block(_ block: SourceTable, header: DatevHeader?, records: Int, _ rows: inout RowStore,
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
