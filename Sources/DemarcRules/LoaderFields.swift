import DemarcCore
import DemarcReaders
import Yams

/// Field names that would be ambiguous in expressions (`crm.state` is the class name).
let reservedFieldNames: Set<String> = ["state", "and", "or", "not", "in", "is", "true", "false", "as_of"]

/// `format:` values of date fields (RULES.md, Fields).
let dateFormats: [(String, DateFormat)] = [
    ("yyyy-MM-dd", .isoDate), ("dd.MM.yyyy", .dottedDMY), ("yyyyMMdd", .compactYMD),
    ("ddMMyyyy", .compactDMY), ("MM/dd/yyyy", .slashedMDY), ("ddMM", .dayMonth),
]

extension RuleFileBuilder {
    static let fieldKeys = ["column", "path", "expr", "type", "format", "decimal", "thousands", "required",
                            "sign", "repeated", "year"]

    /// Reads `fields:` of a source.
    func readFields(_ node: Node, into draft: inout SourceDraft) {
        guard let entries = reader.namedEntries(node, what: "'fields'") else { return }
        if entries.isEmpty { reader.error(node, "'fields' must name at least one field") }
        for (name, keyNode, value) in entries {
            if !isLowerSnakeName(name) {
                reader.error(keyNode, "field name '\(name)' must match [a-z][a-z0-9_]*")
            } else if reservedFieldNames.contains(name) {
                reader.error(keyNode, "field name '\(name)' is reserved in expressions")
            }
            if let field = readField(name, keyNode: keyNode, value, draft: &draft) {
                draft.def.fields.append(field)
            } else {
                draft.brokenFields.insert(name)
            }
        }
    }

    private func readField(_ name: String, keyNode: Node, _ node: Node, draft: inout SourceDraft) -> FieldDef? {
        let position = reader.position(of: keyNode)
        let source = draft.def
        if node.mapping == nil {
            guard let selector = shortSelector(node, field: name, source: source) else { return nil }
            return FieldDef(name: name, position: position, selector: selector, expr: nil, type: .text)
        }
        guard let map = reader.map(node, known: Self.fieldKeys, what: "field '\(name)'") else { return nil }
        let origins = map.entries.filter { ["column", "path", "expr"].contains($0.key) }
        if origins.isEmpty {
            reader.error(keyNode, "field '\(name)' needs one of 'column', 'path' or 'expr'")
            return nil
        }
        if origins.count > 1 {
            reader.error(origins[1].keyNode, "field '\(name)' has both '\(origins[0].key)' and '\(origins[1].key)'; give exactly one")
            return nil
        }
        var declared: FieldType?
        if let value = map["type"] {
            declared = choice(value, what: "type", FieldType.allCases.map { ($0.rawValue, $0) })
            if declared == nil { return nil }
        }
        let origin = origins[0]
        if origin.key == "expr" {
            for entry in map.entries where entry.key != "expr" && entry.key != "type" {
                reader.error(entry.keyNode, "'\(entry.key)' does not apply to a derived field ('expr')")
            }
            draft.derived.append(DerivedDraft(fieldIndex: draft.def.fields.count, name: name,
                                              exprNode: origin.value, typeNode: map["type"], declared: declared))
            // The type is settled once the expression is typed.
            return FieldDef(name: name, position: position, selector: nil, expr: nil, type: declared ?? .text)
        }
        guard let selector = selector(origin.key, keyNode: origin.keyNode, origin.value, source: source) else {
            return nil
        }
        var field = FieldDef(name: name, position: position, selector: selector, expr: nil,
                             type: declared ?? Self.indexType(of: selector, in: source) ?? .text)
        var ok = true
        if let value = map["repeated"] {
            if source.format != .xml {
                reader.error(map.keyNode("repeated"), "'repeated' applies to xml sources only")
                ok = false
            } else if let repeated = choice(value, what: "repeated", Repeated.allCases.map { ($0.rawValue, $0) }) {
                field.repeated = repeated
                ok = checkRepeated(repeated, declared: declared, field: &field, at: value) && ok
            } else {
                ok = false
            }
        }
        ok = readFormat(map, field: &field, source: source) && ok
        let numeric = field.type == .decimal || field.type == .integer
        for key in ["decimal", "thousands"] {
            guard let value = map[key] else { continue }
            if !numeric {
                reader.error(map.keyNode(key), "'\(key)' applies to decimal and integer fields; '\(name)' is \(field.type.rawValue)")
                ok = false
            } else if let mark = readMark(value, what: key, allowed: key == "decimal" ? [".", ","] : ["", ".", ",", "'", " "]) {
                if key == "decimal" { field.decimalMark = mark } else { field.thousandsMark = mark == 0 ? nil : mark }
            } else {
                ok = false
            }
        }
        if let value = map["required"] {
            if let required = reader.bool(value, what: "'required'") { field.required = required } else { ok = false }
        }
        if let value = map["sign"] {
            if !numeric {
                reader.error(map.keyNode("sign"), "'sign' applies to decimal and integer fields; '\(name)' is \(field.type.rawValue)")
                ok = false
            } else if let sign = readSign(value, source: source) {
                field.sign = sign
            } else {
                ok = false
            }
        }
        return ok ? field : nil
    }

    /// `repeated:` and the field's type: sum needs a number, count gives an integer, join text.
    private func checkRepeated(_ repeated: Repeated, declared: FieldType?, field: inout FieldDef, at node: Node) -> Bool {
        let problem: String?
        switch repeated {
        case .sum:
            problem = declared == .decimal || declared == .integer ? nil : "'repeated: sum' needs 'type: decimal' or 'type: integer'"
        case .count:
            if declared == nil { field.type = .integer }
            problem = declared == nil || declared == .integer ? nil : "'repeated: count' gives an integer; the field's type must be integer"
        case .join:
            problem = declared == nil || declared == .text ? nil : "'repeated: join' gives text; the field's type must be text"
        case .first, .last:
            problem = nil
        }
        if let problem { reader.error(node, problem) }
        return problem == nil
    }

    /// `format:` and `year:` of a date or datetime field.
    private func readFormat(_ map: YAMLMap, field: inout FieldDef, source: SourceDef) -> Bool {
        var ok = true
        if let value = map["format"], let text = reader.text(value, what: "'format'") {
            switch field.type {
            case .date:
                if let format = dateFormats.first(where: { $0.0 == text })?.1 {
                    field.dateFormat = format
                } else {
                    reader.error(value, "unknown date format '\(text)'" + suggestion(text, dateFormats.map(\.0)))
                    ok = false
                }
            case .datetime:
                if let problem = datetimePatternProblem(text) {
                    reader.error(value, problem)
                    ok = false
                } else {
                    field.dateFormat = .pattern(text)
                }
            default:
                reader.error(map.keyNode("format"), "'format' applies to date and datetime fields; '\(field.name)' is \(field.type.rawValue)")
                ok = false
            }
        }
        if let value = map["year"] {
            if field.dateFormat != .dayMonth {
                reader.error(map.keyNode("year"), "'year' applies to date fields with format 'ddMM' only")
                ok = false
            } else if let year = reader.integer(value, what: "'year'") {
                if (1...9999).contains(year) { field.year = year } else {
                    reader.error(value, "'year' must be between 1 and 9999, not '\(year)'")
                    ok = false
                }
            } else {
                ok = false
            }
        } else if field.dateFormat == .dayMonth, source.format != .datev, let value = map["format"] {
            reader.error(value, "format 'ddMM' needs 'year:' outside a datev source")
            ok = false
        }
        return ok
    }

    /// Why `pattern` is not a datetime pattern of yyyy MM dd HH mm ss SSS and separators, or nil.
    func datetimePatternProblem(_ pattern: String) -> String? {
        let tokens = ["yyyy", "SSS", "MM", "dd", "HH", "mm", "ss"]
        var seen: [String] = []
        var rest = Substring(pattern)
        while let c = rest.first {
            if let token = tokens.first(where: { rest.hasPrefix($0) }) {
                if seen.contains(token) { return "datetime format '\(pattern)' has '\(token)' twice" }
                seen.append(token)
                rest = rest.dropFirst(token.count)
            } else if c.isASCII && c.isLetter && c != "T" && c != "Z" {
                return "datetime format '\(pattern)' has an unknown part at '\(rest)'; use yyyy MM dd HH mm ss SSS and separators"
            } else {
                rest = rest.dropFirst()
            }
        }
        for needed in ["yyyy", "MM", "dd", "HH", "mm"] where !seen.contains(needed) {
            return "datetime format '\(pattern)' lacks '\(needed)'"
        }
        if seen.contains("SSS") && !seen.contains("ss") { return "datetime format '\(pattern)' has 'SSS' without 'ss'" }
        return nil
    }

    // MARK: - Selectors

    /// The short form `name: Column` (csv, datev; an integer is a position) or `name: A/B` (xml).
    private func shortSelector(_ node: Node, field: String, source: SourceDef) -> FieldSelector? {
        guard node.sequence == nil else {
            reader.error(node, "field '\(field)' must be a column, a path or a mapping, not a list")
            return nil
        }
        if reader.isNull(node) {
            let what = source.format == .xml ? "a path" : "a column name or position"
            reader.error(node, "field '\(field)' needs \(what)")
            return nil
        }
        return selector(source.format == .xml ? "path" : "column", keyNode: node, node, source: source)
    }

    /// A `column:` or `path:` selector, checked against the source's format.
    func selector(_ key: String, keyNode: Node, _ node: Node, source: SourceDef) -> FieldSelector? {
        let kind = source.format.rawValue
        if key == "column" && source.format == .xml {
            reader.error(keyNode, "'column' is for csv and datev sources; use 'path' in xml source '\(source.name)'")
            return nil
        }
        if key == "path" && source.format != .xml {
            reader.error(keyNode, "'path' is for xml sources; use 'column' in \(kind) source '\(source.name)'")
            return nil
        }
        if key == "column" {
            if reader.isInteger(node) {
                guard let position = node.int, position >= 1 else {
                    reader.error(node, "a column position must be 1 or more, not '\(node.scalar?.string ?? "")'")
                    return nil
                }
                return .position(position)
            }
            guard let name = reader.text(node, what: "'column'") else { return nil }
            if name.isEmpty {
                reader.error(node, "a column name must not be empty")
                return nil
            }
            if source.csv.headerLine == 0 {
                reader.error(node, "column '\(name)' is a name, but source '\(source.name)' has no header (header_line: 0); give its position")
                return nil
            }
            return .column(name)
        }
        guard let text = reader.text(node, what: "'path'") else { return nil }
        if let problem = fieldPathProblem(text, namespaces: source.xml?.namespaces ?? [:]) {
            reader.error(node, problem)
            return nil
        }
        return .path(text)
    }

    /// `sign: { column | path, negative: [H, C] }`.
    private func readSign(_ node: Node, source: SourceDef) -> SignDef? {
        guard let map = reader.map(node, known: ["column", "path", "negative"], what: "'sign'") else { return nil }
        let origins = map.entries.filter { $0.key == "column" || $0.key == "path" }
        if origins.isEmpty {
            reader.error(node, "'sign' needs '\(source.format == .xml ? "path" : "column")' naming the indicator")
            return nil
        }
        if origins.count > 1 {
            reader.error(origins[1].keyNode, "'sign' has both 'column' and 'path'; give exactly one")
            return nil
        }
        let selector = selector(origins[0].key, keyNode: origins[0].keyNode, origins[0].value, source: source)
        guard let negativeNode = reader.require(map, "negative", in: "'sign'", at: node),
              let items = reader.textList(negativeNode, what: "'negative'", nullIsEmpty: true) else { return nil }
        if items.isEmpty {
            reader.error(negativeNode, "'negative' must list at least one value")
            return nil
        }
        guard let selector else { return nil }
        return SignDef(selector: selector, negative: items.map { trimmed($0.0) })
    }
}

/// `text` without leading and trailing spaces and tabs.
func trimmed(_ text: String) -> String {
    var scalars = Substring(text)
    while let first = scalars.first, first == " " || first == "\t" { scalars = scalars.dropFirst() }
    while let last = scalars.last, last == " " || last == "\t" { scalars = scalars.dropLast() }
    return String(scalars)
}
