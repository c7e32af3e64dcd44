import DemarcCore
import Foundation
import Yams

/// Reads a rule file (RULES.md) into a validated `RuleFile`, or reports every problem at once.
public enum RuleFileLoader {
    /// Loads and validates the rule file at `path`. A missing or unreadable file is `.usage`; a
    /// file with problems is `.invalidConfiguration` with all of them, sorted by position.
    /// Relative `file:` paths are resolved against the rule file's folder.
    public static func load(path: String) throws -> RuleFile {
        let bytes = try readRuleFile(path)
        var text = bytes[...]
        if text.starts(with: [0xEF, 0xBB, 0xBF]) { text = text.dropFirst(3) }
        guard let yaml = String(validating: text, as: UTF8.self) else {
            let line = 1 + text.prefix(upTo: firstInvalidUTF8(text)).filter { $0 == 0x0A }.count
            throw DemarcError.invalidConfiguration([
                Diagnostic(SourcePosition(file: path, line: line, column: 1), "the rule file is not valid utf-8"),
            ])
        }
        return try load(yaml: yaml, path: path, sha256: SHA256.hex(bytes))
    }

    /// Loads and validates rule-file text as if it were read from `path` (for tests; the
    /// checksum is that of the text's UTF-8 bytes).
    public static func load(yaml: String, path: String) throws -> RuleFile {
        try load(yaml: yaml, path: path, sha256: SHA256.hex(Array(yaml.utf8)))
    }

    static func load(yaml: String, path: String, sha256: String) throws -> RuleFile {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw DemarcError.invalidConfiguration([yamlDiagnostic(error, path: path, yaml: yaml)])
        }
        guard let root else {
            throw DemarcError.invalidConfiguration([
                Diagnostic(SourcePosition(file: path, line: 1, column: 1),
                           "the rule file is empty; it needs 'demarc: 1', 'sources' and 'rules'"),
            ])
        }
        let reader = YAMLReader(path: path, yaml: yaml)
        let builder = RuleFileBuilder(reader: reader, path: path)
        let file = builder.build(root, sha256: sha256)
        if let file, reader.diagnostics.isEmpty { return file }
        var seen = Set<Diagnostic>()
        let unique = reader.diagnostics.filter { seen.insert($0).inserted }
        // Stable: problems at the same position keep the order they were found in.
        let sorted = unique.enumerated().sorted { a, b in
            a.element.position == b.element.position ? a.offset < b.offset : a.element.position < b.element.position
        }.map(\.element)
        throw DemarcError.invalidConfiguration(sorted.isEmpty
            ? [Diagnostic(SourcePosition(file: path, line: 1, column: 1), "the rule file is invalid")] : sorted)
    }

    // MARK: - Reading the file

    private static func readRuleFile(_ path: String) throws -> [UInt8] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw DemarcError.usage("cannot read rule file '\(path)': no such file")
        }
        if isFolder.boolValue {
            throw DemarcError.usage("cannot read rule file '\(path)': it is a folder")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DemarcError.usage("cannot read rule file '\(path)': permission denied or unreadable")
        }
        return [UInt8](data)
    }

    private static func firstInvalidUTF8(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8>.Index {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let lead = bytes[index]
            let length: Int
            switch lead {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return index
            }
            guard index + length <= bytes.endIndex,
                  String(validating: bytes[index..<(index + length)], as: UTF8.self) != nil else { return index }
            index += length
        }
        return index
    }

    private static func lowercasedFirst(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.lowercased() + text.dropFirst()
    }

    static func yamlDiagnostic(_ error: Error, path: String, yaml: String) -> Diagnostic {
        func at(_ mark: Mark, _ message: String) -> Diagnostic {
            Diagnostic(SourcePosition(file: path, line: mark.line, column: mark.column), message)
        }
        guard let error = error as? YamlError else {
            return Diagnostic(SourcePosition(file: path, line: 1, column: 1), "invalid yaml: \(error)")
        }
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let while_ = context.map { " \($0.text)" } ?? ""
            return at(mark, "invalid yaml: \(lowercasedFirst(problem))\(while_)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let names = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return at(context.mark, "duplicate key \(names)")
        case .reader(let problem, let offset, _, _):
            var line = 1
            if let offset {
                line += yaml.unicodeScalars.prefix(max(0, offset)).filter { $0 == "\n" }.count
            }
            return Diagnostic(SourcePosition(file: path, line: line, column: 1), "invalid yaml: \(lowercasedFirst(problem))")
        default:
            return Diagnostic(SourcePosition(file: path, line: 1, column: 1), "invalid yaml: \(error)")
        }
    }
}

/// Builds a `RuleFile` from the composed YAML, reporting every problem to its reader.
final class RuleFileBuilder {
    let reader: YAMLReader
    let path: String
    /// The sources read so far, in file order.
    var sources: [SourceDraft] = []
    var calendar: DemarcRules.Calendar?
    /// Whether the file has a `calendar:` (even one with problems, which are reported there).
    var hasCalendar = false

    static let topKeys = ["demarc", "name", "description", "as_of", "calendar", "sources", "match",
                          "implicit", "rules"]

    init(reader: YAMLReader, path: String) {
        self.reader = reader
        self.path = path
    }

    /// The rule file, or nil when it is too broken to build (the reader has the problems).
    func build(_ root: Node, sha256: String) -> RuleFile? {
        // A file of another format is not checked against this one's keys.
        if let version = root.mapping?["demarc"], reader.isInteger(version), version.int != 1 {
            reader.error(version, "unsupported rule format '\(version.scalar?.string ?? "")'; this demarc reads format 1")
            return nil
        }
        guard let top = reader.map(root, known: Self.topKeys, what: "the rule file") else { return nil }
        if let version = top["demarc"] {
            if !reader.isInteger(version) {
                reader.error(version, "unsupported rule format '\(version.scalar?.string ?? "")'; this demarc reads format 1")
            }
        } else {
            reader.error(root, "missing required key 'demarc' in the rule file (write 'demarc: 1')")
        }
        let name = top["name"].flatMap { reader.text($0, what: "'name'") }
        let description = top["description"].flatMap { reader.text($0, what: "'description'") }
        var asOf: Day?
        if let node = top["as_of"], let text = reader.text(node, what: "'as_of'") {
            asOf = LoaderValues.isoDate(text)
            if asOf == nil { reader.error(node, "'as_of' must be a date (yyyy-MM-dd), not '\(text)'") }
        }
        hasCalendar = top["calendar"] != nil
        calendar = top["calendar"].flatMap(readCalendar)
        let match = top["match"].map(readMatch) ?? MatchDef()
        let implicit = top["implicit"].map(readImplicit) ?? [:]

        if let node = reader.require(top, "sources", in: "the rule file", at: root) {
            readSources(node)
        }
        checkKeyArity()
        var rules: [Rule] = []
        if let node = reader.require(top, "rules", in: "the rule file", at: root) {
            rules = readRules(node)
        }
        var severities: [ImplicitCheck: Severity] = [:]
        for check in ImplicitCheck.allCases { severities[check] = implicit[check] ?? .error }
        return RuleFile(path: path, sha256: sha256, name: name, description: description, asOf: asOf,
                        calendar: calendar, sources: sources.map(\.def), match: match,
                        implicitSeverity: severities, rules: rules)
    }

    // MARK: - Choices

    /// One of `options` (by its written name); reports an unknown word with the closest one.
    func choice<T>(_ node: Node, what: String, _ options: [(String, T)]) -> T? {
        guard let text = reader.text(node, what: "'\(what)'") else { return nil }
        if let found = options.first(where: { $0.0 == text }) { return found.1 }
        reader.error(node, "unknown \(what) '\(text)'" + suggestion(text, options.map(\.0)))
        return nil
    }

    // MARK: - Calendar, match, implicit

    private func readCalendar(_ node: Node) -> DemarcRules.Calendar? {
        guard let map = reader.map(node, known: ["period", "grace", "closes"], what: "'calendar'") else { return nil }
        var period = DemarcRules.Calendar.Period.month
        if let value = map["period"] {
            period = choice(value, what: "period", [("month", .month), ("quarter", .quarter), ("year", .year)]) ?? .month
        }
        var grace: Int64 = 0
        if let value = map["grace"], let text = reader.text(value, what: "'grace'") {
            if let millis = LoaderValues.durationMillis(text) {
                grace = millis
            } else {
                reader.error(value, "'grace' must be a duration such as '5d', not '\(text)'")
            }
        }
        var closes: [Day] = []
        if let value = map["closes"], let items = reader.textList(value, what: "'closes'") {
            for (text, item) in items {
                if let day = LoaderValues.isoDate(text) {
                    closes.append(day)
                } else {
                    reader.error(item, "a close date must be a date (yyyy-MM-dd), not '\(text)'")
                }
            }
        }
        return DemarcRules.Calendar(period: period, graceMillis: grace, closes: closes.sorted())
    }

    private func readMatch(_ node: Node) -> MatchDef {
        guard let map = reader.map(node, known: ["normalize"], what: "'match'") else { return MatchDef() }
        guard let value = map["normalize"], let items = reader.textList(value, what: "'normalize'") else {
            return MatchDef()
        }
        let options = Normalizer.allCases.map { ($0.rawValue, $0) }
        return MatchDef(normalize: items.compactMap { choice($0.1, what: "normalizer", options) })
    }

    private func readImplicit(_ node: Node) -> [ImplicitCheck: Severity] {
        guard let entries = reader.namedEntries(node, what: "'implicit'") else { return [:] }
        var result: [ImplicitCheck: Severity] = [:]
        let checks = ImplicitCheck.allCases.map(\.rawValue)
        for (name, keyNode, value) in entries {
            guard let check = ImplicitCheck(rawValue: name) else {
                reader.error(keyNode, "unknown implicit check '\(name)'" + suggestion(name, checks))
                continue
            }
            if let text = value.scalar?.string, Severity(rawValue: text) == nil,
               ["off", "none", "false", "no", "disabled", "ignore"].contains(text.lowercased()) {
                reader.error(value, "implicit checks cannot be turned off; severity must be 'error', 'warning' or 'info', not '\(text)'")
                continue
            }
            if let severity = choice(value, what: "severity", Severity.allCases.map { ($0.rawValue, $0) }) {
                result[check] = severity
            }
        }
        return result
    }
}
