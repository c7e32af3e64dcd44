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
public enum Evaluator {
    /// Three-valued evaluation; conditions yield .bool or .unknown.
    public static func evaluate(_ expr: Expr, in context: some EvaluationContext, calendar: Calendar?) -> Value {
        .unknown
    }

    /// For a failed `expect` whose value is unknown: which value was missing, as
    /// `crm.amount is empty` or `accounting is absent` (DETAILS.md 23).
    public static func firstUnknown(_ expr: Expr, in context: some EvaluationContext, calendar: Calendar?) -> String? {
        nil
    }
}
