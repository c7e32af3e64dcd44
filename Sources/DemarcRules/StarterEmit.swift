import DemarcCore
import DemarcReaders

/// The lines of the rule file `init` writes.
struct StarterText {
    private(set) var text = ""

    mutating func line(_ s: String) { text += s + "\n" }
    mutating func blank() { if !text.hasSuffix("\n\n") { text += "\n" } }
    mutating func comment(_ lines: [String], indent: String = "") {
        for l in lines { line(l.isEmpty ? indent + "#" : indent + "# " + l) }
    }
}

/// A YAML double-quoted string.
func yamlQuoted(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\t": out += "\\t"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        default:
            if scalar.value < 0x20 || scalar.value == 0x7F {
                out += "\\x" + String(scalar.value, radix: 16, uppercase: true).leftPadded(2)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}

private extension String {
    func leftPadded(_ n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}

extension RuleFileStarter {
    static func writeHeader(_ out: inout StarterText, plans: [StarterSourcePlan], stagesFile: String?) {
        out.comment([
            "A starter rule file written by `demarc init` from profiles of the sources below.",
            "It passes `demarc lint` as written and `demarc check` runs on it; then make it yours:",
            "  1. Sort the state values: each observed value is listed, commented out, under `todo:`;",
            "     move it to `booked`, `not_booked` (the definite classes) or a class of your own",
            "     (open, clarification, …), and remove its `#`. Until then the records that hold it are",
            "     reported as `unclassified-state`, so nothing passes unsorted. Delete `todo:` when empty.",
            "  2. Check the key below against what you know of the systems.",
            "  3. Turn on the commented rules that fit, delete fields you do not need.",
            "Paths are relative to this file's folder.",
        ])
        if let stagesFile { out.comment(["Stage classes come from the Salesforce stage metadata '\(stagesFile)'."]) }
        out.line("demarc: 1")
        out.line("name: " + yamlQuoted(plans.map(\.input.name).joined(separator: " vs. ")))
        out.blank()
    }

    static func writeSource(_ out: inout StarterText, _ plan: StarterSourcePlan) {
        let summary = plan.profile.summary
        out.blank()
        out.comment(["\(plan.input.name): \(plan.format.rawValue), \(summary.records) records"
                     + (summary.malformed > 0 ? " (\(summary.malformed) malformed)" : "")
                     + (plan.accountingLike ? "; taken as the accounting side" : "; taken as the crm side")], indent: "  ")
        out.line("  \(plan.input.name):")
        out.line("    file: " + yamlQuoted(plan.input.fileInRules))
        switch plan.format {
        case .csv:
            if let d = summary.delimiter, d != "," { out.line("    csv: { delimiter: \(yamlQuoted(d)) }") }
        case .datev:
            out.line("    format: datev")
        case .xml:
            out.line("    format: xml")
            out.line("    xml: { record: \(yamlQuoted(plan.input.record ?? "")) }")
        }
        out.line("    key: \(plan.key ?? plan.fields.first?.name ?? "id")")
        if plan.many {
            out.comment(["the key repeats in this source: its records per key form one group"], indent: "    ")
            out.line("    cardinality: many")
            if !plan.group.isEmpty {
                out.line("    group:")
                for (name, aggregation) in plan.group { out.line("      \(name): \(aggregation.rawValue)") }
            }
        }
        out.line("    fields:")
        for field in plan.fields { out.line("      " + fieldLine(field, plan: plan)) }
        writeState(&out, plan)
    }

    private static func fieldLine(_ field: StarterField, plan: StarterSourcePlan) -> String {
        let selectorKey = plan.format == .xml ? "path" : "column"
        let selector = field.byPosition ? field.selector : yamlQuoted(field.selector)
        var note = field.note.map { "  # \($0)" } ?? ""
        if let counts = field.profile.valueCounts, counts.count <= 5, note.isEmpty, !counts.isEmpty {
            note = "  # " + counts.map { "'\($0.value)' \($0.count)" }.joined(separator: ", ")
        } else if note.isEmpty, field.profile.values == 0 {
            note = "  # always empty in the profiled file"
        }
        if field.type == .text && field.extras.isEmpty && !field.byPosition && field.sign == nil {
            return "\(field.name): \(selector)\(note)"
        }
        var parts = ["\(selectorKey): \(selector)"]
        if field.type != .text { parts.append("type: \(field.type.rawValue)") }
        for (key, value) in field.extras { parts.append("\(key): \(yamlQuoted(value))") }
        if let sign = field.sign { parts.append("sign: \(sign)") }
        return "\(field.name): { \(parts.joined(separator: ", ")) }\(note)"
    }

    private static func writeState(_ out: inout StarterText, _ plan: StarterSourcePlan) {
        guard let state = plan.state else {
            out.comment(["no state column found (no column named like status, stage or state with few values);",
                         "add `state:` when rules should ask whether a record is booked"], indent: "    ")
            return
        }
        switch state {
        case .salesforce(let closed, let won):
            // A proposal, not a decision (CLI.md: values stay unclassified until someone
            // decides): every record is unclassified until these lines are taken over.
            out.comment(["Salesforce: IsClosed and IsWon could decide. Proposal: replace the `todo` condition",
                         "below with these lines once they fit your org (the first true condition wins):",
                         "  - booked: \(yamlQuoted("\(closed) and \(won)"))",
                         "  - not_booked: \(yamlQuoted("\(closed) and not \(won)"))",
                         "  - open: \(yamlQuoted("not \(closed)"))",
                         "(or run init with --stages OpportunityStage.standardValueSet-meta.xml)"], indent: "    ")
            writeUndecidedClassify(&out)
        case .datev:
            out.comment(["DATEV: a fixed batch (Festschreibung in the metadata line) is booked; an unfixed one",
                         "can still change. Proposal: replace the `todo` condition below with",
                         "  - booked: \"header.festschreibung\"",
                         "  - unfixed: \"not header.festschreibung\"",
                         "and add conditions before them, e.g. `- not_booked: \"amount == 0\"`."], indent: "    ")
            writeUndecidedClassify(&out)
        case .values(let field, let column, let classes, let todo):
            out.comment(["state from column '\(column)'"], indent: "    ")
            out.line("    state:")
            out.line("      field: \(field)")
            out.line("      classes:")
            for (name, values) in classes {
                out.line("        \(name): [\(values.map(yamlQuoted).joined(separator: ", "))]")
            }
            if classes.isEmpty || !todo.isEmpty {
                // `[]`, not an empty value: a null class list would mean the empty value (DETAILS.md 11).
                out.line("        todo: []")
                out.comment(["Observed values, not yet sorted (records with them are unclassified-state):"], indent: "          ")
                for count in todo {
                    out.line("          # - \(yamlQuoted(count.value))   # \(count.count) record\(count.count == 1 ? "" : "s")")
                }
            }
        }
    }

    /// A `classify` whose only condition is never true: every record is `unclassified-state`
    /// until the author writes the real conditions.
    private static func writeUndecidedClassify(_ out: inout StarterText) {
        out.line("    state:")
        out.line("      classify:")
        out.line("        - todo: \"false\"   # never true: records stay unclassified until you decide")
    }

    static func writeRules(_ out: inout StarterText, plans: [StarterSourcePlan]) {
        let accounting = plans.first(where: \.accountingLike) ?? plans[plans.count - 1]
        let crms = plans.filter { $0.input.name != accounting.input.name }
        let acc = accounting.input.name
        out.comment(["Starter rules. Active where the sources allow them; the others are commented out with why."])
        out.line("rules:")
        if accounting.state != nil {
            out.comment(["accounting says booked or not booked, nothing in between"], indent: "  ")
            out.line("  - id: \(acc)-is-definite")
            out.line("    definite: \(acc)")
        } else {
            out.comment(["needs a state on \(acc):", "- id: \(acc)-is-definite", "  definite: \(acc)"], indent: "  ")
        }
        for crm in crms {
            let name = crm.input.name
            out.blank()
            out.comment(["every record of \(acc) has its \(name) record"], indent: "  ")
            out.line("  - id: \(acc)-has-\(name)")
            out.line("    counterpart: { of: \(acc), in: \(name) }")
            out.blank()
            out.comment(["every \(name) record that says booked is in \(acc)"
                         + (crm.state == nil ? " (without a state on \(name): every record)" : "")], indent: "  ")
            out.line("  - id: \(name)-booked-is-in-\(acc)")
            out.line("    counterpart: { of: \(name), in: \(acc) }")
            if crm.state != nil { out.line("    where: \(yamlQuoted("\(name) is booked"))") }
            out.blank()
            if crm.state != nil && accounting.state != nil {
                out.comment(["where both have the record, their states agree"], indent: "  ")
                out.line("  - id: \(name)-and-\(acc)-agree")
                out.line("    agree: [\(name), \(acc)]")
            } else {
                out.comment(["needs a state on both sides:", "- id: \(name)-and-\(acc)-agree", "  agree: [\(name), \(acc)]"], indent: "  ")
            }
            out.blank()
            if crm.amountField == "amount" && accounting.amountField == "amount" {
                out.comment(["the amount belongs to \(acc); the \(name) copy must equal it"], indent: "  ")
                out.line("  - id: amount-owned-by-\(acc)")
                out.line("    owned: { field: amount, owner: \(acc), copies: [\(name)], tolerance: 0.01 }")
            } else {
                out.comment(["needs a decimal field named amount on both sides:",
                             "- id: amount-owned-by-\(acc)",
                             "  owned: { field: amount, owner: \(acc), copies: [\(name)], tolerance: 0.01 }"], indent: "  ")
            }
        }
    }
}
