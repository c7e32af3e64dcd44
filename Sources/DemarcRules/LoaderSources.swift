import DemarcCore
import DemarcReaders
import Yams

/// A source while the loader builds it: the model plus the nodes later checks point at.
struct SourceDraft {
    var def: SourceDef
    /// The key naming the source (`crm:`).
    var nameNode: Node
    var keyNode: Node?
    /// Derived fields still to be parsed and typed.
    var derived: [DerivedDraft] = []
    var stateNode: Node?
    var stateKeyNode: Node?
    var groupNode: Node?
    /// Field names whose definition failed: not reported again when something names them.
    var brokenFields: Set<String> = []

    /// Whether the source has (or tried to have) a field `name`.
    func knows(_ name: String) -> Bool { def.field(name) != nil || brokenFields.contains(name) }
}

/// A derived field (`expr:`) waiting for its expression to be typed.
struct DerivedDraft {
    var fieldIndex: Int
    var name: String
    var exprNode: Node
    var typeNode: Node?
    var declared: FieldType?
}

/// Names that would make expressions ambiguous.
let reservedSourceNames: Set<String> = ["as_of", "header", "and", "or", "not", "in", "is", "true", "false"]

extension RuleFileBuilder {
    static let sourceKeys = ["file", "format", "csv", "xml", "gobd", "key", "cardinality", "fields", "group", "state"]

    /// Reads `sources:` into `sources`.
    func readSources(_ node: Node) {
        guard let entries = reader.namedEntries(node, what: "'sources'") else { return }
        if entries.isEmpty { reader.error(node, "'sources' must name at least one source") }
        for (name, keyNode, value) in entries {
            if !isLowerSnakeName(name) {
                reader.error(keyNode, "source name '\(name)' must match [a-z][a-z0-9_]*")
            } else if reservedSourceNames.contains(name) {
                reader.error(keyNode, "source name '\(name)' is reserved in expressions")
            }
            if let draft = readSource(name, keyNode: keyNode, value) { sources.append(draft) }
        }
        for index in sources.indices { finishSource(index) }
    }

    private func readSource(_ name: String, keyNode: Node, _ node: Node) -> SourceDraft? {
        guard let map = reader.map(node, known: Self.sourceKeys, what: "source '\(name)'") else { return nil }
        let what = "source '\(name)'"
        // An unknown format is taken from what the source says, so one typo is one problem.
        var format = SourceFormat.csv
        if let value = map["format"] {
            format = choice(value, what: "format", [("csv", .csv), ("xml", .xml), ("datev", .datev), ("gobd", .gobd)])
                ?? (map.has("xml") ? .xml : map.has("gobd") ? .gobd : .csv)
        }
        var file: String?
        var fileAsWritten: String?
        var position = reader.position(of: keyNode)
        if let value = map["file"], let text = reader.text(value, what: "'file'") {
            if text.isEmpty {
                reader.error(value, "'file' must not be empty")
            } else {
                fileAsWritten = text
                file = resolve(text)
                position = reader.position(of: value)
            }
        }
        var csv = format == .datev
            ? CSVOptions(delimiter: UInt8(ascii: ";"), encoding: .windows1252, headerLine: 2)
            : CSVOptions()
        var decimalMark = format == .datev ? UInt8(ascii: ",") : UInt8(ascii: ".")
        var thousandsMark: UInt8?
        if let value = map["csv"] {
            if format == .xml || format == .gobd {
                reader.error(map.keyNode("csv"), "'csv' options apply to csv and datev sources, not to \(format.rawValue) \(what)")
            } else {
                readCSVOptions(value, into: &csv, decimal: &decimalMark, thousands: &thousandsMark)
            }
        }
        var xml: XMLOptions?
        if let value = map["xml"] {
            if format != .xml {
                reader.error(map.keyNode("xml"), "'xml' options apply to xml sources only; \(what) is \(format.rawValue)")
            } else {
                xml = readXMLOptions(value)
            }
        } else if format == .xml {
            reader.error(keyNode, "missing required key 'xml' in \(what) (an xml source needs 'xml: { record: … }')")
        }
        var cardinality = Cardinality.one
        if let value = map["cardinality"] {
            cardinality = choice(value, what: "cardinality", [("one", .one), ("many", .many)]) ?? .one
        }
        var draft = SourceDraft(
            def: SourceDef(name: name, file: file, position: position, format: format, csv: csv,
                           decimalMark: decimalMark, thousandsMark: thousandsMark, xml: xml, key: [],
                           cardinality: cardinality, fields: [], group: [:], state: nil,
                           fileAsWritten: fileAsWritten),
            nameNode: keyNode)
        let gobd = readGoBDSource(map, format: format, what: what, at: keyNode)
        // Known before the fields are read, so that a field without `type:` takes its column's.
        draft.def.gobd = gobd
        if let value = reader.require(map, "fields", in: what, at: keyNode) {
            readFields(value, into: &draft)
            if let gobd { applyGoBDIndex(gobd, fieldsNode: value, to: &draft) }
        }
        if let value = reader.require(map, "key", in: what, at: keyNode) {
            draft.keyNode = value
            if let items = reader.textList(value, what: "'key'") {
                if items.isEmpty { reader.error(value, "'key' must name at least one field") }
                draft.def.key = items.map(\.0)
            }
        }
        if let value = map["group"] {
            if cardinality != .many {
                reader.error(map.keyNode("group"), "'group' applies only to sources with 'cardinality: many'")
            } else {
                draft.groupNode = value
            }
        }
        draft.stateNode = map["state"]
        draft.stateKeyNode = map.keyNode("state")
        return draft
    }

    /// Checks that need every field of the source: derived fields, key, group, state.
    private func finishSource(_ index: Int) {
        resolveDerivedFields(index)
        let draft = sources[index]
        if let keyNode = draft.keyNode {
            let items = keyNode.sequence.map(Array.init) ?? [keyNode]
            for (name, item) in zip(draft.def.key, items) where !draft.knows(name) {
                reader.error(item, "key field '\(name)' is not a field of source '\(draft.def.name)'"
                             + didYouMean(name, draft.def.fields.map(\.name)))
            }
        }
        if let node = draft.groupNode { sources[index].def.group = readGroup(node, of: draft) }
        if let node = draft.stateNode { sources[index].def.state = readState(node, of: sources[index]) }
    }

    /// "All sources' keys must have the same number of parts" (RULES.md, Matching).
    func checkKeyArity() {
        guard let first = sources.first(where: { !$0.def.key.isEmpty }) else { return }
        for draft in sources where !draft.def.key.isEmpty && draft.def.key.count != first.def.key.count {
            reader.error(draft.keyNode, "source '\(draft.def.name)' has a key of \(draft.def.key.count) part\(draft.def.key.count == 1 ? "" : "s"), but '\(first.def.name)' has \(first.def.key.count); all sources' keys must have the same number of parts")
        }
    }

    /// A path relative to the rule file's folder (absolute paths and `-` stay as written).
    func resolve(_ file: String) -> String {
        if file.hasPrefix("/") || file == "-" { return file }
        guard let slash = path.lastIndex(of: "/") else { return file }
        return String(path[...slash]) + file
    }

    // MARK: - csv: and xml:

    private func readCSVOptions(_ node: Node, into csv: inout CSVOptions, decimal: inout UInt8,
                                thousands: inout UInt8?) {
        let known = ["delimiter", "quote", "encoding", "header_line", "decimal", "thousands"]
        guard let map = reader.map(node, known: known, what: "'csv'") else { return }
        if let value = map["delimiter"], let text = reader.text(value, what: "'delimiter'") {
            if text == "auto" {
                csv.delimiter = nil
            } else if let byte = singleByte(text), byte != 0x0A, byte != 0x0D {
                csv.delimiter = byte
            } else {
                reader.error(value, "'delimiter' must be one ascii character or 'auto', not '\(text)'")
            }
        }
        if let value = map["quote"], let text = reader.text(value, what: "'quote'") {
            if let byte = singleByte(text), byte != 0x0A, byte != 0x0D {
                csv.quote = byte
                if byte == csv.delimiter { reader.error(value, "'quote' and 'delimiter' must differ") }
            } else {
                reader.error(value, "'quote' must be one ascii character, not '\(text)'")
            }
        }
        if let value = map["encoding"], let text = reader.text(value, what: "'encoding'") {
            if let encoding = TextEncoding(rawValue: text.lowercased()) {
                csv.encoding = encoding
            } else {
                reader.error(value, "unknown encoding '\(text)'" + suggestion(text, TextEncoding.allCases.map(\.rawValue)))
            }
        }
        if let value = map["header_line"], let line = reader.integer(value, what: "'header_line'") {
            if line < 0 {
                reader.error(value, "'header_line' must be 0 (no header) or more, not '\(line)'")
            } else {
                csv.headerLine = line
            }
        }
        if let value = map["decimal"], let mark = readMark(value, what: "decimal", allowed: [".", ","]) {
            decimal = mark
        }
        if let value = map["thousands"], let mark = readMark(value, what: "thousands", allowed: ["", ".", ",", "'", " "]) {
            thousands = mark == 0 ? nil : mark
            if thousands == decimal { reader.error(value, "'thousands' and 'decimal' must differ") }
        }
    }

    /// A decimal or thousands mark; 0 stands for "" (none).
    func readMark(_ node: Node, what: String, allowed: [String]) -> UInt8? {
        guard let text = reader.writtenText(node, what: "'\(what)'") else { return nil }
        guard allowed.contains(text) else {
            let list = allowed.map { "'\($0)'" }.joined(separator: ", ")
            reader.error(node, "'\(what)' must be one of \(list), not '\(text)'")
            return nil
        }
        return text.utf8.first ?? 0
    }

    private func singleByte(_ text: String) -> UInt8? {
        let bytes = Array(text.utf8)
        guard bytes.count == 1, bytes[0] < 0x80 else { return nil }
        return bytes[0]
    }

    private func readXMLOptions(_ node: Node) -> XMLOptions? {
        guard let map = reader.map(node, known: ["record", "namespaces", "allow_empty"], what: "'xml'") else {
            return nil
        }
        var namespaces: [String: String] = [:]
        if let value = map["namespaces"], let entries = reader.namedEntries(value, what: "'namespaces'") {
            for (prefix, keyNode, uriNode) in entries {
                if !isXMLName(prefix, allowPrefix: false) {
                    reader.error(keyNode, "namespace prefix '\(prefix)' is not a valid xml name")
                }
                if let uri = reader.text(uriNode, what: "a namespace uri") {
                    if uri.isEmpty { reader.error(uriNode, "the namespace uri of '\(prefix)' must not be empty") }
                    namespaces[prefix] = uri
                }
            }
        }
        var allowEmpty = false
        if let value = map["allow_empty"] { allowEmpty = reader.bool(value, what: "'allow_empty'") ?? false }
        guard let recordNode = reader.require(map, "record", in: "'xml'", at: node),
              let record = reader.text(recordNode, what: "'record'") else { return nil }
        if let problem = recordPathProblem(record, namespaces: namespaces) {
            reader.error(recordNode, problem)
        }
        return XMLOptions(record: record, namespaces: namespaces, allowEmpty: allowEmpty)
    }

    // MARK: - XML paths

    /// Why `record` is not a valid record path (`/A/B`, `//B`, prefixed steps), or nil.
    func recordPathProblem(_ record: String, namespaces: [String: String]) -> String? {
        let rest: Substring
        if record.hasPrefix("//") {
            rest = record.dropFirst(2)
        } else if record.hasPrefix("/") {
            rest = record.dropFirst()
        } else {
            return "record path '\(record)' must start with '/' (from the root) or '//' (any depth)"
        }
        let steps = rest.split(separator: "/", omittingEmptySubsequences: false)
        for step in steps where step != "*" {   // `*`: any element (`/*` is the root, whatever it is)
            if let problem = stepProblem(String(step), in: "record path '\(record)'", namespaces: namespaces,
                                         attributeAllowed: false) { return problem }
        }
        return nil
    }

    /// Why `fieldPath` is not a valid field path (`A`, `A/B`, `@a`, `A/@a`, `pt:A`), or nil.
    func fieldPathProblem(_ fieldPath: String, namespaces: [String: String]) -> String? {
        if fieldPath.hasPrefix("/") {
            return "path '\(fieldPath)' must be relative to the record element (no leading '/')"
        }
        let steps = fieldPath.split(separator: "/", omittingEmptySubsequences: false)
        for (index, step) in steps.enumerated() {
            if let problem = stepProblem(String(step), in: "path '\(fieldPath)'", namespaces: namespaces,
                                         attributeAllowed: index == steps.count - 1) { return problem }
        }
        return nil
    }

    private func stepProblem(_ step: String, in what: String, namespaces: [String: String],
                             attributeAllowed: Bool) -> String? {
        if step.isEmpty { return "\(what) has an empty step" }
        var name = Substring(step)
        if name.hasPrefix("@") {
            if !attributeAllowed { return "\(what) may name an attribute ('@…') only in its last step" }
            name = name.dropFirst()
        }
        guard isXMLName(String(name), allowPrefix: true) else {
            return "'\(step)' in \(what) is not a valid xml name"
        }
        if let colon = name.firstIndex(of: ":") {
            let prefix = String(name[..<colon])
            if namespaces[prefix] == nil {
                return "prefix '\(prefix)' in \(what) is not declared under 'namespaces'"
                    + didYouMean(prefix, namespaces.keys.sorted())
            }
        }
        return nil
    }

    /// An xml name (`Invoice`, `pt:Invoice` when `allowPrefix`).
    func isXMLName(_ text: String, allowPrefix: Bool) -> Bool {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 1 || (allowPrefix && parts.count == 2) else { return false }
        for part in parts {
            guard let first = part.unicodeScalars.first else { return false }
            let startOK = first.properties.isAlphabetic || first == "_" || first.value > 0x7F
            guard startOK else { return false }
            for c in part.unicodeScalars.dropFirst() {
                guard c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "_" || c == "-" || c == "."
                    || c.value > 0x7F else { return false }
            }
        }
        return true
    }
}
