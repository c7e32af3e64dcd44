import ArgumentParser
import DemarcCore
import DemarcReaders

/// `demarc profile FILE`: what a rule author needs to know about an export (CLI.md).
struct ProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Shows encoding, delimiter, columns or element paths, inferred types, state values and key candidates of a file.",
        discussion: """
            Without --format the format follows from the file: '.xml' is xml, a first line \
            starting with "EXTF" or "DTVF" is datev, anything else csv. For xml without --record \
            the repeating element paths are listed, to pick a record path from.
            """
    )

    @Argument(help: "The file to profile ('-' for standard input).")
    var file: String

    @Option(help: "csv, xml or datev (default: from the extension and the first line).")
    var format: String?

    @Option(help: "XML: the record element path, e.g. /AuditFile/SourceDocuments/SalesInvoices/Invoice or //Invoice.")
    var record: String?

    @Flag(help: "Write JSON for tools instead of text.")
    var json = false

    func run() throws {
        var declared: ProfileFormat?
        if let format {
            guard let known = ProfileFormat(rawValue: format) else {
                throw DemarcError.usage("unknown format '\(format)'; expected csv, xml or datev")
            }
            declared = known
        }
        let input = file == "-" ? InputFile.standardInput : InputFile.file(file)
        let profile = try Profiler.profile(ProfileRequest(input: input, format: declared, record: record))
        print(json ? profile.json : profile.text, terminator: "")
    }
}
