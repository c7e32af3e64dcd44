import Foundation
import XCTest

/// `demarc profile` as a user runs it: the built binary, its standard output and exit code.
final class ProfileCommandTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var samples: URL { root.deletingLastPathComponent().appendingPathComponent("shared/samples") }

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    func demarc(_ arguments: [String]) throws -> Run {
        let binary = Self.root.appendingPathComponent(".build/debug/demarc")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw XCTSkip("no built binary at \(binary.path); run `swift build` first")
        }
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = Self.root
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                   stderr: String(decoding: stderr, as: UTF8.self))
    }

    func sample(_ path: String) throws -> String {
        let url = Self.samples.appendingPathComponent(path)
        guard FileManager.default.fileExists(atPath: url.path) else { throw XCTSkip("sample \(path) not present") }
        return url.path
    }

    func json(_ run: Run) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8))
        return try XCTUnwrap(object as? [String: Any])
    }

    func column(_ profile: [String: Any], _ name: String) throws -> [String: Any] {
        let columns = try XCTUnwrap(profile["columns"] as? [[String: Any]])
        return try XCTUnwrap(columns.first { $0["name"] as? String == name }, "no column \(name)")
    }

    // MARK: - CSV

    func testBundledOpportunityText() throws {
        let run = try demarc(["profile", "Fixtures/salesforce/Opportunity.csv"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("format: csv (default)"))
        XCTAssertTrue(run.stdout.contains("delimiter: ',' (sniffed)"))
        XCTAssertTrue(run.stdout.contains("records: 20 (0 malformed)"))
        XCTAssertTrue(run.stdout.contains("5. StageName: text\n      20 values, 0 empty, 6 distinct\n      'Clarification Needed' 3\n"), run.stdout)
        XCTAssertTrue(run.stdout.contains("'Closed Won' 8"))
        XCTAssertTrue(run.stdout.contains("9. CloseDate: date (yyyy-MM-dd)"))
        XCTAssertTrue(run.stdout.contains("11. IsWon: bool (0/1)"))
        XCTAssertTrue(run.stdout.contains("6. Amount: decimal (mark '.', no thousands mark), up to 2 places"))
        XCTAssertTrue(run.stdout.hasSuffix("key candidates: Id, Name\n"), run.stdout)
        XCTAssertEqual(run.stderr, "")
    }

    func testBundledOpportunityJSONIsDeterministic() throws {
        let first = try demarc(["profile", "Fixtures/salesforce/Opportunity.csv", "--json"])
        let second = try demarc(["profile", "--json", "Fixtures/salesforce/Opportunity.csv"])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(first.stdout, second.stdout)
        XCTAssertTrue(first.stdout.hasPrefix("{\"demarc_profile\": 1, \"file\": \"Fixtures/salesforce/Opportunity.csv\", \"format\": \"csv\""))
        let profile = try json(first)
        XCTAssertEqual(profile["records"] as? Int, 20)
        XCTAssertEqual(profile["key_candidates"] as? [String], ["Id", "Name"])
        let stage = try column(profile, "StageName")
        let counts = try XCTUnwrap(stage["value_counts"] as? [[String: Any]])
        XCTAssertEqual(counts.map { $0["value"] as? String }, ["Clarification Needed", "Closed Lost", "Closed Won",
                                                               "Negotiation/Review", "Prospecting", "Qualification"])
        XCTAssertEqual(counts.map { $0["count"] as? Int }, [3, 3, 8, 3, 2, 1])
        let amount = try column(profile, "Amount")
        XCTAssertEqual(amount["type"] as? String, "decimal")
        XCTAssertEqual(amount["decimal"] as? String, ".")
        XCTAssertEqual(amount["empties"] as? Int, 1)
        XCTAssertEqual(try column(profile, "CloseDate")["format"] as? String, "yyyy-MM-dd")
        XCTAssertEqual(try column(profile, "LastModifiedDate")["type"] as? String, "datetime")
        let invoice = try column(profile, "Invoice_Number__c")
        XCTAssertEqual(invoice["unique"] as? Bool, true)
        XCTAssertEqual(invoice["key_candidate"] as? Bool, false)
    }

    func testSalesforceSample() throws {
        let path = try sample("salesforce-export/Opportunity.csv")
        let run = try demarc(["profile", path, "--json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let profile = try json(run)
        let id = try column(profile, "Id")
        XCTAssertEqual(id["unique"] as? Bool, true)
        XCTAssertEqual(id["key_candidate"] as? Bool, true)
        let stage = try column(profile, "StageName")
        let values = try XCTUnwrap(stage["value_counts"] as? [[String: Any]]).compactMap { $0["value"] as? String }
        XCTAssertTrue(values.contains("Closed Won"), "\(values)")
        XCTAssertEqual(values, values.sorted())
        XCTAssertEqual(try column(profile, "IsWon")["type"] as? String, "bool")
        XCTAssertEqual(try column(profile, "CloseDate")["type"] as? String, "date")
    }

    // MARK: - Errors

    func testMissingFileIsExit3() throws {
        let run = try demarc(["profile", "no/such/file.csv"])
        XCTAssertEqual(run.status, 3)
        XCTAssertEqual(run.stdout, "")
        XCTAssertTrue(run.stderr.hasPrefix("no/such/file.csv: error: cannot open"), run.stderr)
    }

    func testMalformedXMLIsExit3() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("demarc-profile-\(UUID().uuidString).xml")
        try Data("<a><b>1</b><b>2</a>".utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        for arguments in [["profile", url.path], ["profile", url.path, "--record", "/a/b"]] {
            let run = try demarc(arguments)
            XCTAssertEqual(run.status, 3, run.stdout + run.stderr)
            XCTAssertTrue(run.stderr.contains(": error: "), run.stderr)
        }
    }

    func testUsageErrorsAreExit2() throws {
        for arguments in [["profile", "Fixtures/salesforce/Opportunity.csv", "--no-such-flag"],
                          ["profile"],
                          ["profile", "Fixtures/salesforce/Opportunity.csv", "--format", "xlsx"],
                          ["profile", "Fixtures/salesforce/Opportunity.csv", "--record", "/a/b"]] {
            let run = try demarc(arguments)
            XCTAssertEqual(run.status, 2, "\(arguments): \(run.stderr)")
            XCTAssertEqual(run.stdout, "")
            XCTAssertFalse(run.stderr.isEmpty)
        }
    }
}
