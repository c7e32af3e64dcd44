/// `stale: {source, classes, since, max | until}`.
enum StaleKind {
    static let rule = """
          - id: clarification-ages-out
            stale: { source: crm, classes: [clarification], since: modified, max: 14d }

        """
    static let description = RuleDescription(
        id: "stale",
        title: "A transitional state does not outlive its time",
        checks: """
            A record in one of `classes` (default: every transitional class) must not be older than \
            `max` at `as_of` (an age equal to `max` is still fresh), or, with `until: period_close`, \
            `as_of` must not be past the close of the period holding `since`. An empty `since` \
            cannot show freshness and is a finding.
            """,
        findingKind: "stale",
        defaultFixIn: "source",
        passing: pairExample(rule, crm: "RE-1,clarify,100.00,2026-11-16\nRE-2,won,50.00,2026-01-01\n",
                             accounting: "RE-1,posted,100.00\n"),
        failing: pairExample(rule, crm: "RE-1,clarify,100.00,2026-11-02\n", accounting: "RE-1,posted,100.00\n")
    )
}
