import DemarcCore
import DemarcReaders
import DemarcRules

/// The five implicit checks (RULES.md, Implicit checks); they always run.
struct ImplicitChecker {
    let store: CaseStore
    let severity: [ImplicitCheck: Severity]
    /// The rank of the first implicit check (after every rule).
    let baseRank: Int
    /// The tables (by position in the store) whose records the record checks (duplicates,
    /// missing keys, malformed values and records) look at; nil: every table. Streaming
    /// checks each record once, in the one store that holds it.
    var recordChecks: Set<Int>? = nil

    /// Every implicit finding, appended to `drafts`.
    func check(into drafts: inout DraftList) {
        for (i, check) in ImplicitCheck.allCases.enumerated() {
            let rank = baseRank + i
            let sev = severity[check] ?? .error
            for (t, table) in store.tables.enumerated() {
                if check != .unclassifiedState, let only = recordChecks, !only.contains(t) { continue }
                switch check {
                case .unclassifiedState: unclassified(table, rank, sev, &drafts)
                case .duplicateKey: duplicates(table, rank, sev, &drafts)
                case .missingKey: missingKeys(table, rank, sev, &drafts)
                case .malformedValue: malformedValues(table, rank, sev, &drafts)
                case .malformedRecord: malformedRecords(table, rank, sev, &drafts)
                }
            }
        }
    }

    private func make(_ check: ImplicitCheck, _ rank: Int, _ severity: Severity, key: [String],
                      extra: [String], message: String, table: SourceTable, records: [Int],
                      fieldRank: Int = 0) -> FindingDraft {
        FindingDraft(rank: rank, rule: check.rawValue, kind: check.rawValue, severity: severity,
                     key: key, message: message, fixIn: table.def.name,
                     fingerprint: Fingerprint.digest(rule: check.rawValue, key: key, extra: [table.def.name] + extra),
                     records: RecordRefs(source: table.order, records), malformed: nil, sourceRank: table.order,
                     line: records.first.map { Int(table.lines[$0]) } ?? 0, fieldRank: fieldRank)
    }

    /// Once per kept record, or once per group with all its records.
    private func unclassified(_ table: SourceTable, _ rank: Int, _ sev: Severity, _ drafts: inout DraftList) {
        guard table.def.state != nil else { return }
        let states = table.caseState   // a local copy: no exclusivity check per case
        for c in 0..<store.count where states[c] == CaseState.unclassified {
            let message: String
            if case .byValue(let field, _, _)? = table.def.state {
                let text = table.fieldIndex[field].map { table.caseValue(c, field: $0).resultText } ?? ""
                message = "\(table.def.name) says '\(text)', which is in no class of its state"
            } else {
                message = "\(table.def.name) matches no condition of its state"
            }
            drafts.append(make(.unclassifiedState, rank, sev, key: store.keyParts(c), extra: [],
                               message: message, table: table, records: table.caseRecords(c)))
        }
    }

    private func duplicates(_ table: SourceTable, _ rank: Int, _ sev: Severity, _ drafts: inout DraftList) {
        for dup in table.duplicates {
            let key = store.keyParts(record: Int(dup.record), of: table)
            let message = "\(table.def.name) has key '\(key.joined(separator: ", "))' again (occurrence \(dup.occurrence)); "
                + "the first record is at line \(dup.firstLine)"
            drafts.append(make(.duplicateKey, rank, sev, key: key, extra: [String(dup.occurrence)],
                               message: message, table: table, records: [Int(dup.record)]))
        }
    }

    private func missingKeys(_ table: SourceTable, _ rank: Int, _ sev: Severity, _ drafts: inout DraftList) {
        for r in 0..<table.keyMissing.count where table.keyMissing[r] {
            let key = store.keyParts(record: r, of: table)
            let names = table.def.key.joined(separator: ", ")
            drafts.append(make(.missingKey, rank, sev, key: key, extra: [rawText(table, r)],
                               message: "\(table.def.name) record has an empty key '\(names)'",
                               table: table, records: [r]))
        }
    }

    private func malformedValues(_ table: SourceTable, _ rank: Int, _ sev: Severity, _ drafts: inout DraftList) {
        for issue in table.valueIssues {
            let r = Int(issue.record)
            let field = table.fieldNames[Int(issue.field)]
            drafts.append(make(.malformedValue, rank, sev, key: store.keyParts(record: r, of: table), extra: [field],
                               message: issue.message, table: table, records: [r], fieldRank: Int(issue.field)))
        }
    }

    private func malformedRecords(_ table: SourceTable, _ rank: Int, _ sev: Severity, _ drafts: inout DraftList) {
        for (i, entry) in table.malformed.enumerated() {
            let check = ImplicitCheck.malformedRecord
            let message = "\(table.def.name) record at \(table.file):\(entry.line) is malformed: "
                + "\(entry.detail.reason.phrase) (\(entry.detail.detail))"
            drafts.append(FindingDraft(
                rank: rank, rule: check.rawValue, kind: check.rawValue, severity: sev, key: [],
                message: message, fixIn: table.def.name,
                fingerprint: Fingerprint.digest(rule: check.rawValue, key: [], extra: [table.def.name, entry.detail.raw]),
                records: RecordRefs(), malformed: (table.order, i), sourceRank: table.order, line: entry.line, fieldRank: 0))
        }
    }

    /// A record's raw text (DETAILS.md 25): as written where the reader keeps it (CSV); else
    /// (XML, GoBD) its values joined by U+001F.
    private func rawText(_ table: SourceTable, _ record: Int) -> String {
        if let text = table.missingKeyRaw[Int32(record)] { return text }
        return (0..<table.width).map { table.value(record: record, field: $0).resultText }.joined(separator: "\u{1F}")
    }
}
