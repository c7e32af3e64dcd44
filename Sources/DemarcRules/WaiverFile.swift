import DemarcCore
import Foundation
import Yams

/// One entry of a waiver file (CLI.md, "Baseline and waivers"): a finding people decided to
/// accept until a date.
public struct Waiver: Sendable, Hashable {
    /// The rule id or implicit check id it covers.
    public var rule: String
    /// The key parts as written (normalized by the rule file's `match.normalize` when matched).
    public var key: [String]
    public var reason: String
    public var owner: String?
    public var ticket: String?
    /// The last day the waiver holds; after it the finding fails again (`expired-waiver`).
    public var expires: Day
    /// Where the entry starts in the waiver file.
    public var position: SourcePosition

    /// Makes a waiver.
    public init(rule: String, key: [String], reason: String, owner: String? = nil, ticket: String? = nil,
                expires: Day, position: SourcePosition) {
        self.rule = rule; self.key = key; self.reason = reason; self.owner = owner; self.ticket = ticket
        self.expires = expires; self.position = position
    }
}

/// Reads a waiver file; every problem is a `file:line:col: error: …` diagnostic (exit 2).
public enum WaiverFileLoader {
    static let entryKeys = ["rule", "key", "reason", "owner", "ticket", "expires"]

    /// Loads the file at `path`; `ruleIds` are the ids a waiver may name (the rule file's rules
    /// and the implicit checks).
    public static func load(path: String, ruleIds: [String]) throws -> [Waiver] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DemarcError.usage("--waivers '\(path)': cannot read the file")
        }
        var bytes = [UInt8](data)[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard let yaml = String(validating: bytes, as: UTF8.self) else {
            throw DemarcError.invalidConfiguration([Diagnostic(SourcePosition(file: path, line: 1, column: 1),
                                                               "the waiver file is not valid utf-8")])
        }
        return try load(yaml: yaml, path: path, ruleIds: ruleIds)
    }

    /// Loads waiver-file text as if read from `path`.
    public static func load(yaml: String, path: String, ruleIds: [String]) throws -> [Waiver] {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw DemarcError.invalidConfiguration([RuleFileLoader.yamlDiagnostic(error, path: path, yaml: yaml)])
        }
        let reader = YAMLReader(path: path, yaml: yaml)
        var waivers: [Waiver] = []
        if let root, let top = reader.map(root, known: ["waivers"], what: "the waiver file") {
            if let list = reader.require(top, "waivers", in: "the waiver file", at: nil) {
                if let items = list.sequence {
                    for item in items {
                        if let waiver = entry(item, reader: reader, ruleIds: ruleIds) { waivers.append(waiver) }
                    }
                } else if !reader.isNull(list) {
                    reader.error(list, "'waivers' must be a list")
                }
            }
        } else if root == nil {
            reader.error(nil, "the waiver file is empty; it needs 'waivers'")
        }
        if !reader.diagnostics.isEmpty {
            throw DemarcError.invalidConfiguration(reader.diagnostics.sorted { $0.position < $1.position })
        }
        return waivers
    }

    private static func entry(_ node: Node, reader: YAMLReader, ruleIds: [String]) -> Waiver? {
        guard let map = reader.map(node, known: entryKeys, what: "a waiver") else { return nil }
        var rule: String?, key: [String]?, reason: String?, expires: Day?
        if let n = reader.require(map, "rule", in: "a waiver", at: node), let text = reader.text(n, what: "'rule'") {
            if ruleIds.contains(text) {
                rule = text
            } else {
                reader.error(n, "unknown rule '\(text)'" + didYouMean(text, ruleIds))
            }
        }
        if let n = reader.require(map, "key", in: "a waiver", at: node) {
            key = reader.textList(n, what: "'key'", nullIsEmpty: true)?.map(\.0)
        }
        if let n = reader.require(map, "reason", in: "a waiver", at: node), let text = reader.text(n, what: "'reason'") {
            if text.allSatisfy(\.isWhitespace) { reader.error(n, "'reason' must not be empty") } else { reason = text }
        }
        if let n = reader.require(map, "expires", in: "a waiver", at: node), let text = reader.text(n, what: "'expires'") {
            if case .value(.date(let day)) = ValueParser.parse(text, as: ValueSpec(type: .date)) {
                expires = day
            } else {
                reader.error(n, "'expires' must be a date yyyy-MM-dd, not '\(text)'")
            }
        }
        let owner = map["owner"].flatMap { reader.text($0, what: "'owner'") }
        let ticket = map["ticket"].flatMap { reader.text($0, what: "'ticket'") }
        guard let rule, let key, let reason, let expires else { return nil }
        return Waiver(rule: rule, key: key, reason: reason, owner: owner, ticket: ticket, expires: expires,
                      position: reader.position(of: node))
    }
}
