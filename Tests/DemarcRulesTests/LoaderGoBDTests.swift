import DemarcCore
import DemarcReaders
@testable import DemarcRules
import Foundation
import XCTest

final class LoaderGoBDTests: XCTestCase {
    private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A rule file path inside Fixtures/gobd (so that relative paths resolve there).
    private var rulePath: String { root.appendingPathComponent("Fixtures/gobd/r.yaml").path }

    private func file(_ source: String, fields: String) -> String {
        """
        demarc: 1
        sources:
          ledger:
        \(source)
            key: id
            fields:
        \(fields)
        rules:
          - id: r
            expect: "ledger exists"
        """
    }

    private func errors(_ yaml: String) -> [String] {
        do {
            _ = try RuleFileLoader.load(yaml: yaml, path: rulePath)
            XCTFail("the rule file loaded")
        } catch DemarcError.invalidConfiguration(let diagnostics) {
            return diagnostics.map { "\($0.position.line):\($0.position.column): \($0.message)" }
        } catch {
            XCTFail("unexpected \(error)")
        }
        return []
    }

    func testIndexDefaultsBecomeFieldDefaults() throws {
        let yaml = file("""
                format: gobd
                gobd: { index: export/index.xml, table: Rechnungsausgang }
            """, fields: """
                  id: Belegnummer
                  date: Belegdatum
                  gross: Bruttobetrag
                  text_gross: { column: Bruttobetrag, type: text }
                  third: { column: 3 }
            """)
        let rules = try RuleFileLoader.load(yaml: yaml, path: rulePath)
        let source = try XCTUnwrap(rules.source("ledger"))
        XCTAssertEqual(source.format, .gobd)
        XCTAssertEqual(source.gobd?.table.name, "Rechnungsausgang")
        XCTAssertEqual(source.file, root.appendingPathComponent("Fixtures/gobd/export/rechnungsausgang.csv").path)
        XCTAssertEqual(source.fileAsWritten, "export/rechnungsausgang.csv")
        XCTAssertEqual(source.decimalMark, UInt8(ascii: ","))
        XCTAssertEqual(source.thousandsMark, UInt8(ascii: "."))
        XCTAssertEqual(source.fields.map(\.type), [.text, .date, .decimal, .text, .text])
        XCTAssertEqual(source.field("date")?.dateFormat, .dottedDMY)
        XCTAssertEqual(source.field("third")?.selector, .position(3))
    }

    func testTableMayBeLeftOutWhenTheIndexHasOne() throws {
        let yaml = file("""
                format: gobd
                gobd: { index: fixed/index.xml }
            """, fields: """
                  id: Konto
                  saldo: Saldo
                  day: Stichtag
            """)
        let source = try XCTUnwrap(RuleFileLoader.load(yaml: yaml, path: rulePath).source("ledger"))
        XCTAssertEqual(source.gobd?.table.name, "Konten")
        XCTAssertEqual(source.field("day")?.dateFormat, .compactYMD)
        XCTAssertEqual(source.field("saldo")?.type, .decimal)
    }

    func testComplexIndexTwoDigitYearsAndImpliedDecimals() throws {
        let yaml = file("""
                format: gobd
                gobd: { index: complex/index.xml, table: Table 1 }
            """, fields: """
                  id: PrimaryKey
                  a: A
                  f: F
            """)
        let source = try XCTUnwrap(RuleFileLoader.load(yaml: yaml, path: rulePath).source("ledger"))
        XCTAssertEqual(source.field("a")?.type, .decimal)
        XCTAssertEqual(source.field("f")?.dateFormat, .isoDate, "YY-MM-DD is widened by the reader")
        XCTAssertNil(source.thousandsMark, "a grouping symbol of two characters is removed by the reader")
    }

    func testProblems() {
        XCTAssertEqual(errors(file("""
                format: gobd
                gobd: { index: export/index.xml, table: Rechnungseingang }
            """, fields: "      id: Belegnummer")),
            ["5:45: no table 'Rechnungseingang' in gobd index 'export/index.xml'; did you mean 'Rechnungsausgang'?"])
        XCTAssertEqual(errors(file("""
                format: gobd
                gobd: { index: export/index.xml }
            """, fields: "      id: Belegnummer")),
            ["5:11: gobd index 'export/index.xml' has 2 tables; name one with 'table:' ('Rechnungsausgang', 'Konten')"])
        XCTAssertEqual(errors(file("""
                format: gobd
                gobd: { index: export/index.xml, table: Rechnungsausgang }
            """, fields: "      id: Belegnumer\n      x: { column: 9 }")),
            ["8:11: no column 'Belegnumer' in gobd table 'Rechnungsausgang'; did you mean 'Belegnummer'?",
             "9:20: no column 9; gobd table 'Rechnungsausgang' has 5 columns"])
        let missing = errors(file("""
                format: gobd
                gobd: { index: nowhere/index.xml }
            """, fields: "      id: Belegnummer\n      v: Nothing"))
        XCTAssertEqual(missing.count, 1, "no column errors without an index")
        XCTAssertTrue(missing.first?.hasPrefix("5:20: gobd index 'nowhere/index.xml' cannot be read: cannot open") ?? false, "\(missing)")
        XCTAssertEqual(errors(file("""
                format: gobd
            """, fields: "      id: Belegnummer")),
            ["3:3: missing required key 'gobd' in source 'ledger'"])
        XCTAssertEqual(errors(file("""
                gobd: { index: export/index.xml, table: Konten }
            """, fields: "      id: Konto")),
            ["4:5: 'gobd' options apply to gobd sources only; source 'ledger' is csv"])
        XCTAssertEqual(errors(file("""
                format: gobd
                gobd: { index: export/index.xml, table: Konten }
                csv: { delimiter: ";" }
            """, fields: "      id: Konto")),
            ["6:5: 'csv' options apply to csv and datev sources, not to gobd source 'ledger'"])
    }
}
