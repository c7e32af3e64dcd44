import DemarcCore
import Yams

extension RuleFileLoader {
    /// The DATEV metadata names of DETAILS.md 9 with their types, as `header.<name>` in `classify`.
    public static let datevHeaderTypes: [String: ExprType] = [
    "kennzeichen": .text, "version": .integer, "format_category": .integer, "format_name": .text,
    "format_version": .integer, "created": .datetime, "imported": .datetime, "origin": .text,
    "exported_by": .text, "imported_by": .text, "consultant": .integer, "client": .integer,
    "fiscal_year_start": .date, "account_length": .integer, "date_from": .date, "date_to": .date,
    "label": .text, "dictation": .text, "booking_type": .integer, "purpose": .text,
    "festschreibung": .bool, "currency": .text,
    ]
}

extension SourceDef {
    /// The type a field has in rules: after `group:` aggregation for `cardinality: many`
    /// (`count` gives an integer, `join` text), else its own type.
    public func groupedType(of field: FieldDef) -> FieldType {
        guard cardinality == .many, let aggregation = group[field.name] else { return field.type }
        switch aggregation {
        case .count: return .integer
        case .join: return .text
        default: return field.type
        }
    }
}

extension RuleFileBuilder {
    // MARK: - group:

    /// `group:` of a `cardinality: many` source: field → aggregation that suits its type.
    func readGroup(_ node: Node, of draft: SourceDraft) -> [String: Aggregation] {
        guard let entries = reader.namedEntries(node, what: "'group'") else { return [:] }
        var result: [String: Aggregation] = [:]
        let options = Aggregation.allCases.map { ($0.rawValue, $0) }
        for (name, keyNode, value) in entries {
            guard let aggregation = choice(value, what: "aggregation", options) else { continue }
            guard let field = draft.def.field(name) else {
                if !draft.brokenFields.contains(name) {
                    reader.error(keyNode, "unknown field '\(name)' in 'group' of source '\(draft.def.name)'"
                                 + didYouMean(name, draft.def.fields.map(\.name)))
                }
                continue
            }
            let type = field.type
            let problem: String?
            switch aggregation {
            case .sum: problem = type == .decimal || type == .integer ? nil : "a decimal or integer field"
            case .min, .max: problem = type == .bool ? "a field that can be ordered" : nil
            case .any, .all: problem = type == .bool ? nil : "a bool field"
            case .count, .join, .first, .last: problem = nil
            }
            if let problem {
                reader.error(value, "aggregation '\(aggregation.rawValue)' needs \(problem); '\(name)' is \(type.rawValue)")
                continue
            }
            result[name] = aggregation
        }
        return result
    }

    // MARK: - state:

    /// `state:` in form 1 (`field`, `classes`, `case_sensitive`) or form 2 (`classify`).
    func readState(_ node: Node, of draft: SourceDraft) -> StateDef? {
        let known = ["field", "classes", "case_sensitive", "classify"]
        guard let map = reader.map(node, known: known, what: "'state'") else { return nil }
        if let classify = map["classify"] {
            if let other = map.entries.first(where: { $0.key != "classify" }) {
                reader.error(other.keyNode, "'\(other.key)' belongs to the other form of 'state'; use 'field' and 'classes', or 'classify'")
                return nil
            }
            return readClassify(classify, of: draft)
        }
        guard map.has("field") || map.has("classes") else {
            reader.error(draft.stateKeyNode ?? node, "'state' needs 'field' and 'classes', or 'classify'")
            return nil
        }
        let what = "'state' of source '\(draft.def.name)'"
        var fieldName: String?
        if let value = reader.require(map, "field", in: what, at: draft.stateKeyNode),
           let name = reader.text(value, what: "'field'") {
            if draft.knows(name) {
                fieldName = name
            } else {
                reader.error(value, "unknown field '\(name)' in source '\(draft.def.name)'"
                             + didYouMean(name, draft.def.fields.map(\.name)))
            }
        }
        var caseSensitive = true
        if let value = map["case_sensitive"] {
            caseSensitive = reader.bool(value, what: "'case_sensitive'") ?? true
        }
        guard let classesNode = reader.require(map, "classes", in: what, at: draft.stateKeyNode),
              let entries = reader.namedEntries(classesNode, what: "'classes'") else { return nil }
        if entries.isEmpty { reader.error(classesNode, "'classes' must name at least one class") }
        var classes: [(StateClass, [String])] = []
        var owner: [String: String] = [:]   // value (folded without case sensitivity) -> class
        for (name, keyNode, value) in entries {
            checkClassName(name, at: keyNode)
            guard let items = reader.textList(value, what: "the values of class '\(name)'", nullIsEmpty: true) else {
                continue
            }
            var values: [String] = []
            for (text, item) in items {
                let value = trimmed(text)
                let folded = caseSensitive ? value : value.lowercased()
                if let first = owner[folded], first != name {
                    reader.error(item, "value '\(value)' is listed under both '\(first)' and '\(name)'")
                    continue
                }
                owner[folded] = name
                values.append(value)
            }
            classes.append((StateClass(name), values))
        }
        guard let fieldName else { return nil }
        return .byValue(field: fieldName, classes: classes, caseSensitive: caseSensitive)
    }

    /// Form 2: `- class: "condition"`, the first true condition wins.
    private func readClassify(_ node: Node, of draft: SourceDraft) -> StateDef? {
        guard let items = node.sequence else {
            reader.error(node, "'classify' must be a list of 'class: condition' items")
            return nil
        }
        if items.isEmpty { reader.error(node, "'classify' must list at least one class") }
        let name = draft.def.name
        let scope = TypeScope(sources: [name: sourceScope(draft, classes: false)], bareSource: name,
                              header: draft.def.format == .datev ? RuleFileLoader.datevHeaderTypes : nil)
        var result: [(StateClass, Expr)] = []
        var ok = true
        for item in items {
            guard let mapping = item.mapping, mapping.count == 1, let pair = mapping.first,
                  let className = pair.key.scalar?.string else {
                reader.error(item, "each item of 'classify' must be one 'class: condition'")
                ok = false
                continue
            }
            checkClassName(className, at: pair.key)
            guard let expr = parseExpression(pair.value, what: "the condition of class '\(className)'"),
                  typeCheck(expr, in: scope, expected: .bool) != nil else {
                ok = false
                continue
            }
            result.append((StateClass(className), expr))
        }
        return ok ? .byCondition(result) : nil
    }

    private func checkClassName(_ name: String, at node: Node) {
        if !isLowerSnakeName(name) {
            reader.error(node, "class name '\(name)' must match [a-z][a-z0-9_]*")
        } else if ["definite", "transitional", "unclassified"].contains(name) {
            reader.error(node, "class name '\(name)' is reserved for state tests")
        }
    }
}
