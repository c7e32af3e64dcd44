/// `expect: EXPR`.
enum ExpectKind {
    static let rule = """
          - id: booked-while-in-clarification
            where: "accounting is booked"
            expect: "not (crm is clarification)"
            message: "booked in accounting while the CRM still says '{crm.stage}'"

        """
    static let description = RuleDescription(
        id: "expect",
        title: "A condition holds in every selected case",
        checks: """
            For each case the `where` selects (an unknown `where` selects nothing), the expression \
            must be true. An `expect` that is unknown fails too, and its finding says which value \
            was missing: nothing passes for lack of data.
            """,
        findingKind: "violation",
        defaultFixIn: "the first source named in `expect`, else in `where`, else none",
        passing: pairExample(rule, crm: "RE-1,won,100.00,2026-11-02\n", accounting: "RE-1,posted,100.00\n"),
        failing: pairExample(rule, crm: "RE-1,clarify,100.00,2026-11-02\n", accounting: "RE-1,posted,100.00\n")
    )
}
