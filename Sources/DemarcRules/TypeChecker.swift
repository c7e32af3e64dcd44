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
public enum TypeChecker {
    /// The expression's type, or diagnostics (unknown field/source/class with "did you mean",
    /// type mismatch) with positions. `expected` (e.g. .bool for where/expect/classify) is checked too.
    public static func check(_ expr: Expr, in scope: TypeScope, expected: ExprType?) -> Result<ExprType, [Diagnostic]> {
        .failure([Diagnostic(expr.position, "type checking is not implemented yet")])
    }
}
