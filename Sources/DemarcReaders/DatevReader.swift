import DemarcCore

extension CSVOptions {
    /// The DATEV preset: `;`, `"`, Windows-1252 (a BOM wins), column names on line 2.
    public static var datev: CSVOptions {
        CSVOptions(delimiter: UInt8(ascii: ";"), quote: UInt8(ascii: "\""), encoding: .windows1252, headerLine: 2)
    }
}

/// Reads a DATEV-Format export (RULES.md Presets): line 1 the metadata, line 2 the column names.
public final class DatevReader {
    private let input: InputFile
    private let options: CSVOptions
    private var header: DatevHeader?
    /// Standard input's bytes taken by `readHeader()`, replayed by `read`.
    private var pendingInput: [UInt8] = []

    /// A reader of `input` with the DATEV preset, or `overrides` (the preset with the user's
    /// `csv:` changes) when given. Line 1 is the metadata line whatever `headerLine` says.
    public init(input: InputFile, overrides: CSVOptions?) {
        self.input = input
        var options = overrides ?? .datev
        options.headerLine = max(options.headerLine, 2)
        self.options = options
    }

    /// Reads line 1 only; a first line that is not EXTF/DTVF metadata throws `.unreadableInput`.
    public func readHeader() throws -> DatevHeader {
        if let header { return header }
        let reader = CSVReader(input: input, options: options)
        reader.capturesRawBytes = input.path == nil
        reader.firstLineHook = { [unowned self] line in
            header = try parseMetadata(line)
            throw StopAfterMetadata()
        }
        do {
            _ = try reader.read(fields: [], sink: { _ in })
        } catch is StopAfterMetadata {
        }
        if input.path == nil { pendingInput = reader.captured }
        guard let header else { throw notDatev() }
        return header
    }

    /// Streams the records after the column names (line 3 on), checking line 1 on the way.
    /// `fields == nil` requests every column.
    public func read(fields: [FieldRequest]?, onChunk: ((UnsafeRawBufferPointer) -> Void)? = nil,
                     sink: RecordSink) throws -> ReadSummary {
        let reader = CSVReader(input: input, options: options)
        reader.prefix = pendingInput
        pendingInput = []
        var sawMetadata = false
        reader.firstLineHook = { [unowned self] line in
            header = try parseMetadata(line)
            sawMetadata = true
        }
        let summary = try reader.read(fields: fields, onChunk: onChunk, sink: sink)
        guard sawMetadata else { throw notDatev() }
        return summary
    }

    // MARK: - Metadata line

    private struct StopAfterMetadata: Error {}

    private func notDatev() -> DemarcError {
        .unreadableInput(SourcePosition(file: input.displayName, line: 1),
                         "not a DATEV file: line 1 is not EXTF/DTVF metadata")
    }

    private func parseMetadata(_ line: UnsafeBufferPointer<UInt8>) throws -> DatevHeader {
        let scanner = CSVScanner(delimiter: options.delimiter ?? UInt8(ascii: ";"), quote: options.quote)
        let fields = scanner.splitLine(line)
        guard let header = DatevHeader(fields: fields) else { throw notDatev() }
        return header
    }
}

extension CSVScanner {
    /// The fields of one complete line of decoded text, quotes removed and undoubled.
    func splitLine(_ line: UnsafeBufferPointer<UInt8>) -> [String] {
        guard let base = line.baseAddress, !line.isEmpty else { return [""] }
        var spans = FieldSpans()
        defer { spans.deallocate() }
        _ = scanRecord(base, from: 0, limit: line.count, atEnd: true, spans: &spans)
        var fields: [String] = []
        var bytes: [UInt8] = []
        for index in 0..<spans.count {
            bytes.removeAll(keepingCapacity: true)
            spans.appendField(index, from: base, quote: quote, to: &bytes)
            fields.append(String(decoding: bytes, as: UTF8.self))
        }
        return fields
    }
}
