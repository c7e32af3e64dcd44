/// `definite: S`.
enum DefiniteKind {
    static let rule = "  - id: accounting-is-definite\n    definite: accounting\n"
    static let description = RuleDescription(
        id: "definite",
        title: "A source's records are booked or not booked",
        checks: """
            For each case the `where` selects, the record of source S must be in a definite class: \
            `booked` or `not_booked`. A record in a transitional class (draft, open, clarification, …) \
            is an `indefinite` finding. Unclassified records are left to `unclassified-state`; a case \
            without an S record is not checked.
            """,
        findingKind: "indefinite",
        defaultFixIn: "S (the source named)",
        passing: pairExample(rule, crm: "RE-1,won,100.00,2026-11-02\n",
                             accounting: "RE-1,posted,100.00\nRE-2,void,0.00\n"),
        failing: pairExample(rule, crm: "RE-1,won,100.00,2026-11-02\n", accounting: "RE-1,draft,100.00\n")
    )
}
