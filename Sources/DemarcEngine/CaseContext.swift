import DemarcCore
import DemarcRules

/// What the evaluator sees of one case: prefixed fields, presence, classes and counts.
struct CaseContext: EvaluationContext {
    let store: CaseStore
    let caseIndex: Int
    let asOf: Day

    func value(source: String?, field: String) -> Value {
        guard let source, let table = store.table(source), let f = table.fieldIndex[field] else { return .unknown }
        return table.caseValue(caseIndex, field: f)
    }

    func isPresent(source: String) -> Bool {
        guard let table = store.table(source) else { return false }
        return table.caseRow[caseIndex] >= 0
    }

    func stateClass(source: String) -> StateClass? {
        store.table(source)?.stateClass(caseIndex)
    }

    func count(source: String) -> Int {
        store.table(source)?.caseCount(caseIndex) ?? 0
    }

    func header(_ name: String) -> Value { .unknown }
}

/// The rule file's calendar (not Foundation's, which files importing Foundation also see).
typealias Calendar = DemarcRules.Calendar
