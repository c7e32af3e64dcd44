import DemarcCore

/// One token of an expression. Offsets count Unicode scalars from the start of the text.
struct ExprToken: Sendable {
    enum Kind: Sendable, Equatable {
        case identifier(String)
        case integer(Int64)
        case decimal(FixedDecimal)
        case string(String)
        case date(Day)
        /// Milliseconds.
        case duration(Int64)
        /// `== != < <= > >= + - * / ( ) [ ] , .`
        case symbol(String)
        case end
    }
    var kind: Kind
    /// Scalar offset of the first character.
    var start: Int
    /// Scalar offset just past the last character.
    var end: Int
}

/// Splits expression text into tokens.
///
/// Literals: integers `12`, decimals `0.01`, strings `'…'` or `"…"` (the quote doubled inside
/// includes it; no backslash escapes), dates `2026-11-30`, durations `14d` (days), `2w` (weeks),
/// `36h` (hours), `90m` (minutes): a whole number directly followed by its unit.
struct ExprLexer {
    let scalars: [Unicode.Scalar]

    init(_ text: String) { scalars = Array(text.unicodeScalars) }

    /// A lexical error: the offending offset and message.
    struct Failure: Error { var offset: Int; var message: String }

    /// Every token, ending with `.end`.
    func tokens() -> Result<[ExprToken], Failure> {
        var result: [ExprToken] = []
        var i = 0
        while true {
            while i < scalars.count, Self.isSpace(scalars[i]) { i += 1 }
            guard i < scalars.count else {
                result.append(ExprToken(kind: .end, start: i, end: i))
                return .success(result)
            }
            switch token(at: i) {
            case .success(let t):
                result.append(t)
                i = t.end
            case .failure(let f):
                return .failure(f)
            }
        }
    }

    static func isSpace(_ c: Unicode.Scalar) -> Bool {
        c == " " || c == "\t" || c == "\n" || c == "\r"
    }
    static func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }
    static func isIdentifierStart(_ c: Unicode.Scalar) -> Bool {
        (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_"
    }
    static func isIdentifierPart(_ c: Unicode.Scalar) -> Bool { isIdentifierStart(c) || isDigit(c) }

    private func at(_ i: Int) -> Unicode.Scalar? { i < scalars.count ? scalars[i] : nil }

    private func token(at start: Int) -> Result<ExprToken, Failure> {
        let c = scalars[start]
        if Self.isIdentifierStart(c) {
            var i = start + 1
            while let d = at(i), Self.isIdentifierPart(d) { i += 1 }
            return .success(ExprToken(kind: .identifier(text(start, i)), start: start, end: i))
        }
        if Self.isDigit(c) { return number(at: start) }
        if c == "'" || c == "\"" { return string(at: start, quote: c) }
        let two = start + 1 < scalars.count ? text(start, start + 2) : ""
        if ["==", "!=", "<=", ">="].contains(two) {
            return .success(ExprToken(kind: .symbol(two), start: start, end: start + 2))
        }
        if "<>+-*/()[],.".unicodeScalars.contains(c) {
            return .success(ExprToken(kind: .symbol(String(c)), start: start, end: start + 1))
        }
        if c == "=" { return .failure(Failure(offset: start, message: "unexpected '='; did you mean '=='?")) }
        if c == "!" { return .failure(Failure(offset: start, message: "unexpected '!'; did you mean 'not' or '!='?")) }
        return .failure(Failure(offset: start, message: "unexpected character '\(c)'"))
    }

    private func text(_ from: Int, _ to: Int) -> String {
        var s = String.UnicodeScalarView()
        s.append(contentsOf: scalars[from..<min(to, scalars.count)])
        return String(s)
    }

    private func digits(from i: Int) -> Int {
        var j = i
        while let d = at(j), Self.isDigit(d) { j += 1 }
        return j
    }

    private func number(at start: Int) -> Result<ExprToken, Failure> {
        let intEnd = digits(from: start)
        // A date: exactly yyyy-MM-dd, not followed by a name or digit.
        if intEnd - start == 4, at(intEnd) == "-", digits(from: intEnd + 1) == intEnd + 3,
           at(intEnd + 3) == "-", digits(from: intEnd + 4) == intEnd + 6 {
            let end = intEnd + 6
            if let next = at(end), Self.isIdentifierPart(next) {
                return .failure(Failure(offset: start, message: "invalid date '\(text(start, end + 1))'"))
            }
            let y = Int(text(start, intEnd)) ?? 0
            let m = Int(text(intEnd + 1, intEnd + 3)) ?? 0
            let d = Int(text(intEnd + 4, end)) ?? 0
            guard let day = Day(year: y, month: m, day: d) else {
                return .failure(Failure(offset: start, message: "invalid date '\(text(start, end))'"))
            }
            return .success(ExprToken(kind: .date(day), start: start, end: end))
        }
        var end = intEnd
        var isDecimal = false
        if at(end) == ".", let d = at(end + 1), Self.isDigit(d) {
            end = digits(from: end + 1)
            isDecimal = true
        }
        let literal = text(start, end)
        if let unit = at(end), Self.isIdentifierStart(unit) {
            var wordEnd = end
            while let d = at(wordEnd), Self.isIdentifierPart(d) { wordEnd += 1 }
            let millisPerUnit: Int64?
            switch text(end, wordEnd) {
            case "w": millisPerUnit = 7 * 86_400_000
            case "d": millisPerUnit = 86_400_000
            case "h": millisPerUnit = 3_600_000
            case "m": millisPerUnit = 60_000
            default: millisPerUnit = nil
            }
            guard let perUnit = millisPerUnit, !isDecimal, let count = Int64(literal) else {
                return .failure(Failure(offset: start, message:
                    "invalid duration '\(text(start, wordEnd))', expected a whole number and d, w, h or m"))
            }
            let (millis, overflow) = count.multipliedReportingOverflow(by: perUnit)
            guard !overflow else {
                return .failure(Failure(offset: start, message: "duration '\(text(start, wordEnd))' is too large"))
            }
            return .success(ExprToken(kind: .duration(millis), start: start, end: wordEnd))
        }
        if isDecimal {
            guard end - start <= 19, let value = FixedDecimal(literal: literal) else {
                return .failure(Failure(offset: start, message: "number '\(literal)' is too large"))
            }
            return .success(ExprToken(kind: .decimal(value), start: start, end: end))
        }
        guard let value = Int64(literal) else {
            return .failure(Failure(offset: start, message: "number '\(literal)' is too large"))
        }
        return .success(ExprToken(kind: .integer(value), start: start, end: end))
    }

    private func string(at start: Int, quote: Unicode.Scalar) -> Result<ExprToken, Failure> {
        var value = String.UnicodeScalarView()
        var i = start + 1
        while i < scalars.count {
            if scalars[i] == quote {
                if at(i + 1) == quote {
                    value.append(quote)
                    i += 2
                    continue
                }
                return .success(ExprToken(kind: .string(String(value)), start: start, end: i + 1))
            }
            value.append(scalars[i])
            i += 1
        }
        return .failure(Failure(offset: start, message: "unterminated string, expected a closing \(quote == "'" ? "\"'\"" : "'\"'")"))
    }
}
