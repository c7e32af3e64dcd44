import DemarcCore
import DemarcReaders
@testable import DemarcRules
import XCTest

/// The package root (three path components above this file).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// `Fixtures/rules/<name>`.
func ruleFixture(_ name: String) -> String {
    packageRoot.appendingPathComponent("Fixtures/rules/\(name)").path
}

/// A complete valid rule file loads into the model it describes.
final class LoaderModelTests: XCTestCase {
    func testCompleteFileLoadsEveryFeature() throws {
        try requireExpressions()
        let path = ruleFixture("complete.yaml")
        let file = try RuleFileLoader.load(path: path)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        XCTAssertEqual(file.path, path)
        XCTAssertEqual(file.sha256, SHA256.hex(bytes))
        XCTAssertEqual(file.name, "Salesforce opportunities vs. DATEV bookings")
        XCTAssertEqual(file.description, "every feature of format 1 once")
        XCTAssertEqual(file.asOf, Day(year: 2026, month: 11, day: 30))
        XCTAssertEqual(file.calendar, DemarcRules.Calendar(
            period: .quarter, graceMillis: 5 * 86_400_000,
            closes: [Day(year: 2026, month: 1, day: 7)!, Day(year: 2026, month: 4, day: 7)!]))
        XCTAssertEqual(file.match.normalize, [.trim, .upper, .stripLeadingZeros])
        XCTAssertEqual(file.implicitSeverity, [
            .unclassifiedState: .error, .duplicateKey: .warning, .missingKey: .error,
            .malformedValue: .info, .malformedRecord: .error,
        ])
        XCTAssertEqual(file.sources.map(\.name), ["crm", "accounting", "datev"])
        XCTAssertEqual(file.rules.map(\.id), [
            "accounting-is-definite", "booking-has-crm-record", "states-agree", "amount-owned-by-accounting",
            "total-owned", "clarification-ages-out", "open-after-period-close", "booked-while-in-clarification",
        ])
    }

    func testCSVSource() throws {
        try requireExpressions()
        let path = ruleFixture("complete.yaml")
        let crm = try XCTUnwrap(try RuleFileLoader.load(path: path).source("crm"))
        let folder = (path as NSString).deletingLastPathComponent
        XCTAssertEqual(crm.file, folder + "/exports/Opportunity.csv")
        XCTAssertEqual(crm.fileAsWritten, "exports/Opportunity.csv")
        XCTAssertEqual(crm.position, SourcePosition(file: path, line: 11, column: 11))
        XCTAssertEqual(crm.format, .csv)
        XCTAssertEqual(crm.csv, CSVOptions(delimiter: UInt8(ascii: ";"), quote: UInt8(ascii: "'"),
                                           encoding: .windows1252, headerLine: 3))
        XCTAssertEqual(crm.decimalMark, UInt8(ascii: ","))
        XCTAssertEqual(crm.thousandsMark, UInt8(ascii: "."))
        XCTAssertNil(crm.xml)
        XCTAssertEqual(crm.key, ["invoice"])
        XCTAssertEqual(crm.cardinality, .one)
        XCTAssertEqual(crm.fields.map(\.name), ["invoice", "stage", "amount", "position", "named_seven", "closed",
                                                 "modified", "close_date", "booked_on", "net"])
        let invoice = try XCTUnwrap(crm.field("invoice"))
        XCTAssertEqual(invoice.selector, .column("Invoice_Number__c"))
        XCTAssertEqual(invoice.type, .text)
        XCTAssertEqual(invoice.position, SourcePosition(file: path, line: 22, column: 7))
        let amount = try XCTUnwrap(crm.field("amount"))
        XCTAssertEqual(amount.selector, .column("Amount"))
        XCTAssertEqual(amount.type, .decimal)
        XCTAssertEqual(amount.decimalMark, UInt8(ascii: "."))
        XCTAssertNil(amount.thousandsMark)
        XCTAssertTrue(amount.required)
        XCTAssertEqual(crm.field("position")?.selector, .position(7))
        XCTAssertEqual(crm.field("position")?.type, .integer)
        XCTAssertEqual(crm.field("named_seven")?.selector, .column("7"))
        XCTAssertEqual(crm.field("closed")?.type, .bool)
        XCTAssertEqual(crm.field("modified")?.dateFormat, .pattern("yyyy-MM-dd HH:mm:ss"))
        XCTAssertEqual(crm.field("close_date")?.dateFormat, .dottedDMY)
        XCTAssertEqual(crm.field("booked_on")?.dateFormat, .dayMonth)
        XCTAssertEqual(crm.field("booked_on")?.year, 2026)
        let net = try XCTUnwrap(crm.field("net"))
        XCTAssertNil(net.selector)
        XCTAssertEqual(net.expr?.text, "amount * 2")
        XCTAssertEqual(net.expr?.position, SourcePosition(file: path, line: 31, column: 21))
        XCTAssertEqual(net.type, .decimal)
        guard case .byValue(let field, let classes, let caseSensitive)? = crm.state else {
            return XCTFail("form 1 state expected")
        }
        XCTAssertEqual(field, "stage")
        XCTAssertFalse(caseSensitive)
        XCTAssertEqual(classes.map(\.0.name), ["booked", "not_booked", "open", "clarification"])
        XCTAssertEqual(classes.map(\.1), [["Closed Won", "yes", "1"], ["Closed Lost", ""],
                                          ["Prospecting", "Negotiation/Review"],
                                          ["Clarification Needed", "In Klärung"]])
    }

    func testXMLSource() throws {
        try requireExpressions()
        let path = ruleFixture("complete.yaml")
        let accounting = try XCTUnwrap(try RuleFileLoader.load(path: path).source("accounting"))
        XCTAssertEqual(accounting.file, "/data/saft.xml")
        XCTAssertEqual(accounting.fileAsWritten, "/data/saft.xml")
        XCTAssertEqual(accounting.format, .xml)
        XCTAssertEqual(accounting.xml, XMLOptions(record: "//pt:Invoice",
                                                  namespaces: ["pt": "urn:OECD:StandardAuditFile-Tax:PT_1.04_01"],
                                                  allowEmpty: true))
        XCTAssertEqual(accounting.decimalMark, UInt8(ascii: "."))
        XCTAssertEqual(accounting.cardinality, .many)
        XCTAssertEqual(accounting.group, ["total": .sum, "locked": .all, "lines": .count])
        XCTAssertEqual(accounting.field("status")?.selector, .path("DocumentStatus/InvoiceStatus"))
        XCTAssertEqual(accounting.field("currency")?.selector, .path("DocumentTotals/Currency/@code"))
        XCTAssertEqual(accounting.field("customer")?.selector, .path("pt:CustomerID"))
        XCTAssertEqual(accounting.field("total")?.sign, SignDef(selector: .path("@dc"), negative: ["C"]))
        XCTAssertEqual(accounting.field("lines")?.repeated, .sum)
        XCTAssertEqual(accounting.field("lines")?.type, .decimal)
        XCTAssertEqual(accounting.groupedType(of: try XCTUnwrap(accounting.field("lines"))), .integer)
        guard case .byCondition(let conditions)? = accounting.state else {
            return XCTFail("form 2 state expected")
        }
        XCTAssertEqual(conditions.map(\.0.name), ["not_booked", "booked", "unlocked"])
        XCTAssertEqual(conditions.map(\.1.text), ["status == 'A'", "locked", "not locked"])
        XCTAssertEqual(conditions[0].1.position, SourcePosition(file: path, line: 63, column: 24))
    }

    func testDatevPresetDefaults() throws {
        try requireExpressions()
        let path = ruleFixture("complete.yaml")
        let datev = try XCTUnwrap(try RuleFileLoader.load(path: path).source("datev"))
        XCTAssertEqual(datev.format, .datev)
        XCTAssertEqual(datev.csv, CSVOptions(delimiter: UInt8(ascii: ";"), quote: UInt8(ascii: "\""),
                                             encoding: .windows1252, headerLine: 2))
        XCTAssertEqual(datev.decimalMark, UInt8(ascii: ","))
        XCTAssertNil(datev.thousandsMark)
        XCTAssertEqual(datev.field("beleg")?.selector, .position(11))
        XCTAssertEqual(datev.field("total")?.sign, SignDef(selector: .position(2), negative: ["H"]))
        XCTAssertEqual(datev.field("datum")?.dateFormat, .dayMonth)
        XCTAssertNil(datev.field("datum")?.year)
    }

    func testRules() throws {
        try requireExpressions()
        let path = ruleFixture("complete.yaml")
        let rules = try RuleFileLoader.load(path: path).rules
        func kind(_ index: Int) -> RuleKind { rules[index].kind }
        guard case .definite(let source) = kind(0) else { return XCTFail("definite") }
        XCTAssertEqual(source, "accounting")
        XCTAssertEqual(rules[0].severity, .error)
        XCTAssertEqual(rules[0].position, SourcePosition(file: path, line: 83, column: 5))
        guard case .counterpart(let of, let target) = kind(1) else { return XCTFail("counterpart") }
        XCTAssertEqual([of, target], ["accounting", "crm"])
        XCTAssertEqual(rules[1].title, "Every booking has a CRM record")
        XCTAssertEqual(rules[1].severity, .warning)
        XCTAssertEqual(rules[1].tags, ["completeness", "crm"])
        guard case .agree(let a, let b, let allowed) = kind(2) else { return XCTFail("agree") }
        XCTAssertEqual([a, b], ["crm", "accounting"])
        XCTAssertTrue(allowed)
        XCTAssertEqual(rules[2].fixIn, "crm")
        guard case .owned(let field, let owner, let copies, let tolerance) = kind(3) else { return XCTFail("owned") }
        XCTAssertEqual(field, "invoice")
        XCTAssertEqual(owner, "accounting")
        XCTAssertEqual(copies, ["crm"])
        XCTAssertEqual(tolerance, FixedDecimal(units: 0, scale: 0))
        guard case .owned(_, _, _, let tolerance2) = kind(4) else { return XCTFail("owned") }
        XCTAssertEqual(tolerance2, FixedDecimal(units: 1, scale: 2))
        guard case .stale(let s1, let classes1, let since1, let limit1) = kind(5) else { return XCTFail("stale") }
        XCTAssertEqual(s1, "crm")
        XCTAssertEqual(classes1, [StateClass("clarification")])
        XCTAssertEqual(since1, "modified")
        XCTAssertEqual(limit1, .maxAge(millis: 14 * 86_400_000))
        guard case .stale(_, let classes2, let since2, let limit2) = kind(6) else { return XCTFail("stale") }
        XCTAssertNil(classes2)
        XCTAssertEqual(since2, "close_date")
        XCTAssertEqual(limit2, .untilPeriodClose)
        guard case .expect(let expect) = kind(7) else { return XCTFail("expect") }
        XCTAssertEqual(expect.text, "not (crm is clarification)")
        XCTAssertEqual(rules[7].where?.text, "accounting is booked")
        XCTAssertEqual(rules[7].where?.position, SourcePosition(file: path, line: 103, column: 13))
        XCTAssertEqual(rules[7].message, "booked in accounting while the CRM still says '{crm.stage}' ({{literal}})")
        XCTAssertEqual(rules[7].messagePlaceholders.map(\.text), ["crm.stage"])
        XCTAssertEqual(rules[7].messagePlaceholders.first?.position, SourcePosition(file: path, line: 105, column: 63))
        XCTAssertEqual(rules[7].severity, .info)
    }

    func testMessageTemplateParts() {
        XCTAssertEqual(MessageTemplate.parts(of: "says '{crm.stage}' {{x}} {a}"), [
            .text("says '"), .placeholder(0), .text("' {x} "), .placeholder(1),
        ])
    }

    func testChecksumOfTextAndDefaults() throws {
        try requireExpressions()
        let yaml = """
        demarc: 1
        sources:
          crm:
            key: id
            fields: { id: Id }
        rules:
          - id: r
            expect: "true"
        """
        let file = try RuleFileLoader.load(yaml: yaml, path: "r.yaml")
        XCTAssertEqual(file.sha256, SHA256.hex(Array(yaml.utf8)))
        XCTAssertNil(file.asOf)
        XCTAssertNil(file.calendar)
        XCTAssertEqual(file.match.normalize, [.trim])
        XCTAssertEqual(file.sources[0].csv, CSVOptions())
        XCTAssertNil(file.sources[0].file)
        XCTAssertEqual(file.sources[0].position, SourcePosition(file: "r.yaml", line: 3, column: 3))
        XCTAssertEqual(file.implicitSeverity.count, 5)
        XCTAssertTrue(file.implicitSeverity.values.allSatisfy { $0 == .error })
    }
}
