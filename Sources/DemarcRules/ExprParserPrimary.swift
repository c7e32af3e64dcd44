import DemarcCore

// Primaries: literals, references, calls and parentheses.
extension Parser {
    mutating func parsePrimary() throws -> Parsed {
        let t = current
        switch t.kind {
        case .integer(let v): advance_(); return make(.literal(.integer(v)), t.start, t.end, height: 0)
        case .decimal(let v): advance_(); return make(.literal(.decimal(v)), t.start, t.end, height: 0)
        case .string(let v): advance_(); return make(.literal(.text(v)), t.start, t.end, height: 0)
        case .date(let v): advance_(); return make(.literal(.date(v)), t.start, t.end, height: 0)
        case .duration(let v): advance_(); return make(.literal(.duration(v)), t.start, t.end, height: 0)
        case .symbol("("):
            advance_()
            try enter(t)
            var inner = try parseExpression()
            guard isSymbol(")") else {
                throw unexpected(current, expecting: "')' after '\(text(t.start, inner.end))'")
            }
            let close = advance()
            depth -= 1
            // The parenthesised text is kept so that messages quote what the user wrote.
            inner = make(inner.expr.node, t.start, close.end, height: inner.height)
            return inner
        case .identifier(let name):
            return try parseName(name, t)
        default:
            throw unexpected(t, expecting: "a value")
        }
    }

    mutating func parseName(_ name: String, _ t: ExprToken) throws -> Parsed {
        switch name {
        case "true": advance_(); return make(.literal(.bool(true)), t.start, t.end, height: 0)
        case "false": advance_(); return make(.literal(.bool(false)), t.start, t.end, height: 0)
        case "as_of": advance_(); return make(.asOf, t.start, t.end, height: 0)
        default: break
        }
        if ExprParser.keywords.contains(name) { throw unexpected(t, expecting: "a value") }
        advance_()
        if isSymbol("(") { return try parseCall(name, t) }
        guard isSymbol(".") else { return make(.field(source: nil, field: name), t.start, t.end, height: 0) }
        advance_()
        guard case .identifier(let member) = current.kind else {
            throw unexpected(current, expecting: "a field name after '\(name).'")
        }
        let m = advance()
        if name == "header" { return make(.header(member), t.start, m.end, height: 0) }
        if member == "state" { return make(.state(source: name), t.start, m.end, height: 0) }
        return make(.field(source: name, field: member), t.start, m.end, height: 0)
    }

    mutating func parseCall(_ name: String, _ t: ExprToken) throws -> Parsed {
        guard let function = ExprParser.functions.first(where: { $0.name == name }) else {
            let names = ExprParser.functions.map(\.name)
            let hint = Suggest.closest(name, among: names).map { "; did you mean '\($0)'?" } ?? ""
            throw Diagnostic(locator.position(t.start), "unknown function '\(name)'\(hint)")
        }
        let open = advance()
        try enter(open)
        var arguments: [Parsed] = []
        if !isSymbol(")") {
            while true {
                arguments.append(try parseExpression())
                if isSymbol(",") { advance_(); continue }
                break
            }
        }
        guard isSymbol(")") else {
            throw unexpected(current, expecting: "',' or ')' in the arguments of '\(name)'")
        }
        let close = advance()
        depth -= 1
        if let arity = function.arity, arguments.count != arity {
            throw Diagnostic(locator.position(t.start),
                             "'\(name)' takes \(arity) argument\(arity == 1 ? "" : "s"), found \(arguments.count)")
        }
        if function.arity == nil, arguments.isEmpty {
            throw Diagnostic(locator.position(t.start), "'\(name)' takes at least 1 argument, found 0")
        }
        let height = (arguments.map(\.height).max() ?? 0) + 1
        return make(.call(name, arguments.map(\.expr)), t.start, close.end, height: height)
    }
}
