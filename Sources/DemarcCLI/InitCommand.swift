import ArgumentParser
import DemarcCore
import DemarcReaders
import DemarcRules
import Foundation

/// `demarc init --source NAME=FILE ... [-o RULES]`: a starter rule file from profiles (CLI.md).
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Writes a starter rule file from profiles of two (or more) exports.",
        discussion: """
            Every column becomes a field with its inferred type; the key is the column pair the \
            sources share most values in; the state column is guessed from its name, its values \
            listed to sort into classes; starter rules are active where the sources allow them. \
            The file passes `demarc lint` as written.
            """
    )

    @Option(name: .customLong("source"), help: "NAME=FILE, repeatable: a source and the export to profile.")
    var sources: [String] = []

    @Option(name: .customShort("o"), help: "Write the rule file here (default: standard output).")
    var output: String?

    @Option(name: .customLong("record"), help: "NAME=PATH (or PATH for every xml source): the xml record element path.")
    var records: [String] = []

    @Option(name: .customLong("stages"), help: "A Salesforce OpportunityStage.standardValueSet-meta.xml to classify stage names.")
    var stages: String?

    @Flag(help: "Overwrite an existing -o file.")
    var force = false

    func run() throws {
        guard !sources.isEmpty else { throw DemarcError.usage("give at least one --source NAME=FILE") }
        var inputs: [StarterSourceInput] = []
        let (named, shared) = try recordPaths()
        for spec in sources {
            guard let eq = spec.firstIndex(of: "="), eq != spec.startIndex, spec.index(after: eq) != spec.endIndex else {
                throw DemarcError.usage("--source '\(spec)': expected NAME=FILE")
            }
            let name = String(spec[..<eq]), file = String(spec[spec.index(after: eq)...])
            guard isSourceName(name) else { throw DemarcError.usage("--source '\(spec)': the name must match [a-z][a-z0-9_]*") }
            guard !inputs.contains(where: { $0.name == name }) else { throw DemarcError.usage("--source '\(name)' is given twice") }
            inputs.append(StarterSourceInput(name: name, path: file, fileInRules: relative(file), record: named[name] ?? shared))
        }
        for name in named.keys.sorted() where !inputs.contains(where: { $0.name == name }) {
            throw DemarcError.usage("--record '\(name)=…' names no --source")
        }
        if let output, !force, FileManager.default.fileExists(atPath: output) {
            throw DemarcError.usage("'\(output)' exists; give --force to overwrite it")
        }
        let stageSet = try stages.map { try SalesforceStages.read(path: $0) }
        let text = try RuleFileStarter.make(inputs, stages: stageSet, stagesFile: stages.map(relative))
        guard let output else {
            print(text, terminator: "")
            return
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            throw DemarcError.cannotWrite(path: output, "\(error.localizedDescription.lowercased())")
        }
        writeStandardError("wrote \(output); next: demarc lint \(output) && demarc check \(output)\n")
    }

    /// `--record NAME=PATH` per source, and a plain `--record PATH` for all.
    private func recordPaths() throws -> ([String: String], String?) {
        var named: [String: String] = [:]
        var shared: String?
        for spec in records {
            if let eq = spec.firstIndex(of: "="), isSourceName(String(spec[..<eq])) {
                named[String(spec[..<eq])] = String(spec[spec.index(after: eq)...])
            } else {
                shared = spec
            }
        }
        return (named, shared)
    }

    private func isSourceName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    /// `file` relative to the folder of `-o` (as given without `-o`: the rule file goes to
    /// standard output, and its paths are relative to the current folder).
    private func relative(_ file: String) -> String {
        guard let output else { return file }
        let cwd = FileManager.default.currentDirectoryPath
        func absolute(_ p: String) -> [String] {
            let full = p.hasPrefix("/") ? p : cwd + "/" + p
            var parts: [String] = []
            for part in full.split(separator: "/") {
                if part == "." || part.isEmpty { continue }
                if part == "..", !parts.isEmpty { parts.removeLast(); continue }
                parts.append(String(part))
            }
            return parts
        }
        let target = absolute(file)
        var folder = absolute(output)
        folder.removeLast()
        var common = 0
        while common < folder.count, common < target.count - 1, folder[common] == target[common] { common += 1 }
        let ups = Array(repeating: "..", count: folder.count - common)
        return (ups + target[common...]).joined(separator: "/")
    }
}
