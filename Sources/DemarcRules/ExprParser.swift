import DemarcCore

/// Parses the expression language of RULES.md ("Expressions") into `Expr` trees.
public enum ExprParser {
    /// Parses `text`; `position` is where the text starts in the rule file (column of its first
    /// character); error positions are offset from it. Nesting deeper than 200 is an error, not a crash.
    public static func parse(_ text: String, at position: SourcePosition) -> Result<Expr, Diagnostic> {
        .failure(Diagnostic(position, "expressions are not implemented yet"))
    }
}
