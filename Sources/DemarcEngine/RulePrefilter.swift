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
        /// `definite`: `states` per case, `definite` per class index.
        case definite
        /// `owned`: `owner`'s field against each of `copies`, within `tolerance`.
        case owned
    }

    // Plain stored properties, not enum payloads: binding a payload per case copied (and
    // retained) every column it holds, which doubled the rules phase.
    private let test: Test
    private var states: [Int16] = []
    private var definite: [Bool] = []
    private var owner: CaseColumn? = nil
    private var copies: [CaseColumn] = []
    private var tolerance = FixedDecimal(units: 0, scale: 0)
    /// `owned`, per copy: for each text the copy's field interned, the id of the same text in
    /// the owner's field (-1: none), so that interned texts compare by id.
    private var sameText: [[Int32]] = []
    /// `owned` with one copy, neither source grouped (the usual rule): the columns as plain
    /// values, compared without the `CaseColumn` objects (each use of one retained and
    /// released it, per case).
    private var single = false
    private var ownerRow: [Int32] = [], copyRow: [Int32] = []
    private var ownerRows = RowStore(width: 0), copyRows = RowStore(width: 0)
    private var ownerField = 0, copyField = 0
    private var copySameText: [Int32] = []

    init(_ rule: Rule, store: CaseStore) {
        switch rule.kind {
        case .definite(let s):
            guard let table = store.table(s) else { test = .always; return }
            test = .definite
            states = table.caseState
            definite = table.classes.map(\.isDefinite)
        case .owned(let field, let ownerName, let copyNames, let tolerance):
            guard let to = store.table(ownerName), let fo = to.fieldIndex[field] else { test = .always; return }
            test = .owned
            owner = CaseColumn(to, field: fo)
            copies = copyNames.compactMap { copy -> CaseColumn? in
                guard let tc = store.table(copy), let fc = tc.fieldIndex[field] else { return nil }
                return CaseColumn(tc, field: fc)
            }
            self.tolerance = tolerance
            if let owner {
                let ownerTexts = owner.internedTexts()
                var ownerIDs: [String: Int32] = [:]
                for (id, text) in ownerTexts.enumerated() where ownerIDs[text] == nil { ownerIDs[text] = Int32(id) }
                sameText = copies.map { copy in copy.internedTexts().map { ownerIDs[$0] ?? -1 } }
            }
            if let owner, copies.count == 1, let copy = copies.first, !owner.grouped, !copy.grouped {
                single = true
                ownerRow = owner.caseRow; ownerRows = owner.rows; ownerField = owner.field
                copyRow = copy.caseRow; copyRows = copy.rows; copyField = copy.field
                copySameText = sameText[0]
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
        case .definite:
            let s = Int(states[c])
            return s >= 0 && s < definite.count && !definite[s]
        case .owned:
            if single {
                // Stored alike in owner and copy: the same value, no finding. Anything else is
                // decided below, as for several copies.
                let ro = Int(ownerRow[c]), rc = Int(copyRow[c])
                if ro < 0 || rc < 0 { return false }   // no owner (no finding) or no copy (none to compare)
                let (tag, payload) = ownerRows.encoding(record: ro, field: ownerField)
                if tag == RowStore.unknownTag { return false }   // an unknown owner value: no finding
                let (copyTag, copyPayload) = copyRows.encoding(record: rc, field: copyField)
                if RulePrefilter.storedAlike(tag, payload, copyTag, copyPayload, sameText: copySameText) { return false }
            }
            return mayFindOwned(c)
        }
    }

    /// The `owned` test in full: stored encodings compared for every copy, then the values.
    /// Out of line: with one copy, most cases are decided above it.
    @inline(never) private func mayFindOwned(_ c: Int) -> Bool {
        guard let owner else { return false }
        if let (tag, payload) = owner.encoding(c), tag != RowStore.unknownTag {
            // Stored alike in owner and every copy present: the same value, no finding
            // (decoding both values per case was most of an `owned` rule's time).
            var alike = true
            for (k, copy) in copies.enumerated() where copy.isPresent(c) {
                guard let (copyTag, copyPayload) = copy.encoding(c),
                      RulePrefilter.storedAlike(tag, payload, copyTag, copyPayload, sameText: sameText[k]) else {
                    alike = false; break
                }
            }
            if alike { return false }
        }
        let ownerValue = owner.value(c)
        if ownerValue.isUnknown { return false }
        for copy in copies where copy.isPresent(c) {
            if !sameOwnedValue(ownerValue, copy.value(c), tolerance: tolerance) { return true }
        }
        return false
    }
}

extension RulePrefilter {
    /// Whether a copy's stored value is the owner's: the same encoding of a self-contained value
    /// (a known number, date, time, truth value or duration), or interned texts that are the
    /// same text (`sameText`: per copy id, the owner's id of that text, or -1).
    @inline(__always)
    fileprivate static func storedAlike(_ tag: UInt8, _ payload: UInt32, _ copyTag: UInt8, _ copyPayload: UInt32,
                                        sameText: [Int32]) -> Bool {
        if RowStore.isSelfContained(tag) { return copyTag == tag && copyPayload == payload }
        guard tag == RowStore.internedTag && copyTag == RowStore.internedTag else { return false }
        return Int(copyPayload) < sameText.count && sameText[Int(copyPayload)] == Int32(bitPattern: payload)
    }
}

/// One field of a source per case, read from copies of the table's columns (reading a class's
/// properties per case costs a dynamic exclusivity check each time).
private final class CaseColumn {
    let table: SourceTable
    let caseRow: [Int32]
    let rows: RowStore
    let field: Int

    let grouped: Bool

    init(_ table: SourceTable, field: Int) {
        self.table = table
        grouped = table.isGrouped
        caseRow = table.caseRow
        rows = table.rows
        self.field = field
    }

    @inline(__always) func isPresent(_ c: Int) -> Bool { caseRow[c] >= 0 }

    /// How the field of the case's record is stored (nil for a group, or when absent).
    @inline(__always) func encoding(_ c: Int) -> (tag: UInt8, payload: UInt32)? {
        let r = Int(caseRow[c])
        if r < 0 || grouped { return nil }
        return rows.encoding(record: r, field: field)
    }

    /// The texts the field interned, by id (none for a group).
    func internedTexts() -> [String] { grouped ? [] : rows.internedTexts(field: field) }

    /// `SourceTable.caseValue`.
    @inline(__always) func value(_ c: Int) -> Value {
        if table.isGrouped { return table.caseValue(c, field: field) }
        let r = Int(caseRow[c])
        return r < 0 ? .unknown : rows[r, field]
    }
}
