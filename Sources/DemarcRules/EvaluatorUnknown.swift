import DemarcCore

extension Evaluator {
    /// For a failed `expect` whose value is unknown: which value was missing, as
    /// `crm.amount is empty` or `accounting is absent` (DETAILS.md 23).
    ///
    /// The first reference, left to right, whose unknown value made the expression unknown:
    /// `S is absent`, `S.f is empty` (bare fields: `f is empty`), `S.state is unclassified`,
    /// `header.n is empty`; where every operand is known (division by zero, overflow, no
    /// calendar) the sub-expression itself: `a / b is undefined`. nil when the value is known.
    public static func firstUnknown(_ expr: Expr, in context: some EvaluationContext, calendar: Calendar?) -> String? {
        guard evaluate(expr, in: context, calendar: calendar).isUnknown else { return nil }
        return Explaining(calendar: calendar).reason(expr, context)
    }
}

/// Finds why an unknown expression is unknown; called only on unknown sub-expressions.
struct Explaining {
    let calendar: Calendar?

    func isUnknown(_ e: Expr, _ context: some EvaluationContext) -> Bool {
        Evaluator.evaluate(e, in: context, calendar: calendar).isUnknown
    }

    /// The reason of the first unknown among `operands`, or `fallback` when all are known.
    func first(_ operands: [Expr], _ context: some EvaluationContext, else fallback: Expr) -> String {
        for o in operands where isUnknown(o, context) { return reason(o, context) }
        return "\(fallback.text) is undefined"
    }

    func reason(_ e: Expr, _ context: some EvaluationContext) -> String {
        switch e.node {
        case .field(let source, let field):
            if let source {
                return context.isPresent(source: source) ? "\(source).\(field) is empty" : "\(source) is absent"
            }
            return "\(field) is empty"
        case .header(let name): return "header.\(name) is empty"
        case .state(let source):
            return context.isPresent(source: source) ? "\(source).state is unclassified" : "\(source) is absent"
        case .stateTest(let source, _, _):
            return "\(source) is absent"
        case .literal, .asOf, .presence:
            return "\(e.text) is undefined"
        case .unary(_, let operand):
            return first([operand], context, else: e)
        case .binary(_, let l, let r):
            return first([l, r], context, else: e)
        case .membership(let left, let elements, _):
            return first([left] + elements, context, else: e)
        case .call(let name, let arguments):
            if name == "period_close", calendar == nil { return "\(e.text) has no calendar" }
            return first(arguments, context, else: e)
        }
    }
}
