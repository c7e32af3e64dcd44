import DemarcCore
import DemarcRules

/// Classifies a record (or a group's aggregate) into a state class (RULES.md, States).
///
/// Form 1 interns the listed values in one dictionary: one trim and one lookup per record.
struct StateClassifier: Sendable {
    private enum Mode: @unchecked Sendable {
        case none
        case byValue(field: Int, table: [String: Int16], caseSensitive: Bool)
        case byCondition([(Int16, Expr)])
    }

    private let mode: Mode

    init(_ def: SourceDef, fieldIndex: [String: Int]) {
        switch def.state {
        case .none:
            mode = .none
        case .byValue(let field, let classes, let caseSensitive)?:
            var table: [String: Int16] = [:]
            for (i, entry) in classes.enumerated() {
                for text in entry.1 {
                    let t = trimWhitespace(text)
                    let k = caseSensitive ? t : t.lowercased()
                    if table[k] == nil { table[k] = Int16(i) }
                }
            }
            mode = .byValue(field: fieldIndex[field] ?? -1, table: table, caseSensitive: caseSensitive)
        case .byCondition(let list)?:
            mode = .byCondition(list.enumerated().map { (Int16($0.offset), $0.element.1) })
        }
    }

    /// Whether the source has a state at all.
    var hasState: Bool {
        if case .none = mode { return false }
        return true
    }

    /// Form 1: the field whose value alone decides the class (`classify(value:)`).
    var valueField: Int? {
        if case .byValue(let field, _, _) = mode, field >= 0 { return field }
        return nil
    }

    /// Form 1: the class index of a record whose state field holds `value`.
    func classify(value: Value) -> Int16 {
        guard case .byValue(_, let table, let caseSensitive) = mode else { return CaseState.unclassified }
        let text = trimWhitespace(stateText(value))
        return table[caseSensitive ? text : text.lowercased()] ?? CaseState.unclassified
    }

    /// The class index of `row`, or `CaseState.unclassified`. Form 2 evaluates over
    /// `context`, whose box is filled with `row` first (unless it already holds it).
    func classify(_ row: [Value], context: RowContext, calendar: Calendar?, rowIsInBox: Bool = false) -> Int16 {
        switch mode {
        case .none:
            return CaseState.unclassified
        case .byValue(let field, _, _):
            guard field >= 0, field < row.count else { return CaseState.unclassified }
            return classify(value: row[field])
        case .byCondition(let list):
            if !rowIsInBox { context.row.values = row }
            for (index, condition) in list {
                if case .bool(true) = Evaluator.evaluate(condition, in: context, calendar: calendar) {
                    return index
                }
            }
            return CaseState.unclassified
        }
    }

    /// The text a form-1 state field is matched by: its text in `values` (DETAILS.md 11).
    func stateText(_ value: Value) -> String {
        if case .text(let s) = value { return s }
        return value.resultText
    }
}

/// The text without leading and trailing white space.
func trimWhitespace(_ text: String) -> String {
    let utf8 = text.utf8
    guard let first = utf8.first, let last = utf8.last else { return text }
    @inline(__always) func plain(_ b: UInt8) -> Bool { b > 0x20 && b < 0x80 }
    if plain(first) && plain(last) { return text }
    var view = Substring(text)
    while let c = view.unicodeScalars.first, c.properties.isWhitespace { view = view.dropFirst() }
    while let c = view.unicodeScalars.last, c.properties.isWhitespace { view = view.dropLast() }
    return String(view)
}
