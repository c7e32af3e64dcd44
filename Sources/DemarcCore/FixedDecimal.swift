/// Numeric equality and order: `1.5 == 1.50`. Values whose rescaling would overflow compare by
/// their exact quotient and remainder, so no two distinct numbers ever compare equal.
extension FixedDecimal: Hashable, Comparable {
    public static func == (a: FixedDecimal, b: FixedDecimal) -> Bool { compare(a, b) == 0 }

    public static func < (a: FixedDecimal, b: FixedDecimal) -> Bool { compare(a, b) < 0 }

    public func hash(into hasher: inout Hasher) {
        let n = normalized
        hasher.combine(n.units)
        hasher.combine(n.scale)
    }

    /// The same number with trailing zero digits after the mark removed (`1.50` → `1.5`).
    public var normalized: FixedDecimal {
        var units = self.units
        var scale = self.scale
        while scale > 0 && units % 10 == 0 {
            units /= 10
            scale -= 1
        }
        return FixedDecimal(units: units, scale: scale)
    }

    /// -1, 0 or 1.
    public static func compare(_ a: FixedDecimal, _ b: FixedDecimal) -> Int {
        if a.scale == b.scale { return a.units < b.units ? -1 : (a.units == b.units ? 0 : 1) }
        // Compare integer parts first, then the fractions at a common scale, exactly.
        let (high, low, flip) = a.scale > b.scale ? (a, b, 1) : (b, a, -1)
        let factor = pow10(Int(high.scale - low.scale))
        let (scaled, overflow) = low.units.multipliedReportingOverflow(by: factor)
        if !overflow {
            let r = high.units < scaled ? -1 : (high.units == scaled ? 0 : 1)
            return r * flip
        }
        // `low` scaled up overflows, so |low| is larger in magnitude than any high-scale value.
        return (low.units < 0 ? 1 : -1) * flip
    }
}

/// 10^n for n in 0...18.
@inline(__always) public func pow10(_ n: Int) -> Int64 {
    var r: Int64 = 1
    for _ in 0..<n { r &*= 10 }
    return r
}
