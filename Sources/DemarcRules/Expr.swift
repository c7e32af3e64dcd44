import DemarcCore

/// The static type of an expression (RULES.md, Expressions).
public enum ExprType: String, Sendable, Hashable {
    case text, decimal, integer, date, datetime, bool, duration
    /// A literal that can be anything (unused; kept for `coalesce` of unknowns).
    case unknown

    public init(_ fieldType: FieldType) {
        switch fieldType {
        case .text: self = .text
        case .decimal: self = .decimal
        case .integer: self = .integer
        case .date: self = .date
        case .datetime: self = .datetime
        case .bool: self = .bool
        }
    }
}

/// A parsed expression with its position in the rule file.
public final class Expr: Sendable {
    public let node: ExprNode
    /// Where the expression (or this sub-expression) starts in the rule file.
    public let position: SourcePosition
    /// The source text of this sub-expression (for messages: `crm.amount is empty`).
    public let text: String

    public init(_ node: ExprNode, position: SourcePosition, text: String) {
        self.node = node
        self.position = position
        self.text = text
    }
}

public enum UnaryOperator: String, Sendable { case not, negate = "-" }

public enum BinaryOperator: String, Sendable {
    case or, and
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case add = "+", subtract = "-", multiply = "*", divide = "/"
}

/// What a state test asks: `crm is booked`, `crm is not transitional`.
public enum StateTest: Sendable, Hashable {
    case definite
    case transitional
    case unclassified
    /// A class name (`booked`, `not_booked`, `clarification`, …).
    case `class`(String)
}

public enum ExprNode: Sendable {
    case literal(Value)
    /// `crm.amount`, or a bare `amount` (source nil) inside `classify` / derived fields.
    case field(source: String?, field: String)
    /// `crm.state`: the class name as text.
    case state(source: String)
    /// `as_of`.
    case asOf
    case unary(UnaryOperator, Expr)
    case binary(BinaryOperator, Expr, Expr)
    /// `x in [a, b]` / `x not in [a, b]`.
    case membership(Expr, [Expr], negated: Bool)
    /// `crm is booked` / `crm is not transitional`.
    case stateTest(source: String, StateTest, negated: Bool)
    /// `crm exists` (true) / `crm missing` (false).
    case presence(source: String, exists: Bool)
    /// `abs(x)`, `age(d)`, `days(d)`, `count(src)`, `present(x)`, `empty(x)`, `lower(s)`,
    /// `upper(s)`, `trim(s)`, `coalesce(…)`, `period_close(d)`.
    case call(String, [Expr])
    /// `header.<name>` of a DATEV source (inside `classify` only).
    case header(String)
}
