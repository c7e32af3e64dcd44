import DemarcCore

extension Profiler {
    /// A DATEV export: the metadata line's fields, then the columns from line 2 on. `ddMM`
    /// columns are recognised by the metadata line's period.
    static func profileDatev(_ request: ProfileRequest, formatSource: String) throws -> FileProfile {
        let reader = DatevReader(input: request.input, overrides: nil)
        let header = try reader.readHeader()
        var table = ColumnTable(limits: request.limits, dayMonthPeriod: header.period)
        let summary = try reader.read(fields: nil) { record in table.add(record) }
        let metadata = header.values.map { NamedValue(name: $0.name, value: $0.value.resultText) }
        return FileProfile(file: request.input.displayName, format: ProfileFormat.datev.rawValue, formatSource: formatSource,
                           summary: summary, datevHeader: metadata, columns: table.finish(names: summary.header))
    }
}
