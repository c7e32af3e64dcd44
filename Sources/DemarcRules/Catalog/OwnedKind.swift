/// `owned: {field, owner, copies, tolerance}`.
enum OwnedKind {
    static let rule = """
          - id: amount-owned-by-accounting
            owned: { field: amount, owner: accounting, copies: [crm], tolerance: 0.01 }

        """
    static let description = RuleDescription(
        id: "owned",
        title: "A value owned by one system is copied unchanged",
        checks: """
            Where the owner has a value for the field, every copy source present in the case must \
            hold an equal value: decimals within `tolerance` (default 0), text after trimming. An \
            empty copy differs. Each differing copy is one finding.
            """,
        findingKind: "ownership",
        defaultFixIn: "the copy",
        passing: pairExample(rule, crm: "RE-1,won,100.00,2026-11-02\n", accounting: "RE-1,posted,100.005\n"),
        failing: pairExample(rule, crm: "RE-1,won,120.00,2026-11-02\n", accounting: "RE-1,posted,100.00\n")
    )
}
