import DemarcCore

/// What names an expression may use.
public struct TypeScope: Sendable {
    /// The fields and state classes of one source.
    public struct SourceScope: Sendable {
        /// Field types by field name.
        public var fields: [String: ExprType]
        /// nil: the source has no `state` (state tests and `.state` are errors).
        public var classes: [String]?
        /// A source's names.
        public init(fields: [String: ExprType], classes: [String]?) {
            self.fields = fields
            self.classes = classes
        }
    }
    /// By source name, for `crm.amount`, `crm is booked`.
    public var sources: [String: SourceScope]
    /// Inside `classify` and derived fields: the source whose fields are written bare.
    public var bareSource: String?
    /// DATEV sources inside `classify`: `header.<name>` types.
    public var header: [String: ExprType]?
    /// A scope of sources, optionally with a bare source and DATEV header names.
    public init(sources: [String: SourceScope], bareSource: String? = nil, header: [String: ExprType]? = nil) {
        self.sources = sources
        self.bareSource = bareSource
        self.header = header
    }
}

/// Static checks of expressions when a rule file is loaded.
///
/// Numeric means decimal or integer (they mix freely; integer with integer stays integer except
/// `/`, which is decimal). A date compares with a datetime (the date is midnight UTC).
/// `+ -`: numeric ± numeric, date ± duration → date, datetime ± duration → datetime,
/// date or datetime − date or datetime → duration, duration ± duration → duration.
/// `* /`: numeric, duration × numeric → duration, duration / numeric → duration,
/// duration / duration → decimal. Text may be ordered; `+` on text, ordering booleans and mixing
/// dates with numbers are errors (DETAILS.md 21).
public enum TypeChecker {
    /// The expression's type, or diagnostics (unknown field/source/class with "did you mean",
    /// type mismatch) with positions. `expected` (e.g. .bool for where/expect/classify) is checked too.
    public static func check(_ expr: Expr, in scope: TypeScope, expected: ExprType?) -> Result<ExprType, [Diagnostic]> {
        var checker = Checking(scope: scope)
        let type = checker.type(of: expr)
        if let type, let expected, type != expected {
            checker.fail(expr, "expected \(article(expected)) expression, found \(article(type)) '\(expr.text)'")
        }
        if let type, checker.diagnostics.isEmpty { return .success(type) }
        return .failure(checker.diagnostics)
    }

    static func article(_ type: ExprType) -> String {
        switch type {
        case .integer: return "an integer"
        default: return "a \(type.rawValue)"
        }
    }
}

/// One run of the checker; collects every diagnostic, without cascades from a failed operand.
struct Checking {
    let scope: TypeScope
    var diagnostics: [Diagnostic] = []

    mutating func fail(_ expr: Expr, _ message: String) {
        diagnostics.append(Diagnostic(expr.position, message))
    }

    static func didYouMean(_ word: String, _ candidates: [String]) -> String {
        Suggest.closest(word, among: candidates.sorted()).map { "; did you mean '\($0)'?" } ?? ""
    }

    static func isNumeric(_ t: ExprType) -> Bool { t == .integer || t == .decimal }
    static func isTime(_ t: ExprType) -> Bool { t == .date || t == .datetime }

    /// Whether values of the two types can be compared with `==`.
    static func comparable(_ a: ExprType, _ b: ExprType) -> Bool {
        a == b || (isNumeric(a) && isNumeric(b)) || (isTime(a) && isTime(b))
    }

    mutating func type(of expr: Expr) -> ExprType? {
        switch expr.node {
        case .literal(let value): return Checking.literalType(value)
        case .asOf: return .date
        case .field(let source, let field): return fieldType(expr, source, field)
        case .state(let source): return stateSource(expr, source) == nil ? nil : .text
        case .header(let name):
            guard let header = scope.header else {
                fail(expr, "'header.\(name)' is only available in 'classify' of a datev source")
                return nil
            }
            guard let type = header[name] else {
                fail(expr, "unknown header field '\(name)'\(Checking.didYouMean(name, Array(header.keys)))")
                return nil
            }
            return type
        case .presence(let source, _):
            return sourceScope(expr, source) == nil ? nil : .bool
        case .stateTest(let source, let test, _):
            guard let classes = stateSource(expr, source) else { return nil }
            if case .class(let name) = test, name != "booked", name != "not_booked", !classes.contains(name) {
                let all = classes + ["definite", "transitional", "unclassified"]
                fail(expr, "source '\(source)' has no class '\(name)'\(Checking.didYouMean(name, all))")
                return nil
            }
            return .bool
        case .unary(let op, let operand):
            guard let t = type(of: operand) else { return nil }
            switch op {
            case .not:
                if t == .bool { return .bool }
                fail(expr, "'not' needs a bool, found \(TypeChecker.article(t)) '\(operand.text)'")
            case .negate:
                if Checking.isNumeric(t) || t == .duration { return t }
                fail(expr, "'-' needs a number or duration, found \(TypeChecker.article(t)) '\(operand.text)'")
            }
            return nil
        case .binary(let op, let l, let r):
            let lt = type(of: l)
            let rt = type(of: r)
            guard let lt, let rt else { return nil }
            return binaryType(expr, op, lt, rt)
        case .membership(let left, let elements, _):
            let lt = type(of: left)
            var ok = lt != nil
            for element in elements {
                guard let et = type(of: element) else { ok = false; continue }
                if let lt, !Checking.comparable(lt, et) {
                    fail(element, "cannot compare \(lt.rawValue) with \(et.rawValue) in 'in' list: '\(element.text)'")
                    ok = false
                }
            }
            return ok ? .bool : nil
        case .call(let name, let arguments):
            return callType(expr, name, arguments)
        }
    }

    static func literalType(_ value: Value) -> ExprType {
        switch value {
        case .unknown: return .unknown
        case .text: return .text
        case .decimal: return .decimal
        case .integer: return .integer
        case .date: return .date
        case .datetime: return .datetime
        case .bool: return .bool
        case .duration: return .duration
        }
    }

    mutating func sourceScope(_ expr: Expr, _ source: String) -> TypeScope.SourceScope? {
        if let s = scope.sources[source] { return s }
        fail(expr, "unknown source '\(source)'\(Checking.didYouMean(source, Array(scope.sources.keys)))")
        return nil
    }

    /// The classes of a source that must have a state.
    mutating func stateSource(_ expr: Expr, _ source: String) -> [String]? {
        guard let s = sourceScope(expr, source) else { return nil }
        guard let classes = s.classes else {
            fail(expr, "source '\(source)' has no state")
            return nil
        }
        return classes
    }

    mutating func fieldType(_ expr: Expr, _ source: String?, _ field: String) -> ExprType? {
        guard let name = source ?? scope.bareSource else {
            if scope.sources[field] != nil {
                fail(expr, "'\(field)' is a source, not a value; name one of its fields as '\(field).<field>'")
                return nil
            }
            let owners = scope.sources.keys.sorted().filter { scope.sources[$0]?.fields[field] != nil }
            let hint = owners.first.map { "; did you mean '\($0).\(field)'?" } ?? ""
            fail(expr, "unknown name '\(field)'\(hint)")
            return nil
        }
        guard let s = sourceScope(expr, name) else { return nil }
        if let type = s.fields[field] { return type }
        let hint = Checking.didYouMean(field, Array(s.fields.keys))
        if source == nil {
            fail(expr, "unknown field '\(field)'\(hint)")
        } else {
            fail(expr, "source '\(name)' has no field '\(field)'\(hint)")
        }
        return nil
    }
}
