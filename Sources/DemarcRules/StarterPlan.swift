import DemarcCore
import DemarcReaders

/// One `--source NAME=FILE` of `demarc init`.
public struct StarterSourceInput: Sendable {
    public var name: String
    /// The path to read.
    public var path: String
    /// The path to write as `file:` (relative to the rule file's folder).
    public var fileInRules: String
    /// XML: the record path (`--record NAME=PATH`).
    public var record: String?

    public init(name: String, path: String, fileInRules: String, record: String? = nil) {
        self.name = name; self.path = path; self.fileInRules = fileInRules; self.record = record
    }
}

/// One field `init` writes.
struct StarterField {
    var name: String
    /// Column name, 1-based position (as text), or XML path.
    var selector: String
    var byPosition: Bool
    var type: FieldType
    /// Extra keys of the long form, in order (`format`, `decimal`, `thousands`).
    var extras: [(String, String)]
    var profile: ColumnProfile
    var note: String?
    /// `sign:` written as is (DATEV's Soll/Haben-Kennzeichen).
    var sign: String?
}

/// What `init` decided for one source.
struct StarterSourcePlan {
    var input: StarterSourceInput
    var profile: FileProfile
    var format: ProfileFormat
    var fields: [StarterField]
    var key: String?
    var many = false
    var group: [(String, Aggregation)] = []
    var state: StarterState?
    var accountingLike = false
    /// The amount-like decimal field, if any.
    var amountField: String?

    func field(forColumn column: String) -> StarterField? { fields.first { $0.profile.name == column } }
}

/// The state `init` proposes.
enum StarterState {
    /// Form 1: known classes (from `--stages`), and observed values left to sort.
    case values(field: String, column: String, classes: [(String, [String])], todo: [(value: String, count: Int)])
    /// Salesforce IsClosed / IsWon.
    case salesforce(closed: String, won: String)
    /// DATEV: a fixed batch (Festschreibung) is booked.
    case datev
}

extension StarterSourcePlan {
    /// Profiles the source and maps every column to a field.
    static func make(_ input: StarterSourceInput, stages: SalesforceStages?) throws -> StarterSourcePlan {
        let request = ProfileRequest(input: .file(input.path), format: nil, record: input.record)
        let (format, _) = try Profiler.decideFormat(request)
        if format == .xml && input.record == nil {
            let listing = try Profiler.profile(request).repeatingPaths.prefix(8).map { "'\($0.path)'" }.joined(separator: ", ")
            throw DemarcError.usage("source '\(input.name)' is xml: give its record path with --record \(input.name)=PATH"
                                    + (listing.isEmpty ? "" : " (repeating elements: \(listing))"))
        }
        let profile = try Profiler.profile(request)
        var plan = StarterSourcePlan(input: input, profile: profile, format: format, fields: [])
        plan.fields = starterFields(profile, format: format)
        plan.accountingLike = format == .datev || looksLikeAccounting(input)
        if let flags = StateGuess.salesforceFlags(profile.columns), stages == nil,
           let closed = plan.field(forColumn: flags.closed), let won = plan.field(forColumn: flags.won),
           closed.type == .bool, won.type == .bool {
            plan.state = .salesforce(closed: closed.name, won: won.name)
        } else if let column = stageColumn(profile, stages: stages) ?? StateGuess.stateColumn(profile.columns),
                  let index = plan.fields.firstIndex(where: { $0.profile.name == column.name }) {
            plan.fields[index].type = .text
            plan.fields[index].extras = []
            var observed = (column.valueCounts ?? []).map { (value: $0.value, count: $0.count) }
            if column.valueCounts == nil {
                let counts = try plan.readValues([plan.fields[index]], limit: 1000)[0]
                observed = counts.keys.sorted().map { (value: $0, count: counts[$0] ?? 0) }
            }
            plan.state = valueState(field: plan.fields[index].name, column: column.name, observed: observed, stages: stages)
        }
        if format == .datev && plan.state == nil { plan.state = .datev }
        if format == .datev, let sign = profile.columns.first(where: { $0.name == "Soll/Haben-Kennzeichen" }),
           let index = plan.fields.firstIndex(where: { $0.profile.name == "Umsatz (ohne Soll/Haben-Kz)" }) {
            plan.fields[index].sign = "{ column: \(yamlQuoted(sign.name)), negative: [H] }"
        }
        plan.amountField = plan.bestAmount()
        return plan
    }

    /// With `--stages`, Salesforce's `StageName` column is the state column.
    private static func stageColumn(_ profile: FileProfile, stages: SalesforceStages?) -> ColumnProfile? {
        guard stages != nil else { return nil }
        return profile.columns.first { $0.name == "StageName" }
    }

    private static func valueState(field: String, column: String, observed: [(value: String, count: Int)],
                                   stages: SalesforceStages?) -> StarterState {
        guard let stages else {
            return .values(field: field, column: column, classes: [], todo: observed)
        }
        var classes: [(String, [String])] = []
        for name in ["booked", "not_booked", "open"] {
            let values = stages.stages.filter { SalesforceStages.className(of: $0) == name }.map(\.name)
            if !values.isEmpty { classes.append((name, values)) }
        }
        let known = Set(stages.stages.map(\.name))
        return .values(field: field, column: column, classes: classes,
                       todo: observed.filter { !known.contains($0.value) })
    }

    private static func looksLikeAccounting(_ input: StarterSourceInput) -> Bool {
        let words = ["acc", "ledger", "erp", "fibu", "buch", "datev", "saft", "journal", "gl", "invoice", "rechnung", "booking"]
        let file = input.path.split(separator: "/").last.map { $0.lowercased() } ?? ""
        return words.contains { input.name.hasPrefix($0) || input.name.contains($0) || file.contains($0) }
    }

    /// Words of amount columns, the likeliest invoice amount first.
    static let amountWords = ["gross", "brutto", "total", "amount", "betrag", "umsatz", "summe", "sum", "net", "value", "price"]

    static func isAmountName(_ name: String) -> Bool {
        let folded = name.lowercased()
        return amountWords.contains { folded.contains($0) }
    }

    /// The decimal field most like an invoice amount: by `amountWords`, once per record.
    func bestAmount() -> String? {
        let decimals = fields.filter { $0.type == .decimal && $0.profile.repeatsInRecord != true }
        for word in Self.amountWords {
            if let hit = decimals.first(where: { $0.profile.name.lowercased().contains(word) }) { return hit.name }
        }
        return decimals.first?.name
    }

    // MARK: - Fields

    private static func starterFields(_ profile: FileProfile, format: ProfileFormat) -> [StarterField] {
        let names = profile.columns.map(\.name)
        var used = Set<String>()
        var fields: [StarterField] = []
        for column in profile.columns {
            var name = fieldName(for: column.name, format: format, position: column.position, all: names)
            if used.contains(name) {
                var n = 2
                while used.contains("\(name)_\(n)") { n += 1 }
                name = "\(name)_\(n)"
            }
            used.insert(name)
            let unique = !column.name.isEmpty && names.filter { $0 == column.name }.count == 1
            var field = StarterField(name: name, selector: unique ? column.name : "\(column.position)",
                                     byPosition: !unique && format != .xml, type: .text, extras: [], profile: column)
            applyType(&field, column: column, format: format)
            fields.append(field)
        }
        return fields
    }

    private static func applyType(_ field: inout StarterField, column: ColumnProfile, format: ProfileFormat) {
        if format == .datev && column.name == "Belegdatum" {
            field.type = .date
            field.extras = [("format", "ddMM")]
            field.note = "DATEV writes day and month; the year comes from the metadata period"
            return
        }
        switch column.type {
        case .empty, .text:
            field.type = .text
        case .integer:
            // Whole amounts (HubSpot writes `1500`) are still amounts: decimal, to compare with
            // the other side's.
            field.type = isAmountName(column.name) ? .decimal : .integer
        case .bool:
            field.type = .bool
        case .decimal(let mark, let thousands):
            field.type = .decimal
            if mark != UInt8(ascii: ".") || format == .datev { field.extras.append(("decimal", String(UnicodeScalar(mark)))) }
            if let thousands { field.extras.append(("thousands", String(UnicodeScalar(thousands)))) }
        case .date(let format):
            field.type = .date
            if format != .isoDate, dateFormats.contains(where: { $0.1 == format }) {
                field.extras.append(("format", format.displayPattern))
            }
        case .datetime(let format):
            field.type = .datetime
            if case .pattern(let pattern) = format { field.extras.append(("format", pattern)) }
        }
    }

    /// A rule-file field name for a column: `StageName` → `stage_name`, `Belegfeld 1` →
    /// `belegfeld_1`, `DocumentTotals/GrossTotal` → `gross_total` (the last step when unique).
    static func fieldName(for column: String, format: ProfileFormat, position: Int, all: [String]) -> String {
        var source = column
        if format == .xml {
            let last = column.split(separator: "/").last.map(String.init) ?? column
            let lastSteps = all.map { $0.split(separator: "/").last.map(String.init) ?? $0 }
            source = lastSteps.filter { $0 == last }.count == 1 ? last : column
        }
        var out = ""
        var previous: Character = "_"
        for c in source.replacingOccurrences(of: "@", with: "") {
            let replacement: String
            switch c {
            case "ä", "Ä": replacement = "ae"
            case "ö", "Ö": replacement = "oe"
            case "ü", "Ü": replacement = "ue"
            case "ß": replacement = "ss"
            default:
                if c.isASCII && (c.isLetter || c.isNumber) {
                    if c.isUppercase && (previous.isLowercase || previous.isNumber) { out.append("_") }
                    replacement = String(c).lowercased()
                } else {
                    replacement = "_"
                }
            }
            if replacement == "_" && (out.isEmpty || out.hasSuffix("_")) { previous = c; continue }
            out += replacement
            previous = c
        }
        while out.hasSuffix("_") { out.removeLast() }
        if out.isEmpty { out = "column_\(position)" }
        if let first = out.first, !first.isLetter { out = "f_" + out }
        if reservedFieldNames.contains(out) { out += "_value" }
        return out
    }

    /// A text column named like an amount whose distinct values nearly all (90%) parse as
    /// decimals becomes a decimal field: the few that do not are `malformed-value` findings,
    /// which is what a check should say about them.
    mutating func refineAmounts(_ values: [KeyColumnValues]) {
        for column in values {
            guard let index = fields.firstIndex(where: { $0.name == column.field }), fields[index].type == .text,
                  StarterSourcePlan.isAmountName(fields[index].profile.name), !column.values.isEmpty else { continue }
            for mark in [UInt8(ascii: "."), UInt8(ascii: ",")] {
                let spec = ValueSpec(type: .decimal, decimalMark: mark)
                let parsed = column.values.filter { if case .value = ValueParser.parse($0, as: spec) { return true } else { return false } }.count
                if Double(parsed) >= 0.9 * Double(column.values.count) {
                    fields[index].type = .decimal
                    fields[index].extras = mark == UInt8(ascii: ".") ? [] : [("decimal", ",")]
                    let bad = column.values.count - parsed
                    fields[index].note = "\(bad) value\(bad == 1 ? "" : "s") of the profiled file do\(bad == 1 ? "es" : "") not parse: malformed-value findings"
                    amountField = bestAmount()
                    break
                }
            }
        }
    }

    // MARK: - Key values

    /// Columns that could be keys: text or integer, mostly distinct.
    var keyCandidates: [StarterField] {
        fields.filter { field in
            let p = field.profile
            guard field.type == .text || field.type == .integer, p.values > 0 else { return false }
            if case .values(let stateField, _, _, _) = state, stateField == field.name { return false }
            return Double(p.distinct) >= 0.5 * Double(p.values) && p.distinct > 1 || p.values == 1
        }
    }

    /// The distinct values of the key candidates (read once more; at most `limit` per column).
    func keyValues(limit: Int = 200_000) throws -> [KeyColumnValues] {
        let candidates = keyCandidates
        guard !candidates.isEmpty else { return [] }
        let sets = try readValues(candidates, limit: limit)
        return zip(candidates, sets).map { KeyColumnValues(source: self.input.name, field: $0.name,
                                                           column: $0.profile.name, values: Set($1.keys)) }
    }

    /// The distinct trimmed non-empty values of `columns` with their counts (at most `limit`
    /// distinct per column), read once more from the file.
    func readValues(_ columns: [StarterField], limit: Int) throws -> [[String: Int]] {
        let input = InputFile.file(input.path)
        let requests = columns.map { field -> FieldRequest in
            format == .xml ? FieldRequest(.path(field.profile.name)) : FieldRequest(.position(field.profile.position))
        }
        var sets = [[String: Int]](repeating: [:], count: columns.count)
        let sink: RecordSink = { record in
            guard record.malformed == nil else { return }
            for i in sets.indices {
                guard let text = record.text(i).map(trimmed), !text.isEmpty else { continue }
                if sets[i].count < limit || sets[i][text] != nil { sets[i][text, default: 0] += 1 }
            }
        }
        switch format {
        case .csv:
            let delimiter = profile.summary.delimiter.flatMap { $0.utf8.count == 1 ? $0.utf8.first : nil }
            _ = try CSVReader(input: input, options: CSVOptions(delimiter: delimiter ?? UInt8(ascii: ","))).read(fields: requests, sink: sink)
        case .datev:
            _ = try DatevReader(input: input, overrides: nil).read(fields: requests, sink: sink)
        case .xml:
            _ = try XMLRecordReader(input: input, options: XMLOptions(record: self.input.record ?? "")).read(fields: requests, sink: sink)
        }
        return sets
    }
}
