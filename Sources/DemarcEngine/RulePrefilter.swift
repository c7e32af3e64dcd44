import DemarcCore
import DemarcRules

/// A cheap test, resolved once per rule, of whether a case can give the rule a finding at all.
///
/// `RuleChecker` runs it before building a case's context: the full check looks up tables and
/// fields by name and pattern-matches the rule per case, which profiles showed as most of the
/// rules phase, although nearly every case passes. The test is conservative: it rejects only
/// cases where the full check finds nothing whatever the `where` says, so it never changes a
/// finding.
struct RulePrefilter {
    private enum Test {
        case always
        /// `definite`: the source's class index, and which class indexes are definite.
        case definite(SourceTable, [Bool])
        /// `owned`: the owner's table and field, each copy's table and field, the tolerance.
        case owned(SourceTable, Int, [(SourceTable, Int)], FixedDecimal)
    }

    private let test: Test

    init(_ rule: Rule, store: CaseStore) {
        switch rule.kind {
        case .definite(let s):
            if let table = store.table(s) {
                test = .definite(table, table.classes.map(\.isDefinite))
            } else {
                test = .always
            }
        case .owned(let field, let owner, let copies, let tolerance):
            if let to = store.table(owner), let fo = to.fieldIndex[field] {
                let resolved = copies.compactMap { copy -> (SourceTable, Int)? in
                    guard let tc = store.table(copy), let fc = tc.fieldIndex[field] else { return nil }
                    return (tc, fc)
                }
                test = .owned(to, fo, resolved, tolerance)
            } else {
                test = .always
            }
        default:
            test = .always
        }
    }

    /// False only when the rule's full check cannot find anything in case `c`.
    @inline(__always) func mayFind(_ c: Int) -> Bool {
        switch test {
        case .always:
            return true
        case .definite(let table, let definite):
            let s = Int(table.caseState[c])
            return s >= 0 && s < definite.count && !definite[s]
        case .owned(let owner, let field, let copies, let tolerance):
            let ownerValue = owner.caseValue(c, field: field)
            if ownerValue.isUnknown { return false }
            for (table, f) in copies where table.caseRow[c] >= 0 {
                if !sameOwnedValue(ownerValue, table.caseValue(c, field: f), tolerance: tolerance) { return true }
            }
            return false
        }
    }
}
