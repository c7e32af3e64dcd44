import XCTest
import DemarcCore
@testable import DemarcRules

/// The rule-file position used by expression tests: line 7, column 10.
let exprOrigin = SourcePosition(file: "rules.yaml", line: 7, column: 10)

/// Parses or fails the test.
func parsed(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> Expr? {
    switch ExprParser.parse(text, at: exprOrigin) {
    case .success(let e): return e
    case .failure(let d):
        XCTFail("parse error: \(d)", file: file, line: line)
        return nil
    }
}

/// The parse error's `line:col: message`.
func parseError(_ text: String) -> String? {
    switch ExprParser.parse(text, at: exprOrigin) {
    case .success: return nil
    case .failure(let d): return "\(d.position.line):\(d.position.column): \(d.message)"
    }
}

/// A compact, fully parenthesised rendering of a tree.
func sexpr(_ e: Expr) -> String {
    switch e.node {
    case .literal(let v): return literalText(v)
    case .field(let s, let f): return s.map { "\($0).\(f)" } ?? f
    case .state(let s): return "\(s).state"
    case .asOf: return "as_of"
    case .unary(let op, let a): return "(\(op == .not ? "not" : "neg") \(sexpr(a)))"
    case .binary(let op, let a, let b): return "(\(op.rawValue) \(sexpr(a)) \(sexpr(b)))"
    case .membership(let a, let list, let negated):
        return "(\(negated ? "notin" : "in") \(sexpr(a)) [\(list.map(sexpr).joined(separator: " "))])"
    case .stateTest(let s, let t, let negated):
        let name: String
        switch t {
        case .definite: name = "definite"
        case .transitional: name = "transitional"
        case .unclassified: name = "unclassified"
        case .class(let c): name = "class:\(c)"
        }
        return "(\(negated ? "isnot" : "is") \(s) \(name))"
    case .presence(let s, let exists): return "(\(exists ? "exists" : "missing") \(s))"
    case .call(let f, let args): return "(\(f) \(args.map(sexpr).joined(separator: " ")))"
    case .header(let n): return "header.\(n)"
    }
}

func literalText(_ v: Value) -> String {
    switch v {
    case .unknown: return "unknown"
    case .text(let s): return "'\(s)'"
    case .decimal(let d): return "dec:\(d.units)e-\(d.scale)"
    case .integer(let i): return "int:\(i)"
    case .date(let d): return "date:\(d.isoText)"
    case .datetime(let i): return "dt:\(i.millisSinceEpoch)"
    case .bool(let b): return "\(b)"
    case .duration(let ms): return "dur:\(ms)"
    }
}

/// A case for evaluator tests, built from dictionaries.
struct TestContext: EvaluationContext {
    var asOf: Day = Day(year: 2026, month: 11, day: 30)!
    /// Field values by source ("" for the bare source), then field; missing = unknown.
    var values: [String: [String: Value]] = [:]
    /// Present sources.
    var present: Set<String> = []
    /// Classes of present sources; absent entry = unclassified.
    var classes: [String: String] = [:]
    var counts: [String: Int] = [:]
    var headers: [String: Value] = [:]

    func value(source: String?, field: String) -> Value {
        if let source, !present.contains(source) { return .unknown }
        return values[source ?? ""]?[field] ?? .unknown
    }
    func isPresent(source: String) -> Bool { present.contains(source) }
    func stateClass(source: String) -> StateClass? { classes[source].map(StateClass.init) }
    func count(source: String) -> Int { counts[source] ?? 0 }
    func header(_ name: String) -> Value { headers[name] ?? .unknown }
}
