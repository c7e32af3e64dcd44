import DemarcCore

// TEMPORARY: stand-ins for branch `expr` (APIS.md) until it can be merged. Delete on merge.

/// What names an expression may use.
public struct TypeScope: Sendable {
    /// One source's names.
    public struct SourceScope: Sendable {
        public var fields: [String: ExprType]
        public var classes: [String]?
        public init(fields: [String: ExprType], classes: [String]?) { self.fields = fields; self.classes = classes }
    }
    public var sources: [String: SourceScope]
    public var bareSource: String?
    public var header: [String: ExprType]?
    public init(sources: [String: SourceScope], bareSource: String? = nil, header: [String: ExprType]? = nil) {
        self.sources = sources; self.bareSource = bareSource; self.header = header
    }
}

/// Stand-in parser: the whole text as one text literal.
public enum ExprParser {
    public static func parse(_ text: String, at position: SourcePosition) -> Result<Expr, Diagnostic> {
        .success(Expr(.literal(.text(text)), position: position, text: text))
    }
}

/// Stand-in checker: everything has the expected type.
public enum TypeChecker {
    public static func check(_ expr: Expr, in scope: TypeScope, expected: ExprType?) -> Result<ExprType, [Diagnostic]> {
        .success(expected ?? .text)
    }
}

extension Diagnostic: Error {}
extension Array: Error where Element == Diagnostic {}
