import DemarcCore

/// Where a field's raw text comes from in a record.
public enum FieldSelector: Sendable, Hashable {
    /// A CSV header name (`column: Amount`, or `column: "7"`).
    case column(String)
    /// A CSV 1-based column position (`column: 7`).
    case position(Int)
    /// An XML path relative to the record element: `A`, `A/B`, `@attr`, `A/@attr`, `pt:A`.
    case path(String)
}

/// One raw field that a caller wants from every record. Readers deliver only requested fields.
public struct FieldRequest: Sendable, Hashable {
    public var selector: FieldSelector
    /// XML: keep every match (in document order) instead of only the first one; the typed
    /// decoder aggregates them (`repeated: sum | count | join | last`).
    public var keepAllMatches: Bool

    public init(_ selector: FieldSelector, keepAllMatches: Bool = false) {
        self.selector = selector
        self.keepAllMatches = keepAllMatches
    }
}

/// Why a record could not be read as a row of fields (RULES.md `malformed-record`).
public enum MalformedReason: String, Sendable, Hashable {
    case wrongFieldCount = "wrong-field-count"
    case unterminatedQuote = "unterminated-quote"
    case textAfterQuote = "text-after-quote"
    case invalidEncoding = "invalid-encoding"

    /// A lowercase sentence fragment for messages.
    public var phrase: String {
        switch self {
        case .wrongFieldCount: return "wrong number of fields"
        case .unterminatedQuote: return "unterminated quote"
        case .textAfterQuote: return "text after a closing quote"
        case .invalidEncoding: return "bytes invalid in the declared encoding"
        }
    }
}

/// A record that takes no part in cases (DETAILS.md 1).
public struct MalformedRecord: Sendable, Hashable {
    public var reason: MalformedReason
    /// Human detail, e.g. "expected 5 fields, found 4".
    public var detail: String
    /// The raw text of the record (decoded to UTF-8 with U+FFFD for invalid bytes).
    public var raw: String

    public init(reason: MalformedReason, detail: String, raw: String) {
        self.reason = reason
        self.detail = detail
        self.raw = raw
    }
}

/// One record as the reader saw it: the raw UTF-8 text of each requested field.
///
/// Readers reuse one `RawRecord` for every record (no allocation per field): the field values
/// are byte ranges into `bytes`. A sink that wants to keep anything must copy it.
public struct RawRecord: Sendable {
    /// The physical line where the record starts (CSV: counting every line of the file,
    /// including lines inside quotes; XML: the line of the record's start tag).
    public var line: Int = 0
    /// The decoded UTF-8 bytes that the ranges point into.
    public var bytes: [UInt8] = []
    /// For each requested field (same order as the request): the range of its first value in
    /// `bytes`, or nil when the record has no such field (XML path matched nothing; CSV short
    /// malformed row).
    public var fields: [Range<Int>?] = []
    /// Further matches of fields requested with `keepAllMatches` (field index, range), in
    /// document order. The first match is in `fields`.
    public var moreMatches: [(field: Int, range: Range<Int>)] = []
    /// Set when the record is malformed; `fields` then hold what could be read.
    public var malformed: MalformedRecord?
    /// The record's own text in `bytes` (CSV: the row as written, decoded), when the reader
    /// keeps it; fingerprints of `missing-key` findings use it (DETAILS.md 25).
    public var rawText: Range<Int>?
    /// A reader that lends its buffer (`CSVReader.lendsBytes`) leaves `bytes` empty and points
    /// here instead: the address and length of the record's text in the reader's own buffer,
    /// valid only while the sink runs. (An address, not a pointer, so the record stays
    /// `Sendable`; only records that never leave the reading thread borrow.)
    @usableFromInline var lentAddress = 0
    @usableFromInline var lentCount = 0

    public init() {}

    /// Whether the ranges point into the reader's buffer rather than into `bytes`.
    public var isLent: Bool { lentAddress != 0 }

    /// Calls `body` with the bytes that the ranges point into: the lent buffer or `bytes`.
    /// (Inlinable: as a call across modules, its closure copied the loader's row store.)
    @inlinable @inline(__always)
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        if lentAddress != 0 {
            return try body(UnsafeRawBufferPointer(start: UnsafeRawPointer(bitPattern: lentAddress), count: lentCount))
        }
        return try bytes.withUnsafeBytes(body)
    }

    /// Copies lent bytes into `bytes`, so that `bytes` and every range may be used as usual.
    public mutating func ownBytes() {
        guard lentAddress != 0 else { return }
        bytes = withBytes { Array($0) }
        lentAddress = 0
        lentCount = 0
    }

    /// Points the record's ranges into `count` bytes at `base`, which the reader keeps valid
    /// until the sink returns.
    @inline(__always) mutating func lend(_ base: UnsafeRawPointer, count: Int) {
        lentAddress = Int(bitPattern: base)
        lentCount = count
    }

    /// Prepares the record for reuse with `count` requested fields.
    ///
    /// Once per record of every reader: what is already empty is left alone (each
    /// `removeAll` is a generic `replaceSubrange` call), and the fields are cleared through one
    /// buffer (one uniqueness check, not one per field): 153 → 134 instructions a record of
    /// the benchmark's CRM export in callgrind.
    public mutating func reset(fieldCount: Int) {
        line = 0
        if !bytes.isEmpty { bytes.removeAll(keepingCapacity: true) }
        lentAddress = 0
        if fields.count == fieldCount {
            fields.withUnsafeMutableBufferPointer { $0.update(repeating: nil) }
        } else {
            fields = Array(repeating: nil, count: fieldCount)
        }
        if !moreMatches.isEmpty { moreMatches.removeAll(keepingCapacity: true) }
        if malformed != nil { malformed = nil }
        rawText = nil
    }

    /// The UTF-8 text of requested field `index`, or nil when absent.
    public func text(_ index: Int) -> String? {
        guard let range = fields[index] else { return nil }
        return withBytes { String(decoding: UnsafeRawBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }

    /// Every match of field `index` (the first, then `moreMatches`), as byte ranges.
    public func allMatches(_ index: Int) -> [Range<Int>] {
        guard let first = fields[index] else { return [] }
        var result = [first]
        for extra in moreMatches where extra.field == index { result.append(extra.range) }
        return result
    }
}

/// The text encodings a CSV source may declare (RULES.md, Sources).
public enum TextEncoding: String, Sendable, Hashable, CaseIterable {
    case utf8 = "utf-8"
    case windows1252 = "windows-1252"
    case iso88591 = "iso-8859-1"
    case iso885915 = "iso-8859-15"
    case utf16le = "utf-16le"
    case utf16be = "utf-16be"
    /// IBM code page 850 (DOS Latin-1), GoBD's `OEM` codepage.
    case ibm850 = "ibm850"
}

/// The file a reader reads: a path, or standard input (`-`).
public struct InputFile: Sendable, Hashable {
    /// As the user wrote it; used in every message and result (DETAILS.md 28).
    public var displayName: String
    /// The path to open; nil for standard input.
    public var path: String?
    /// Whether readers compute the SHA-256 of its bytes (`ReadSummary.sha256`, empty when not).
    /// Only the JSON result shows it, and on a 686 MB CSV it was a sixth of the reading time.
    public var digest = true

    public init(displayName: String, path: String?) {
        self.displayName = displayName
        self.path = path
    }

    /// A file given by path (displayed as given).
    public static func file(_ path: String) -> InputFile { InputFile(displayName: path, path: path) }
    /// Standard input.
    public static var standardInput: InputFile { InputFile(displayName: "-", path: nil) }
}

/// What a reader learnt about a file while reading it (for results and `demarc profile`).
public struct ReadSummary: Sendable, Hashable {
    /// The encoding used, and how it was decided ("BOM", "declared", "default", "XML declaration").
    public var encoding: String = "utf-8"
    public var encodingSource: String = "default"
    /// CSV only: the delimiter used (as text, "\t" for TAB) and how it was decided.
    public var delimiter: String?
    public var delimiterSource: String?
    /// CSV only: the line ends seen: any of "LF", "CRLF", "CR".
    public var lineEnds: [String] = []
    /// CSV: the header names (empty without header). XML: empty.
    public var header: [String] = []
    /// Records delivered to the sink, malformed ones included.
    public var records: Int = 0
    /// Records delivered with `malformed` set.
    public var malformed: Int = 0
    /// Lowercase hex SHA-256 of the file's bytes as read.
    public var sha256: String = ""

    public init() {}
}

/// Receives each record; may throw to stop reading (e.g. interrupted).
public typealias RecordSink = (inout RawRecord) throws -> Void
