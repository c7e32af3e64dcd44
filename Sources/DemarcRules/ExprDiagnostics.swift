import DemarcCore

/// `Result<Expr, Diagnostic>` from `ExprParser.parse` needs an `Error`.
extension Diagnostic: Error {}

/// `Result<ExprType, [Diagnostic]>` from `TypeChecker.check` needs an `Error`.
extension Array: @retroactive Error where Element == Diagnostic {}
