import DemarcCore
@testable import DemarcReaders
import Foundation
import XCTest

/// One record as a test sees it: copied out of the reused RawRecord.
struct ReadRecord: Equatable {
    var line: Int
    var fields: [String?]
    var malformed: MalformedRecord?
}

/// Records and summary of one read.
struct ReadOutcome {
    var records: [ReadRecord]
    var summary: ReadSummary

    /// The fields of the records, absent ones as nil.
    var rows: [[String?]] { records.map(\.fields) }
}

/// The package root (three components above this file).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// The public samples folder, or a skip when it is absent.
func samplesFolder() throws -> URL {
    let folder = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/samples")
    guard FileManager.default.fileExists(atPath: folder.path) else {
        throw XCTSkip("samples folder \(folder.path) is absent")
    }
    return folder
}

/// A fixture of this package.
func fixture(_ relative: String) -> String {
    packageRoot.appendingPathComponent("Fixtures").appendingPathComponent(relative).path
}

/// Writes `bytes` to a fresh temporary file and returns its path.
func temporaryFile(_ bytes: [UInt8], name: String = "input.csv") throws -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("demarc-csv-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let url = folder.appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url.path
}

/// Reads the file at `path` and copies every record out.
func readFile(_ path: String, options: CSVOptions = CSVOptions(), fields: [FieldRequest]? = nil,
              onChunk: ((UnsafeRawBufferPointer) -> Void)? = nil) throws -> ReadOutcome {
    var records: [ReadRecord] = []
    let summary = try CSVReader(input: .file(path), options: options).read(fields: fields, onChunk: onChunk) { record in
        records.append(ReadRecord(line: record.line, fields: record.fields.indices.map { record.text($0) },
                                  malformed: record.malformed))
    }
    return ReadOutcome(records: records, summary: summary)
}

/// Reads `text` (UTF-8) as a CSV file.
func readText(_ text: String, options: CSVOptions = CSVOptions(), fields: [FieldRequest]? = nil) throws -> ReadOutcome {
    try readFile(temporaryFile(Array(text.utf8)), options: options, fields: fields)
}

/// Reads raw bytes as a CSV file.
func readBytes(_ bytes: [UInt8], options: CSVOptions = CSVOptions(), fields: [FieldRequest]? = nil) throws -> ReadOutcome {
    try readFile(temporaryFile(bytes), options: options, fields: fields)
}

/// Counts the records of a simple CSV independently: lines outside quotes, empty lines aside.
func countRecordsIndependently(_ path: String) throws -> Int {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    var records = 0, inQuotes = false, lineHasBytes = false
    var previous: UInt8 = 0
    for byte in data {
        if byte == UInt8(ascii: "\"") { inQuotes.toggle() }
        if !inQuotes && (byte == 0x0A || byte == 0x0D) {
            if byte == 0x0A && previous == 0x0D { previous = byte; continue }
            if lineHasBytes { records += 1 }
            lineHasBytes = false
        } else {
            lineHasBytes = true
        }
        previous = byte
    }
    if lineHasBytes { records += 1 }
    return records
}
