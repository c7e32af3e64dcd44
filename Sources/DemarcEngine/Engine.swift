import Foundation
import DemarcCore
import DemarcReaders
import DemarcRules

/// Runs a validated rule file over its sources and collects the findings.
public enum Engine {
    /// Reads every source (in parallel, one thread per source), forms cases, runs the selected
    /// rules and the implicit checks, and returns the ordered result.
    public static func run(_ file: RuleFile, options: RunOptions) throws -> RunResult {
        let selected = try selectRules(file, only: options.only, skip: options.skip)
        var inputs = try resolveInputs(file, overrides: options.sourceOverrides)
        for i in inputs.indices { inputs[i].digest = options.sourceDigests }
        let asOf = options.asOf ?? file.asOf ?? options.today ?? today()
        let normalizer = KeyNormalizer(file.match.normalize)

        var clock = PhaseClock()
        options.progress?("reading \(file.sources.count) source\(file.sources.count == 1 ? "" : "s")")
        if let streaming = StreamingRun(file, inputs: inputs, asOf: asOf, normalizer: normalizer,
                                        selected: selected, options: options) {
            var checked = try streaming.run(clock: &clock)
            return finish(&checked, file: file, selected: selected, options: options, asOf: asOf,
                          normalizer: normalizer, clock: &clock)
        }
        let indexing = CaseIndexing(order: CaseBuilder.indexOrder(inputs))
        let tables = try readSources(file, inputs: inputs, asOf: asOf, normalizer: normalizer,
                                     progress: options.readProgress, indexing: indexing)
        clock.lap("read")
        options.progress?("matching \(tables.reduce(0) { $0 + $1.lines.count }) records")
        let store = CaseBuilder.finish(indexing.finished(), tables: tables, asOf: asOf, calendar: file.calendar)
        let accounts = try RecordAccounting.accounts(store)
        try RecordAccounting.verify(accounts, names: tables.map(\.def.name))
        clock.lap("cases")
        options.progress?("checking \(store.count) cases against \(selected.count) rules")

        var lists = checkInParallel(file, selected: selected, store: store, asOf: asOf)
        // Findings need the records now, not the cases: the per-case columns go.
        let cases = store.count
        store.releaseCases()
        clock.lap("rules")
        var checked = Checked(tables: tables, accounts: accounts, drafts: DraftList(), cases: cases)
        (checked.drafts, checked.order) = joinedInOrder(&lists)
        return finish(&checked, file: file, selected: selected, options: options, asOf: asOf,
                      normalizer: normalizer, clock: &clock)
    }

    /// Runs the selected rules and then the implicit checks over every case, on both cores:
    /// each rule (and the implicit checks) appends to a list of its own (`joinedInOrder` joins
    /// them in rule order, so the drafts are those that one thread would make).
    private static func checkInParallel(_ file: RuleFile, selected: Set<String>, store: CaseStore,
                                        asOf: Day) -> [DraftList] {
        let checker = RuleChecker(store: store, asOf: asOf, calendar: file.calendar)
        let implicit = ImplicitChecker(store: store, severity: file.implicitSeverity, baseRank: file.rules.count)
        let ranked = file.rules.enumerated().filter { selected.contains($0.element.id) }
        var lists = [DraftList](repeating: DraftList(), count: ranked.count + 1)
        lists.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let lists = buffer   // each iteration writes its own element only
            DispatchQueue.concurrentPerform(iterations: lists.count) { i in
                let started = DispatchTime.now().uptimeNanoseconds
                if i < ranked.count {
                    checker.check(ranked[i].element, rank: ranked[i].offset, into: &lists[i])
                } else {
                    implicit.check(into: &lists[i])
                }
                PhaseClock.note("rule \(i < ranked.count ? ranked[i].element.id : "(implicit checks)") "
                    + "\((DispatchTime.now().uptimeNanoseconds - started) / 1_000_000) ms, \(lists[i].count) drafts")
            }
        }
        return lists
    }

    /// The checks' lists joined in rule order, and the drafts' result order, each list put in
    /// order on its own, on both cores. Rank comes first in that order, and each list holds
    /// ranks above the lists before it (a rule's rank is its position; the implicit checks rank
    /// after every rule), so the lists' orders one after another are the joined list's order.
    /// At 5M records a side: 69 ms for 416,863 drafts on one core before. (Sorted while the
    /// rules still ran, the sort keys sat beside the cases: 13 MiB more at the run's peak.)
    private static func joinedInOrder(_ lists: inout [DraftList]) -> (DraftList, order: [Int32]) {
        var orders = [[Int32]](repeating: [], count: lists.count)
        lists.withUnsafeBufferPointer { listBuffer in
            orders.withUnsafeMutableBufferPointer { buffer in
                nonisolated(unsafe) let orders = buffer   // each iteration writes its own element only
                nonisolated(unsafe) let lists = listBuffer
                DispatchQueue.concurrentPerform(iterations: lists.count) { i in
                    orders[i] = FindingDraft.order(lists[i])
                }
            }
        }
        // Joined by taking over each list's chunks: no draft is copied.
        var drafts = DraftList()
        var order: [Int32] = []
        order.reserveCapacity(lists.reduce(0) { $0 + $1.count })
        for i in lists.indices {
            let offset = Int32(truncatingIfNeeded: drafts.count)
            order.append(contentsOf: orders[i].lazy.map { $0 &+ offset })
            orders[i] = []
            drafts.append(moving: &lists[i])
        }
        return (drafts, order)
    }

    /// What the checks of a run produced, before ordering and triage.
    struct Checked {
        /// Every source's table (in rule file order), holding the records findings show.
        var tables: [SourceTable]
        var accounts: [RecordAccount]
        var drafts: DraftList
        var cases: Int
        /// The drafts' result order when it is made already (the full engine orders each
        /// rule's list on its own, `joinedInOrder`); nil: `finish` sorts them all.
        var order: [Int32]?
    }

    /// Orders the findings, applies the triage, counts and lists them: the result.
    private static func finish(_ checked: inout Checked, file: RuleFile, selected: Set<String>, options: RunOptions,
                               asOf: Day, normalizer: KeyNormalizer, clock: inout PhaseClock) -> RunResult {
        let tables = checked.tables
        var drafts = checked.drafts
        checked.drafts = DraftList()
        var order = checked.order ?? FindingDraft.order(drafts)
        checked.order = nil
        clock.lap("sort")
        let unmatched = options.triage?.apply(to: &drafts, asOf: asOf, normalizer: normalizer)

        // Summary over all findings; `--max-findings` limits what is listed per rule.
        var summary = RunSummary()
        var perRule: [(String, Int)] = []
        // With `--max-findings`, which drafts are listed; without, all (and no copy of them).
        var listedFlags: [Bool]? = options.maxFindings == nil ? nil : []
        // Failing findings per severity counted in place: the dictionary per finding hashed.
        var failing = (error: 0, warning: 0, info: 0)
        // Fields read through each draft's address: `drafts[i]` three times a finding was 20 ms
        // at 5M records a side, on one core.
        drafts.withAddresses { address in
            for i in order {
                let draft = address(Int(i))
                let severity = draft.pointee.severity, status = draft.pointee.status
                summary.findings += 1
                switch severity {
                case .error: summary.error += 1
                case .warning: summary.warning += 1
                case .info: summary.info += 1
                }
                if status.counts {
                    switch severity {
                    case .error: failing.error += 1
                    case .warning: failing.warning += 1
                    case .info: failing.info += 1
                    }
                }
                switch status {
                case .open: break
                case .baselined: summary.baselined += 1
                case .waived: summary.waived += 1
                case .expiredWaiver: summary.expiredWaivers += 1
                }
                if perRule.last?.0 == draft.pointee.rule {
                    perRule[perRule.count - 1].1 += 1
                } else {
                    perRule.append((draft.pointee.rule, 1))
                }
                if let limit = options.maxFindings { listedFlags?.append(perRule[perRule.count - 1].1 <= limit) }
            }
        }
        for (severity, n) in [(Severity.error, failing.error), (.warning, failing.warning), (.info, failing.info)] where n > 0 {
            summary.failing[severity] = n
        }
        if let flags = listedFlags { order = order.indices.filter { flags[$0] }.map { order[$0] } }
        summary.byRule = perRule.map { RuleCount(rule: $0.0, count: $0.1) }
        clock.lap("findings")

        let sources = zip(tables, checked.accounts).map { t, account in
            SourceSummary(name: t.def.name, file: t.file, format: t.def.format.rawValue,
                          encoding: t.readSummary.encoding, sha256: t.readSummary.sha256,
                          records: t.recordCount, malformed: t.malformedRecordCount,
                          matched: account.matched, unmatched: account.unmatched, files: t.files)
        }
        var checks = file.rules.filter { selected.contains($0.id) }.map {
            CheckInfo(id: $0.id, kind: $0.kind.name, severity: $0.severity, title: $0.title)
        }
        checks += ImplicitCheck.allCases.map {
            CheckInfo(id: $0.rawValue, kind: "implicit", severity: file.implicitSeverity[$0] ?? .error, title: nil)
        }
        var result = RunResult(rules: RuleFileInfo(file: file.path, name: file.name, sha256: file.sha256),
                               asOf: asOf, sources: sources, cases: checked.cases, summary: summary,
                               findings: FindingList(drafts: DraftFindings(drafts: drafts, order: order, tables: tables)),
                               checks: checks)
        if options.triage?.waivers != nil { result.unmatchedWaivers = unmatched ?? [] }
        return result
    }

    /// The ids of the rules `--only`/`--skip` select; an unknown id or tag is a usage error.
    public static func selectRules(_ file: RuleFile, only: [String], skip: [String]) throws -> Set<String> {
        func matches(_ rule: Rule, _ token: String) -> Bool {
            token.hasPrefix("#") ? rule.tags.contains(String(token.dropFirst())) : rule.id == token
        }
        for token in only + skip where !file.rules.contains(where: { matches($0, token) }) {
            let what = token.hasPrefix("#") ? "tag" : "rule"
            throw DemarcError.usage("no \(what) '\(token.hasPrefix("#") ? String(token.dropFirst()) : token)' in \(file.path)")
        }
        var ids = Set<String>()
        for rule in file.rules {
            if !only.isEmpty && !only.contains(where: { matches(rule, $0) }) { continue }
            if skip.contains(where: { matches(rule, $0) }) { continue }
            ids.insert(rule.id)
        }
        return ids
    }

    /// The input of each source: `--source` wins over `file:`.
    static func resolveInputs(_ file: RuleFile, overrides: [String: InputFile]) throws -> [InputFile] {
        for name in overrides.keys.sorted() where file.source(name) == nil {
            throw DemarcError.usage("--source '\(name)': no source named '\(name)' in \(file.path)")
        }
        var inputs: [InputFile] = []
        for source in file.sources {
            if let input = overrides[source.name] {
                inputs.append(input)
            } else if let path = source.file {
                inputs.append(InputFile(displayName: source.fileAsWritten ?? path, path: path))
            } else {
                throw DemarcError.usage("source '\(source.name)' has no file; give --source \(source.name)=PATH")
            }
        }
        if inputs.filter({ $0.path == nil }).count > 1 {
            throw DemarcError.usage("only one source may read standard input ('-')")
        }
        return inputs
    }

    /// Reads the sources on one thread each; the first failure in source order is thrown.
    /// `indexing` indexes each source's keys as soon as it can (`CaseIndexing`).
    static func readSources(_ file: RuleFile, inputs: [InputFile], asOf: Day, normalizer: KeyNormalizer,
                            progress: ReadProgress?, indexing: CaseIndexing) throws -> [SourceTable] {
        final class Results: @unchecked Sendable {
            var items: [Result<SourceTable, Error>?]
            let lock = NSLock()
            init(_ n: Int) { items = Array(repeating: nil, count: n) }
        }
        let results = Results(file.sources.count)
        let calendar = file.calendar
        // Two sources, one a thread: the one done first helps the other (more sources take
        // turns on the threads, and a thread waiting to help would hold up the next source).
        let help = file.sources.count == 2 ? ReadHelp() : nil
        DispatchQueue.concurrentPerform(iterations: file.sources.count) { i in
            var loader = SourceLoader(def: file.sources[i], order: i, input: inputs[i], asOf: asOf,
                                      calendar: calendar, normalizer: normalizer, progress: progress)
            loader.help = help
            let started = DispatchTime.now().uptimeNanoseconds
            help?.started()
            let result = Result { try loader.load() }
            help?.finished()
            PhaseClock.note("read \(file.sources[i].name) \((DispatchTime.now().uptimeNanoseconds - started) / 1_000_000) ms")
            results.lock.lock()
            results.items[i] = result
            results.lock.unlock()
            let offered = indexing.loaded(i, try? result.get(), help: help)
            help?.serve(offered: offered)
        }
        var tables: [SourceTable] = []
        for item in results.items {
            guard let item else { throw DemarcError.internalError("a source was not read") }
            tables.append(try item.get())
        }
        return tables
    }

    /// Today in UTC.
    static func today() -> Day {
        let seconds = Int64(Date().timeIntervalSince1970)
        return Day(daysSinceEpoch: Int32(clamping: seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400))
    }
}

/// Phase timings on standard error when `DEMARC_TIMING` is set (for benchmarks).
public struct PhaseClock {
    /// Starts the clock.
    public init() {}

    private let enabled = ProcessInfo.processInfo.environment["DEMARC_TIMING"] != nil
    private var last = DispatchTime.now().uptimeNanoseconds

    /// Writes the time since the last lap.
    public mutating func lap(_ phase: String) {
        guard enabled else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        FileHandle.standardError.write(Data(("timing: \(phase) \((now - last) / 1_000_000) ms, \(statusMiB("VmRSS:")) MiB "
            + "resident, \(statusMiB("VmHWM:")) MiB peak so far\n").utf8))
        last = now
    }

    /// Writes one line of detail (e.g. a source's read time) when timing is on.
    public static func note(_ text: String) {
        guard ProcessInfo.processInfo.environment["DEMARC_TIMING"] != nil else { return }
        FileHandle.standardError.write(Data("timing:   \(text)\n".utf8))
    }

    /// A size from /proc/self/status (`VmRSS:` now, `VmHWM:` the peak), in MiB; 0 where absent.
    private func statusMiB(_ field: String) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field) }) else { return 0 }
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) / 1024
    }
}
