import DemarcCore

/// Everything `demarc profile` reports about one file.
public struct FileProfile: Sendable, Hashable {
    /// The file as the user named it.
    public var file: String
    /// `csv`, `xml` or `datev`.
    public var format: String
    /// How the format was decided: `--format`, `extension`, `EXTF metadata line`, `default`.
    public var formatSource: String
    /// What the reader learnt (encoding, delimiter, line ends, header, records, checksum).
    public var summary: ReadSummary
    /// XML: the record path profiled, nil when none was given.
    public var record: String?
    /// XML without a record path: elements that repeat under one parent, with their counts.
    public var repeatingPaths: [PathCount]
    /// DATEV: the metadata line's named fields, as result text.
    public var datevHeader: [NamedValue]
    /// One per column (CSV) or path below the record (XML), in position order.
    public var columns: [ColumnProfile]

    /// A profile; the reader-specific parts default to empty.
    public init(file: String, format: String, formatSource: String, summary: ReadSummary, record: String? = nil,
                repeatingPaths: [PathCount] = [], datevHeader: [NamedValue] = [], columns: [ColumnProfile] = []) {
        self.file = file
        self.format = format
        self.formatSource = formatSource
        self.summary = summary
        self.record = record
        self.repeatingPaths = repeatingPaths
        self.datevHeader = datevHeader
        self.columns = columns
    }

    /// Columns that could serve as `key:`, in position order.
    public var keyCandidates: [ColumnProfile] { columns.filter(\.isKeyCandidate) }
}

/// An XML element path and how many elements it matched.
public struct PathCount: Sendable, Hashable {
    public var path: String
    public var count: Int
    /// Creates a path count.
    public init(path: String, count: Int) {
        self.path = path
        self.count = count
    }
}

/// A named text value (DATEV metadata).
public struct NamedValue: Sendable, Hashable {
    public var name: String
    public var value: String
    /// Creates a named value.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

// MARK: - Text for people

extension FileProfile {
    /// The report for people, one fact per line.
    public var text: String {
        var out: [String] = []
        out.append("file: \(file)")
        out.append("format: \(format) (\(formatSource))")
        out.append("encoding: \(summary.encoding) (\(summary.encodingSource))")
        if let delimiter = summary.delimiter {
            out.append("delimiter: '\(delimiter == "\t" ? "\\t" : delimiter)' (\(summary.delimiterSource ?? "default"))")
        }
        if !summary.lineEnds.isEmpty { out.append("line ends: \(summary.lineEnds.joined(separator: ", "))") }
        if format != "xml" { out.append("header: \(summary.header.isEmpty ? "none" : "\(summary.header.count) columns")") }
        if !datevHeader.isEmpty {
            out.append("datev metadata:")
            for item in datevHeader where !item.value.isEmpty { out.append("  \(item.name): \(item.value)") }
        }
        if let record { out.append("record: \(record)") }
        if format == "xml" && record == nil {
            out.append("repeating elements (pick one with --record):")
            if repeatingPaths.isEmpty { out.append("  none") }
            for item in repeatingPaths { out.append("  \(item.path)  \(item.count)") }
            return out.joined(separator: "\n") + "\n"
        }
        out.append("records: \(summary.records) (\(summary.malformed) malformed)")
        out.append("sha256: \(summary.sha256)")
        out.append("")
        out.append("columns:")
        let empty = columns.filter { $0.type == .empty }
        for column in columns where column.type != .empty { out.append(contentsOf: column.textLines) }
        if !empty.isEmpty {
            out.append("")
            out.append("empty columns: " + empty.map { "\($0.position). \($0.label)" }.joined(separator: ", "))
        }
        out.append("")
        let keys = keyCandidates.map(\.label)
        out.append("key candidates: \(keys.isEmpty ? "none" : keys.joined(separator: ", "))")
        return out.joined(separator: "\n") + "\n"
    }
}

extension ColumnProfile {
    /// The name, or `#position` for a column without one.
    var label: String { name.isEmpty ? "#\(position)" : name }

    var textLines: [String] {
        var type = self.type.description
        if let maxScale { type += ", up to \(maxScale) places" }
        let distinctText = distinctExact ? "\(distinct) distinct" : "more than \(distinct) distinct"
        var facts = "\(values) \(values == 1 ? "value" : "values"), \(empties) empty, \(distinctText)"
        switch unique {
        case .some(true) where isKeyCandidate: facts += ", unique: key candidate"
        case .some(true): facts += ", unique"
        case .some(false): break
        case .none: facts += values == 0 ? "" : ", uniqueness unknown"
        }
        if repeatsInRecord == true { facts += ", repeats within a record (first shown)" }
        var lines = ["  \(position). \(label): \(type)", "      \(facts)"]
        if let valueCounts {
            for item in valueCounts { lines.append("      '\(escapedForText(item.value))' \(item.count)") }
        } else if !examples.isEmpty {
            lines.append("      e.g. " + examples.map { "'\(shortened(escapedForText($0)))'" }.joined(separator: ", "))
        }
        return lines
    }
}

/// A value on one line: line breaks, TAB and other control characters written as escapes.
func escapedForText(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return text }
    let quoted = JSONObject.quote(text)
    return String(quoted.dropFirst().dropLast())
}

/// At most 40 characters, with `…` where it was cut.
func shortened(_ text: String) -> String {
    text.count <= 40 ? text : String(text.prefix(39)) + "…"
}

// MARK: - JSON for tools

extension FileProfile {
    /// The report as one JSON object with a fixed key order; values are sorted.
    public var json: String {
        var o = JSONObject()
        o.add("demarc_profile", raw: "1")
        o.add("file", file)
        o.add("format", format)
        o.add("format_source", formatSource)
        o.add("encoding", summary.encoding)
        o.add("encoding_source", summary.encodingSource)
        if let delimiter = summary.delimiter {
            o.add("delimiter", delimiter)
            o.add("delimiter_source", summary.delimiterSource ?? "default")
        }
        if format != "xml" {
            o.add("line_ends", raw: JSONObject.array(summary.lineEnds.map(JSONObject.quote)))
            o.add("header", raw: JSONObject.array(summary.header.map(JSONObject.quote)))
        }
        if !datevHeader.isEmpty {
            var header = JSONObject()
            for item in datevHeader { header.add(item.name, item.value) }
            o.add("datev_header", raw: header.text)
        }
        if format == "xml" { o.add("record", raw: record.map(JSONObject.quote) ?? "null") }
        if format == "xml" && record == nil {
            o.add("repeating_elements", raw: JSONObject.array(repeatingPaths.map { item in
                var p = JSONObject()
                p.add("path", item.path)
                p.add("count", raw: String(item.count))
                return p.text
            }))
            return o.text + "\n"
        }
        o.add("records", raw: String(summary.records))
        o.add("malformed", raw: String(summary.malformed))
        o.add("sha256", summary.sha256)
        o.add("columns", raw: JSONObject.array(columns.map(\.json)))
        o.add("key_candidates", raw: JSONObject.array(keyCandidates.map { JSONObject.quote($0.name) }))
        return o.text + "\n"
    }
}

extension ColumnProfile {
    var json: String {
        var o = JSONObject()
        o.add("position", raw: String(position))
        o.add("name", name)
        o.add("type", type.fieldType?.rawValue ?? "empty")
        switch type {
        case .decimal(let mark, let thousands):
            o.add("decimal", String(UnicodeScalar(mark)))
            o.add("thousands", thousands.map { String(UnicodeScalar($0)) } ?? "")
            o.add("max_scale", raw: String(maxScale ?? 0))
        case .date(let format), .datetime(let format):
            o.add("format", format.displayPattern)
        case .bool(let zeroOne):
            o.add("zero_one", raw: zeroOne ? "true" : "false")
        case .empty, .integer, .text:
            break
        }
        o.add("values", raw: String(values))
        o.add("empties", raw: String(empties))
        o.add("distinct", raw: String(distinct))
        o.add("distinct_exact", raw: distinctExact ? "true" : "false")
        o.add("unique", raw: unique.map { $0 ? "true" : "false" } ?? "null")
        o.add("key_candidate", raw: isKeyCandidate ? "true" : "false")
        if let valueCounts {
            o.add("value_counts", raw: JSONObject.array(valueCounts.map { item in
                var v = JSONObject()
                v.add("value", item.value)
                v.add("count", raw: String(item.count))
                return v.text
            }))
        } else {
            o.add("value_counts", raw: "null")
        }
        o.add("examples", raw: JSONObject.array(examples.map(JSONObject.quote)))
        if let repeatsInRecord { o.add("repeats_in_record", raw: repeatsInRecord ? "true" : "false") }
        return o.text
    }
}

/// A JSON object written in the order its keys are added.
struct JSONObject {
    private var members: [String] = []

    mutating func add(_ key: String, _ value: String) { members.append("\(JSONObject.quote(key)): \(JSONObject.quote(value))") }
    mutating func add(_ key: String, raw: String) { members.append("\(JSONObject.quote(key)): \(raw)") }

    var text: String { "{" + members.joined(separator: ", ") + "}" }

    static func array(_ items: [String]) -> String { "[" + items.joined(separator: ", ") + "]" }

    /// A JSON string literal; control characters escaped, everything else as UTF-8.
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
