import CLibXML2
import DemarcCore

/// What `demarc profile` learns about an XML file: where its repeating elements are, and what
/// the records below a record path hold. Same hardened streaming parse as `XMLRecordReader`.
public enum XMLCensus {
    /// Every element path (as /A/B/C with local names) that occurs more than once, with counts, in document order of first appearance.
    public static func repeatingPaths(input: InputFile) throws -> [(path: String, count: Int)] {
        let machine = UnsafeMutablePointer<XMLPathCensusMachine>.allocate(capacity: 1)
        machine.initialize(to: XMLPathCensusMachine())
        defer { machine.deinitialize(count: 1); machine.deallocate() }
        _ = try XMLPushParse.run(input: input, machine: UnsafeMutableRawPointer(machine),
                                 install: XMLPathCensusMachine.install, prepare: { _ in })
        let census = machine.pointee
        return census.paths.indices.filter { census.counts[$0] > 1 }.map { (path: census.paths[$0], count: census.counts[$0]) }
    }

    /// Every record matching `options.record`, as (line, [(relative path like `A/B` or `@x` or `A/@x`, trimmed text)]) in document order.
    ///
    /// Listed are the attributes of the record and of its descendants, and the descendant
    /// elements without child elements (their text; "" when empty). Containers are left out:
    /// their text is their children's. An element's entry comes before its attributes'.
    /// Nested matches of the record path belong to the outer record.
    public static func records(input: InputFile, options: XMLOptions,
                               sink: (Int, [(String, String)]) throws -> Void) throws -> ReadSummary {
        let path = try XMLRecordReader.recordPath(options.record)
        return try withoutActuallyEscaping(sink) { sink in
            let machine = UnsafeMutablePointer<XMLRecordCensusMachine>.allocate(capacity: 1)
            machine.initialize(to: XMLRecordCensusMachine(sink: sink))
            defer { machine.pointee.release(); machine.deinitialize(count: 1); machine.deallocate() }
            var summary = try XMLPushParse.run(input: input, machine: UnsafeMutableRawPointer(machine),
                                               install: XMLRecordCensusMachine.install, prepare: { ctxt in
                machine.pointee.record = XMLRecordMatcher(path, namespaces: options.namespaces, dict: ctxt.pointee.dict)
            })
            summary.records = machine.pointee.records
            if summary.records == 0 && !options.allowEmpty {
                throw DemarcError.unreadableInput(SourcePosition(file: input.displayName, line: 0),
                                                  "no element matches '\(options.record)'")
            }
            return summary
        }
    }
}

/// Counts element paths as a tree of (parent, interned local name) nodes; a node's path text
/// is built once, when the node is first seen.
struct XMLPathCensusMachine {
    private struct Key: Hashable {
        var parent: Int
        var name: UInt
    }

    private var children: [Key: Int] = [:]
    private var open: [Int] = []
    private(set) var paths: [String] = []
    private(set) var counts: [Int] = []

    mutating func start(_ context: UnsafeMutablePointer<XMLSAXContext>, _ name: UnsafePointer<xmlChar>?) {
        guard open.count < XMLElementStack.maxDepth else {
            return context.pointee.fail(XMLElementStack.tooDeep(context), stopParser: true)
        }
        let parent = open.last ?? -1
        let key = Key(parent: parent, name: UInt(bitPattern: name))
        let node: Int
        if let known = children[key] {
            node = known
        } else {
            node = paths.count
            let local = name.map { String(cString: $0) } ?? ""
            paths.append((parent >= 0 ? paths[parent] : "") + "/" + local)
            counts.append(0)
            children[key] = node
        }
        counts[node] += 1
        open.append(node)
    }

    mutating func end() { if !open.isEmpty { open.removeLast() } }

    static func install(_ handler: inout xmlSAXHandler) {
        handler.startElementNs = { userData, localName, _, _, _, _, _, _, _ in
            guard let context = XMLPushParse.sessionContext(userData), !context.pointee.halted,
                  let machine = context.pointee.machine?.assumingMemoryBound(to: XMLPathCensusMachine.self) else { return }
            machine.pointee.start(context, localName)
        }
        handler.endElementNs = { userData, _, _, _ in
            guard let context = XMLPushParse.sessionContext(userData), !context.pointee.halted,
                  let machine = context.pointee.machine?.assumingMemoryBound(to: XMLPathCensusMachine.self) else { return }
            machine.pointee.end()
        }
    }
}

/// Lists the leaf elements and attributes of each record (not a hot path: `profile` only).
struct XMLRecordCensusMachine {
    private struct Open {
        /// Index into `entries`; -1 for the record element.
        var entry: Int
        var hasChildElements: Bool
        var path: String
    }

    var record = XMLRecordMatcher()
    private var stack = XMLElementStack()
    private var recordDepth = 0
    private var line = 0
    private var open: [Open] = []
    private var entries: [(String, String)] = []
    private var text: [UInt8] = []
    private(set) var records = 0
    private let sink: (Int, [(String, String)]) throws -> Void

    init(sink: @escaping (Int, [(String, String)]) throws -> Void) {
        self.sink = sink
    }

    func release() { stack.release() }

    mutating func start(_ context: UnsafeMutablePointer<XMLSAXContext>, _ name: UnsafePointer<xmlChar>?,
                        _ uri: UnsafePointer<xmlChar>?, _ attributes: XMLAttributes) {
        guard stack.push(name, uri) else { return context.pointee.fail(XMLElementStack.tooDeep(context), stopParser: true) }
        let local = name.map { String(cString: $0) } ?? ""
        var path: String
        if recordDepth == 0 {
            guard record.matches(stack) else { return }
            recordDepth = stack.depth
            line = context.pointee.startTagPosition().line
            entries.removeAll(keepingCapacity: true)
            open = [Open(entry: -1, hasChildElements: false, path: "")]
            path = ""
        } else {
            if !open.isEmpty { open[open.count - 1].hasChildElements = true }
            let parent = open.last?.path ?? ""
            path = parent.isEmpty ? local : parent + "/" + local
            open.append(Open(entry: entries.count, hasChildElements: false, path: path))
            entries.append((path, ""))
        }
        text.removeAll(keepingCapacity: true)
        guard let base = attributes.base else { return }
        for i in 0..<max(0, attributes.count) {
            let entry = base + 5 * i
            guard let attributeName = entry[0], let start = entry[3], let end = entry[4], end >= start else { continue }
            var value: [UInt8] = []
            XMLAttributes.appendValue(UnsafeBufferPointer(start: start, count: start.distance(to: end)), to: &value)
            let name = "@" + String(cString: attributeName)
            entries.append((path.isEmpty ? name : path + "/" + name,
                            String(decoding: value[trimmedXMLRange(value, 0..<value.count)], as: UTF8.self)))
        }
    }

    mutating func characters(_ bytes: UnsafePointer<xmlChar>?, _ count: Int32) {
        guard recordDepth != 0, let bytes, count > 0, text.count < XMLRecordMachine.maxRecordBytes else { return }
        text.append(contentsOf: UnsafeBufferPointer(start: bytes, count: Int(count)))
    }

    mutating func end(_ context: UnsafeMutablePointer<XMLSAXContext>) {
        defer { stack.pop() }
        guard recordDepth != 0, let closing = open.popLast() else { return }
        if closing.entry >= 0 && closing.entry < entries.count {
            if closing.hasChildElements {
                entries[closing.entry].0 = ""
            } else {
                entries[closing.entry].1 = String(decoding: text[trimmedXMLRange(text, 0..<text.count)], as: UTF8.self)
            }
        }
        guard stack.depth == recordDepth else { return }
        recordDepth = 0
        records += 1
        do {
            try sink(line, entries.filter { !$0.0.isEmpty })
        } catch {
            context.pointee.sinkError = error
            context.pointee.halt(stopParser: true)
        }
    }

    static func install(_ handler: inout xmlSAXHandler) {
        handler.startElementNs = { userData, localName, _, uri, _, _, attributeCount, _, attributes in
            guard let context = XMLPushParse.sessionContext(userData), !context.pointee.halted,
                  let machine = context.pointee.machine?.assumingMemoryBound(to: XMLRecordCensusMachine.self) else { return }
            machine.pointee.start(context, localName, uri, XMLAttributes(base: attributes, count: Int(attributeCount)))
        }
        handler.endElementNs = { userData, _, _, _ in
            guard let context = XMLPushParse.sessionContext(userData), !context.pointee.halted,
                  let machine = context.pointee.machine?.assumingMemoryBound(to: XMLRecordCensusMachine.self) else { return }
            machine.pointee.end(context)
        }
        let text: charactersSAXFunc = { userData, bytes, count in
            guard let context = XMLPushParse.sessionContext(userData), !context.pointee.halted,
                  let machine = context.pointee.machine?.assumingMemoryBound(to: XMLRecordCensusMachine.self) else { return }
            machine.pointee.characters(bytes, count)
        }
        handler.characters = text
        handler.ignorableWhitespace = text
        handler.cdataBlock = text
    }
}
