import DemarcCore
@testable import DemarcRules
import XCTest

/// `sources:`: names, formats, csv and xml options, key, cardinality, group.
final class LoaderSourceTests: XCTestCase {
    /// The skeleton with `line` (a line of crm, indented 4) added after `crm:`.
    private func withCRM(_ line: String) -> String {
        validFile().replacingOccurrences(of: "  crm:\n", with: "  crm:\n    \(line)\n")
    }

    func testBadSourceName() {
        assertErrors(validFile(sources: "  Bank:\n    key: id\n    fields: { id: Id }\n"), [
            "r.yaml:26:3: error: source name 'Bank' must match [a-z][a-z0-9_]*",
        ])
    }

    func testReservedSourceName() {
        assertErrors(validFile(sources: "  header:\n    key: id\n    fields: { id: Id }\n"), [
            "r.yaml:26:3: error: source name 'header' is reserved in expressions",
        ])
    }

    func testUnknownSourceKey() {
        assertErrors(withCRM("fromat: csv"), ["r.yaml:4:5: error: unknown key 'fromat'; did you mean 'format'?"])
    }

    func testUnknownFormat() {
        assertErrors(withCRM("format: json"), ["r.yaml:4:13: error: unknown format 'json'; expected 'csv', 'xml', 'datev', 'gobd'"])
    }

    func testEmptyFile() {
        assertErrors(withCRM("file: ''"), ["r.yaml:4:11: error: 'file' must not be empty"])
    }

    func testMissingKeyAndFields() {
        assertErrors(validFile(sources: "  bank:\n    file: b.csv\n"), [
            "r.yaml:26:3: error: missing required key 'fields' in source 'bank'",
            "r.yaml:26:3: error: missing required key 'key' in source 'bank'",
        ])
    }

    func testEmptyFields() {
        assertErrors(validFile(sources: "  bank:\n    key: id\n    fields: {}\n"), [
            "r.yaml:27:10: error: key field 'id' is not a field of source 'bank'",
            "r.yaml:28:13: error: 'fields' must name at least one field",
        ])
    }

    func testKeyFieldMustBeAField() {
        assertErrors(validFile().replacingOccurrences(of: "    key: id\n    fields:\n      id: Id\n      stage",
                                                      with: "    key: stag\n    fields:\n      id: Id\n      stage"), [
            "r.yaml:4:10: error: key field 'stag' is not a field of source 'crm'; did you mean 'stage'?",
        ])
    }

    func testKeysOfDifferentArity() {
        assertErrors(validFile().replacingOccurrences(of: "    key: id\n    fields:\n      id: Id\n      status",
                                                      with: "    key: [id, status]\n    fields:\n      id: Id\n      status"), [
            "r.yaml:18:10: error: source 'acc' has a key of 2 parts, but 'crm' has 1; all sources' keys must have the same number of parts",
        ])
    }

    func testUnknownCardinality() {
        assertErrors(withCRM("cardinality: several"), [
            "r.yaml:4:18: error: unknown cardinality 'several'; expected 'one', 'many'",
        ])
    }

    func testCSVOptionsOnXMLSource() {
        assertErrors(validFile().replacingOccurrences(of: "    format: xml\n", with: "    format: xml\n    csv: { quote: \"'\" }\n"), [
            "r.yaml:17:5: error: 'csv' options apply to csv and datev sources, not to xml source 'acc'",
        ])
    }

    func testXMLOptionsOnCSVSource() {
        assertErrors(withCRM("xml: { record: /A }"), [
            "r.yaml:4:5: error: 'xml' options apply to xml sources only; source 'crm' is csv",
        ])
    }

    func testXMLSourceNeedsXMLOptions() {
        assertErrors(validFile().replacingOccurrences(of: "    xml: { record: /A/B }\n", with: ""), [
            "r.yaml:15:3: error: missing required key 'xml' in source 'acc' (an xml source needs 'xml: { record: … }')",
        ])
    }

    func testDelimiter() {
        assertErrors(withCRM("csv: { delimiter: ';;' }"), [
            "r.yaml:4:23: error: 'delimiter' must be one ascii character or 'auto', not ';;'",
        ])
    }

    func testDelimiterAutoAndTab() throws {
        let auto = try RuleFileLoader.load(yaml: withCRM("csv: { delimiter: auto }"), path: "r.yaml")
        XCTAssertNil(auto.source("crm")?.csv.delimiter)
        let tab = try RuleFileLoader.load(yaml: withCRM("csv: { delimiter: \"\\t\" }"), path: "r.yaml")
        XCTAssertEqual(tab.source("crm")?.csv.delimiter, 0x09)
    }

    func testQuote() {
        assertErrors(withCRM("csv: { quote: '' }"), ["r.yaml:4:19: error: 'quote' must be one ascii character, not ''"])
    }

    func testQuoteEqualsDelimiter() {
        assertErrors(withCRM("csv: { delimiter: ';', quote: ';' }"), [
            "r.yaml:4:35: error: 'quote' and 'delimiter' must differ",
        ])
    }

    func testEncoding() {
        assertErrors(withCRM("csv: { encoding: utf8 }"), [
            "r.yaml:4:22: error: unknown encoding 'utf8'; did you mean 'utf-8'?",
        ])
    }

    func testHeaderLine() {
        assertErrors(withCRM("csv: { header_line: -1 }"), [
            "r.yaml:4:25: error: 'header_line' must be 0 (no header) or more, not '-1'",
        ])
        assertErrors(withCRM("csv: { header_line: first }"), [
            "r.yaml:4:25: error: 'header_line' must be a whole number, not 'first'",
        ])
    }

    func testDecimalMark() {
        assertErrors(withCRM("csv: { decimal: ';' }"), [
            "r.yaml:4:21: error: 'decimal' must be one of '.', ',', not ';'",
        ])
    }

    func testThousandsMark() {
        assertErrors(withCRM("csv: { thousands: '_' }"), [
            "r.yaml:4:23: error: 'thousands' must be one of '', '.', ',', ''', ' ', not '_'",
        ])
        assertErrors(withCRM("csv: { decimal: ',', thousands: ',' }"), [
            "r.yaml:4:37: error: 'thousands' and 'decimal' must differ",
        ])
    }

    func testRecordPathMustStartWithSlash() {
        assertErrors(validFile().replacingOccurrences(of: "record: /A/B", with: "record: Invoice"), [
            "r.yaml:17:20: error: record path 'Invoice' must start with '/' (from the root) or '//' (any depth)",
        ])
    }

    func testRecordPathEmptyStep() {
        assertErrors(validFile().replacingOccurrences(of: "record: /A/B", with: "record: /A//B"), [
            "r.yaml:17:20: error: record path '/A//B' has an empty step",
        ])
    }

    func testRecordPathUndeclaredPrefix() {
        assertErrors(validFile().replacingOccurrences(of: "record: /A/B", with: "record: //pt:Invoice"), [
            "r.yaml:17:20: error: prefix 'pt' in record path '//pt:Invoice' is not declared under 'namespaces'",
        ])
    }

    func testRecordPathAttribute() {
        assertErrors(validFile().replacingOccurrences(of: "record: /A/B", with: "record: /A/@b"), [
            "r.yaml:17:20: error: record path '/A/@b' may name an attribute ('@…') only in its last step",
        ])
    }

    func testRecordIsRequired() {
        assertErrors(validFile().replacingOccurrences(of: "xml: { record: /A/B }", with: "xml: { allow_empty: true }"), [
            "r.yaml:17:10: error: missing required key 'record' in 'xml'",
        ])
    }

    func testNamespacesMustBeTextURIs() {
        assertErrors(validFile().replacingOccurrences(of: "xml: { record: /A/B }",
                                                      with: "xml: { record: /A/B, namespaces: { 1p: 'u', pt: '' } }"), [
            "r.yaml:17:40: error: namespace prefix '1p' is not a valid xml name",
            "r.yaml:17:53: error: the namespace uri of 'pt' must not be empty",
        ])
    }

    func testAllowEmptyMustBeABool() {
        assertErrors(validFile().replacingOccurrences(of: "xml: { record: /A/B }", with: "xml: { record: /A/B, allow_empty: maybe }"), [
            "r.yaml:17:39: error: 'allow_empty' must be true or false, not 'maybe'",
        ])
    }

    func testGroupNeedsMany() {
        assertErrors(withCRM("group: { amount: sum }"), [
            "r.yaml:4:5: error: 'group' applies only to sources with 'cardinality: many'",
        ])
    }

    func testGroupUnknownAggregation() {
        assertErrors(withCRM("cardinality: many\n    group: { amount: total }"), [
            "r.yaml:5:22: error: unknown aggregation 'total'; expected 'sum', 'min', 'max', 'first', 'last', 'count', 'any', 'all', 'join'",
        ])
    }

    func testGroupUnknownField() {
        assertErrors(withCRM("cardinality: many\n    group: { amont: sum }"), [
            "r.yaml:5:14: error: unknown field 'amont' in 'group' of source 'crm'; did you mean 'amount'?",
        ])
    }

    func testGroupAggregationMustSuitTheType() {
        assertErrors(withCRM("cardinality: many\n    group: { stage: sum, modified: any }"), [
            "r.yaml:5:21: error: aggregation 'sum' needs a decimal or integer field; 'stage' is text",
            "r.yaml:5:36: error: aggregation 'any' needs a bool field; 'modified' is datetime",
        ])
    }

    func testDatevOverridesPreset() throws {
        let yaml = validFile(sources: "  datev:\n    format: datev\n    csv: { header_line: 3, decimal: '.' }\n    key: id\n    fields: { id: 1 }\n")
        let datev = try XCTUnwrap(try RuleFileLoader.load(yaml: yaml, path: "r.yaml").source("datev"))
        XCTAssertEqual(datev.csv.headerLine, 3)
        XCTAssertEqual(datev.csv.delimiter, UInt8(ascii: ";"))
        XCTAssertEqual(datev.csv.encoding, .windows1252)
        XCTAssertEqual(datev.decimalMark, UInt8(ascii: "."))
    }
}
