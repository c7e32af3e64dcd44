import DemarcCore

/// How a CSV file is read (RULES.md, Sources: `csv:`).
public struct CSVOptions: Sendable, Hashable {
    /// nil means `auto`: sniff `,` `;` TAB `|` on the header line (DETAILS.md 10).
    public var delimiter: UInt8?
    public var quote: UInt8
    /// nil means not declared: UTF-8 unless a BOM says otherwise. A BOM always wins.
    public var encoding: TextEncoding?
    /// The 1-based line holding column names; lines before it are skipped; 0 means no header.
    public var headerLine: Int

    public init(delimiter: UInt8? = UInt8(ascii: ","), quote: UInt8 = UInt8(ascii: "\""),
                encoding: TextEncoding? = nil, headerLine: Int = 1) {
        self.delimiter = delimiter
        self.quote = quote
        self.encoding = encoding
        self.headerLine = headerLine
    }
}

/// How an XML file is read (RULES.md, Sources: `xml:`).
public struct XMLOptions: Sendable, Hashable {
    /// `/A/B/C` (absolute) or `//C` (any depth); steps may be prefixed (`pt:Invoice`).
    public var record: String
    /// Prefix -> namespace URI, for prefixed steps in the record path and field paths.
    public var namespaces: [String: String]
    /// Accept a file in which the record path matches nothing (DETAILS.md 7).
    public var allowEmpty: Bool

    public init(record: String, namespaces: [String: String] = [:], allowEmpty: Bool = false) {
        self.record = record
        self.namespaces = namespaces
        self.allowEmpty = allowEmpty
    }
}
