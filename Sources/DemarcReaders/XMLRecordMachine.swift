import CLibXML2
import DemarcCore

/// The state of a record read: which element is the record, which requested fields are open,
/// and the reused record.
///
/// Hot path shape (one call per element and per text run of a file of millions of records):
/// names are compared as interned pointers, the element stack is overwritten in place, field
/// plans are plain values, text is appended to the record's buffer only while a wanted field
/// is open, and nothing outside a record is looked at beyond the record path test.
struct XMLRecordMachine {
    /// An open element whose text becomes a field value.
    struct Capture {
        var field: Int
        /// -1: the field's first match (`raw.fields[field]`); else an index into `moreMatches`.
        var slot: Int
        var start: Int
        var depth: Int
    }

    /// More text than this in one record is refused (libxml2's own XML_MAX_TEXT_LENGTH).
    static let maxRecordBytes = 10_000_000

    var stack = XMLElementStack()
    var record = XMLRecordMatcher()
    /// Plans and steps live in buffers of their own, so that the per-element loop reads them
    /// without retain/release or exclusivity checks against the mutations of `raw`.
    private(set) var steps = UnsafeMutableBufferPointer<XMLBoundStep>(start: nil, count: 0)
    private(set) var plans = UnsafeMutableBufferPointer<XMLFieldPlan>(start: nil, count: 0)
    var raw = RawRecord()
    /// Attribute values of this record; moved behind the text when the record is delivered,
    /// since text captures must stay contiguous in `raw.bytes`.
    var attributeBytes: [UInt8] = []
    var captures: [Capture] = []
    /// 0 outside a record, else the record element's depth.
    var recordDepth = 0
    var records = 0
    let sink: RecordSink

    init(sink: @escaping RecordSink) {
        self.sink = sink
    }

    /// Binds the paths to the parser's dictionary.
    mutating func bind(record path: XMLPath, fields: [(XMLPath, Bool)], namespaces: [String: String], dict: xmlDictPtr?) {
        record = XMLRecordMatcher(path, namespaces: namespaces, dict: dict)
        var boundSteps: [XMLBoundStep] = []
        var boundPlans: [XMLFieldPlan] = []
        for (field, keepAll) in fields {
            let first = boundSteps.count
            boundSteps += field.elements.map { XMLBoundStep($0, namespaces: namespaces, dict: dict) }
            boundPlans.append(XMLFieldPlan(lastName: boundSteps.count > first ? boundSteps[boundSteps.count - 1].name : nil,
                                           firstStep: first, stepCount: field.elements.count, anyDepth: field.anyDepth,
                                           attribute: field.attribute.map { XMLBoundStep($0, namespaces: namespaces, dict: dict) },
                                           keepAll: keepAll))
        }
        release()
        steps = .allocate(capacity: boundSteps.count)
        _ = steps.initialize(from: boundSteps)
        plans = .allocate(capacity: boundPlans.count)
        _ = plans.initialize(from: boundPlans)
        raw.reset(fieldCount: plans.count)
    }

    /// Frees the buffers (once, when the read ends).
    mutating func release() {
        steps.deallocate()
        plans.deallocate()
        steps = UnsafeMutableBufferPointer(start: nil, count: 0)
        plans = UnsafeMutableBufferPointer(start: nil, count: 0)
    }

    // MARK: - Events

    @inline(__always)
    mutating func start(_ context: UnsafeMutablePointer<XMLSAXContext>, _ name: UnsafePointer<xmlChar>?,
                        _ uri: UnsafePointer<xmlChar>?, _ attributes: XMLAttributes) {
        guard stack.push(name, uri) else {
            return context.pointee.fail(XMLElementStack.tooDeep(context), stopParser: true)
        }
        if recordDepth == 0 {
            if record.matches(stack) { begin(context, attributes) }
            return
        }
        let relativeDepth = stack.depth - recordDepth
        let steps = UnsafeBufferPointer(self.steps)
        for f in plans.indices {
            let plan = plans[f]
            guard let last = plan.lastName, last == name,
                  plan.anyDepth ? relativeDepth >= plan.stepCount : relativeDepth == plan.stepCount,
                  stack.endsWith(steps, first: plan.firstStep, count: plan.stepCount) else { continue }
            if let attribute = plan.attribute {
                take(attribute, of: attributes, field: f, keepAll: plan.keepAll)
            } else {
                open(field: f, keepAll: plan.keepAll)
            }
        }
    }

    @inline(__always)
    mutating func text(_ context: UnsafeMutablePointer<XMLSAXContext>, _ bytes: UnsafePointer<xmlChar>?, _ count: Int32) {
        guard !captures.isEmpty, let bytes, count > 0 else { return }
        raw.bytes.append(contentsOf: UnsafeBufferPointer(start: bytes, count: Int(count)))
        if raw.bytes.count > XMLRecordMachine.maxRecordBytes { refuseSize(context) }
    }

    @inline(__always)
    mutating func end(_ context: UnsafeMutablePointer<XMLSAXContext>) {
        if recordDepth != 0 {
            let depth = stack.depth
            while let last = captures.last, last.depth == depth {
                captures.removeLast()
                close(last)
            }
            if depth == recordDepth { deliver(context) }
        }
        stack.pop()
    }

    // MARK: - Records

    private mutating func begin(_ context: UnsafeMutablePointer<XMLSAXContext>, _ attributes: XMLAttributes) {
        recordDepth = stack.depth
        raw.reset(fieldCount: plans.count)
        attributeBytes.removeAll(keepingCapacity: true)
        captures.removeAll(keepingCapacity: true)
        raw.line = context.pointee.startTagPosition().line
        for f in plans.indices {
            let plan = plans[f]
            if plan.stepCount == 0, let attribute = plan.attribute {
                take(attribute, of: attributes, field: f, keepAll: plan.keepAll)
            }
        }
    }

    private mutating func deliver(_ context: UnsafeMutablePointer<XMLSAXContext>) {
        recordDepth = 0
        if !attributeBytes.isEmpty {
            let shift = raw.bytes.count
            raw.bytes.append(contentsOf: attributeBytes)
            for f in plans.indices where plans[f].attribute != nil && f < raw.fields.count {
                if let range = raw.fields[f] { raw.fields[f] = (range.lowerBound + shift)..<(range.upperBound + shift) }
            }
            for i in raw.moreMatches.indices where plans.indices.contains(raw.moreMatches[i].field)
                && plans[raw.moreMatches[i].field].attribute != nil {
                let range = raw.moreMatches[i].range
                raw.moreMatches[i].range = (range.lowerBound + shift)..<(range.upperBound + shift)
            }
        }
        records += 1
        do {
            try sink(&raw)
        } catch {
            context.pointee.sinkError = error
            context.pointee.halt(stopParser: true)
        }
    }

    // MARK: - Fields

    private mutating func open(field: Int, keepAll: Bool) {
        let start = raw.bytes.count
        if raw.fields[field] == nil {
            raw.fields[field] = start..<start
            captures.append(Capture(field: field, slot: -1, start: start, depth: stack.depth))
        } else if keepAll {
            raw.moreMatches.append((field: field, range: start..<start))
            captures.append(Capture(field: field, slot: raw.moreMatches.count - 1, start: start, depth: stack.depth))
        }
    }

    private mutating func close(_ capture: Capture) {
        let range = trimmedXMLRange(raw.bytes, capture.start..<raw.bytes.count)
        if capture.slot < 0 {
            raw.fields[capture.field] = range
        } else if capture.slot < raw.moreMatches.count {
            raw.moreMatches[capture.slot].range = range
        }
    }

    private mutating func take(_ attribute: XMLBoundStep, of attributes: XMLAttributes, field: Int, keepAll: Bool) {
        let first = raw.fields[field] == nil
        guard first || keepAll, let value = attributes.value(matching: attribute) else { return }
        let start = attributeBytes.count
        XMLAttributes.appendValue(value, to: &attributeBytes)
        let range = trimmedXMLRange(attributeBytes, start..<attributeBytes.count)
        if first {
            raw.fields[field] = range
        } else {
            raw.moreMatches.append((field: field, range: range))
        }
    }

    private func refuseSize(_ context: UnsafeMutablePointer<XMLSAXContext>) {
        let position = SourcePosition(file: context.pointee.displayName, line: raw.line)
        context.pointee.fail(.unreadableInput(position, "record text longer than \(XMLRecordMachine.maxRecordBytes) bytes"),
                             stopParser: false)
    }
}
