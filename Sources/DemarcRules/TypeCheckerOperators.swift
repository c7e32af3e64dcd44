import DemarcCore

// Operators and functions of the type checker.
extension Checking {
    mutating func binaryType(_ expr: Expr, _ op: BinaryOperator, _ l: ExprType, _ r: ExprType) -> ExprType? {
        let symbol = op.rawValue
        switch op {
        case .and, .or:
            if l == .bool && r == .bool { return .bool }
            fail(expr, "'\(symbol)' needs bool operands, found \(l.rawValue) and \(r.rawValue)")
            return nil
        case .equal, .notEqual:
            if Checking.comparable(l, r) { return .bool }
            fail(expr, "cannot compare \(l.rawValue) with \(r.rawValue) using '\(symbol)'")
            return nil
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            if l == .bool && r == .bool {
                fail(expr, "cannot order bool values with '\(symbol)'")
                return nil
            }
            if Checking.comparable(l, r) { return .bool }
            fail(expr, "cannot compare \(l.rawValue) with \(r.rawValue) using '\(symbol)'")
            return nil
        case .add, .subtract:
            if Checking.isNumeric(l) && Checking.isNumeric(r) { return l == .integer && r == .integer ? .integer : .decimal }
            if Checking.isTime(l) && r == .duration { return l }
            if op == .add && l == .duration && Checking.isTime(r) { return r }
            if op == .subtract && Checking.isTime(l) && Checking.isTime(r) { return .duration }
            if l == .duration && r == .duration { return .duration }
        case .multiply:
            if Checking.isNumeric(l) && Checking.isNumeric(r) { return l == .integer && r == .integer ? .integer : .decimal }
            if l == .duration && Checking.isNumeric(r) { return .duration }
            if Checking.isNumeric(l) && r == .duration { return .duration }
        case .divide:
            if Checking.isNumeric(l) && Checking.isNumeric(r) { return .decimal }
            if l == .duration && Checking.isNumeric(r) { return .duration }
            if l == .duration && r == .duration { return .decimal }
        }
        fail(expr, "operator '\(symbol)' cannot combine \(l.rawValue) and \(r.rawValue)")
        return nil
    }

    mutating func callType(_ expr: Expr, _ name: String, _ arguments: [Expr]) -> ExprType? {
        if name == "count" {
            guard let a = arguments.first, case .field(nil, let source) = a.node else {
                fail(expr, "'count' takes a source name, found '\(arguments.first?.text ?? "")'")
                return nil
            }
            return sourceScope(a, source) == nil ? nil : .integer
        }
        var types: [ExprType] = []
        for a in arguments {
            guard let t = type(of: a) else { return nil }
            types.append(t)
        }
        guard let first = types.first, let a = arguments.first else { return nil }
        func needs(_ what: String) -> ExprType? {
            fail(a, "'\(name)' needs \(what), found \(TypeChecker.article(first)) '\(a.text)'")
            return nil
        }
        switch name {
        case "abs": return Checking.isNumeric(first) || first == .duration ? first : needs("a number or duration")
        case "age": return Checking.isTime(first) ? .duration : needs("a date or datetime")
        case "days": return first == .duration ? .decimal : needs("a duration")
        case "present", "empty": return .bool
        case "lower", "upper", "trim": return first == .text ? .text : needs("text")
        case "period_close": return Checking.isTime(first) ? .date : needs("a date or datetime")
        case "coalesce":
            var result = first
            for (t, arg) in zip(types, arguments).dropFirst() {
                if t == result { continue }
                if Checking.isNumeric(t) && Checking.isNumeric(result) { result = .decimal; continue }
                if Checking.isTime(t) && Checking.isTime(result) { result = .datetime; continue }
                fail(arg, "'coalesce' arguments must have one type, found \(result.rawValue) and \(t.rawValue) '\(arg.text)'")
                return nil
            }
            return result
        default:
            fail(expr, "unknown function '\(name)'")
            return nil
        }
    }
}
