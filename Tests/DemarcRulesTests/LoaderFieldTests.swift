import DemarcCore
import DemarcReaders
@testable import DemarcRules
import XCTest

/// `fields:` short and long forms (RULES.md, Fields; DETAILS.md 4, 14).
final class LoaderFieldTests: XCTestCase {
    /// The skeleton with `line` added as a field of crm (line 10).
    private func crmField(_ line: String) -> String { validFile(crmFields: "      \(line)\n") }
    /// The skeleton with `line` added as a field of acc (line 23).
    private func accField(_ line: String) -> String {
        validFile().replacingOccurrences(of: "      amount: { path: Total, type: decimal }\n",
                                         with: "      amount: { path: Total, type: decimal }\n      \(line)\n")
    }

    func testColumnIntegerIsAPositionQuotedIsAName() throws {
        let file = try RuleFileLoader.load(yaml: crmField("a: { column: 7 }\n      b: { column: \"7\" }\n      c: 3\n      d: '3'"), path: "r.yaml")
        let crm = try XCTUnwrap(file.source("crm"))
        XCTAssertEqual(crm.field("a")?.selector, .position(7))
        XCTAssertEqual(crm.field("b")?.selector, .column("7"))
        XCTAssertEqual(crm.field("c")?.selector, .position(3))
        XCTAssertEqual(crm.field("d")?.selector, .column("3"))
    }

    func testBadFieldName() {
        assertErrors(crmField("Net: N"), ["r.yaml:10:7: error: field name 'Net' must match [a-z][a-z0-9_]*"])
    }

    func testReservedFieldName() {
        assertErrors(crmField("state: S"), ["r.yaml:10:7: error: field name 'state' is reserved in expressions"])
    }

    func testUnknownFieldKey() {
        assertErrors(crmField("net: { colum: N }"), [
            "r.yaml:10:7: error: field 'net' needs one of 'column', 'path' or 'expr'",
            "r.yaml:10:14: error: unknown key 'colum'; did you mean 'column'?",
        ])
    }

    func testNoOrigin() {
        assertErrors(crmField("net: { type: decimal }"), ["r.yaml:10:7: error: field 'net' needs one of 'column', 'path' or 'expr'"])
    }

    func testTwoOrigins() {
        assertErrors(crmField("net: { column: N, expr: 'amount' }"), [
            "r.yaml:10:25: error: field 'net' has both 'column' and 'expr'; give exactly one",
        ])
    }

    func testColumnInXMLSource() {
        assertErrors(accField("net: { column: N }"), [
            "r.yaml:23:14: error: 'column' is for csv and datev sources; use 'path' in xml source 'acc'",
        ])
    }

    func testPathInCSVSource() {
        assertErrors(crmField("net: { path: N }"), ["r.yaml:10:14: error: 'path' is for xml sources; use 'column' in csv source 'crm'"])
    }

    func testShortFormNeedsAColumn() {
        assertErrors(crmField("net:"), ["r.yaml:10:11: error: field 'net' needs a column name or position"])
    }

    func testShortFormList() {
        assertErrors(crmField("net: [a]"), ["r.yaml:10:12: error: field 'net' must be a column, a path or a mapping, not a list"])
    }

    func testColumnPositionStartsAtOne() {
        assertErrors(crmField("net: { column: 0 }"), ["r.yaml:10:22: error: a column position must be 1 or more, not '0'"])
    }

    func testColumnNameNeedsAHeader() {
        let yaml = validFile().replacingOccurrences(of: "  crm:\n", with: "  crm:\n    csv: { header_line: 0 }\n")
            .replacingOccurrences(of: "      id: Id\n      stage: Stage\n", with: "      id: 1\n      stage: Stage\n")
        assertErrors(yaml, [
            "r.yaml:8:14: error: column 'Stage' is a name, but source 'crm' has no header (header_line: 0); give its position",
            "r.yaml:9:25: error: column 'Amount' is a name, but source 'crm' has no header (header_line: 0); give its position",
            "r.yaml:10:27: error: column 'Modified' is a name, but source 'crm' has no header (header_line: 0); give its position",
        ])
    }

    func testInvalidXMLPath() {
        assertErrors(accField("net: 'A B'"), ["r.yaml:23:12: error: 'A B' in path 'A B' is not a valid xml name"])
        assertErrors(accField("net: /A"), ["r.yaml:23:12: error: path '/A' must be relative to the record element (no leading '/')"])
        assertErrors(accField("net: { path: 'x:A' }"), ["r.yaml:23:20: error: prefix 'x' in path 'x:A' is not declared under 'namespaces'"])
    }

    func testUnknownType() {
        assertErrors(crmField("net: { column: N, type: decimel }"), ["r.yaml:10:31: error: unknown type 'decimel'; did you mean 'decimal'?"])
    }

    func testFormatOnlyForDates() {
        assertErrors(crmField("net: { column: N, format: dd.MM.yyyy }"), [
            "r.yaml:10:25: error: 'format' applies to date and datetime fields; 'net' is text",
        ])
    }

    func testUnknownDateFormat() {
        assertErrors(crmField("net: { column: N, type: date, format: dd/MM/yyyy }"), [
            "r.yaml:10:45: error: unknown date format 'dd/MM/yyyy'; did you mean 'dd.MM.yyyy'?",
        ])
    }

    func testDatetimePattern() {
        assertErrors(crmField("net: { column: N, type: datetime, format: 'yyyy-MM-dd' }"), [
            "r.yaml:10:49: error: datetime format 'yyyy-MM-dd' lacks 'HH'",
        ])
        assertErrors(crmField("net: { column: N, type: datetime, format: 'yyyy-MM-dd hh:mm' }"), [
            "r.yaml:10:49: error: datetime format 'yyyy-MM-dd hh:mm' has an unknown part at 'hh:mm'; use yyyy MM dd HH mm ss SSS and separators",
        ])
        assertErrors(crmField("net: { column: N, type: datetime, format: 'yyyy-MM-dd HH:mm:ss yyyy' }"), [
            "r.yaml:10:49: error: datetime format 'yyyy-MM-dd HH:mm:ss yyyy' has 'yyyy' twice",
        ])
    }

    func testYearOnlyForDayMonth() {
        assertErrors(crmField("net: { column: N, type: date, year: 2026 }"), [
            "r.yaml:10:37: error: 'year' applies to date fields with format 'ddMM' only",
        ])
    }

    func testDayMonthNeedsYearOutsideDatev() {
        assertErrors(crmField("net: { column: N, type: date, format: ddMM }"), [
            "r.yaml:10:45: error: format 'ddMM' needs 'year:' outside a datev source",
        ])
    }

    func testDecimalMarkOnlyForNumbers() {
        assertErrors(crmField("net: { column: N, decimal: ',' }"), [
            "r.yaml:10:25: error: 'decimal' applies to decimal and integer fields; 'net' is text",
        ])
        assertErrors(crmField("net: { column: N, type: decimal, thousands: x }"), [
            "r.yaml:10:51: error: 'thousands' must be one of '', '.', ',', ''', ' ', not 'x'",
        ])
    }

    func testRequiredMustBeABool() {
        assertErrors(crmField("net: { column: N, required: 'yes' }"), [
            "r.yaml:10:35: error: 'required' must be true or false, not 'yes'",
        ])
    }

    func testSign() throws {
        assertErrors(crmField("net: { column: N, sign: { column: D, negative: [H] } }"), [
            "r.yaml:10:25: error: 'sign' applies to decimal and integer fields; 'net' is text",
        ])
        assertErrors(crmField("net: { column: N, type: decimal, sign: { column: D } }"), [
            "r.yaml:10:46: error: missing required key 'negative' in 'sign'",
        ])
        assertErrors(crmField("net: { column: N, type: decimal, sign: { negative: [H] } }"), [
            "r.yaml:10:46: error: 'sign' needs 'column' naming the indicator",
        ])
        assertErrors(accField("net: { path: N, type: decimal, sign: { column: D, negative: [H] } }"), [
            "r.yaml:23:46: error: 'column' is for csv and datev sources; use 'path' in xml source 'acc'",
        ])
        let file = try RuleFileLoader.load(yaml: crmField("net: { column: N, type: decimal, sign: { column: 4, negative: [' S ', ~] } }"), path: "r.yaml")
        XCTAssertEqual(file.source("crm")?.field("net")?.sign, SignDef(selector: .position(4), negative: ["S", ""]))
    }

    func testRepeatedOnlyForXML() {
        assertErrors(crmField("net: { column: N, repeated: sum }"), ["r.yaml:10:25: error: 'repeated' applies to xml sources only"])
    }

    func testRepeatedMustSuitTheType() throws {
        assertErrors(accField("net: { path: N, repeated: sum }"), [
            "r.yaml:23:33: error: 'repeated: sum' needs 'type: decimal' or 'type: integer'",
        ])
        assertErrors(accField("net: { path: N, type: date, repeated: count }"), [
            "r.yaml:23:45: error: 'repeated: count' gives an integer; the field's type must be integer",
        ])
        assertErrors(accField("net: { path: N, repeated: average }"), [
            "r.yaml:23:33: error: unknown repeated 'average'; expected 'sum', 'count', 'join', 'first', 'last'",
        ])
        let file = try RuleFileLoader.load(yaml: accField("net: { path: N, repeated: count }"), path: "r.yaml")
        XCTAssertEqual(file.source("acc")?.field("net")?.type, .integer)
    }

    func testDerivedFieldTakesOnlyType() throws {
        try requireExpressions()
        assertErrors(crmField("net: { expr: 'amount', required: true }"), [
            "r.yaml:10:30: error: 'required' does not apply to a derived field ('expr')",
        ])
    }

    func testEmptyExpression() {
        assertErrors(crmField("net: { expr: '  ' }"), ["r.yaml:10:20: error: 'expr' must not be empty"])
    }
}
