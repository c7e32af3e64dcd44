import DemarcCore
import DemarcRules

/// Runs the six rule kinds case by case (RULES.md, Rules).
struct RuleChecker {
    let store: CaseStore
    let asOf: Day
    let calendar: Calendar?
    /// What each draft reads of the store and its tables, taken once (`draft` in `check`).
    /// Read through the store's and tables' properties per draft, each array and table was
    /// retained and released, and both threads of the rules phase did so on the same objects,
    /// moving their cache lines between the cores: the draft's key alone (`CaseStore.draftKey`,
    /// then) was a tenth of the phase's samples in `perf` (5M records a side).
    private let keys: [String]
    private let keyParts: Int
    private let sourceNames: [String]
    private let orders: [Int]
    private let caseRows: [[Int32]]
    private let grouped: [Bool]
    private let lines: [LineNumbers]

    init(store: CaseStore, asOf: Day, calendar: Calendar?) {
        self.store = store
        self.asOf = asOf
        self.calendar = calendar
        keys = store.keys
        keyParts = store.tables.first?.def.key.count ?? 1
        sourceNames = store.tables.map(\.def.name)
        orders = store.tables.map(\.order)
        caseRows = store.tables.map(\.caseRow)
        grouped = store.tables.map(\.isGrouped)
        lines = store.tables.map(\.lines)
    }

    /// The findings of one rule, appended to `drafts`: no copy of each draft (and of its
    /// strings' reference counts) from a result array into the run's.
    func check(_ rule: Rule, rank: Int, into drafts: inout DraftList) {
        let skipsMissingKeys: Bool
        switch rule.kind {
        case .counterpart, .agree: skipsMissingKeys = true
        default: skipsMissingKeys = false
        }
        let (mustHave, mustLack) = presence(rule.kind)
        let prefilter = RulePrefilter(rule, store: store)
        let resolved = ResolvedRule(rule, store: store, checker: self)
        // Local copies of the columns the loop reads: reading a class's properties in the loop
        // costs a dynamic exclusivity check each time.
        let missing = store.missing
        // The presence columns as locals of their own (`presence` gives at most two tables that
        // must have a record and one that must lack it): reading them out of an array of arrays
        // retained and released the column per case, and both threads of the rules phase read
        // the same columns, so each retain moved the column's cache line between the cores.
        let haveRows = mustHave.map(\.caseRow), lackRows = mustLack.map(\.caseRow)
        let have0 = haveRows.count > 0 ? haveRows[0] : [], have1 = haveRows.count > 1 ? haveRows[1] : []
        let lack0 = lackRows.count > 0 ? lackRows[0] : []
        let moreRows = haveRows.count > 2 || lackRows.count > 1
        var messages = SharedTexts()
        var defaults = DefaultMessages(store: store)
        let condition = rule.where   // once: each read of the optional retained it, per case
        for c in 0..<store.count {
            if skipsMissingKeys && missing[c] { continue }
            // The kind's cheap presence test first: it never changes the outcome.
            if (!have0.isEmpty && have0[c] < 0) || (!have1.isEmpty && have1[c] < 0) || (!lack0.isEmpty && lack0[c] >= 0) {
                continue
            }
            if moreRows && (haveRows.contains(where: { $0[c] < 0 }) || lackRows.contains(where: { $0[c] >= 0 })) {
                continue
            }
            if !prefilter.mayFind(c) { continue }
            let context = CaseContext(store: store, caseIndex: c, asOf: asOf)
            if let condition {
                guard case .bool(true) = Evaluator.evaluate(condition, in: context, calendar: calendar) else { continue }
            }
            check(rule, resolved, rank: rank, context: context, defaults: &defaults, messages: &messages, into: &drafts)
        }
    }

    /// The sources a case must have, and must lack, for the kind to find anything.
    private func presence(_ kind: RuleKind) -> (have: [SourceTable], lack: [SourceTable]) {
        func tables(_ names: [String]) -> [SourceTable] { names.compactMap { store.table($0) } }
        switch kind {
        case .definite(let s): return (tables([s]), [])
        case .counterpart(let a, let b): return (tables([a]), tables([b]))
        case .agree(let a, let b, _): return (tables([a, b]), [])
        case .owned(_, let owner, _, _): return (tables([owner]), [])
        case .stale(let s, _, _, _): return (tables([s]), [])
        case .expect: return ([], [])
        }
    }

    /// The positions (table order) of the tables named `names`: the sources a finding shows.
    fileprivate func shown(_ names: [String]) -> [Int] {
        sourceNames.indices.filter { names.contains(sourceNames[$0]) }
    }

    /// The full check of case `c`, appending its findings (each message through `messages`, so
    /// that findings saying the same share one text).
    private func check(_ rule: Rule, _ resolved: ResolvedRule, rank: Int, context: CaseContext,
                       defaults: inout DefaultMessages, messages shared: inout SharedTexts,
                       into drafts: inout DraftList) {
        let c = context.caseIndex
        let messages = Messages(store: store, caseIndex: c)
        func draft(kind: String, extra: [String], defaultMessage: @autoclosure () -> String,
                   fixIn: String?, shows: [Int], suffix: String = "", fieldRank: Int = 0) -> FindingDraft {
            let key = keyParts <= 1 ? DraftKey.one(keys[c]) : .many(splitKey(keys[c], parts: keyParts))
            let text = rule.message.map { messages.render($0, rule.messagePlaceholders, context, calendar) } ?? defaultMessage()
            let message = shared.shared(suffix.isEmpty ? text : text + suffix)
            var records = RecordRefs()
            for t in shows {
                if grouped[t] {
                    records.append(source: orders[t], store.tables[t].caseRecords(c))
                } else if case let row = Int(caseRows[t][c]), row >= 0 {
                    records.append(source: orders[t], row: row)   // no array for one record
                }
            }
            let first = records.first
            return FindingDraft(
                rank: rank, rule: rule.id, kind: kind, severity: rule.severity, keyParts: key,
                message: message, fixIn: rule.fixIn ?? fixIn,
                fingerprint: Fingerprint.digest(rule: rule.id, key: key, extra: extra),
                records: records, malformed: nil, sourceRank: first?.source ?? 0,
                line: first.map { Int(lines[$0.source][$0.record]) } ?? 0, fieldRank: fieldRank)
        }

        switch resolved.kind {
        case .definite(let s):
            guard let table = resolved.first, let cls = table.stateClass(c), !cls.isDefinite else { return }
            drafts.append(draft(kind: "indefinite", extra: resolved.extra,
                                defaultMessage: defaults.message(table, c, variant: 1) {
                                    "\(messages.says(table, withClass: true)), neither booked nor not booked"
                                },
                                fixIn: s, shows: resolved.shows))

        case .counterpart(_, let b):
            guard let table = resolved.first else { return }
            drafts.append(draft(kind: "missing-counterpart", extra: [],
                                defaultMessage: defaults.message(table, c, variant: 2) {
                                    "\(messages.says(table, withClass: false)) but \(b) has no record"
                                },
                                fixIn: b, shows: resolved.shows))

        case .agree(let a, let b, let transitionalAllowed):
            guard let ta = resolved.first, let tb = resolved.second,
                  let ca = ta.stateClass(c), let cb = tb.stateClass(c) else { return }
            let blurred: Bool
            if ca.isDefinite && cb.isDefinite {
                blurred = ca != cb
            } else {
                blurred = !transitionalAllowed
                    && ((ca.name == "booked" && !cb.isDefinite) || (cb.name == "booked" && !ca.isDefinite))
            }
            guard blurred else { return }
            let fix = !ca.isDefinite ? a : b
            drafts.append(draft(kind: "disagreement", extra: [],
                                defaultMessage: "\(messages.says(ta, withClass: true)) but \(messages.says(tb, withClass: true))",
                                fixIn: fix, shows: resolved.shows))

        case .owned(let field, let owner, _, let tolerance):
            guard let to = resolved.first else { return }
            let ownerValue = to.caseValue(c, field: resolved.field)
            if ownerValue.isUnknown { return }
            for copy in resolved.copies where caseRows[copy.position][c] >= 0 {
                let copyValue = copy.table.caseValue(c, field: copy.field)
                if sameOwnedValue(ownerValue, copyValue, tolerance: tolerance) { continue }
                let name = copy.name
                drafts.append(draft(kind: "ownership", extra: copy.extra,
                                    defaultMessage: copyValue.isUnknown
                                        ? joinedText(name, " has no ", field, " but ", owner, ", which owns it, has '",
                                                     ownerValue.resultText, "'")
                                        : joinedText(name, " has ", field, " '", copyValue.resultText, "' but ", owner,
                                                     ", which owns it, has '", ownerValue.resultText, "'"),
                                    fixIn: name, shows: copy.shows, fieldRank: copy.field))
            }

        case .stale(let s, _, let since, let limit):
            guard let table = resolved.first, let cls = table.stateClass(c) else { return }
            guard resolved.wanted.contains(cls), resolved.field >= 0 else { return }
            let start = table.caseValue(c, field: resolved.field)
            let says = messages.says(table, withClass: true)
            let message: String
            switch (start, limit) {
            case (.unknown, _):
                message = "\(says) but its '\(since)' is empty, so its age is unknown"
            case (_, .maxAge(let max)):
                guard let begin = instant(start) else { return }
                let age = asOf.instant.millisSinceEpoch &- begin.millisSinceEpoch
                guard age > max else { return }
                message = "\(says) since \(start.resultText), for \(durationText(age)), longer than \(durationText(max))"
            case (_, .untilPeriodClose):
                guard let day = day(start), let calendar else { return }
                let close = calendar.closeDate(for: day)
                guard asOf > close else { return }
                message = "\(says) although the period of \(day.isoText) closed on \(close.isoText)"
            }
            drafts.append(draft(kind: "stale", extra: resolved.extra, defaultMessage: message, fixIn: s,
                                shows: resolved.shows))

        case .expect(let expr):
            let result = Evaluator.evaluate(expr, in: context, calendar: calendar)
            if case .bool(true) = result { return }
            var suffix = ""
            if result.isUnknown {
                suffix = " (unknown: \(Evaluator.firstUnknown(expr, in: context, calendar: calendar) ?? "a value"))"
            }
            drafts.append(draft(kind: "violation", extra: [],
                                defaultMessage: "expected '\(expr.text)' does not hold",
                                fixIn: resolved.fix, shows: resolved.shows, suffix: suffix))
        }
    }

    /// The first source an expression names, by position (DETAILS.md 22).
    func firstSource(_ expr: Expr) -> String? {
        var best: (SourcePosition, String)?
        func note(_ e: Expr, _ name: String) {
            guard store.table(name) != nil else { return }
            if best == nil || e.position < best!.0 { best = (e.position, name) }
        }
        func walk(_ e: Expr) {
            switch e.node {
            case .field(let s, let f):
                if let s { note(e, s) } else { note(e, f) }
            case .state(let s), .stateTest(let s, _, _), .presence(let s, _): note(e, s)
            case .unary(_, let a): walk(a)
            case .binary(_, let a, let b): walk(a); walk(b)
            case .membership(let a, let list, _): walk(a); list.forEach(walk)
            case .call(_, let args): args.forEach(walk)
            case .literal, .asOf, .header: break
            }
        }
        walk(expr)
        return best?.1
    }
}

/// What a rule's full check looks up by name, looked up once per rule: per finding, finding a
/// table by name and a field by hashing its name retained tables that both threads of the
/// rules phase share, and the finding's sources were matched by name against every table.
private struct ResolvedRule {
    /// The rule's kind (its payload bound once, not per case).
    let kind: RuleKind
    /// The table the kind names first (`definite`, `stale`: the source; `counterpart`: `of`;
    /// `agree`: the first; `owned`: the owner), and `agree`'s second; nil where absent.
    var first: SourceTable?
    var second: SourceTable?
    /// `owned`: the owner's field; `stale`: the `since` field (-1: none).
    var field = -1
    /// `owned`: the copies the store holds with the field, with the fingerprint's extra parts
    /// and the tables their findings show.
    var copies: [(table: SourceTable, position: Int, name: String, field: Int, extra: [String], shows: [Int])] = []
    /// The tables (positions) a finding shows, and the fingerprint's extra parts.
    var shows: [Int] = []
    var extra: [String] = []
    /// `stale`: the classes that may go stale.
    var wanted: [StateClass] = []
    /// `expect`: where its findings are fixed.
    var fix: String?

    init(_ rule: Rule, store: CaseStore, checker: RuleChecker) {
        kind = rule.kind
        switch rule.kind {
        case .definite(let s):
            first = store.table(s)
            extra = [s]
            shows = checker.shown([s])
        case .counterpart(let a, _):
            first = store.table(a)
            shows = checker.shown([a])
        case .agree(let a, let b, _):
            first = store.table(a)
            second = store.table(b)
            shows = checker.shown([a, b])
        case .owned(let field, let owner, let copyNames, _):
            first = store.table(owner)
            guard let to = first, let fo = to.fieldIndex[field] else { first = nil; return }
            self.field = fo
            for copy in copyNames {
                guard let tc = store.table(copy), let fc = tc.fieldIndex[field] else { continue }
                let position = store.tables.firstIndex { $0 === tc } ?? 0
                copies.append((tc, position, copy, fc, [field, copy], checker.shown([owner, copy])))
            }
        case .stale(let s, let classes, let since, _):
            first = store.table(s)
            guard let table = first else { return }
            wanted = classes ?? table.classes.filter { !$0.isDefinite }
            field = table.fieldIndex[since] ?? -1
            extra = [s]
            shows = checker.shown([s])
        case .expect(let expr):
            fix = checker.firstSource(expr) ?? rule.where.flatMap(checker.firstSource)
            shows = Array(store.tables.indices)
        }
    }
}

/// `parts` joined into one `String` with one allocation. An `owned` finding's message names
/// both values, so it is made per finding: through string interpolation, which grows its
/// buffer part by part, that was 4,000 instructions a finding in callgrind.
func joinedText(_ parts: String...) -> String {
    var count = 0
    for part in parts { count += part.utf8.count }
    return String(unsafeUninitializedCapacity: count) { buffer in
        var at = 0
        for var part in parts {
            part.withUTF8 { utf8 in
                _ = UnsafeMutableBufferPointer(rebasing: buffer[at..<at + utf8.count]).update(fromContentsOf: utf8)
                at += utf8.count
            }
        }
        return at
    }
}

/// Whether a copy's value equals the owner's (decimals within tolerance, text after trimming).
func sameOwnedValue(_ owner: Value, _ copy: Value, tolerance: FixedDecimal) -> Bool {
    switch (owner, copy) {
    case (_, .unknown): return false
    case (.text(let a), .text(let b)): return a == b || trimWhitespace(a) == trimWhitespace(b)
    case (.decimal, _), (_, .decimal):
        guard let a = decimal(owner), let b = decimal(copy),
              let difference = FixedDecimal.subtracting(a, b) else { return false }
        return difference.magnitude <= tolerance
    case (.integer(let a), .integer(let b)):
        return FixedDecimal.subtracting(FixedDecimal(a), FixedDecimal(b)).map { $0.magnitude <= tolerance } ?? false
    default:
        return compareValues(owner, copy) == 0
    }
}

private func decimal(_ v: Value) -> FixedDecimal? {
    switch v {
    case .decimal(let d): return d
    case .integer(let i): return FixedDecimal(i)
    default: return nil
    }
}

/// A date or datetime as an instant (a date is midnight UTC).
func instant(_ v: Value) -> Instant? {
    switch v {
    case .date(let d): return d.instant
    case .datetime(let i): return i
    default: return nil
    }
}

/// The day of a date or datetime (UTC).
func day(_ v: Value) -> Day? {
    switch v {
    case .date(let d): return d
    case .datetime(let i):
        let days = i.millisSinceEpoch >= 0 ? i.millisSinceEpoch / 86_400_000
            : (i.millisSinceEpoch - 86_399_999) / 86_400_000
        return Day(daysSinceEpoch: Int32(clamping: days))
    default: return nil
    }
}

/// `14d`, `78d 6h`, `36h`, `5h 30m`, `90m`, `5s` or `250ms`: whole days and hours for long
/// spans, the largest exact unit for short ones.
func durationText(_ millis: Int64) -> String {
    let day: Int64 = 86_400_000, hour: Int64 = 3_600_000, minute: Int64 = 60_000
    let sign = millis < 0 ? "-" : ""
    let m = millis.magnitude > UInt64(Int64.max) ? Int64.max : abs(millis)
    if m >= day {
        let hours = (m % day) / hour
        return sign + "\(m / day)d" + (hours > 0 ? " \(hours)h" : "")
    }
    if m >= hour {
        let minutes = (m % hour) / minute
        return sign + "\(m / hour)h" + (minutes > 0 ? " \(minutes)m" : "")
    }
    if m >= minute { return sign + "\(m / minute)m" }
    if m % 1000 == 0 { return sign + "\(m / 1000)s" }
    return sign + "\(m)ms"
}

/// Default messages that depend only on what one source says in the case (`definite`,
/// `counterpart`): made once per stored state text and class (`Messages.says`), not once per
/// case; most cases of a rule say one of a few things. A text the row store does not intern
/// (or a grouped source) is made per case as before.
struct DefaultMessages {
    private var made: [UInt64: String] = [:]
    /// Per table (by order): the by-value state field; -1 for a state by condition (the class
    /// decides), -2 without state (the same text in every case), -3 where the state text is not
    /// one stored value (a grouped source): made per case.
    private let stateFields: [Int]

    init(store: CaseStore) {
        stateFields = store.tables.map { table in
            switch table.def.state {
            case nil: return -2
            case .byValue(let field, _, _)? where !table.isGrouped: return table.fieldIndex[field] ?? -3
            case .byValue?: return -3
            case .byCondition?: return -1
            }
        }
    }

    /// The message for `table` in case `c`, `variant` telling apart the messages of a rule
    /// (each names one source: the one `definite` checks, the `of` of `counterpart`): from
    /// `make` the first time the source says this in the rule.
    mutating func message(_ table: SourceTable, _ c: Int, variant: UInt8, make: () -> String) -> String {
        let field = stateFields[table.order]
        var key = UInt64(variant) << 56 | UInt64(UInt16(bitPattern: table.caseState[c])) << 32
        if field >= 0 {
            let row = Int(table.caseRow[c])
            guard row >= 0 else { return make() }
            let (tag, payload) = table.rows.encoding(record: row, field: field)
            guard tag == RowStore.internedTag || tag == RowStore.unknownTag else { return make() }
            key |= UInt64(1) << 63 | UInt64(tag) << 24 | UInt64(payload & 0xFF_FFFF)
            guard payload <= 0xFF_FFFF else { return make() }
        } else if field == -3 {
            return make()
        }
        if let known = made[key] { return known }
        let text = make()
        made[key] = text
        return text
    }
}

/// One storage for texts that repeat: most of a rule's findings say the same message, and
/// each draft holding its own copy took about 80 bytes a finding at a run's peak. Texts short
/// enough to be stored inline (15 bytes) need no sharing; at most `limit` texts are kept.
struct SharedTexts {
    private var texts: [String: String] = [:]
    static let limit = 1024
    /// Lookups and hits once the pool is full: a rule whose messages name each case's values
    /// (`owned`) fills it with texts that never come again, and hashing each further message
    /// only to miss cost more than sharing saved. Below one hit in eight after 4096 lookups,
    /// the pool stops looking (a function of the messages in order, so of the inputs).
    private var lookups = 0
    private var hits = 0
    private var gaveUp = false

    /// The text returned last: a rule's default message is one `String` from case to case
    /// (`DefaultMessages`), found again by its bits without hashing it per finding.
    private var last = ""

    mutating func shared(_ text: String) -> String {
        if gaveUp || text.utf8.count <= 15 { return text }
        if SharedTexts.sameBits(text, last) { return last }
        let result = lookUp(text)
        last = result
        return result
    }

    /// Whether two strings have the same bits: the same storage (or the same small string).
    @inline(__always) private static func sameBits(_ a: String, _ b: String) -> Bool {
        withUnsafeBytes(of: a) { x in withUnsafeBytes(of: b) { y in
            x.load(as: UInt64.self) == y.load(as: UInt64.self)
                && x.load(fromByteOffset: 8, as: UInt64.self) == y.load(fromByteOffset: 8, as: UInt64.self)
        } }
    }

    private mutating func lookUp(_ text: String) -> String {
        let full = texts.count >= SharedTexts.limit
        if full {
            lookups += 1
            if lookups == 4096 && hits < lookups / 8 { gaveUp = true }
        }
        if let known = texts[text] {
            if full { hits += 1 }
            return known
        }
        if !full { texts[text] = text }
        return text
    }
}
