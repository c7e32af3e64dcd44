import CLibXML2
import DemarcCore

/// A GoBD / GDPdU `index.xml`: the tables of an export and how their data files are written.
///
/// The index is parsed with libxml2 and `XML_PARSE_NONET` only: its DOCTYPE names a local DTD,
/// which is accepted and never loaded; an entity declaration or a reference to a declared entity
/// is refused, as in every other XML input.
public struct GoBDIndex: Sendable, Hashable {
    /// The index as the user named it.
    public var displayName: String
    /// Every table of every `Media`, in document order.
    public var tables: [GoBDTable]

    /// The table whose `Name` (or, without a name, `URL`) is `name`.
    public func table(named name: String) -> GoBDTable? { tables.first { $0.name == name } }

    /// Reads and interprets `path` (displayed as `displayName`); throws `.unreadableInput`
    /// when it cannot be read, is not well-formed, or declares entities.
    public static func load(path: String, displayName: String) throws -> GoBDIndex {
        let root = try GoBDIndexParse.parse(path: path, displayName: displayName)
        guard root.name == "DataSet" else {
            throw DemarcError.unreadableInput(SourcePosition(file: displayName, line: root.line),
                                              "not a gobd index: the root element is '\(root.name)', not 'DataSet'")
        }
        let folder = path.lastIndex(of: "/").map { String(path[...$0]) } ?? ""
        var tables: [GoBDTable] = []
        for media in root.children where media.name == "Media" {
            for node in media.children where node.name == "Table" {
                tables.append(GoBDTable(node, folder: folder))
            }
        }
        return GoBDIndex(displayName: displayName, tables: tables)
    }
}

/// One table of an index: where its data file is and how to read it.
public struct GoBDTable: Sendable, Hashable {
    /// How records and columns are delimited.
    public enum Layout: Sendable, Hashable {
        /// `VariableLength`: delimited columns; `encapsulator` empty means none.
        case variable(columnDelimiter: [UInt8], recordDelimiter: [UInt8], encapsulator: [UInt8])
        /// `FixedLength`: records of `recordLength` characters, or ended by `recordDelimiter`.
        case fixed(recordLength: Int?, recordDelimiter: [UInt8])
    }

    /// `Name`, or `URL` when the table has no name.
    public var name: String
    /// `URL` as written (relative to the index's folder).
    public var url: String
    /// `URL` resolved against the index's folder.
    public var dataPath: String
    /// The codepage element as written (`ANSI` when absent).
    public var codepage: String
    /// The decoder for the codepage; nil when it is not supported (see `problems`).
    public var encoding: TextEncoding?
    /// `DecimalSymbol` (default `,`) and `DigitGroupingSymbol` (default `.`), as UTF-8.
    public var decimalSymbol: [UInt8]
    public var groupingSymbol: [UInt8]
    /// `Epoch`: a two-digit year below it is 20yy, else 19yy (default 30).
    public var epoch: Int
    /// `SkipNumBytes`: raw bytes before the first record.
    public var skipBytes: Int
    /// `Range/From`: the 1-based first record read (default 1).
    public var firstRecord: Int
    /// `Range/Length`, or `To - From + 1`; nil reads to the end.
    public var recordCount: Int?
    public var layout: Layout
    /// Primary key columns and columns, in order.
    public var columns: [GoBDColumn]
    /// Why the table cannot be read (unsupported codepage, bad numbers); empty when it can.
    public var problems: [String]
    /// The line of `<Table>` in the index.
    public var line: Int

    /// The column named `name`.
    public func column(named name: String) -> Int? { columns.firstIndex { $0.name == name } }
}

/// One column of a table.
public struct GoBDColumn: Sendable, Hashable {
    /// The data type as the index declares it.
    public enum Kind: Sendable, Hashable {
        case alphanumeric
        /// `Accuracy` digits after the decimal symbol; `implied`: the digits carry them
        /// without a decimal symbol (`ImpliedAccuracy`).
        case numeric(accuracy: Int, implied: Bool)
        /// `Format` as written (default `DD.MM.YYYY`).
        case date(format: String)
    }

    public var name: String
    public var kind: Kind
    /// `Map` entries: a value equal to `from` (after trimming) reads as `to`.
    public var maps: [GoBDMap]
    /// Fixed length: the 0-based character range of the column in the record.
    public var fixedRange: Range<Int>?
}

/// One `Map` of an AlphaNumeric column.
public struct GoBDMap: Sendable, Hashable {
    public var from: String
    public var to: String
}

// MARK: - Interpretation

extension GoBDTable {
    init(_ node: GoBDNode, folder: String) {
        var problems: [String] = []
        url = node.child("URL")?.text ?? ""
        let written = node.child("Name")?.text ?? ""
        name = written.isEmpty ? url : written
        line = node.line
        if url.isEmpty {
            problems.append("the table has no URL")
        } else if url.contains("://") || url.hasPrefix("/") {
            problems.append("the URL '\(url)' is absolute; gobd allows relative URLs only")
        }
        dataPath = folder + url
        let pages: [(String, TextEncoding?)] = [
            ("ANSI", .windows1252), ("OEM", .ibm850), ("UTF8", .utf8), ("UTF16", .utf16le),
            ("ISO-8859-1", .iso88591), ("ISO-8859-15", .iso885915), ("Macintosh", nil), ("UTF7", nil),
        ]
        let page = pages.first { node.child($0.0) != nil } ?? ("ANSI", .windows1252)
        codepage = page.0
        encoding = page.1
        if page.1 == nil {
            problems.append("codepage '\(page.0)' is not supported; supported are ANSI, OEM, UTF8, UTF16, ISO-8859-1 and ISO-8859-15")
        }
        decimalSymbol = Array((node.child("DecimalSymbol")?.rawText ?? ",").utf8)
        groupingSymbol = Array((node.child("DigitGroupingSymbol")?.rawText ?? ".").utf8)
        if decimalSymbol.count != 1 {
            problems.append("the DecimalSymbol must be one character, not '\(String(decoding: decimalSymbol, as: UTF8.self))'")
        }
        func number(_ node: GoBDNode?, _ what: String, default value: Int) -> Int {
            guard let node else { return value }
            guard let n = Int(node.text), n >= 0 else {
                problems.append("\(what) must be a whole number, not '\(node.text)'")
                return value
            }
            return n
        }
        epoch = number(node.child("Epoch"), "Epoch", default: 30)
        skipBytes = number(node.child("SkipNumBytes"), "SkipNumBytes", default: 0)
        let range = node.child("Range")
        firstRecord = max(1, number(range?.child("From"), "Range/From", default: 1))
        if let length = range?.child("Length") {
            recordCount = number(length, "Range/Length", default: 0)
        } else if let to = range?.child("To") {
            recordCount = max(0, number(to, "Range/To", default: 0) - firstRecord + 1)
        } else {
            recordCount = nil
        }
        var columns: [GoBDColumn] = []
        if let variable = node.child("VariableLength") {
            layout = .variable(columnDelimiter: Array((variable.child("ColumnDelimiter")?.rawText ?? ";").utf8),
                               recordDelimiter: Array((variable.child("RecordDelimiter")?.rawText ?? "\r\n").utf8),
                               encapsulator: Array((variable.child("TextEncapsulator")?.rawText ?? "\"").utf8))
            if case .variable(let c, let r, _) = layout, c.isEmpty || r.isEmpty {
                problems.append("the ColumnDelimiter and RecordDelimiter must not be empty")
            }
            for column in variable.children where column.name == "VariablePrimaryKey" || column.name == "VariableColumn" {
                columns.append(GoBDColumn(column, fixed: false, problems: &problems))
            }
        } else if let fixed = node.child("FixedLength") {
            let length = fixed.child("Length").map { number($0, "FixedLength/Length", default: 0) }
            layout = .fixed(recordLength: length, recordDelimiter: Array((fixed.child("RecordDelimiter")?.rawText ?? "\r\n").utf8))
            if length == 0 { problems.append("FixedLength/Length must be 1 or more") }
            for column in fixed.children where column.name == "FixedPrimaryKey" || column.name == "FixedColumn" {
                columns.append(GoBDColumn(column, fixed: true, problems: &problems))
            }
        } else {
            layout = .variable(columnDelimiter: [], recordDelimiter: [], encapsulator: [])
            problems.append("the table has neither VariableLength nor FixedLength")
        }
        self.columns = columns
        if columns.isEmpty { problems.append("the table declares no columns") }
        self.problems = problems
    }
}

extension GoBDColumn {
    init(_ node: GoBDNode, fixed: Bool, problems: inout [String]) {
        name = node.child("Name")?.text ?? ""
        if let numeric = node.child("Numeric") {
            if let implied = numeric.child("ImpliedAccuracy") {
                kind = .numeric(accuracy: Int(implied.text) ?? 0, implied: true)
            } else {
                kind = .numeric(accuracy: Int(numeric.child("Accuracy")?.text ?? "0") ?? 0, implied: false)
            }
            if case .numeric(let digits, _) = kind, !(0...18).contains(digits) {
                problems.append("column '\(name)' has an accuracy of \(digits); at most 18 digits are supported")
            }
        } else if let date = node.child("Date") {
            let format = date.child("Format")?.text ?? ""
            kind = .date(format: format.isEmpty ? "DD.MM.YYYY" : format)
        } else {
            kind = .alphanumeric
        }
        maps = node.children.filter { $0.name == "Map" }.map {
            GoBDMap(from: $0.child("From")?.text ?? "", to: $0.child("To")?.text ?? "")
        }
        fixedRange = nil
        guard fixed else { return }
        guard let range = node.child("FixedRange"), let from = Int(range.child("From")?.text ?? ""), from >= 1 else {
            problems.append("column '\(name)' has no FixedRange/From of 1 or more")
            return
        }
        var length: Int?
        if let l = range.child("Length") { length = Int(l.text) }
        if let t = range.child("To"), let to = Int(t.text) { length = to - from + 1 }
        guard let length, length >= 1, length <= 1 << 20 else {
            problems.append("column '\(name)' has no valid FixedRange/Length or To")
            return
        }
        fixedRange = (from - 1)..<(from - 1 + length)
    }
}

extension GoBDColumn {
    /// The date format of a `Date` column in demarc's terms (`DD.MM.YYYY` → `dd.MM.yyyy`); a
    /// two-digit year reads as four digits, since the reader widens it. Nil for other kinds,
    /// or a format with parts demarc does not know.
    public var dateFormat: DateFormat? {
        guard case .date(let written) = kind else { return nil }
        var pattern = ""
        var rest = Substring(written)
        let tokens: [(String, String)] = [("YYYY", "yyyy"), ("YY", "yyyy"), ("DD", "dd"), ("MM", "MM"),
                                           ("hh", "HH"), ("HH", "HH"), ("mm", "mm"), ("ss", "ss"), ("SS", "ss")]
        while let c = rest.first {
            if let token = tokens.first(where: { rest.hasPrefix($0.0) }) {
                pattern += token.1
                rest = rest.dropFirst(token.0.count)
            } else if c.isLetter {
                return nil
            } else {
                pattern.append(c)
                rest = rest.dropFirst()
            }
        }
        switch pattern {
        case "yyyy-MM-dd": return .isoDate
        case "dd.MM.yyyy": return .dottedDMY
        case "yyyyMMdd": return .compactYMD
        case "ddMMyyyy": return .compactDMY
        case "MM/dd/yyyy": return .slashedMDY
        default:
            return pattern.contains("yyyy") && pattern.contains("MM") && pattern.contains("dd") ? .pattern(pattern) : nil
        }
    }
}
