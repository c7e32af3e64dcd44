/// `counterpart: {of: A, in: B}`.
enum CounterpartKind {
    static let rule = """
          - id: won-deal-is-booked
            counterpart: { of: crm, in: accounting }
            where: "crm is booked"

        """
    static let description = RuleDescription(
        id: "counterpart",
        title: "A record has its counterpart in the other system",
        checks: """
            For each case the `where` selects that has a record of A, there must be a record of B \
            with the same key. Cases whose key is missing are skipped (`missing-key` says it all).
            """,
        findingKind: "missing-counterpart",
        defaultFixIn: "B (the `in` source)",
        passing: pairExample(rule, crm: "RE-1,won,100.00,2026-11-02\nRE-2,open,50.00,2026-11-20\n",
                             accounting: "RE-1,posted,100.00\n"),
        failing: pairExample(rule, crm: "RE-1,won,100.00,2026-11-02\n", accounting: "RE-9,posted,100.00\n")
    )
}
