import ArgumentParser
import DemarcRules

/// `demarc explain KIND-OR-ID`: what a rule kind or implicit check means, with examples.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explains a rule kind or implicit check, with a passing and a failing example."
    )

    @Argument(help: "A rule kind (definite, counterpart, agree, owned, stale, expect) or an implicit check id (unclassified-state, duplicate-key, missing-key, malformed-value, malformed-record).")
    var kindOrId: String

    func run() throws {
        guard let description = RuleCatalog.description(of: kindOrId) else {
            let known = RuleCatalog.all.map(\.id)
            var message = "unknown rule kind or check '\(kindOrId)'"
            if let suggestion = Suggest.closest(kindOrId, among: known) {
                message += "; did you mean '\(suggestion)'?"
            }
            message += " (known: \(known.joined(separator: ", ")))"
            throw ValidationError(message)
        }
        print(ExplainText.render(description), terminator: "")
    }
}

/// The text `demarc explain` prints for one description.
enum ExplainText {
    static func render(_ d: RuleDescription) -> String {
        var out = "\(d.id): \(d.title)\n\n"
        out += (d.isImplicit ? "implicit check (always runs; severity error unless `implicit:` changes it)\n"
                             : "rule kind\n")
        out += "finding kind: \(d.findingKind)\ndefault fix_in: \(d.defaultFixIn)\n\n"
        out += d.checks + "\n"
        for (label, example) in [("Passing example", d.passing), ("Failing example", d.failing)] {
            out += "\n\(label)\n\n  rules.yaml:\n"
            out += indent(example.rules, by: 4)
            for file in example.files {
                out += "\n  \(file.name):\n" + indent(file.content, by: 4)
            }
        }
        return out
    }

    private static func indent(_ text: String, by spaces: Int) -> String {
        let pad = String(repeating: " ", count: spaces)
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : pad + $0 }
            .joined(separator: "\n")
            .trimmingTrailingNewlines() + "\n"
    }
}

private extension String {
    func trimmingTrailingNewlines() -> String {
        var s = self
        while s.hasSuffix("\n") { s.removeLast() }
        return s
    }
}
