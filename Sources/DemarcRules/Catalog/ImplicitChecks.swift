/// The rule that the implicit-check examples share: it never fires on their data.
private let quietRule = DefiniteKind.rule

/// `unclassified-state`.
enum UnclassifiedStateCheck {
    static let description = RuleDescription(
        id: "unclassified-state", isImplicit: true,
        title: "Every state value is sorted into a class",
        checks: """
            A state value (form 1) or a record (form 2) that falls in no class of its source is \
            reported once per record (once per group with `cardinality: many`). An empty value is \
            unclassified unless `""` is listed.
            """,
        findingKind: "unclassified-state", defaultFixIn: "the source",
        passing: pairExample(quietRule, crm: "RE-1,won,1.00,2026-11-02\n", accounting: "RE-1,posted,1.00\n"),
        failing: pairExample(quietRule, crm: "RE-1,won - pending,1.00,2026-11-02\n", accounting: "RE-1,posted,1.00\n")
    )
}

/// `duplicate-key`.
enum DuplicateKeyCheck {
    static let description = RuleDescription(
        id: "duplicate-key", isImplicit: true,
        title: "A key occurs once in a `cardinality: one` source",
        checks: """
            A second record with the same normalized key in a `cardinality: one` source is \
            reported; the case keeps the first record for every other rule.
            """,
        findingKind: "duplicate-key", defaultFixIn: "the source",
        passing: pairExample(quietRule, crm: "RE-1,won,1.00,2026-11-02\nRE-2,won,2.00,2026-11-02\n",
                             accounting: "RE-1,posted,1.00\n"),
        failing: pairExample(quietRule, crm: "RE-1,won,1.00,2026-11-02\n RE-1 ,won,2.00,2026-11-02\n",
                             accounting: "RE-1,posted,1.00\n")
    )
}

/// `missing-key`.
enum MissingKeyCheck {
    static let description = RuleDescription(
        id: "missing-key", isImplicit: true,
        title: "Every record has a key",
        checks: """
            A record whose key parts are all empty after normalization cannot be matched; it forms \
            a case of its own, which `counterpart` and `agree` skip.
            """,
        findingKind: "missing-key", defaultFixIn: "the source",
        passing: pairExample(quietRule, crm: "RE-1,won,1.00,2026-11-02\n", accounting: "RE-1,posted,1.00\n"),
        failing: pairExample(quietRule, crm: "  ,won,1.00,2026-11-02\n", accounting: "RE-1,posted,1.00\n")
    )
}

/// `malformed-value`.
enum MalformedValueCheck {
    static let description = RuleDescription(
        id: "malformed-value", isImplicit: true,
        title: "Every value parses as its field's type",
        checks: """
            A value that does not parse as its field's type, or an empty value of a `required` \
            field, is reported with file, line, field and raw text; the field is then empty and the \
            record still takes part in its case.
            """,
        findingKind: "malformed-value", defaultFixIn: "the source",
        passing: pairExample(quietRule, crm: "RE-1,won,1.00,2026-11-02\n", accounting: "RE-1,posted,1.00\n"),
        failing: pairExample(quietRule, crm: "RE-1,won,1.00,2026-13-45\n", accounting: "RE-1,posted,1.00\n")
    )
}

/// `malformed-record`.
enum MalformedRecordCheck {
    static let description = RuleDescription(
        id: "malformed-record", isImplicit: true,
        title: "Every CSV row is a well-formed record",
        checks: """
            A CSV row with the wrong number of fields, an unterminated quote, text after a closing \
            quote, or bytes invalid in the declared encoding is counted and reported with its raw \
            text, and takes no part in any case.
            """,
        findingKind: "malformed-record", defaultFixIn: "the source",
        passing: pairExample(quietRule, crm: "RE-1,won,1.00,2026-11-02\n", accounting: "RE-1,posted,1.00\n"),
        failing: pairExample(quietRule, crm: "RE-1,won,1.00\n", accounting: "RE-1,posted,1.00\n")
    )
}
