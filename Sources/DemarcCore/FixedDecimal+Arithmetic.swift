// Exact fixed-point arithmetic. Every operation returns nil rather than trap or lose digits.
//
// - Results never hold Int64.min units (treated as overflow), so `negated` and `magnitude`
//   are always exact. Operands with a scale above 18 give nil.
// - `adding`/`subtracting`: scale max(a.scale, b.scale), exact.
// - `multiplying`: scale a.scale + b.scale (`1.50 * 2.0` = `3.000`), exact; when that scale
//   or the units overflow, trailing zeros are dropped first, and nil if it still does not fit.
// - `dividing`: not exact in general. The quotient is computed at scale
//   min(max(a.scale, b.scale) + 6, 18), rounded half to even, then trailing zeros are dropped
//   down to max(a.scale, b.scale): `1200.00 / 2` = `600.00`, `10 / 3` = `3.333333`,
//   `2 / 3` at scales 2 = `0.66666667`. A quotient too large for that scale is computed at the
//   largest smaller scale that fits. nil for b == 0.

extension FixedDecimal {
    /// a + b, exact; nil on overflow.
    public static func adding(_ a: FixedDecimal, _ b: FixedDecimal) -> FixedDecimal? {
        guard let (x, y, scale) = aligned(a, b) else { return nil }
        let (sum, overflow) = x.addingReportingOverflow(y)
        return overflow ? nil : make(sum, scale)
    }

    /// a − b, exact; nil on overflow.
    public static func subtracting(_ a: FixedDecimal, _ b: FixedDecimal) -> FixedDecimal? {
        guard let (x, y, scale) = aligned(a, b) else { return nil }
        let (difference, overflow) = x.subtractingReportingOverflow(y)
        return overflow ? nil : make(difference, scale)
    }

    /// a × b, exact; nil on overflow.
    public static func multiplying(_ a: FixedDecimal, _ b: FixedDecimal) -> FixedDecimal? {
        guard a.scale <= 18, b.scale <= 18 else { return nil }
        if let product = product(a, b) { return product }
        return product(a.normalized, b.normalized)
    }

    /// a ÷ b at the scale described above, rounded half to even; nil for b == 0 or overflow.
    public static func dividing(_ a: FixedDecimal, _ b: FixedDecimal) -> FixedDecimal? {
        guard b.units != 0, a.scale <= 18, b.scale <= 18 else { return nil }
        let floor = Int(max(a.scale, b.scale))
        let target = min(floor + 6, 18)
        var scale = target
        while scale >= 0 {
            if let q = quotient(a, b, scale: scale) {
                var result = q
                while Int(result.scale) > floor && result.units % 10 == 0 {
                    result.units /= 10
                    result.scale -= 1
                }
                return result
            }
            scale -= 1
        }
        return nil
    }

    /// −self.
    public var negated: FixedDecimal { FixedDecimal(units: 0 &- units, scale: scale) }

    /// |self|.
    public var magnitude: FixedDecimal { units < 0 ? negated : self }

    /// An integer as a decimal of scale 0.
    public init(_ integer: Int64) {
        self.init(units: integer, scale: 0)
    }

    /// Parses a literal such as `0.01` or `-12` (plain notation with `.`).
    public init?(literal: String) {
        var text = literal
        let scan: ValueParser.NumberScan = text.withUTF8 { buffer in
            let bytes = UnsafeRawBufferPointer(buffer)
            guard !bytes.isEmpty else { return .syntax }
            return ValueParser.scanNumber(ByteSpan(bytes: bytes, lo: 0, hi: bytes.count),
                                          mark: UInt8(ascii: "."), thousands: nil, allowTrailingMinus: false)
        }
        guard case .number(let units, let scale) = scan else { return nil }
        self.init(units: units, scale: scale)
    }

    // MARK: - Helpers

    private static func make(_ units: Int64, _ scale: Int) -> FixedDecimal? {
        units == Int64.min ? nil : FixedDecimal(units: units, scale: UInt8(scale))
    }

    /// Both units at the larger scale.
    private static func aligned(_ a: FixedDecimal, _ b: FixedDecimal) -> (Int64, Int64, Int)? {
        guard a.scale <= 18, b.scale <= 18 else { return nil }
        let scale = Int(max(a.scale, b.scale))
        let (x, ox) = a.units.multipliedReportingOverflow(by: pow10(scale - Int(a.scale)))
        let (y, oy) = b.units.multipliedReportingOverflow(by: pow10(scale - Int(b.scale)))
        return ox || oy ? nil : (x, y, scale)
    }

    private static func product(_ a: FixedDecimal, _ b: FixedDecimal) -> FixedDecimal? {
        let (units, overflow) = a.units.multipliedReportingOverflow(by: b.units)
        guard !overflow else { return nil }
        var scale = Int(a.scale) + Int(b.scale)
        var u = units
        while scale > 18 && u % 10 == 0 {
            u /= 10
            scale -= 1
        }
        return scale <= 18 ? make(u, scale) : nil
    }

    /// round(a / b × 10^scale) half to even, or nil when it does not fit.
    private static func quotient(_ a: FixedDecimal, _ b: FixedDecimal, scale: Int) -> FixedDecimal? {
        // a/b × 10^s = A × 10^(sb + s − sa) / B; sa ≤ 18 and s ≥ 0, so the exponent may be
        // negative only when s < sa: then divide B up instead (B × 10^(sa − sb − s)).
        let A = a.units.magnitude
        var B = b.units.magnitude
        var exponent = Int(b.scale) + scale - Int(a.scale)
        if exponent < 0 {
            let (scaled, overflow) = B.multipliedReportingOverflow(by: UInt64(pow10(-exponent)))
            guard !overflow else { return nil }
            B = scaled
            exponent = 0
        }
        var q = A / B
        var r = A % B
        // Long division, one decimal digit at a time; r < B ≤ 2^63, so 10r fits 128 bits and
        // each digit is below 10.
        for _ in 0..<exponent {
            let wide = r.multipliedFullWidth(by: 10)
            let (digit, rest) = B.dividingFullWidth((high: wide.high, low: wide.low))
            r = rest
            let (shifted, o1) = q.multipliedReportingOverflow(by: 10)
            let (next, o2) = shifted.addingReportingOverflow(digit)
            guard !o1, !o2 else { return nil }
            q = next
        }
        // Half to even: compare r with B − r (no overflow, r < B).
        let rest = B - r
        if r > rest || (r == rest && q % 2 == 1) {
            let (up, overflow) = q.addingReportingOverflow(1)
            guard !overflow else { return nil }
            q = up
        }
        guard q <= UInt64(Int64.max) else { return nil }
        let units = Int64(q)
        let negative = (a.units < 0) != (b.units < 0)
        return FixedDecimal(units: negative ? -units : units, scale: UInt8(scale))
    }
}
