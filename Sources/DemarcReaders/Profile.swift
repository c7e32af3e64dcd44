import DemarcCore

/// The file formats `demarc profile` reads.
public enum ProfileFormat: String, Sendable, Hashable, CaseIterable {
    case csv, xml, datev
}

/// What `demarc profile` was asked to do.
public struct ProfileRequest: Sendable, Hashable {
    public var input: InputFile
    /// nil: guessed (DETAILS of `profile` in CLI.md: extension, then the DATEV metadata line).
    public var format: ProfileFormat?
    /// XML: the record path to profile; nil lists the repeating elements instead.
    public var record: String?
    public var limits: ProfileLimits

    /// A request with default limits.
    public init(input: InputFile, format: ProfileFormat? = nil, record: String? = nil, limits: ProfileLimits = ProfileLimits()) {
        self.input = input
        self.format = format
        self.record = record
        self.limits = limits
    }
}

/// Streams a file once and tells a rule author what is in it (CLI.md, `demarc profile`).
public enum Profiler {
    /// Profiles the file; unreadable input throws the same `DemarcError` as a check would.
    public static func profile(_ request: ProfileRequest) throws -> FileProfile {
        let (format, source) = try decideFormat(request)
        if request.record != nil && format != .xml {
            throw DemarcError.usage("--record applies to xml files only; '\(request.input.displayName)' is read as \(format.rawValue)")
        }
        switch format {
        case .csv:
            return try profileCSV(request, formatSource: source)
        case .datev:
            return try profileDatev(request, formatSource: source)
        case .xml:
            return try profileXML(request, formatSource: source)
        }
    }

    /// The format and how it was decided: `--format`, `extension`, `EXTF metadata line`, `default`.
    public static func decideFormat(_ request: ProfileRequest) throws -> (ProfileFormat, String) {
        if let format = request.format { return (format, "--format") }
        guard let path = request.input.path else { return (.csv, "default") }
        if path.lowercased().hasSuffix(".xml") { return (.xml, "extension") }
        let start = try firstBytes(of: request.input, count: 16)
        if let kind = datevKind(start) { return (.datev, "\(kind) metadata line") }
        return (.csv, "default")
    }

    /// `EXTF` or `DTVF` when the bytes open a DATEV metadata line (after an optional UTF-8 BOM).
    static func datevKind(_ bytes: [UInt8]) -> String? {
        var rest = bytes[...]
        if rest.starts(with: [0xEF, 0xBB, 0xBF]) { rest = rest.dropFirst(3) }
        if rest.first == UInt8(ascii: "\"") { rest = rest.dropFirst() }
        for kind in ["EXTF", "DTVF"] where rest.starts(with: kind.utf8) {
            let after = rest.dropFirst(4).first
            if after == nil || after == UInt8(ascii: "\"") || after == UInt8(ascii: ";") { return kind }
        }
        return nil
    }

    private static func firstBytes(of input: InputFile, count: Int) throws -> [UInt8] {
        let source = try ByteSource(input: input)
        var buffer = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let n = try buffer.withUnsafeMutableBytes {
                try source.read(into: $0.baseAddress! + filled, count: count - filled, displayName: input.displayName)
            }
            if n == 0 { break }
            filled += n
        }
        return Array(buffer[0..<filled])
    }

    // MARK: - CSV

    private static func profileCSV(_ request: ProfileRequest, formatSource: String) throws -> FileProfile {
        let reader = CSVReader(input: request.input, options: CSVOptions(delimiter: nil, encoding: nil, headerLine: 1))
        var table = ColumnTable(limits: request.limits, dayMonthPeriod: nil)
        let summary = try reader.read(fields: nil) { record in table.add(record) }
        return FileProfile(file: request.input.displayName, format: ProfileFormat.csv.rawValue, formatSource: formatSource,
                           summary: summary, columns: table.finish(names: summary.header))
    }
}

/// The column profilers of a table whose records arrive one by one.
struct ColumnTable {
    let limits: ProfileLimits
    let dayMonthPeriod: ClosedRange<Day>?
    var columns: [ColumnProfiler] = []
    /// Well-formed records added so far.
    var records = 0

    init(limits: ProfileLimits, dayMonthPeriod: ClosedRange<Day>?) {
        self.limits = limits
        self.dayMonthPeriod = dayMonthPeriod
    }

    /// Adds a record's fields in order; malformed records take no part (DETAILS.md 1).
    mutating func add(_ record: RawRecord) {
        guard record.malformed == nil else { return }
        while columns.count < record.fields.count {
            var column = ColumnProfiler(name: "", position: columns.count + 1, limits: limits, dayMonthPeriod: dayMonthPeriod)
            column.addAbsent(records)
            columns.append(column)
        }
        record.bytes.withUnsafeBytes { bytes in
            for index in columns.indices {
                let range = index < record.fields.count ? record.fields[index] : nil
                if let range, range.lowerBound >= 0, range.upperBound <= bytes.count {
                    columns[index].add(UnsafeRawBufferPointer(rebasing: bytes[range]))
                } else {
                    columns[index].add(nil)
                }
            }
        }
        records += 1
    }

    /// The profiles, named from `names` by position; a header without records still lists its columns.
    func finish(names: [String]) -> [ColumnProfile] {
        var all = columns
        while all.count < names.count {
            all.append(ColumnProfiler(name: "", position: all.count + 1, limits: limits, dayMonthPeriod: dayMonthPeriod))
        }
        return all.enumerated().map { index, column in
            var profile = column.finish()
            if index < names.count { profile.name = names[index] }
            return profile
        }
    }
}
