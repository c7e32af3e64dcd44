/// A rule kind or implicit check describing itself (SwiftLint's `RuleDescription`): what it
/// checks, where its findings are fixed by default, and two runnable examples. `demarc explain`
/// prints these; one generic test runs every example.
public struct RuleDescription: Sendable {
    /// The kind key (`definite`) or implicit check id (`duplicate-key`).
    public var id: String
    /// True for the five implicit checks.
    public var isImplicit: Bool
    public var title: String
    /// What it checks, in a few sentences.
    public var checks: String
    /// The kind of finding it produces (`indefinite`, `missing-counterpart`, …).
    public var findingKind: String
    /// Where the correction belongs unless the rule says `fix_in`.
    public var defaultFixIn: String
    /// An example whose run has no finding of this kind.
    public var passing: RuleExample
    /// An example whose run has at least one finding of this kind.
    public var failing: RuleExample

    public init(id: String, isImplicit: Bool = false, title: String, checks: String,
                findingKind: String, defaultFixIn: String, passing: RuleExample, failing: RuleExample) {
        self.id = id; self.isImplicit = isImplicit; self.title = title; self.checks = checks
        self.findingKind = findingKind; self.defaultFixIn = defaultFixIn
        self.passing = passing; self.failing = failing
    }
}

/// A tiny rule file with its data: each file is written beside the rule file, by name.
public struct RuleExample: Sendable {
    /// The rule file's YAML; it names the files below relative to itself.
    public var rules: String
    /// File name -> content.
    public var files: [(name: String, content: String)]

    public init(rules: String, files: [(name: String, content: String)]) {
        self.rules = rules
        self.files = files
    }
}

/// Every rule kind, then every implicit check, in the order `demarc explain` lists them.
public enum RuleCatalog {
    public static let all: [RuleDescription] = [
        DefiniteKind.description, CounterpartKind.description, AgreeKind.description,
        OwnedKind.description, StaleKind.description, ExpectKind.description,
        UnclassifiedStateCheck.description, DuplicateKeyCheck.description,
        MissingKeyCheck.description, MalformedValueCheck.description,
        MalformedRecordCheck.description,
    ]

    /// The description of a kind or implicit check id.
    public static func description(of id: String) -> RuleDescription? {
        all.first { $0.id == id }
    }
}

/// The two-source rule file that most examples share; `rules` is appended.
func exampleRules(crmState: String = "", accountingState: String = "", extraFields: String = "",
                  rules: String) -> String {
    """
    demarc: 1
    as_of: 2026-11-30
    sources:
      crm:
        file: crm.csv
        key: invoice
        fields:
          invoice: invoice
          stage: stage
          amount: { column: amount, type: decimal }
          modified: { column: modified, type: date }\(extraFields)
        state:
          field: stage
          classes:
            booked: [won]
            not_booked: [lost]
            open: [open]
            clarification: [clarify]\(crmState)
      accounting:
        file: accounting.csv
        key: invoice
        fields:
          invoice: invoice
          status: status
          amount: { column: amount, type: decimal }
        state:
          field: status
          classes:
            booked: [posted]
            not_booked: [void]
            draft: [draft]\(accountingState)
    rules:
    \(rules)
    """
}

/// A CRM export for the examples: header then `invoice,stage,amount,modified` rows.
func crmFile(_ rows: String) -> (name: String, content: String) {
    ("crm.csv", "invoice,stage,amount,modified\n" + rows)
}

/// An accounting export for the examples: header then `invoice,status,amount` rows.
func accountingFile(_ rows: String) -> (name: String, content: String) {
    ("accounting.csv", "invoice,status,amount\n" + rows)
}

/// An example over `exampleRules(rules: rules)` with a CRM export of `crm` rows and an
/// accounting export of `accounting` rows: the shape of every catalog example.
func pairExample(_ rules: String, crm: String, accounting: String) -> RuleExample {
    RuleExample(rules: exampleRules(rules: rules), files: [crmFile(crm), accountingFile(accounting)])
}
