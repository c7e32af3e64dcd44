import DemarcCore

/// Comparison and arithmetic on values; anything unknown, mismatched or overflowing is unknown.
enum Arithmetic {
    static let millisPerDay: Int64 = 86_400_000

    static func decimal(_ v: Value) -> FixedDecimal? {
        switch v {
        case .decimal(let d): return d
        case .integer(let i): return FixedDecimal(i)
        default: return nil
        }
    }

    /// Milliseconds since the epoch of a date (midnight UTC) or datetime.
    static func millis(_ v: Value) -> Int64? {
        switch v {
        case .date(let d): return Int64(d.daysSinceEpoch) * millisPerDay
        case .datetime(let i): return i.millisSinceEpoch
        default: return nil
        }
    }

    /// The day holding a date or datetime.
    static func day(of v: Value) -> Day? {
        switch v {
        case .date(let d): return d
        case .datetime(let i): return dayHolding(i.millisSinceEpoch)
        default: return nil
        }
    }

    static func dayHolding(_ millis: Int64) -> Day? {
        var days = millis / millisPerDay
        if millis % millisPerDay < 0 { days -= 1 }
        guard let d = Int32(exactly: days) else { return nil }
        return Day(daysSinceEpoch: d)
    }

    /// -1, 0 or 1; nil when either side is unknown or the two cannot be compared.
    static func compare(_ a: Value, _ b: Value) -> Int? {
        switch (a, b) {
        case (.integer(let x), .integer(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.text(let x), .text(let y)):
            if x.utf8.elementsEqual(y.utf8) { return 0 }
            return x.utf8.lexicographicallyPrecedes(y.utf8) ? -1 : 1
        case (.bool(let x), .bool(let y)): return x == y ? 0 : (!x ? -1 : 1)
        case (.duration(let x), .duration(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        default:
            if let x = decimal(a), let y = decimal(b) { return FixedDecimal.compare(x, y) }
            if let x = millis(a), let y = millis(b) { return x < y ? -1 : (x == y ? 0 : 1) }
            return nil
        }
    }

    static func negate(_ v: Value) -> Value {
        switch v {
        case .integer(let i) where i != Int64.min: return .integer(-i)
        case .decimal(let d) where d.units != Int64.min: return .decimal(d.negated)
        case .duration(let ms) where ms != Int64.min: return .duration(-ms)
        default: return .unknown
        }
    }

    static func binary(_ op: BinaryOperator, _ a: Value, _ b: Value) -> Value {
        if a.isUnknown || b.isUnknown { return .unknown }
        switch op {
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual:
            guard let c = compare(a, b) else { return .unknown }
            switch op {
            case .equal: return .bool(c == 0)
            case .notEqual: return .bool(c != 0)
            case .less: return .bool(c < 0)
            case .lessOrEqual: return .bool(c <= 0)
            case .greater: return .bool(c > 0)
            default: return .bool(c >= 0)
            }
        case .add, .subtract: return additive(op == .add, a, b) ?? .unknown
        case .multiply: return multiply(a, b) ?? .unknown
        case .divide: return divide(a, b) ?? .unknown
        case .and, .or: return .unknown
        }
    }

    static func additive(_ add: Bool, _ a: Value, _ b: Value) -> Value? {
        func combine(_ x: Int64, _ y: Int64) -> Int64? {
            let (r, o) = add ? x.addingReportingOverflow(y) : x.subtractingReportingOverflow(y)
            return o ? nil : r
        }
        switch (a, b) {
        case (.integer(let x), .integer(let y)): return combine(x, y).map(Value.integer)
        case (.duration(let x), .duration(let y)): return combine(x, y).map(Value.duration)
        case (.date, .duration(let d)), (.datetime, .duration(let d)):
            guard let m = millis(a), let r = combine(m, d) else { return nil }
            if case .date = a { return dayHolding(r).map(Value.date) }
            return .datetime(Instant(millisSinceEpoch: r))
        case (.duration, .date), (.duration, .datetime):
            return add ? additive(true, b, a) : nil
        default:
            if let x = decimal(a), let y = decimal(b) {
                let r = add ? FixedDecimal.adding(x, y) : FixedDecimal.subtracting(x, y)
                return r.map(Value.decimal)
            }
            if !add, let x = millis(a), let y = millis(b) { return combine(x, y).map(Value.duration) }
            return nil
        }
    }

    static func multiply(_ a: Value, _ b: Value) -> Value? {
        switch (a, b) {
        case (.integer(let x), .integer(let y)):
            let (r, o) = x.multipliedReportingOverflow(by: y)
            return o ? nil : .integer(r)
        case (.duration(let ms), _): return scale(ms, by: b, dividing: false)
        case (_, .duration(let ms)): return scale(ms, by: a, dividing: false)
        default:
            guard let x = decimal(a), let y = decimal(b) else { return nil }
            return FixedDecimal.multiplying(x, y).map(Value.decimal)
        }
    }

    static func divide(_ a: Value, _ b: Value) -> Value? {
        switch (a, b) {
        case (.duration(let x), .duration(let y)):
            return FixedDecimal.dividing(FixedDecimal(x), FixedDecimal(y)).map(Value.decimal)
        case (.duration(let ms), _): return scale(ms, by: b, dividing: true)
        default:
            guard let x = decimal(a), let y = decimal(b) else { return nil }
            return FixedDecimal.dividing(x, y).map(Value.decimal)
        }
    }

    /// A duration times or divided by a number, truncated to whole milliseconds.
    static func scale(_ ms: Int64, by factor: Value, dividing: Bool) -> Value? {
        guard let f = decimal(factor) else { return nil }
        let exact = dividing ? FixedDecimal.dividing(FixedDecimal(ms), f) : FixedDecimal.multiplying(FixedDecimal(ms), f)
        guard let r = exact, r.scale <= 18 else { return nil }
        return .duration(r.units / pow10(Int(r.scale)))
    }
}

/// The value functions of the expression language.
enum Functions {
    /// Unknown, or text that is empty.
    static func isEmpty(_ v: Value) -> Bool {
        if case .text(let s) = v { return s.isEmpty }
        return v.isUnknown
    }

    static func abs(_ v: Value) -> Value {
        switch v {
        case .integer(let i): return i < 0 ? Arithmetic.negate(v) : .integer(i)
        case .decimal(let d): return d.units == Int64.min ? .unknown : .decimal(d.magnitude)
        case .duration(let ms): return ms < 0 ? Arithmetic.negate(v) : v
        default: return .unknown
        }
    }

    /// A duration in days, exact where possible (`36h` → 1.5; at most 6 decimals, rounded).
    static func days(_ v: Value) -> Value {
        guard case .duration(let ms) = v else { return .unknown }
        return FixedDecimal.dividing(FixedDecimal(ms), FixedDecimal(Arithmetic.millisPerDay))
            .map { .decimal($0.normalized) } ?? .unknown
    }

    /// Without leading and trailing white space (Unicode White_Space).
    static func trim(_ s: String) -> String {
        let scalars = s.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }
}
