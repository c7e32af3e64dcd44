import DemarcRules

/// Applies `match.normalize` to key parts (RULES.md, Matching; DETAILS.md 16).
struct KeyNormalizer: Sendable {
    let steps: [Normalizer]
    /// True when the steps are exactly `[trim]`, the default: an ASCII fast path.
    private let onlyTrim: Bool

    /// Whether a part whose first and last bytes are printable ASCII (not white space) is its
    /// own normalized form: the steps are `[trim]` or none.
    var keepsPlainText: Bool { onlyTrim || steps.isEmpty }

    init(_ steps: [Normalizer]) {
        self.steps = steps
        onlyTrim = steps == [.trim]
    }

    /// The normalized part.
    func normalize(_ part: String) -> String {
        if onlyTrim { return trimmed(part) }
        var text = part
        for step in steps {
            switch step {
            case .trim: text = trimmed(text)
            case .upper: text = text.uppercased()
            case .lower: text = text.lowercased()
            case .collapseSpaces: text = collapsed(text)
            case .stripLeadingZeros: text = strippedZeros(text)
            case .alnum:
                var scalars = String.UnicodeScalarView()
                for scalar in text.unicodeScalars where scalar.properties.isAlphabetic
                    || scalar.properties.numericType == .decimal {
                    scalars.append(scalar)
                }
                text = String(scalars)
            }
        }
        return text
    }

    private func trimmed(_ text: String) -> String { trimWhitespace(text) }

    /// Runs of white space become one space.
    private func collapsed(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var inSpace = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace {
                if !inSpace { out.append(" ") }
                inSpace = true
            } else {
                out.append(scalar)
                inSpace = false
            }
        }
        return String(out)
    }

    /// `00042` → `42`; `000` → `0` (DETAILS.md 16).
    private func strippedZeros(_ text: String) -> String {
        var view = Substring(text)
        while view.first == "0" { view = view.dropFirst() }
        if view.isEmpty && !text.isEmpty { return "0" }
        return String(view)
    }

}
