import DemarcCore

// XML profiling in one streaming pass.
// - Without a record path: every element path (local names, `/A/B/C`) that occurs more than
//   once under one parent element, with its total count, sorted by path.
// - With a record path (`/A/B/C`, or `//C` at any depth; a step's prefix is ignored, since
//   `profile` has no namespace map): one column per leaf element path and attribute below the
//   record (`InvoiceNo`, `DocumentStatus/InvoiceStatus`, `@code`, `Line/@id`), in order of
//   discovery. A record's value is the first match, trimmed, as a check reads it; a path that
//   repeats within a record is reported as such (a rule needs `repeated:` there).

extension Profiler {
    static func profileXML(_ request: ProfileRequest, formatSource: String) throws -> FileProfile {
        let scan = try XMLProfileScan(input: request.input)
        var summary = ReadSummary()
        let file = request.input.displayName
        guard let recordPath = request.record else {
            var paths = PathCounter()
            let info = try scan.run { paths.handle($0) }
            summary.encoding = info.encoding
            summary.encodingSource = info.encodingSource
            summary.sha256 = info.sha256
            return FileProfile(file: file, format: "xml", formatSource: formatSource, summary: summary,
                               repeatingPaths: paths.repeating)
        }
        guard let matcher = RecordPathMatcher(recordPath) else {
            throw DemarcError.usage("invalid record path '\(recordPath)'; write /A/B/C or //C")
        }
        var records = RecordProfiler(matcher: matcher, limits: request.limits)
        let info = try scan.run { try records.handle($0) }
        if records.count == 0 {
            throw DemarcError.unreadableInput(SourcePosition(file: file, line: 0), "no element matches '\(recordPath)'")
        }
        summary.encoding = info.encoding
        summary.encodingSource = info.encodingSource
        summary.sha256 = info.sha256
        summary.records = records.count
        return FileProfile(file: file, format: "xml", formatSource: formatSource, summary: summary, record: recordPath,
                           columns: records.finish())
    }
}

/// Counts element paths, and notes which repeat under one parent.
struct PathCounter {
    private var stack: [(path: String, children: [String: Int])] = []
    private var counts: [String: Int] = [:]
    private var repeats: Set<String> = []

    mutating func handle(_ event: XMLProfileEvent) {
        switch event {
        case .start(let name, _, _, _):
            let path = (stack.last?.path ?? "") + "/" + name
            counts[path, default: 0] += 1
            if !stack.isEmpty {
                let seen = stack[stack.count - 1].children[name, default: 0] + 1
                stack[stack.count - 1].children[name] = seen
                if seen == 2 { repeats.insert(path) }
            }
            stack.append((path, [:]))
        case .end:
            _ = stack.popLast()
        case .text:
            break
        }
    }

    var repeating: [PathCount] {
        repeats.map { PathCount(path: $0, count: counts[$0] ?? 0) }
            .sorted { Array($0.path.utf8).lexicographicallyPrecedes(Array($1.path.utf8)) }
    }
}

/// `/A/B/C` (the whole path) or `//B/C` (a suffix), compared by local names.
struct RecordPathMatcher {
    let steps: [String]
    let anyDepth: Bool

    init?(_ text: String) {
        anyDepth = text.hasPrefix("//")
        guard text.hasPrefix("/") else { return nil }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).dropFirst(anyDepth ? 2 : 1)
        guard !parts.isEmpty, parts.allSatisfy({ !$0.isEmpty && !$0.contains("@") }) else { return nil }
        steps = parts.map { part in part.split(separator: ":").last.map(String.init) ?? String(part) }
    }

    func matches(_ path: [String]) -> Bool {
        if anyDepth { return path.count >= steps.count && Array(path.suffix(steps.count)) == steps }
        return path == steps
    }
}

/// Collects the leaf values of each record and feeds them to one profiler per path.
struct RecordProfiler {
    let matcher: RecordPathMatcher
    let limits: ProfileLimits
    private(set) var count = 0
    private var names: [String] = []
    /// Open elements: local name, path below the record, text so far, whether it has child elements.
    private var stack: [(name: String, relative: String?, text: String, hasChildren: Bool)] = []
    private var recordDepth: Int?
    private var current: [String: String] = [:]
    /// The paths of `current` in document order.
    private var order: [String] = []
    private var occurrences: [String: Int] = [:]
    private var columns: [ColumnProfiler] = []
    private var index: [String: Int] = [:]
    private var repeatedInRecord: Set<String> = []

    init(matcher: RecordPathMatcher, limits: ProfileLimits) {
        self.matcher = matcher
        self.limits = limits
    }

    mutating func handle(_ event: XMLProfileEvent) throws {
        switch event {
        case .start(let name, let attributes, _, _):
            if !stack.isEmpty { stack[stack.count - 1].hasChildren = true }
            names.append(name)
            var relative: String?
            if recordDepth != nil {
                let parent = stack[stack.count - 1].relative ?? ""
                relative = parent.isEmpty ? name : parent + "/" + name
            } else if matcher.matches(names) {
                recordDepth = stack.count
                relative = ""
                current = [:]
                order = []
                occurrences = [:]
            }
            stack.append((name, relative, "", false))
            if let relative {
                for (attribute, value) in attributes {
                    note(relative.isEmpty ? "@" + attribute : relative + "/@" + attribute, value)
                }
            }
        case .text(let text):
            if !stack.isEmpty && stack[stack.count - 1].relative != nil { stack[stack.count - 1].text += text }
        case .end:
            guard let top = stack.popLast() else { return }
            names.removeLast()
            if let relative = top.relative, !relative.isEmpty, !top.hasChildren {
                note(relative, trimmed(top.text))
            }
            if let depth = recordDepth, stack.count == depth {
                finishRecord()
                recordDepth = nil
            }
        }
    }

    private mutating func note(_ path: String, _ value: String) {
        occurrences[path, default: 0] += 1
        if occurrences[path] == 2 { repeatedInRecord.insert(path) }
        if current[path] == nil {
            current[path] = value
            order.append(path)
        }
    }

    private func trimmed(_ text: String) -> String {
        var s = Substring(text)
        while let c = s.first, c.isWhitespace { s = s.dropFirst() }
        while let c = s.last, c.isWhitespace { s = s.dropLast() }
        return String(s)
    }

    private mutating func finishRecord() {
        // New paths in document order: positions are deterministic.
        for path in order where index[path] == nil {
            var column = ColumnProfiler(name: path, position: columns.count + 1, limits: limits, dayMonthPeriod: nil)
            column.addAbsent(count)
            index[path] = columns.count
            columns.append(column)
        }
        for i in columns.indices {
            if var value = current[columns[i].name] {
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
