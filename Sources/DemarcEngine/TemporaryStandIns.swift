// Temporary stand-in for the `xml` branch (XMLRecordReader); deleted on merge.
import DemarcCore
import DemarcReaders

/// Stand-in until branch `xml` lands: every XML source is unreadable.
public final class XMLRecordReader {
    private let input: InputFile
    public init(input: InputFile, options: XMLOptions) { self.input = input }
    public func read(fields: [FieldRequest], sink: RecordSink) throws -> ReadSummary {
        throw DemarcError.unreadableInput(SourcePosition(file: input.displayName, line: 0), "xml sources are not available yet")
    }
}
