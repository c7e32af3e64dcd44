/// `agree: [A, B]`.
enum AgreeKind {
    static let rule = "  - id: states-agree\n    agree: [crm, accounting]\n"
    static let description = RuleDescription(
        id: "agree",
        title: "Two systems agree on booked or not booked",
        checks: """
            Where both sources have a classified record: when both are definite they must be in the \
            same class, and one side `booked` while the other is transitional is a blur as well \
            (turn that part off with `transitional: allow` beside `agree`). Unclassified records and \
            cases with a missing key are skipped.
            """,
        findingKind: "disagreement",
        defaultFixIn: "the transitional side, else B",
        passing: pairExample(rule, crm: "RE-1,won,100.00,2026-11-02\nRE-2,lost,0.00,2026-11-03\n",
                             accounting: "RE-1,posted,100.00\nRE-2,void,0.00\n"),
        failing: pairExample(rule, crm: "RE-1,won,100.00,2026-11-02\n", accounting: "RE-1,void,0.00\n")
    )
}
