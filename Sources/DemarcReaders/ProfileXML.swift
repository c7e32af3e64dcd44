import DemarcCore

// XML profiling in one streaming pass of the XML reader's census (XMLCensus), so profile reads
// XML under the same security policy and with the same messages as `check`.
// - Without a record path: every element path (local names, `/A/B/C`) that occurs more than
//   once under one parent element, with its total count, sorted by path.
// - With a record path (`/A/B/C`, or `//C` at any depth; a step's prefix is ignored, since
//   `profile` has no namespace map): one column per leaf element path and attribute below the
//   record (`InvoiceNo`, `DocumentStatus/InvoiceStatus`, `Total/@cur`, `@code`), in order of
//   discovery. A record's value is the first match, trimmed, as a check reads it; a path that
//   repeats within a record is reported as such (a rule needs `repeated:` there).

extension Profiler {
    static func profileXML(_ request: ProfileRequest, formatSource: String) throws -> FileProfile {
        let file = request.input.displayName
        guard let recordPath = request.record else {
            let census = try XMLCensus.elementPaths(input: request.input)
            let repeating = census.paths.filter(\.repeatsUnderOneParent).map { PathCount(path: $0.path, count: $0.count) }
                .sorted { Array($0.path.utf8).lexicographicallyPrecedes(Array($1.path.utf8)) }
            return FileProfile(file: file, format: "xml", formatSource: formatSource, summary: census.summary,
                               repeatingPaths: repeating)
        }
        var records = RecordProfiler(limits: request.limits)
        let options = XMLOptions(record: try unprefixedRecordPath(recordPath), allowEmpty: true)
        let summary = try XMLCensus.records(input: request.input, options: options) { _, entries in records.add(entries) }
        if summary.records == 0 {
            throw DemarcError.unreadableInput(SourcePosition(file: file, line: 0), "no element matches '\(recordPath)'")
        }
        return FileProfile(file: file, format: "xml", formatSource: formatSource, summary: summary, record: recordPath,
                           columns: records.finish())
    }

    /// `text` checked as a record path, with every step's prefix dropped (an unprefixed step
    /// matches its local name in any namespace).
    static func unprefixedRecordPath(_ text: String) throws -> String {
        switch XMLPath.record(text) {
        case .success(let path):
            return (path.anyDepth ? "//" : "/") + path.elements.map(\.localName).joined(separator: "/")
        case .failure(let error):
            throw DemarcError.usage(error.description)
        }
    }
}

/// Feeds the leaf values of each record to one column profiler per path.
struct RecordProfiler {
    let limits: ProfileLimits
    private(set) var count = 0
    private var columns: [ColumnProfiler] = []
    private var index: [String: Int] = [:]
    private var repeatedInRecord: Set<String> = []

    init(limits: ProfileLimits) {
        self.limits = limits
    }

    /// One record's (relative path, trimmed text) entries in document order.
    mutating func add(_ entries: [(String, String)]) {
        var first: [String: String] = [:]
        for (path, value) in entries {
            if first[path] == nil {
                first[path] = value
            } else {
                repeatedInRecord.insert(path)
            }
            // New paths in document order: positions are deterministic.
            if index[path] == nil {
                var column = ColumnProfiler(name: path, position: columns.count + 1, limits: limits, dayMonthPeriod: nil)
                column.addAbsent(count)
                index[path] = columns.count
                columns.append(column)
            }
        }
        for i in columns.indices {
            if var value = first[columns[i].name] {
                value.withUTF8 { columns[i].add(UnsafeRawBufferPointer($0)) }
            } else {
                columns[i].add(nil)
            }
        }
        count += 1
    }

    func finish() -> [ColumnProfile] {
        columns.map { column in
            var profile = column.finish()
            profile.repeatsInRecord = repeatedInRecord.contains(column.name)
            return profile
        }
    }
}
