import DemarcCore

/// What the evaluator asks of the case being checked (implemented by the engine).
public protocol EvaluationContext {
    /// The day the run checks against (`as_of`).
    var asOf: Day { get }
    /// The value of a field; `source` nil = the bare source. Absent source or empty field: .unknown.
    func value(source: String?, field: String) -> Value
    /// Whether the case has a record (or group) of `source`.
    func isPresent(source: String) -> Bool
    /// The record's class; nil when the source is present but unclassified. Only asked when present.
    func stateClass(source: String) -> StateClass?
    /// Records of `source` in the case.
    func count(source: String) -> Int
    /// `header.<name>` of the bare DATEV source.
    func header(_ name: String) -> Value
}

/// Three-valued evaluation of checked expressions.
///
/// Unknown propagates through comparisons, arithmetic and `in`; `and`/`or`/`not` are Kleene
/// logic; division by zero and overflow are unknown. Text compares by its UTF-8 bytes (Unicode
/// scalar order), equality is exact. `present`, `empty`, `exists` and `missing` are always
/// known; `coalesce` gives the first known argument. `date ± duration` is the day holding the
/// resulting instant (midnight UTC ± the duration, rounded down to a whole day).
public enum Evaluator {
    /// Three-valued evaluation; conditions yield .bool or .unknown.
    public static func evaluate(_ expr: Expr, in context: some EvaluationContext, calendar: Calendar?) -> Value {
        switch expr.node {
        case .literal(let value): return value
        case .field(let source, let field): return context.value(source: source, field: field)
        case .header(let name): return context.header(name)
        case .asOf: return .date(context.asOf)
        case .state(let source):
            guard context.isPresent(source: source), let c = context.stateClass(source: source) else { return .unknown }
            return .text(c.name)
        case .presence(let source, let exists):
            return .bool(context.isPresent(source: source) == exists)
        case .stateTest(let source, let test, let negated):
            guard context.isPresent(source: source) else { return .unknown }
            let c = context.stateClass(source: source)
            let holds: Bool
            switch test {
            case .definite: holds = c?.isDefinite ?? false
            case .transitional: holds = c.map { !$0.isDefinite } ?? false
            case .unclassified: holds = c == nil
            case .class(let name): holds = c?.name == name
            }
            return .bool(holds != negated)
        case .unary(.not, let operand):
            guard case .bool(let b) = evaluate(operand, in: context, calendar: calendar) else { return .unknown }
            return .bool(!b)
        case .unary(.negate, let operand):
            return Arithmetic.negate(evaluate(operand, in: context, calendar: calendar))
        case .binary(.and, let l, let r):
            let a = evaluate(l, in: context, calendar: calendar)
            if case .bool(false) = a { return .bool(false) }
            let b = evaluate(r, in: context, calendar: calendar)
            if case .bool(false) = b { return .bool(false) }
            if case .bool(true) = a, case .bool(true) = b { return .bool(true) }
            return .unknown
        case .binary(.or, let l, let r):
            let a = evaluate(l, in: context, calendar: calendar)
            if case .bool(true) = a { return .bool(true) }
            let b = evaluate(r, in: context, calendar: calendar)
            if case .bool(true) = b { return .bool(true) }
            if case .bool(false) = a, case .bool(false) = b { return .bool(false) }
            return .unknown
        case .binary(let op, let l, let r):
            let a = evaluate(l, in: context, calendar: calendar)
            let b = evaluate(r, in: context, calendar: calendar)
            return Arithmetic.binary(op, a, b)
        case .membership(let left, let elements, let negated):
            let a = evaluate(left, in: context, calendar: calendar)
            if a.isUnknown { return .unknown }
            var sawUnknown = false
            for element in elements {
                let b = evaluate(element, in: context, calendar: calendar)
                if b.isUnknown { sawUnknown = true; continue }
                if Arithmetic.compare(a, b) == 0 { return .bool(!negated) }
            }
            return sawUnknown ? .unknown : .bool(negated)
        case .call(let name, let arguments):
            return call(name, arguments, in: context, calendar: calendar)
        }
    }

    static func call(_ name: String, _ arguments: [Expr], in context: some EvaluationContext, calendar: Calendar?) -> Value {
        if name == "count" {
            guard case .field(nil, let source)? = arguments.first?.node else { return .unknown }
            return .integer(Int64(context.count(source: source)))
        }
        if name == "coalesce" {
            for a in arguments {
                let v = evaluate(a, in: context, calendar: calendar)
                if !v.isUnknown { return v }
            }
            return .unknown
        }
        guard let first = arguments.first else { return .unknown }
        let v = evaluate(first, in: context, calendar: calendar)
        switch name {
        case "present": return .bool(!Functions.isEmpty(v))
        case "empty": return .bool(Functions.isEmpty(v))
        case "abs": return Functions.abs(v)
        case "age": return Arithmetic.binary(.subtract, .datetime(context.asOf.instant), v)
        case "days": return Functions.days(v)
        case "lower": if case .text(let s) = v { return .text(s.lowercased()) }
        case "upper": if case .text(let s) = v { return .text(s.uppercased()) }
        case "trim": if case .text(let s) = v { return .text(Functions.trim(s)) }
        case "period_close":
            guard let calendar, let day = Arithmetic.day(of: v) else { return .unknown }
            return .date(calendar.closeDate(for: day))
        default: break
        }
        return .unknown
    }
}
