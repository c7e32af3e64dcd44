import DemarcCore
import DemarcRules

/// Default finding messages and `message:` templates: lowercase, values in single quotes.
struct Messages {
    let store: CaseStore
    let caseIndex: Int

    /// What a source says in the case: `crm says 'Closed Won' (booked)`, `accounting is
    /// 'unlocked'`, or `crm has a record` for a source without state.
    func says(_ table: SourceTable, withClass: Bool) -> String {
        let name = table.def.name
        switch table.def.state {
        case .byValue(let field, _, _)?:
            let text = table.fieldIndex[field].map { table.caseValue(caseIndex, field: $0).resultText } ?? ""
            let cls = table.stateClass(caseIndex).map { " (\($0.name))" } ?? " (unclassified)"
            return "\(name) says '\(text)'" + (withClass ? cls : "")
        case .byCondition?:
            guard let cls = table.stateClass(caseIndex) else { return "\(name) is unclassified" }
            return "\(name) is '\(cls.name)'"
        case nil:
            return "\(name) has a record"
        }
    }

    /// Renders `{…}` placeholders in order; an unknown value renders as empty text.
    func render(_ template: String, _ placeholders: [Expr], _ context: CaseContext, _ calendar: Calendar?) -> String {
        var out = ""
        var index = 0
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            out += rest[..<open]
            if index < placeholders.count {
                out += Evaluator.evaluate(placeholders[index], in: context, calendar: calendar).resultText
            }
            index += 1
            rest = rest[rest.index(after: close)...]
        }
        out += rest
        return out
    }
}
