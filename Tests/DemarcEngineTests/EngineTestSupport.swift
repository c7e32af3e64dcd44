import Foundation
import XCTest
import DemarcCore
import DemarcReaders
import DemarcRules
@testable import DemarcEngine

/// Builders for rule files and expressions in tests, without the YAML loader.
enum T {
    static let here = SourcePosition(file: "test.yaml", line: 1, column: 1)

    /// The package root (three components above this file).
    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func fixture(_ name: String) -> String { root.appendingPathComponent("Fixtures/engine/\(name)").path }

    /// Writes CSV text to a fresh temporary file.
    static func csv(_ text: String, name: String = "data.csv") -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("engine-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent(name).path
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    static func field(_ name: String, _ column: String? = nil, _ type: FieldType = .text,
                      required: Bool = false, expr: Expr? = nil, sign: SignDef? = nil) -> FieldDef {
        FieldDef(name: name, position: here, selector: expr == nil ? .column(column ?? name) : nil, expr: expr,
                 type: type, required: required, sign: sign)
    }

    static func source(_ name: String, file: String?, fields: [FieldDef], key: [String],
                       state: StateDef? = nil, cardinality: Cardinality = .one,
                       group: [String: Aggregation] = [:]) -> SourceDef {
        SourceDef(name: name, file: file, position: here, format: .csv, csv: CSVOptions(),
                  decimalMark: UInt8(ascii: "."), thousandsMark: nil, xml: nil, key: key,
                  cardinality: cardinality, fields: fields, group: group, state: state)
    }

    static func byValue(_ field: String, _ classes: [(String, [String])], caseSensitive: Bool = true) -> StateDef {
        .byValue(field: field, classes: classes.map { (StateClass($0.0), $0.1) }, caseSensitive: caseSensitive)
    }

    static func rule(_ id: String, _ kind: RuleKind, where condition: Expr? = nil, severity: Severity = .error,
                     message: String? = nil, placeholders: [Expr] = [], fixIn: String? = nil,
                     tags: [String] = []) -> Rule {
        Rule(id: id, position: here, title: nil, severity: severity, kind: kind, where: condition,
             message: message, messagePlaceholders: placeholders, fixIn: fixIn, tags: tags)
    }

    static func file(_ sources: [SourceDef], _ rules: [Rule], asOf: String = "2026-11-30",
                     normalize: [Normalizer] = [.trim], implicit: [ImplicitCheck: Severity] = [:],
                     calendar: DemarcRules.Calendar? = nil) -> RuleFile {
        RuleFile(path: "test.yaml", sha256: String(repeating: "0", count: 64), name: "test", description: nil,
                 asOf: day(asOf), calendar: calendar, sources: sources, match: MatchDef(normalize: normalize),
                 implicitSeverity: implicit, rules: rules)
    }

    static func day(_ text: String) -> Day {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        return Day(year: parts[0], month: parts[1], day: parts[2])!
    }

    // MARK: - Expressions

    static func e(_ node: ExprNode, _ text: String = "", column: Int = 1) -> Expr {
        Expr(node, position: SourcePosition(file: "test.yaml", line: 1, column: column), text: text)
    }
    static func f(_ source: String, _ field: String, column: Int = 1) -> Expr {
        e(.field(source: source, field: field), "\(source).\(field)", column: column)
    }
    static func bare(_ field: String) -> Expr { e(.field(source: nil, field: field), field) }
    static func lit(_ v: Value) -> Expr { e(.literal(v)) }
    static func text(_ s: String) -> Expr { e(.literal(.text(s)), "'\(s)'") }
    static func isClass(_ source: String, _ cls: String, negated: Bool = false, column: Int = 1) -> Expr {
        e(.stateTest(source: source, .class(cls), negated: negated), "\(source) is \(cls)", column: column)
    }
    static func not(_ a: Expr) -> Expr { e(.unary(.not, a), "not (\(a.text))") }
    static func bin(_ op: BinaryOperator, _ a: Expr, _ b: Expr) -> Expr {
        e(.binary(op, a, b), "\(a.text) \(op.rawValue) \(b.text)", column: a.position.column)
    }
    static func exists(_ source: String) -> Expr { e(.presence(source: source, exists: true), "\(source) exists") }

    // MARK: - The fixture pair

    static var crm: SourceDef {
        source("crm", file: fixture("crm.csv"),
               fields: [field("id"), field("stage"), field("amount", nil, .decimal), field("modified", nil, .date)],
               key: ["id"],
               state: byValue("stage", [("booked", ["Closed Won"]), ("not_booked", ["Closed Lost"]),
                                        ("open", ["Prospecting"]), ("clarification", ["Clarification Needed"])]))
    }

    static var accounting: SourceDef {
        source("accounting", file: fixture("accounting.csv"),
               fields: [field("invoice"), field("status"), field("amount", "total", .decimal)],
               key: ["invoice"],
               state: byValue("status", [("booked", ["B"]), ("not_booked", ["N"]), ("open", ["O"])]))
    }
}

extension RunResult {
    /// (rule, key joined by ",") of every listed finding, in order.
    var pairs: [String] { findings.map { "\($0.rule) \($0.key.joined(separator: ","))" } }

    func finding(_ rule: String, _ key: String) -> Finding? {
        findings.first { $0.rule == rule && $0.key.joined(separator: ",") == key }
    }
}
