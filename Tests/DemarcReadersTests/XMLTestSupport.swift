import DemarcCore
@testable import DemarcReaders
import Foundation
import XCTest

/// One record as a test sees it.
struct XMLTestRecord: Equatable {
    var line: Int
    var fields: [String?]
    /// `moreMatches` as (field, text).
    var more: [XMLTestMatch]
}

struct XMLTestMatch: Equatable {
    var field: Int
    var text: String
}

enum XMLTestSupport {
    /// The package root (three path components above this file).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func fixture(_ relative: String) -> String {
        packageRoot.appendingPathComponent("Fixtures").appendingPathComponent(relative).path
    }

    /// A folder of the public samples, or XCTSkip.
    static func sample(_ folder: String, _ name: String) throws -> String {
        let path = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/samples")
            .appendingPathComponent(folder).appendingPathComponent(name).path
        guard FileManager.default.fileExists(atPath: path) else {
            throw XCTSkip("public sample \(folder)/\(name) is not present")
        }
        return path
    }

    /// Writes `bytes` to a fresh temporary file.
    static func temporary(_ bytes: [UInt8], name: String = "input.xml") throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("demarc-xml-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    static func temporary(_ text: String, name: String = "input.xml") throws -> String {
        try temporary(Array(text.utf8), name: name)
    }

    /// Reads every record of `path` with `fields` (a leading `*` asks for every match).
    static func read(_ path: String, record: String, fields: [String], namespaces: [String: String] = [:],
                     allowEmpty: Bool = false) throws -> (records: [XMLTestRecord], summary: ReadSummary) {
        let requests = fields.map { field -> FieldRequest in
            field.hasPrefix("*") ? FieldRequest(.path(String(field.dropFirst())), keepAllMatches: true)
                                 : FieldRequest(.path(field))
        }
        let reader = XMLRecordReader(input: .file(path),
                                     options: XMLOptions(record: record, namespaces: namespaces, allowEmpty: allowEmpty))
        var records: [XMLTestRecord] = []
        let summary = try reader.read(fields: requests) { raw in
            records.append(XMLTestRecord(
                line: raw.line,
                fields: raw.fields.indices.map { raw.text($0) },
                more: raw.moreMatches.map { XMLTestMatch(field: $0.field, text: String(decoding: raw.bytes[$0.range], as: UTF8.self)) }))
        }
        return (records, summary)
    }

    /// The error `body` throws, as `DemarcError`, or a test failure.
    static func error(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> DemarcError? {
        do {
            try body()
            XCTFail("expected an error", file: file, line: line)
            return nil
        } catch let error as DemarcError {
            return error
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: line)
            return nil
        }
    }

    /// `.unreadableInput` parts, or nil.
    static func unreadable(_ error: DemarcError?) -> (position: SourcePosition, message: String)? {
        if case .unreadableInput(let position, let message)? = error { return (position, message) }
        return nil
    }
}
