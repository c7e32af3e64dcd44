import DemarcCore
import Yams

extension RuleFileBuilder {
    static let kindKeys = ["definite", "counterpart", "agree", "owned", "stale", "expect"]
    static let ruleKeys = ["id", "title", "severity", "where", "message", "fix_in", "tags"] + kindKeys
        + ["transitional"]

    /// Reads `rules:`, in file order.
    func readRules(_ node: Node) -> [Rule] {
        guard let items = node.sequence else {
            reader.error(node, "'rules' must be a list of rules")
            return []
        }
        if items.isEmpty { reader.error(node, "'rules' must hold at least one rule") }
        let scope = ruleScope()
        var rules: [Rule] = []
        var firstLine: [String: Int] = [:]
        for item in items {
            guard let rule = readRule(item, scope: scope, firstLine: &firstLine) else { continue }
            rules.append(rule)
        }
        return rules
    }

    private func readRule(_ node: Node, scope: TypeScope, firstLine: inout [String: Int]) -> Rule? {
        guard let map = reader.map(node, known: Self.ruleKeys, what: "a rule") else { return nil }
        var ok = true
        var id = ""
        if let value = reader.require(map, "id", in: "a rule", at: node), let text = reader.text(value, what: "'id'") {
            id = text
            if !isRuleID(text) {
                reader.error(value, "rule id '\(text)' must match [a-z0-9][a-z0-9-]*")
                ok = false
            } else if let line = firstLine[text] {
                reader.error(value, "duplicate rule id '\(text)'; first used on line \(line)")
                ok = false
            } else {
                firstLine[text] = reader.position(of: value).line
            }
        } else {
            ok = false
        }
        let label = id.isEmpty ? "a rule" : "rule '\(id)'"
        let title = map["title"].flatMap { reader.text($0, what: "'title'") }
        var severity = Severity.error
        if let value = map["severity"] {
            severity = choice(value, what: "severity", Severity.allCases.map { ($0.rawValue, $0) }) ?? .error
        }
        var whereExpr: Expr?
        if let value = map["where"] {
            whereExpr = parseExpression(value, what: "'where'")
            if let expr = whereExpr, typeCheck(expr, in: scope, expected: .bool) == nil { ok = false }
            if whereExpr == nil { ok = false }
        }
        var message: String?
        var placeholders: [Expr] = []
        if let value = map["message"] {
            if let (text, exprs) = readMessage(value, scope: scope) {
                message = text
                placeholders = exprs
            } else {
                ok = false
            }
        }
        var fixIn: String?
        if let value = map["fix_in"], let name = reader.text(value, what: "'fix_in'") {
            fixIn = name
            if sourceDraft(name, at: value) == nil { ok = false }
        }
        var tags: [String] = []
        if let value = map["tags"], let items = reader.textList(value, what: "'tags'") {
            for (tag, item) in items {
                if isTagWord(tag) { tags.append(tag) } else {
                    reader.error(item, "tag '\(tag)' must be one word of letters, digits, '-' and '_'")
                    ok = false
                }
            }
        }
        let kinds = map.entries.filter { Self.kindKeys.contains($0.key) }
        if kinds.isEmpty {
            reader.error(map.keyNode("id") ?? node, "\(label) needs one kind: definite, counterpart, agree, owned, stale or expect")
            return nil
        }
        if kinds.count > 1 {
            reader.error(kinds[1].keyNode, "\(label) has two kinds, '\(kinds[0].key)' and '\(kinds[1].key)'; give exactly one")
            return nil
        }
        var transitionalAllowed = false
        if let value = map["transitional"] {
            if kinds[0].key != "agree" {
                reader.error(map.keyNode("transitional"), "'transitional' applies to agree rules only")
                ok = false
            } else if reader.text(value, what: "'transitional'") == "allow" {
                transitionalAllowed = true
            } else {
                reader.error(value, "'transitional' accepts 'allow' only")
                ok = false
            }
        }
        guard let kind = readKind(kinds[0].key, kinds[0].value, keyNode: kinds[0].keyNode, scope: scope,
                                  transitionalAllowed: transitionalAllowed), ok else { return nil }
        return Rule(id: id, position: reader.position(of: map.keyNode("id") ?? node), title: title,
                    severity: severity, kind: kind, where: whereExpr, message: message,
                    messagePlaceholders: placeholders, fixIn: fixIn, tags: tags)
    }

    // MARK: - Kinds

    private func readKind(_ key: String, _ node: Node, keyNode: Node, scope: TypeScope,
                          transitionalAllowed: Bool) -> RuleKind? {
        switch key {
        case "definite":
            guard let name = reader.text(node, what: "'definite'"),
                  stateSource(name, at: node, for: "definite") != nil else { return nil }
            return .definite(source: name)
        case "counterpart":
            guard let map = reader.map(node, known: ["of", "in"], what: "'counterpart'") else { return nil }
            let of = reader.require(map, "of", in: "'counterpart'", at: keyNode)
            let inNode = reader.require(map, "in", in: "'counterpart'", at: keyNode)
            let a = of.flatMap { n in reader.text(n, what: "'of'").flatMap { sourceDraft($0, at: n)?.def.name } }
            let b = inNode.flatMap { n in reader.text(n, what: "'in'").flatMap { sourceDraft($0, at: n)?.def.name } }
            guard let a, let b else { return nil }
            if a == b {
                reader.error(inNode, "'of' and 'in' name the same source '\(a)'")
                return nil
            }
            return .counterpart(of: a, in: b)
        case "agree":
            guard let items = reader.textList(node, what: "'agree'") else { return nil }
            guard items.count == 2 else {
                reader.error(node, "'agree' takes exactly two sources, not \(items.count)")
                return nil
            }
            let a = stateSource(items[0].0, at: items[0].1, for: "agree")
            let b = stateSource(items[1].0, at: items[1].1, for: "agree")
            guard let a, let b else { return nil }
            if a.def.name == b.def.name {
                reader.error(items[1].1, "'agree' needs two different sources")
                return nil
            }
            return .agree(a.def.name, b.def.name, transitionalAllowed: transitionalAllowed)
        case "owned":
            return readOwned(node, keyNode: keyNode)
        case "stale":
            return readStale(node, keyNode: keyNode)
        default:
            guard let expr = parseExpression(node, what: "'expect'"),
                  typeCheck(expr, in: scope, expected: .bool) != nil else { return nil }
            return .expect(expr)
        }
    }

    private func readOwned(_ node: Node, keyNode: Node) -> RuleKind? {
        let known = ["field", "owner", "copies", "tolerance"]
        guard let map = reader.map(node, known: known, what: "'owned'") else { return nil }
        let fieldNode = reader.require(map, "field", in: "'owned'", at: keyNode)
        let ownerNode = reader.require(map, "owner", in: "'owned'", at: keyNode)
        let copiesNode = reader.require(map, "copies", in: "'owned'", at: keyNode)
        guard let fieldNode, let field = reader.text(fieldNode, what: "'field'") else { return nil }
        var ok = true
        var ownerType: FieldType?
        var owner: SourceDraft?
        if let ownerNode, let name = reader.text(ownerNode, what: "'owner'") {
            owner = sourceDraft(name, at: ownerNode)
            if let owner { ownerType = fieldType(field, in: owner, at: fieldNode) }
        }
        ok = ok && owner != nil && ownerType != nil
        var copies: [String] = []
        if let copiesNode, let items = reader.textList(copiesNode, what: "'copies'") {
            if items.isEmpty { reader.error(copiesNode, "'copies' must name at least one source"); ok = false }
            for (name, item) in items {
                guard let copy = sourceDraft(name, at: item) else { ok = false; continue }
                if copy.def.name == owner?.def.name {
                    reader.error(item, "source '\(name)' is the owner; it cannot be its own copy")
                    ok = false
                    continue
                }
                guard let type = fieldType(field, in: copy, at: item) else { ok = false; continue }
                if let ownerType, let owner, type != ownerType {
                    reader.error(item, "field '\(field)' is \(ownerType.rawValue) in '\(owner.def.name)' but \(type.rawValue) in '\(name)'")
                    ok = false
                }
                copies.append(name)
            }
        } else {
            ok = false
        }
        var tolerance = FixedDecimal(units: 0, scale: 0)
        if let value = map["tolerance"], let text = reader.text(value, what: "'tolerance'") {
            if let number = LoaderValues.nonNegativeDecimal(text) {
                tolerance = number
                if let ownerType, ownerType != .decimal && ownerType != .integer {
                    reader.error(map.keyNode("tolerance"), "'tolerance' applies to decimal and integer fields; '\(field)' is \(ownerType.rawValue)")
                    ok = false
                }
            } else {
                reader.error(value, "'tolerance' must be a decimal of 0 or more, such as '0.01', not '\(text)'")
                ok = false
            }
        }
        guard ok, let owner else { return nil }
        return .owned(field: field, owner: owner.def.name, copies: copies, tolerance: tolerance)
    }

    private func readStale(_ node: Node, keyNode: Node) -> RuleKind? {
        let known = ["source", "classes", "since", "max", "until"]
        guard let map = reader.map(node, known: known, what: "'stale'") else { return nil }
        var ok = true
        var source: SourceDraft?
        if let value = reader.require(map, "source", in: "'stale'", at: keyNode),
           let name = reader.text(value, what: "'source'") {
            source = stateSource(name, at: value, for: "stale")
        }
        ok = source != nil
        var classes: [StateClass]?
        if let value = map["classes"], let items = reader.textList(value, what: "'classes'") {
            if items.isEmpty { reader.error(value, "'classes' must name at least one class"); ok = false }
            let known = source?.def.state?.classes.map(\.name) ?? []
            var list: [StateClass] = []
            for (name, item) in items {
                if source?.def.state != nil && !known.contains(name) {
                    reader.error(item, "unknown class '\(name)' of source '\(source?.def.name ?? "")'" + didYouMean(name, known))
                    ok = false
                }
                list.append(StateClass(name))
            }
            classes = list
        }
        var since = ""
        if let value = reader.require(map, "since", in: "'stale'", at: keyNode),
           let name = reader.text(value, what: "'since'") {
            since = name
            if let source, let type = fieldType(name, in: source, at: value) {
                if type != .date && type != .datetime {
                    reader.error(value, "'since' needs a date or datetime field; '\(name)' is \(type.rawValue)")
                    ok = false
                }
            } else {
                ok = false
            }
        } else {
            ok = false
        }
        var limit: StaleLimit?
        switch (map["max"], map["until"]) {
        case (nil, nil):
            reader.error(keyNode, "'stale' needs 'max' (a duration such as '14d') or 'until: period_close'")
        case (.some, .some):
            reader.error(map.keyNode("until"), "'stale' takes 'max' or 'until', not both")
        case (let value?, nil):
            if let text = reader.text(value, what: "'max'") {
                if let millis = LoaderValues.durationMillis(text) { limit = .maxAge(millis: millis) } else {
                    reader.error(value, "'max' must be a duration such as '14d', '2w' or '36h', not '\(text)'")
                }
            }
        case (nil, let value?):
            if let text = reader.text(value, what: "'until'") {
                if text != "period_close" {
                    reader.error(value, "'until' accepts 'period_close' only, not '\(text)'")
                } else if calendar == nil {
                    reader.error(value, "'until: period_close' needs 'calendar' in the rule file")
                } else {
                    limit = .untilPeriodClose
                }
            }
        }
        guard ok, let source, let limit else { return nil }
        return .stale(source: source.def.name, classes: classes, since: since, limit: limit)
    }

    // MARK: - Names

    /// The source named `name`, or nil with "unknown source" reported at `node`.
    func sourceDraft(_ name: String, at node: Node?) -> SourceDraft? {
        if let found = sources.first(where: { $0.def.name == name }) { return found }
        reader.error(node, "unknown source '\(name)'" + didYouMean(name, sources.map(\.def.name)))
        return nil
    }

    /// A source that must have `state` for `kind`.
    private func stateSource(_ name: String, at node: Node, for kind: String) -> SourceDraft? {
        guard let draft = sourceDraft(name, at: node) else { return nil }
        if draft.def.state == nil && draft.stateNode == nil {
            reader.error(node, "source '\(name)' has no 'state'; '\(kind)' needs one")
            return nil
        }
        return draft.def.state == nil ? nil : draft
    }

    /// The type (after grouping) of `field` in `source`, or nil with "unknown field" reported.
    private func fieldType(_ field: String, in source: SourceDraft, at node: Node) -> FieldType? {
        if let def = source.def.field(field) { return source.def.groupedType(of: def) }
        if !source.brokenFields.contains(field) {
            reader.error(node, "unknown field '\(field)' in source '\(source.def.name)'"
                         + didYouMean(field, source.def.fields.map(\.name)))
        }
        return nil
    }
}

/// `[a-z0-9][a-z0-9-]*`.
func isRuleID(_ id: String) -> Bool {
    var scalars = id.unicodeScalars.makeIterator()
    guard let first = scalars.next(), ("a"..."z").contains(first) || ("0"..."9").contains(first) else { return false }
    while let c = scalars.next() {
        guard ("a"..."z").contains(c) || ("0"..."9").contains(c) || c == "-" else { return false }
    }
    return true
}

/// A tag: letters, digits, `-` and `_`, starting with a letter or digit.
func isTagWord(_ tag: String) -> Bool {
    guard let first = tag.unicodeScalars.first, first.properties.isAlphabetic || ("0"..."9").contains(first) else {
        return false
    }
    return tag.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }
}
