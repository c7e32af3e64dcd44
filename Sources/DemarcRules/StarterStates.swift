import DemarcCore
import DemarcReaders

/// The state guesses of `demarc init`.
public enum StateGuess {
    /// Column names that name a state outright (compared lowercased, letters and digits only).
    static let exactNames: Set<String> = [
        "status", "stage", "state", "stagename", "dealstage", "documentstatus", "invoicestatus",
        "paymentstatus", "orderstatus", "belegstatus", "statuscode", "lifecyclestage", "phase",
        "estado", "situacao", "stato", "statut", "etat", "zustand", "stadium",
    ]

    /// How much a column name suggests a state: 2 exact, 1 ends in status/stage/state, 0 not.
    public static func nameScore(_ name: String) -> Int {
        var last = name.split(separator: "/").last.map(String.init) ?? name
        if last.hasSuffix("__c") { last.removeLast(3) }   // a Salesforce custom field
        let folded = String(last.lowercased().filter { $0.isLetter || $0.isNumber })
        if exactNames.contains(folded) { return 2 }
        for suffix in ["status", "stage", "state"] where folded.hasSuffix(suffix) { return 1 }
        return 0
    }

    /// The state column of a profile: the best name score among low-cardinality columns,
    /// earlier columns first; nil when no name suggests one.
    public static func stateColumn(_ columns: [ColumnProfile]) -> ColumnProfile? {
        var best: (score: Int, column: ColumnProfile)?
        for column in columns {
            // Few values: all counted by the profiler, or few distinct ones (a stage per deal).
            let few = column.valueCounts?.isEmpty == false || (column.distinctExact && column.values > 0 && column.distinct <= 25)
            guard few else { continue }
            let score = nameScore(column.name)
            if score > 0, score > (best?.score ?? 0) { best = (score, column) }
        }
        return best?.column
    }

    /// A Salesforce Opportunity export: IsClosed and IsWon columns (their names as in the file).
    public static func salesforceFlags(_ columns: [ColumnProfile]) -> (closed: String, won: String)? {
        guard let closed = columns.first(where: { $0.name == "IsClosed" }),
              let won = columns.first(where: { $0.name == "IsWon" }) else { return nil }
        return (closed.name, won.name)
    }
}

/// The stages of a Salesforce `OpportunityStage.standardValueSet-meta.xml`.
public struct SalesforceStages: Sendable, Hashable {
    public struct Stage: Sendable, Hashable {
        public var name: String
        public var closed: Bool
        public var won: Bool
    }

    public var stages: [Stage]

    /// The class of a stage: closed and won `booked`, closed and not won `not_booked`, else `open`.
    public static func className(of stage: Stage) -> String {
        stage.closed ? (stage.won ? "booked" : "not_booked") : "open"
    }

    /// Reads the metadata file (its `standardValue` elements: fullName, closed, won).
    public static func read(path: String) throws -> SalesforceStages {
        let reader = XMLRecordReader(input: .file(path), options: XMLOptions(record: "//standardValue"))
        let requests = ["fullName", "closed", "won"].map { FieldRequest(.path($0)) }
        var stages: [Stage] = []
        _ = try reader.read(fields: requests) { record in
            let name = record.text(0).map(trimmed) ?? ""
            guard !name.isEmpty else { return }
            let closed = record.text(1).map(trimmed)?.lowercased() == "true"
            let won = record.text(2).map(trimmed)?.lowercased() == "true"
            stages.append(Stage(name: name, closed: closed, won: won))
        }
        return SalesforceStages(stages: stages)
    }
}
