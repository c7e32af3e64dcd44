import DemarcCore
import DemarcRules
import DemarcReaders

/// One row of values, shared by reference so that evaluating an expression over it never
/// copies the row.
final class RowBox {
    var values: [Value]
    init(width: Int) { values = Array(repeating: .unknown, count: width) }
}

/// The context of derived fields and `classify`: one record (or group) of one source, whose
/// fields are written bare.
struct RowContext: EvaluationContext {
    let source: String
    let fieldIndex: [String: Int]
    let row: RowBox
    let headerValues: DatevHeader?
    let asOf: Day

    func value(source: String?, field: String) -> Value {
        if let source, source != self.source { return .unknown }
        guard let i = fieldIndex[field], i < row.values.count else { return .unknown }
        return row.values[i]
    }

    func isPresent(source: String) -> Bool { source == self.source }

    func stateClass(source: String) -> StateClass? { nil }

    func count(source: String) -> Int { source == self.source ? 1 : 0 }

    func header(_ name: String) -> Value { headerValues?.value(name) ?? .unknown }
}

/// Sorts a source's derived fields so that each comes after the derived fields it uses.
func derivedOrder(_ def: SourceDef) -> [Int] {
    let derived = def.fields.indices.filter { def.fields[$0].expr != nil }
    var index: [String: Int] = [:]
    for i in derived { index[def.fields[i].name] = i }
    var done = Set<Int>()
    var visiting = Set<Int>()
    var order: [Int] = []
    func visit(_ i: Int) {
        if done.contains(i) || visiting.contains(i) { return }
        visiting.insert(i)
        if let expr = def.fields[i].expr {
            for name in referencedFields(expr, source: def.name) {
                if let j = index[name] { visit(j) }
            }
        }
        visiting.remove(i)
        done.insert(i)
        order.append(i)
    }
    for i in derived { visit(i) }
    return order
}

/// Field names an expression uses bare (or prefixed with `source`), in order of appearance.
func referencedFields(_ expr: Expr, source: String) -> [String] {
    var names: [String] = []
    func walk(_ e: Expr) {
        switch e.node {
        case .field(let s, let f): if s == nil || s == source { names.append(f) }
        case .unary(_, let a): walk(a)
        case .binary(_, let a, let b): walk(a); walk(b)
        case .membership(let a, let list, _): walk(a); list.forEach(walk)
        case .call(_, let args): args.forEach(walk)
        case .literal, .state, .asOf, .stateTest, .presence, .header: break
        }
    }
    walk(expr)
    return names
}
