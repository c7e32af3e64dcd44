import DemarcCore

/// Parses the expression language of RULES.md ("Expressions") into `Expr` trees.
///
/// Grammar, loosest first: `or` · `and` · `not` · comparisons (`== != < <= > >=`, `in [..]`,
/// `not in [..]`, `is [not] class`, `exists`, `missing`; they do not chain) · `+ -` · `* /` ·
/// unary `-` · primaries (literals, references, calls, parentheses).
public enum ExprParser {
    /// Nesting deeper than this is a diagnostic (parentheses, `not`, unary `-`, and the height of
    /// operator chains all count), so that no later recursion can exhaust the stack.
    public static let maximumDepth = 200

    /// The functions an expression may call, with their argument counts (nil: one or more).
    static let functions: [(name: String, arity: Int?)] = [
        ("abs", 1), ("age", 1), ("days", 1), ("count", 1), ("present", 1), ("empty", 1),
        ("lower", 1), ("upper", 1), ("trim", 1), ("coalesce", nil), ("period_close", 1),
    ]

    /// Words that are never names of sources or fields.
    static let keywords: Set<String> = ["or", "and", "not", "in", "is", "exists", "missing", "true", "false", "as_of"]

    /// Parses `text`; `position` is where the text starts in the rule file (column of its first
    /// character); error positions are offset from it. Nesting deeper than 200 is an error, not a crash.
    public static func parse(_ text: String, at position: SourcePosition) -> Result<Expr, Diagnostic> {
        let lexer = ExprLexer(text)
        var parser: Parser
        switch lexer.tokens() {
        case .success(let tokens):
            parser = Parser(scalars: lexer.scalars, tokens: tokens, origin: position)
        case .failure(let failure):
            let locator = Locator(scalars: lexer.scalars, origin: position)
            return .failure(Diagnostic(locator.position(failure.offset), failure.message))
        }
        do {
            let result = try parser.parseExpression()
            guard case .end = parser.current.kind else {
                throw parser.unexpected(parser.current, expecting: "an operator or the end of the expression")
            }
            return .success(result.expr)
        } catch let diagnostic as Diagnostic {
            return .failure(diagnostic)
        } catch {
            return .failure(Diagnostic(position, "invalid expression"))
        }
    }
}

/// Maps scalar offsets to rule-file positions (lines counted for multi-line text).
struct Locator {
    let origin: SourcePosition
    /// Offsets where each line after the first starts.
    let lineStarts: [Int]

    init(scalars: [Unicode.Scalar], origin: SourcePosition) {
        self.origin = origin
        var starts: [Int] = []
        for (i, c) in scalars.enumerated() where c == "\n" { starts.append(i + 1) }
        lineStarts = starts
    }

    func position(_ offset: Int) -> SourcePosition {
        var line = 0
        while line < lineStarts.count, lineStarts[line] <= offset { line += 1 }
        if line == 0 {
            return SourcePosition(file: origin.file, line: origin.line, column: origin.column + offset)
        }
        return SourcePosition(file: origin.file, line: origin.line + line, column: offset - lineStarts[line - 1] + 1)
    }
}

/// A parsed sub-expression with its extent and height (for the depth limit).
struct Parsed {
    var expr: Expr
    var start: Int
    var end: Int
    var height: Int
}

/// Recursive descent; recursion is bounded by `ExprParser.maximumDepth`.
struct Parser {
    let scalars: [Unicode.Scalar]
    let tokens: [ExprToken]
    let locator: Locator
    var index = 0
    /// Open parentheses, `not`s, unary minuses, calls and lists around the current token.
    var depth = 0

    init(scalars: [Unicode.Scalar], tokens: [ExprToken], origin: SourcePosition) {
        self.scalars = scalars
        self.tokens = tokens
        self.locator = Locator(scalars: scalars, origin: origin)
    }

    var current: ExprToken { tokens[min(index, tokens.count - 1)] }

    mutating func advance() -> ExprToken {
        let t = current
        if index < tokens.count - 1 { index += 1 }
        return t
    }

    func isSymbol(_ s: String) -> Bool { current.kind == .symbol(s) }
    func isWord(_ w: String) -> Bool { current.kind == .identifier(w) }

    func text(_ from: Int, _ to: Int) -> String {
        var s = String.UnicodeScalarView()
        s.append(contentsOf: scalars[from..<to])
        return String(s)
    }

    func spelling(_ t: ExprToken) -> String {
        if case .end = t.kind { return "end of expression" }
        return text(t.start, t.end)
    }

    func unexpected(_ t: ExprToken, expecting what: String) -> Diagnostic {
        if case .end = t.kind {
            return Diagnostic(locator.position(t.start), "expected \(what), found the end of the expression")
        }
        return Diagnostic(locator.position(t.start), "expected \(what), found '\(spelling(t))'")
    }

    func make(_ node: ExprNode, _ start: Int, _ end: Int, height: Int) -> Parsed {
        Parsed(expr: Expr(node, position: locator.position(start), text: text(start, end)),
               start: start, end: end, height: height)
    }

    /// Enters one nesting level at `token`; throws once the limit is crossed.
    mutating func enter(_ token: ExprToken) throws {
        depth += 1
        if depth > ExprParser.maximumDepth { throw tooDeep(token) }
    }

    func tooDeep(_ token: ExprToken) -> Diagnostic {
        Diagnostic(locator.position(token.start),
                   "expression nested deeper than \(ExprParser.maximumDepth) levels")
    }

    /// A binary node; its height counts towards the depth limit.
    func binary(_ op: BinaryOperator, _ l: Parsed, _ r: Parsed, at token: ExprToken) throws -> Parsed {
        let height = max(l.height, r.height) + 1
        if height + depth > ExprParser.maximumDepth { throw tooDeep(token) }
        return make(.binary(op, l.expr, r.expr), l.start, r.end, height: height)
    }

    // MARK: - Operators by precedence climbing
    //
    // One function handles every binary level, so a nesting level costs about three stack
    // frames (expression, prefix, primary) instead of one per precedence level: deep but legal
    // input stays far from the stack limit of secondary threads.

    /// Binding strength, loosest first.
    enum Precedence: Int, Comparable {
        case any = 0, or, and, not, comparison, additive, multiplicative, unary
        static func < (a: Precedence, b: Precedence) -> Bool { a.rawValue < b.rawValue }
    }

    static let comparisons: [String: BinaryOperator] = [
        "==": .equal, "!=": .notEqual, "<": .less, "<=": .lessOrEqual, ">": .greater, ">=": .greaterOrEqual,
    ]

    /// The binary operator at the current token and its precedence.
    func binaryOperator() -> (BinaryOperator, Precedence)? {
        switch current.kind {
        case .identifier("or"): return (.or, .or)
        case .identifier("and"): return (.and, .and)
        case .symbol("+"): return (.add, .additive)
        case .symbol("-"): return (.subtract, .additive)
        case .symbol("*"): return (.multiply, .multiplicative)
        case .symbol("/"): return (.divide, .multiplicative)
        case .symbol(let s): return Parser.comparisons[s].map { ($0, .comparison) }
        default: return nil
        }
    }

    /// Whether the current token continues a comparison (`in`, `not in`, `is`, `exists`, `missing`).
    var atComparisonWord: Bool {
        isWord("in") || isWord("not") || isWord("is") || isWord("exists") || isWord("missing")
    }

    mutating func parseExpression(_ minimum: Precedence = .any) throws -> Parsed {
        var left = try parsePrefix(minimum)
        var compared = false
        while true {
            if let (op, precedence) = binaryOperator(), precedence >= minimum {
                if precedence == .comparison && compared { throw chained(current) }
                let t = advance()
                let next = Precedence(rawValue: precedence.rawValue + 1) ?? .unary
                left = try binary(op, left, try parseExpression(next), at: t)
                compared = precedence == .comparison
            } else if atComparisonWord, minimum <= .comparison {
                if compared { throw chained(current) }
                left = try parseComparisonWord(left)
                compared = true
            } else {
                return left
            }
        }
    }

    func chained(_ t: ExprToken) -> Diagnostic {
        Diagnostic(locator.position(t.start), "comparisons do not chain, join them with 'and' before '\(spelling(t))'")
    }

    /// `not`, unary `-` or a primary.
    mutating func parsePrefix(_ minimum: Precedence) throws -> Parsed {
        if isWord("not"), minimum <= .not {
            let op = advance()
            try enter(op)
            let operand = try parseExpression(.not)
            depth -= 1
            return make(.unary(.not, operand.expr), op.start, operand.end, height: operand.height + 1)
        }
        if isSymbol("-") {
            let op = advance()
            try enter(op)
            let operand = try parsePrefix(.unary)
            depth -= 1
            return make(.unary(.negate, operand.expr), op.start, operand.end, height: operand.height + 1)
        }
        return try parsePrimary()
    }

    mutating func advance_() { _ = advance() }

    /// `in [..]`, `not in [..]`, `is [not] class`, `exists`, `missing` after `left`.
    mutating func parseComparisonWord(_ left: Parsed) throws -> Parsed {
        if isWord("in") {
            advance_()
            return try parseMembership(left, negated: false)
        }
        if isWord("not") {
            advance_()
            guard isWord("in") else { throw unexpected(current, expecting: "'in' after 'not'") }
            advance_()
            return try parseMembership(left, negated: true)
        }
        if isWord("is") { return try parseStateTest(left) }
        let t = advance()
        let source = try sourceName(left, before: spelling(t))
        return make(.presence(source: source, exists: spelling(t) == "exists"), left.start, t.end, height: 1)
    }

    mutating func parseMembership(_ left: Parsed, negated: Bool) throws -> Parsed {
        let open = current
        guard isSymbol("[") else { throw unexpected(open, expecting: "'[' after 'in'") }
        advance_()
        try enter(open)
        var elements: [Parsed] = []
        if !isSymbol("]") {
            while true {
                elements.append(try parseExpression(.additive))
                if isSymbol(",") { advance_(); continue }
                break
            }
        }
        guard isSymbol("]") else { throw unexpected(current, expecting: "',' or ']' in the list") }
        let close = advance()
        depth -= 1
        let height = max(elements.map(\.height).max() ?? 0, left.height) + 1
        return make(.membership(left.expr, elements.map(\.expr), negated: negated), left.start, close.end, height: height)
    }

    mutating func parseStateTest(_ left: Parsed) throws -> Parsed {
        advance_() // is
        let source = try sourceName(left, before: "is")
        var negated = false
        if isWord("not") { advance_(); negated = true }
        guard case .identifier(let name) = current.kind, !ExprParser.keywords.contains(name) else {
            throw unexpected(current, expecting: "a class name after 'is'")
        }
        let t = advance()
        let test: StateTest
        switch name {
        case "definite": test = .definite
        case "transitional": test = .transitional
        case "unclassified": test = .unclassified
        default: test = .class(name)
        }
        return make(.stateTest(source: source, test, negated: negated), left.start, t.end, height: 1)
    }

    /// The source named by a bare name before `is`, `exists` or `missing`.
    func sourceName(_ left: Parsed, before word: String) throws -> String {
        if case .field(nil, let name) = left.expr.node, left.end - left.start == name.unicodeScalars.count {
            return name
        }
        throw Diagnostic(left.expr.position, "expected a source name before '\(word)', found '\(left.expr.text)'")
    }
}
