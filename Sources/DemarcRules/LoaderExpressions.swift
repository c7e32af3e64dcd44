import DemarcCore
import Yams

extension RuleFileBuilder {
    // MARK: - Parsing and checking

    /// The expression in a scalar node, positioned where its text starts; nil (reported) when
    /// it does not parse.
    func parseExpression(_ node: Node, what: String) -> Expr? {
        guard let text = reader.text(node, what: what) else { return nil }
        if trimmed(text).isEmpty {
            reader.error(node, "\(what) must not be empty")
            return nil
        }
        switch ExprParser.parse(text, at: reader.textPosition(of: node)) {
        case .success(let expr): return expr
        case .failure(let diagnostic):
            reader.append([diagnostic])
            return nil
        }
    }

    /// The expression's type, or nil with its problems reported.
    func typeCheck(_ expr: Expr, in scope: TypeScope, expected: ExprType?) -> ExprType? {
        switch TypeChecker.check(expr, in: scope, expected: expected) {
        case .success(let type):
            // Without a calendar every period_close() would be unknown at run time and fail
            // each case; refuse the file instead, as for `stale … until: period_close`.
            guard hasCalendar else {
                for call in periodCloseCalls(expr) {
                    reader.append([Diagnostic(call.position, "'period_close' needs 'calendar'")])
                }
                return type
            }
            return type
        case .failure(let diagnostics):
            reader.append(diagnostics)
            return nil
        }
    }

    /// What a source offers to expressions: its fields with their types after grouping, and
    /// its classes (nil without `state`).
    func sourceScope(_ draft: SourceDraft, classes: Bool) -> TypeScope.SourceScope {
        var fields: [String: ExprType] = [:]
        for name in draft.brokenFields { fields[name] = .unknown }
        for field in draft.def.fields { fields[field.name] = ExprType(draft.def.groupedType(of: field)) }
        return TypeScope.SourceScope(fields: fields,
                                     classes: classes ? draft.def.state.map { $0.classes.map(\.name) } : nil)
    }

    /// The scope of `where`, `expect` and `message`: every source by name.
    func ruleScope() -> TypeScope {
        var scopes: [String: TypeScope.SourceScope] = [:]
        for draft in sources { scopes[draft.def.name] = sourceScope(draft, classes: true) }
        return TypeScope(sources: scopes)
    }

    // MARK: - Derived fields

    /// Parses and types the derived fields of source `index` in dependency order; a cycle is an
    /// error (RULES.md, Fields); `type:` beside `expr:` must equal the expression's type
    /// (DETAILS.md 14).
    func resolveDerivedFields(_ index: Int) {
        let draft = sources[index]
        guard !draft.derived.isEmpty else { return }
        let sourceName = draft.def.name
        let derivedNames = Set(draft.derived.map(\.name))
        var parsed: [String: Expr] = [:]
        var dependencies: [String: [String]] = [:]
        for derived in draft.derived {
            guard let expr = parseExpression(derived.exprNode, what: "'expr'") else { continue }
            parsed[derived.name] = expr
            var seen = Set<String>()
            dependencies[derived.name] = bareFieldReferences(expr, of: sourceName)
                .filter { derivedNames.contains($0) && seen.insert($0).inserted }
        }
        // Depth-first in file order, iteratively: post-order is dependency order.
        var order: [String] = []
        var done = Set<String>()
        var cyclic = Set<String>()
        for root in draft.derived.map(\.name) where !done.contains(root) && parsed[root] != nil {
            var stack: [(name: String, next: Int)] = [(root, 0)]
            var onStack: Set<String> = [root]
            while let top = stack.last {
                let deps = dependencies[top.name] ?? []
                if top.next < deps.count {
                    stack[stack.count - 1].next += 1
                    let dep = deps[top.next]
                    if onStack.contains(dep) {
                        let members = stack.map(\.name).drop { $0 != dep }
                        if !members.contains(where: cyclic.contains) {
                            if let node = draft.derived.first(where: { $0.name == dep })?.exprNode {
                                reader.error(at: reader.textPosition(of: node),
                                             "derived fields form a cycle: " + (members + [dep]).joined(separator: " -> "))
                            }
                        }
                        cyclic.formUnion(members)
                    } else if !done.contains(dep) && parsed[dep] != nil {
                        stack.append((dep, 0))
                        onStack.insert(dep)
                    }
                } else {
                    stack.removeLast()
                    onStack.remove(top.name)
                    done.insert(top.name)
                    order.append(top.name)
                }
            }
        }
        var fields: [String: ExprType] = [:]
        for name in draft.brokenFields { fields[name] = .unknown }
        for field in draft.def.fields where !derivedNames.contains(field.name) {
            fields[field.name] = ExprType(field.type)
        }
        let header = draft.def.format == .datev ? RuleFileLoader.datevHeaderTypes : nil
        var typed = Set<String>()
        for name in order {
            guard let derived = draft.derived.first(where: { $0.name == name }), let expr = parsed[name],
                  !cyclic.contains(name), (dependencies[name] ?? []).allSatisfy(typed.contains) else { continue }
            let scope = TypeScope(sources: [sourceName: TypeScope.SourceScope(fields: fields, classes: nil)],
                                  bareSource: sourceName, header: header)
            guard let type = typeCheck(expr, in: scope, expected: nil) else { continue }
            guard let fieldType = FieldType(rawValue: type.rawValue) else {
                reader.error(at: reader.textPosition(of: derived.exprNode), "derived field '\(name)' has type \(type.rawValue); a field must be text, decimal, integer, date, datetime or bool")
                continue
            }
            if let declared = derived.declared, declared != fieldType {
                reader.error(derived.typeNode, "field '\(name)' is declared \(declared.rawValue) but its expression is \(fieldType.rawValue)")
                continue
            }
            sources[index].def.fields[derived.fieldIndex].type = fieldType
            sources[index].def.fields[derived.fieldIndex].expr = expr
            fields[name] = type
            typed.insert(name)
        }
    }

    // MARK: - Message templates

    /// Parses and types the `{…}` placeholders of a message template.
    func readMessage(_ node: Node, scope: TypeScope) -> (String, [Expr])? {
        guard let template = reader.text(node, what: "'message'") else { return nil }
        let start = reader.textPosition(of: node)
        var placeholders: [Expr] = []
        var ok = true
        for piece in MessageTemplate.scan(template) {
            switch piece {
            case .text: continue
            case .placeholder(let text, let line, let column):
                let position = SourcePosition(file: start.file, line: start.line + line,
                                              column: line == 0 ? start.column + column : column + 1)
                if trimmed(text).isEmpty {
                    reader.error(at: position, "empty placeholder '{}' in 'message'")
                    ok = false
                    continue
                }
                switch ExprParser.parse(text, at: position) {
                case .success(let expr):
                    if typeCheck(expr, in: scope, expected: nil) == nil { ok = false }
                    placeholders.append(expr)
                case .failure(let diagnostic):
                    reader.append([diagnostic])
                    ok = false
                }
            case .unclosed(let line, let column):
                reader.error(at: SourcePosition(file: start.file, line: start.line + line,
                                                column: line == 0 ? start.column + column : column + 1),
                             "unclosed '{' in 'message'")
                ok = false
            }
        }
        return ok ? (template, placeholders) : nil
    }
}

/// Visits every node of an expression, parents before children, left to right.
func forEachNode(_ expr: Expr, _ visit: (Expr) -> Void) {
    var pending: [Expr] = [expr]
    while let next = pending.popLast() {
        visit(next)
        switch next.node {
        case .unary(_, let operand): pending.append(operand)
        case .binary(_, let left, let right): pending.append(right); pending.append(left)
        case .membership(let value, let list, _): pending.append(contentsOf: list.reversed()); pending.append(value)
        case .call(_, let arguments): pending.append(contentsOf: arguments.reversed())
        case .literal, .field, .state, .asOf, .stateTest, .presence, .header: continue
        }
    }
}

/// Every `period_close(…)` call in an expression, in order of appearance.
func periodCloseCalls(_ expr: Expr) -> [Expr] {
    var result: [Expr] = []
    forEachNode(expr) { node in
        if case .call("period_close", _) = node.node { result.append(node) }
    }
    return result
}

/// Source field names written bare (or with `own.`) in an expression, in order of appearance.
func bareFieldReferences(_ expr: Expr, of source: String) -> [String] {
    var result: [String] = []
    forEachNode(expr) { node in
        if case .field(let owner, let field) = node.node, owner == nil || owner == source { result.append(field) }
    }
    return result
}

/// A rule's message template split into text and `{…}` placeholders. `{{` and `}}` stand for
/// literal braces.
public enum MessageTemplate {
    /// One piece of a template.
    public enum Part: Sendable, Hashable {
        case text(String)
        /// The index into `Rule.messagePlaceholders`.
        case placeholder(Int)
    }

    /// The pieces of a template that loaded (placeholders numbered in order).
    public static func parts(of template: String) -> [Part] {
        var result: [Part] = []
        var index = 0
        for piece in scan(template) {
            switch piece {
            case .text(let text): result.append(.text(text))
            case .placeholder:
                result.append(.placeholder(index))
                index += 1
            case .unclosed: continue
            }
        }
        return result
    }

    enum Piece {
        case text(String)
        /// The placeholder's text and where it starts, as (line, column) offsets from the
        /// template's start: column counts from the template's start on its first line, else
        /// from the line's start (0-based).
        case placeholder(String, line: Int, column: Int)
        case unclosed(line: Int, column: Int)
    }

    static func scan(_ template: String) -> [Piece] {
        let scalars = Array(template.unicodeScalars)
        var pieces: [Piece] = []
        var text = String.UnicodeScalarView()
        var i = 0
        var line = 0
        var column = 0
        func advance(_ scalar: Unicode.Scalar) {
            if scalar == "\n" { line += 1; column = 0 } else { column += 1 }
        }
        while i < scalars.count {
            let c = scalars[i]
            if (c == "{" || c == "}") && i + 1 < scalars.count && scalars[i + 1] == c {
                text.append(c)
                advance(c); advance(c)
                i += 2
            } else if c == "{" {
                let open = (line, column)
                advance(c)
                let contentStart = (line, column)
                var j = i + 1
                var inner = String.UnicodeScalarView()
                while j < scalars.count && scalars[j] != "}" {
                    inner.append(scalars[j])
                    advance(scalars[j])
                    j += 1
                }
                if j == scalars.count {
                    pieces.append(.unclosed(line: open.0, column: open.1))
                    return pieces
                }
                if !text.isEmpty { pieces.append(.text(String(text))); text = String.UnicodeScalarView() }
                pieces.append(.placeholder(String(inner), line: contentStart.0, column: contentStart.1))
                advance("}")
                i = j + 1
            } else {
                text.append(c)
                advance(c)
                i += 1
            }
        }
        if !text.isEmpty { pieces.append(.text(String(text))) }
        return pieces
    }
}
