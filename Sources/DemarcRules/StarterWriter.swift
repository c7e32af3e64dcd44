import DemarcCore
import DemarcReaders

/// `demarc init`: a starter rule file from profiles of the sources (CLI.md).
///
/// Every column becomes a field with its inferred type; the key is the column pair the sources
/// share most values in (after the best normalizers); the state column is guessed from its name
/// and low cardinality, with every observed value left to sort (so `unclassified-state` reports
/// them until someone decides); starter rules are active where they can be, explained in comments.
public enum RuleFileStarter {
    /// The rule file text. `stagesFile`: as given, for a comment.
    public static func make(_ inputs: [StarterSourceInput], stages: SalesforceStages? = nil,
                            stagesFile: String? = nil) throws -> String {
        var plans = try inputs.map { try StarterSourcePlan.make($0, stages: stages) }
        if !plans.contains(where: \.accountingLike), plans.count > 1 { plans[plans.count - 1].accountingLike = true }
        if plans.allSatisfy(\.accountingLike), plans.count > 1 { plans[0].accountingLike = false }
        let (keyNotes, normalizers) = try chooseKeys(&plans)
        settleKeys(&plans)
        unifyAmounts(&plans)
        var out = StarterText()
        writeHeader(&out, plans: plans, stagesFile: stagesFile)
        out.line("sources:")
        for plan in plans { writeSource(&out, plan) }
        out.blank()
        out.comment(keyNotes)
        if let normalizers {
            out.line("match:")
            out.line("  normalize: [\(normalizers.map(\.rawValue).joined(separator: ", "))]")
        }
        out.blank()
        writeRules(&out, plans: plans)
        return out.text
    }

    // MARK: - Keys

    /// Picks the key of every source by value overlap; returns the comment lines that report it
    /// and the normalizers for `match.normalize` (nil: the default).
    private static func chooseKeys(_ plans: inout [StarterSourcePlan]) throws -> ([String], [Normalizer]?) {
        var values = try plans.map { try $0.keyValues() }
        for i in plans.indices {
            plans[i].refineAmounts(values[i])
            values[i] = values[i].filter { column in plans[i].fields.contains { $0.name == column.field && $0.type != .decimal } }
        }
        var notes = ["Keys: chosen by value overlap, the share of one source's distinct key values that",
                     "the other source has after normalization (RULES.md, Matching)."]
        guard plans.count > 1 else {
            plans[0].key = plans[0].keyCandidates.first?.name ?? plans[0].fields.first?.name
            return (notes + ["One source: its first unique column is the key."], nil)
        }
        var bestPairs: [KeyOverlap] = []
        for i in plans.indices { for j in plans.indices where j > i { bestPairs += KeyMatcher.rank(values[i], values[j]) } }
        bestPairs.sort { KeyMatcher.isBetter($0, than: $1) }
        guard let best = bestPairs.first else {
            notes.append("No column of one source shares a value with a column of another: each key below is")
            notes.append("the source's first unique column. Check them before trusting any finding.")
            for i in plans.indices { plans[i].key = plans[i].keyCandidates.first?.name ?? plans[i].fields.first?.name }
            return (notes, nil)
        }
        for i in plans.indices {
            if plans[i].input.name == best.left { plans[i].key = best.leftField }
            if plans[i].input.name == best.right { plans[i].key = best.rightField }
        }
        notes.append("  chosen: \(best.left).\(best.leftField) ('\(best.leftColumn)') = \(best.right).\(best.rightField) ('\(best.rightColumn)')"
                     + " after [\(best.normalize.map(\.rawValue).joined(separator: ", "))]:")
        notes.append("    \(best.figures)")
        // Further sources: their best column against a chosen key column.
        for i in plans.indices where plans[i].key == nil {
            let anchors = plans.indices.filter { plans[$0].key != nil }
            let ranked = anchors.flatMap { a in
                values[a].filter { $0.field == plans[a].key }.flatMap { anchor in values[i].map { KeyMatcher.overlap(anchor, $0, best.normalize) } }
            }.filter { $0.common > 0 }.sorted { KeyMatcher.isBetter($0, than: $1) }
            if let pick = ranked.first {
                plans[i].key = pick.rightField
                notes.append("  and \(pick.right).\(pick.rightField): \(pick.figures)")
            } else {
                plans[i].key = plans[i].keyCandidates.first?.name ?? plans[i].fields.first?.name
                notes.append("  \(plans[i].input.name): no column shares values with the others; '\(plans[i].key ?? "")' is a guess")
            }
        }
        let others = bestPairs.dropFirst().prefix(3)
        if !others.isEmpty {
            notes.append("  runners-up:")
            for o in others {
                notes.append("    \(o.left).\(o.leftField) = \(o.right).\(o.rightField) after [\(o.normalize.map(\.rawValue).joined(separator: ", "))]: \(o.figures)")
            }
        }
        return (notes, best.normalize == [.trim] ? nil : best.normalize)
    }

    /// Key fields are text (so `007` stays `007`); a key that repeats within a source makes
    /// the source a group of records per key, its decimals summed.
    private static func settleKeys(_ plans: inout [StarterSourcePlan]) {
        // A key that repeats within a source makes it a group of records per key.
        for i in plans.indices {
            guard let key = plans[i].key, let field = plans[i].fields.first(where: { $0.name == key }) else { continue }
            if let index = plans[i].fields.firstIndex(where: { $0.name == key }) {
                plans[i].fields[index].type = .text
                plans[i].fields[index].extras = []
            }
            if field.profile.unique == false, Double(field.profile.distinct) < 0.8 * Double(field.profile.values) {
                plans[i].many = true
                plans[i].group = plans[i].fields.filter { $0.type == .decimal }.map { ($0.name, .sum) }
            }
        }
    }

    /// Names the amount-like decimal field `amount` in every source that has one, so that an
    /// `owned` rule can name it on both sides.
    private static func unifyAmounts(_ plans: inout [StarterSourcePlan]) {
        guard plans.filter({ $0.amountField != nil }).count > 1 else { return }
        for i in plans.indices {
            guard let old = plans[i].amountField, old != "amount" else { continue }
            guard !plans[i].fields.contains(where: { $0.name == "amount" }),
                  let index = plans[i].fields.firstIndex(where: { $0.name == old }) else {
                if plans[i].fields.contains(where: { $0.name == "amount" && $0.type == .decimal }) { plans[i].amountField = "amount" } else { plans[i].amountField = nil }
                continue
            }
            plans[i].fields[index].name = "amount"
            plans[i].amountField = "amount"
            if plans[i].key == old { plans[i].key = "amount" }
            plans[i].group = plans[i].group.map { ($0.0 == old ? "amount" : $0.0, $0.1) }
        }
    }
}
