import DemarcCore
import Yams

/// One mapping of the rule file, its keys already checked against the keys it may have.
struct YAMLMap {
    /// The mapping node itself.
    let node: Node
    /// Every key with its node and value, in file order (non-text keys are left out).
    let entries: [(key: String, keyNode: Node, value: Node)]

    /// The value under `key`.
    subscript(_ key: String) -> Node? { entries.first { $0.key == key }?.value }

    /// The node of the key `key` itself (for messages about the key).
    func keyNode(_ key: String) -> Node? { entries.first { $0.key == key }?.keyNode }

    /// Whether `key` is written.
    func has(_ key: String) -> Bool { entries.contains { $0.key == key } }
}

/// Reads Yams nodes for the loader: every problem becomes a diagnostic with a position, none
/// stops the reading.
final class YAMLReader {
    /// The rule file's path as the user gave it (for positions).
    let path: String
    /// The rule file's lines (to find where a block scalar's text starts).
    private let lines: [Substring]
    /// Every problem found so far.
    private(set) var diagnostics: [Diagnostic] = []

    init(path: String, yaml: String) {
        self.path = path
        self.lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
    }

    // MARK: - Diagnostics

    /// Records a problem at `node` (or at the top of the file without one).
    func error(_ node: Node?, _ message: String) {
        diagnostics.append(Diagnostic(position(of: node), message))
    }

    /// Records a problem at `position`.
    func error(at position: SourcePosition, _ message: String) {
        diagnostics.append(Diagnostic(position, message))
    }

    /// Records problems found elsewhere (the expression parser and type checker).
    func append(_ more: [Diagnostic]) { diagnostics.append(contentsOf: more) }

    /// Where `node` starts; the top of the file without a node.
    func position(of node: Node?) -> SourcePosition {
        guard let mark = node?.mark else { return SourcePosition(file: path, line: 1, column: 1) }
        return SourcePosition(file: path, line: mark.line, column: mark.column)
    }

    /// Where the text of a scalar starts: after the opening quote of a quoted scalar, on the
    /// first non-blank line after the indicator of a block scalar.
    func textPosition(of node: Node) -> SourcePosition {
        let start = position(of: node)
        guard let scalar = node.scalar else { return start }
        switch scalar.style {
        case .singleQuoted, .doubleQuoted:
            return SourcePosition(file: path, line: start.line, column: start.column + 1)
        case .literal, .folded:
            var index = start.line   // 0-based index of the line after the indicator
            while index < lines.count {
                let line = lines[index]
                if let first = line.firstIndex(where: { $0 != " " && $0 != "\t" && $0 != "\r" }) {
                    let column = line[..<first].unicodeScalars.count
                    return SourcePosition(file: path, line: index + 1, column: column + 1)
                }
                index += 1
            }
            return start
        default:
            return start
        }
    }

    // MARK: - Shapes

    /// `node` as a mapping whose keys are among `known`; unknown keys are reported with the
    /// closest known one. Reports `what` when the node is not a mapping.
    func map(_ node: Node, known: [String], what: String) -> YAMLMap? {
        guard let mapping = node.mapping else {
            error(node, "\(what) must be a mapping")
            return nil
        }
        var entries: [(key: String, keyNode: Node, value: Node)] = []
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else {
                error(keyNode, "a key must be text")
                continue
            }
            if !known.isEmpty && !known.contains(key) {
                error(keyNode, "unknown key '\(key)'" + suggestion(key, known))
                continue
            }
            entries.append((key, keyNode, value))
        }
        return YAMLMap(node: node, entries: entries)
    }

    /// `node` as a mapping with free keys (names chosen by the user), in file order.
    func namedEntries(_ node: Node, what: String) -> [(name: String, keyNode: Node, value: Node)]? {
        guard let mapping = node.mapping else {
            error(node, "\(what) must be a mapping")
            return nil
        }
        var result: [(name: String, keyNode: Node, value: Node)] = []
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else {
                error(keyNode, "a key must be text")
                continue
            }
            result.append((key, keyNode, value))
        }
        return result
    }

    /// Reports `key` missing from `map` at `owner` (the key that holds the mapping) and returns nil.
    func require(_ map: YAMLMap, _ key: String, in what: String, at owner: Node?) -> Node? {
        if let value = map[key] { return value }
        error(owner ?? map.node, "missing required key '\(key)' in \(what)")
        return nil
    }

    // MARK: - Scalars

    /// The text of a scalar; nil (reported) for a mapping or a list.
    func text(_ node: Node, what: String) -> String? {
        guard let scalar = node.scalar else {
            error(node, "\(what) must be text, not a \(node.mapping != nil ? "mapping" : "list")")
            return nil
        }
        return scalar.string
    }

    /// The text of a scalar as written in the file; a YAML null is "" (DETAILS.md 11).
    func writtenText(_ node: Node, what: String) -> String? {
        if isNull(node) { return "" }
        return text(node, what: what)
    }

    /// Whether the node is a YAML null (`~`, `null`, or nothing).
    func isNull(_ node: Node) -> Bool {
        guard let scalar = node.scalar else { return false }
        return scalar.style == .plain && node.tag.rawValue == Tag.Name.null.rawValue
    }

    /// Whether the node is an unquoted YAML integer (`7`, not `"7"`).
    func isInteger(_ node: Node) -> Bool {
        guard let scalar = node.scalar else { return false }
        return scalar.style == .plain && node.tag.rawValue == Tag.Name.int.rawValue
    }

    /// A boolean (`true` / `false`); nil (reported) otherwise.
    func bool(_ node: Node, what: String) -> Bool? {
        if let scalar = node.scalar, scalar.style == .plain, node.tag.rawValue == Tag.Name.bool.rawValue, let value = node.bool {
            return value
        }
        error(node, "\(what) must be true or false, not '\(node.scalar?.string ?? "")'")
        return nil
    }

    /// A whole number; nil (reported) otherwise.
    func integer(_ node: Node, what: String) -> Int? {
        if isInteger(node), let value = node.int { return value }
        error(node, "\(what) must be a whole number, not '\(node.scalar?.string ?? "")'")
        return nil
    }

    /// A list of scalars (a single scalar counts as a list of one); each with its node.
    func textList(_ node: Node, what: String, nullIsEmpty: Bool = false) -> [(String, Node)]? {
        if node.scalar != nil {
            if nullIsEmpty, isNull(node) { return [("", node)] }
            return [(node.scalar?.string ?? "", node)]
        }
        guard let sequence = node.sequence else {
            error(node, "\(what) must be a list")
            return nil
        }
        var result: [(String, Node)] = []
        for item in sequence {
            if nullIsEmpty, isNull(item) {
                result.append(("", item))
            } else if let text = text(item, what: "an item of \(what)") {
                result.append((text, item))
            }
        }
        return result
    }
}

// MARK: - Names

/// `"; did you mean 'x'?"` when a candidate is close to `word` (`Suggest.closest`), else "".
func didYouMean(_ word: String, _ candidates: [String]) -> String {
    guard let best = Suggest.closest(word, among: candidates) else { return "" }
    return "; did you mean '\(best)'?"
}

/// `"; did you mean 'x'?"`, or the list of what is allowed when nothing is close.
func suggestion(_ word: String, _ candidates: [String]) -> String {
    let close = didYouMean(word, candidates)
    if !close.isEmpty || candidates.isEmpty { return close }
    return "; expected " + candidates.map { "'\($0)'" }.joined(separator: ", ")
}

/// Whether `name` matches `[a-z][a-z0-9_]*` (sources, classes, fields).
func isLowerSnakeName(_ name: String) -> Bool {
    var scalars = name.unicodeScalars.makeIterator()
    guard let first = scalars.next(), ("a"..."z").contains(first) else { return false }
    while let c = scalars.next() {
        guard ("a"..."z").contains(c) || ("0"..."9").contains(c) || c == "_" else { return false }
    }
    return true
}
