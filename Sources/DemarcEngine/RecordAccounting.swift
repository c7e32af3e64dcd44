import DemarcCore

/// Where every record of a source went (issue 7, "nothing lost"): each record read is in a
/// case or malformed as a whole; the ones in cases are matched or unmatched.
struct RecordAccount: Sendable, Hashable {
    /// Every record the reader delivered, malformed ones included.
    var read: Int
    /// Records malformed as a whole (`malformed-record`): they take no part in cases.
    var malformedRecords: Int
    /// Records in a case that holds records of at least one other source.
    var matched: Int
    /// Records in a case that holds records of their own source only.
    var unmatched: Int

    /// Whether the counts add up: read = in cases (matched + unmatched) + malformed as a whole.
    var balances: Bool { read == matched + unmatched + malformedRecords }
}

enum RecordAccounting {
    /// The account of each source; a record's case is matched when the case holds another
    /// source's records.
    static func accounts(_ store: CaseStore) -> [RecordAccount] {
        // Per case: how many sources have records in it.
        var sourcesInCase = [UInt16](repeating: 0, count: store.count)
        var lastSource = [Int32](repeating: -1, count: store.count)
        for (t, cases) in store.recordCases.enumerated() {
            for c in cases where lastSource[Int(c)] != Int32(t) {
                lastSource[Int(c)] = Int32(t)
                sourcesInCase[Int(c)] &+= 1
            }
        }
        return store.tables.enumerated().map { t, table in
            var matched = 0
            let cases = t < store.recordCases.count ? store.recordCases[t] : []
            for c in cases where sourcesInCase[Int(c)] > 1 { matched += 1 }
            return RecordAccount(read: table.recordCount, malformedRecords: table.malformed.count,
                                 matched: matched, unmatched: cases.count - matched)
        }
    }

    /// Throws an internal error (exit 4) naming the first source whose records do not add up.
    static func verify(_ accounts: [RecordAccount], names: [String]) throws {
        for (account, name) in zip(accounts, names) where !account.balances {
            throw DemarcError.internalError(
                "source '\(name)': \(account.read) records read, but \(account.matched + account.unmatched) "
                + "in cases and \(account.malformedRecords) malformed")
        }
    }
}
