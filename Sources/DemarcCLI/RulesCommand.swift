import ArgumentParser
import DemarcCore
import DemarcRules
import DemarcEngine

/// `demarc rules RULES`: lists the rules of a file: id, kind, severity, title.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Lists the rules of a file: id, kind, severity, title.")

    @Argument(help: "The rule file.")
    var rules: String

    func run() throws {
        let file = try RuleFileLoader.load(path: rules)
        let rows = file.rules.map { [$0.id, $0.kind.name, $0.severity.rawValue, $0.title ?? ""] }
        var widths = [0, 0, 0]
        for row in rows { for i in 0..<3 { widths[i] = max(widths[i], row[i].count) } }
        var out = ""
        for row in rows {
            var line = ""
            for i in 0..<3 { line += row[i] + String(repeating: " ", count: widths[i] - row[i].count + 2) }
            line += row[3]
            while line.last == " " { line.removeLast() }
            out += line + "\n"
        }
        print(out, terminator: "")
    }
}
