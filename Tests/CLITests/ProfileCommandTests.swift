import Foundation
import XCTest

/// `demarc profile` as a user runs it: the built binary, its standard output and exit code.
final class ProfileCommandTests: XCTestCase {
    func demarc(_ arguments: [String]) throws -> Binary.Outcome { try Binary.run(arguments) }
    func sample(_ path: String) throws -> String { try Binary.sample(path) }
    func json(_ run: Binary.Outcome) throws -> [String: Any] { try ProfileCLI.json(run) }
    func column(_ profile: [String: Any], _ name: String) throws -> [String: Any] { try ProfileCLI.column(profile, name) }

    // MARK: - CSV

    func testBundledOpportunityText() throws {
        let run = try demarc(["profile", "Fixtures/salesforce/Opportunity.csv"])
        XCTAssertEqual(run.code, 0, run.stderr)
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
        XCTAssertEqual(first.code, 0, first.stderr)
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
        XCTAssertEqual(run.code, 0, run.stderr)
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
        XCTAssertEqual(run.code, 3)
        XCTAssertEqual(run.stdout, "")
        XCTAssertTrue(run.stderr.hasPrefix("no/such/file.csv: error: cannot open"), run.stderr)
    }

    func testMalformedXMLIsExit3() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("demarc-profile-\(UUID().uuidString).xml")
        try Data("<a><b>1</b><b>2</a>".utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        for arguments in [["profile", url.path], ["profile", url.path, "--record", "/a/b"]] {
            let run = try demarc(arguments)
            XCTAssertEqual(run.code, 3, run.stdout + run.stderr)
            XCTAssertTrue(run.stderr.contains(": error: "), run.stderr)
        }
    }

    func testUsageErrorsAreExit2() throws {
        for arguments in [["profile", "Fixtures/salesforce/Opportunity.csv", "--no-such-flag"],
                          ["profile"],
                          ["profile", "Fixtures/salesforce/Opportunity.csv", "--format", "xlsx"],
                          ["profile", "Fixtures/salesforce/Opportunity.csv", "--record", "/a/b"]] {
            let run = try demarc(arguments)
            XCTAssertEqual(run.code, 2, "\(arguments): \(run.stderr)")
            XCTAssertEqual(run.stdout, "")
            XCTAssertFalse(run.stderr.isEmpty)
        }
    }
}

/// DATEV and XML through the binary.
final class ProfileCommandFormatTests: XCTestCase {
    let cli = ProfileCLI.self

    func testDatevSampleIsDetected() throws {
        let path = try Binary.sample("datev-ledermann/EXTF_Buchungsstapel.csv")
        let run = try Binary.run(["profile", path])
        XCTAssertEqual(run.code, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("format: datev (EXTF metadata line)"), run.stdout)
        XCTAssertTrue(run.stdout.contains("encoding: windows-1252"))
        XCTAssertTrue(run.stdout.contains("delimiter: ';'"))
        XCTAssertTrue(run.stdout.contains("date_from: 2018-02-01"))
        XCTAssertTrue(run.stdout.contains("1. Umsatz (ohne Soll/Haben-Kz): decimal (mark ',', no thousands mark), up to 2 places"))
        XCTAssertTrue(run.stdout.contains("10. Belegdatum: date (ddMM)"), run.stdout)
        XCTAssertTrue(run.stdout.contains("empty columns: 3. WKZ Umsatz, 4. Kurs"))
        let json = try cli.json(try Binary.run(["profile", path, "--json"]))
        XCTAssertEqual(json["format"] as? String, "datev")
        XCTAssertEqual((json["datev_header"] as? [String: Any])?["format_category"] as? String, "21")
        XCTAssertEqual(try cli.column(json, "Belegdatum")["format"] as? String, "ddMM")
    }

    func testSaftWithoutRecordListsRepeatingElements() throws {
        let path = try Binary.sample("saft-pt/saft_idemo599999999.xml")
        let run = try Binary.run(["profile", path])
        XCTAssertEqual(run.code, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("encoding: windows-1252 (XML declaration)"), run.stdout)
        XCTAssertTrue(run.stdout.contains("  /AuditFile/SourceDocuments/SalesInvoices/Invoice  24\n"), run.stdout)
        XCTAssertTrue(run.stdout.contains("  /AuditFile/SourceDocuments/SalesInvoices/Invoice/Line  31\n"))
        XCTAssertFalse(run.stdout.contains("  /AuditFile/Header"))
        let json = try cli.json(try Binary.run(["profile", path, "--json"]))
        let paths = try XCTUnwrap(json["repeating_elements"] as? [[String: Any]]).compactMap { $0["path"] as? String }
        XCTAssertEqual(paths, paths.sorted())
        XCTAssertTrue(json["record"] is NSNull)
    }

    func testSaftWithRecord() throws {
        let path = try Binary.sample("saft-pt/saft_idemo599999999.xml")
        let run = try Binary.run(["profile", path, "--record", "/AuditFile/SourceDocuments/SalesInvoices/Invoice", "--json"])
        XCTAssertEqual(run.code, 0, run.stderr)
        let json = try cli.json(run)
        XCTAssertEqual(json["records"] as? Int, 24)
        let invoice = try cli.column(json, "InvoiceNo")
        XCTAssertEqual(invoice["key_candidate"] as? Bool, true)
        XCTAssertEqual(invoice["position"] as? Int, 1)
        let status = try cli.column(json, "DocumentStatus/InvoiceStatus")
        let values = try XCTUnwrap(status["value_counts"] as? [[String: Any]]).compactMap { $0["value"] as? String }
        XCTAssertEqual(values, ["A", "N", "R"])
        XCTAssertEqual(try cli.column(json, "DocumentTotals/GrossTotal")["type"] as? String, "decimal")
        XCTAssertEqual(try cli.column(json, "InvoiceDate")["format"] as? String, "yyyy-MM-dd")
        XCTAssertEqual(try cli.column(json, "Line/ProductCode")["repeats_in_record"] as? Bool, true)
        let anyDepth = try Binary.run(["profile", path, "--record", "//Invoice", "--json"])
        XCTAssertEqual(anyDepth.stdout.replacingOccurrences(of: "\"//Invoice\"", with: "\"/AuditFile/SourceDocuments/SalesInvoices/Invoice\""),
                       run.stdout)
    }

    func testXMLRecordPathMatchingNothingIsExit3() throws {
        let path = try Binary.sample("saft-pt/saft_idemo599999999.xml")
        let run = try Binary.run(["profile", path, "--record", "/AuditFile/Nothing"])
        XCTAssertEqual(run.code, 3)
        XCTAssertTrue(run.stderr.hasSuffix("error: no element matches '/AuditFile/Nothing'\n"), run.stderr)
    }

    func testDoctypeIsExit3() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("demarc-doctype-\(UUID().uuidString).xml")
        try Data("<?xml version=\"1.0\"?>\n<!DOCTYPE a [<!ENTITY x \"yyyy\">]>\n<a><b>&x;</b></a>".utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let run = try Binary.run(["profile", url.path, "--record", "/a"])
        XCTAssertEqual(run.code, 3)
        XCTAssertTrue(run.stderr.hasSuffix(": error: DOCTYPE not allowed in XML input\n"), run.stderr)
    }
}

/// Reading `demarc profile --json` output.
enum ProfileCLI {
    static func json(_ run: Binary.Outcome) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8))
        return try XCTUnwrap(object as? [String: Any])
    }

    static func column(_ profile: [String: Any], _ name: String) throws -> [String: Any] {
        let columns = try XCTUnwrap(profile["columns"] as? [[String: Any]])
        return try XCTUnwrap(columns.first { $0["name"] as? String == name }, "no column \(name)")
    }
}
