import XCTest
import DemarcCore
import DemarcReaders
import DemarcRules
@testable import DemarcEngine
import DemarcReports

final class ReportAndDeterminismTests: XCTestCase {
    private var rules: [Rule] {
        [T.rule("agree", .agree("crm", "accounting", transitionalAllowed: false)),
         T.rule("owned", .owned(field: "amount", owner: "accounting", copies: ["crm"], tolerance: FixedDecimal(units: 0, scale: 0))),
         T.rule("cp", .counterpart(of: "accounting", in: "crm"))]
    }

    private func json(_ result: RunResult) throws -> String {
        String(decoding: try JSONReport().render(result, options: ReportOptions()), as: UTF8.self)
    }

    func testTwoRunsWriteTheSameBytes() throws {
        let file = T.file([T.crm, T.accounting], rules, normalize: [.trim, .upper])
        let a = try json(Engine.run(file, options: RunOptions()))
        let b = try json(Engine.run(file, options: RunOptions()))
        XCTAssertEqual(a, b)
        let parsed = try JSONSerialization.jsonObject(with: Data(a.utf8)) as? [String: Any]
        XCTAssertEqual(parsed?["cases"] as? Int, 8)
    }

    /// JSON and JSON Lines write a run's findings straight from its drafts; the same findings
    /// made into `Finding`s first must give the same bytes: malformed records and their raw
    /// text, groups of several records, texts that need escaping, decimals, dates, empties.
    func testFindingsWrittenFromDraftsAreTheFindingsWrittenWhole() throws {
        var crm = T.crm
        crm.file = T.csv("id,stage,amount,modified\nK1,Closed Won,1.50,2026-11-01\nK2,\"Pros\"\"pect\\ing\",-0.05,\n"
            + "K3,Closed Lost,x,2026-11-02\nK4,Clarification Needed,7,2026-11-03,extra\n\"K5\n\",Closed Won,120.000,2026-11-04\n"
            + ",Closed Won,3,2026-11-05\nK1,Closed Lost,9.99,2026-11-06\n")
        var acc = T.source("accounting", file: nil,
                           fields: [T.field("invoice"), T.field("status"), T.field("amount", "total", .decimal)],
                           key: ["invoice"], state: T.byValue("status", [("booked", ["B"]), ("not_booked", ["N"]), ("open", ["O"])]),
                           cardinality: .many, group: ["amount": .sum])
        acc.file = T.csv("invoice,status,total\nK1,B,1.00\nK1,B,0.60\nK2,O,\"1,5\"\nK6,N,4\nK6,N\nk7,B,0.001\n")
        let rules = self.rules + [T.rule("def", .definite(source: "accounting")), T.rule("def-crm", .definite(source: "crm")),
                                  T.rule("back", .counterpart(of: "crm", in: "accounting"))]
        let result = try Engine.run(T.file([crm, acc], rules, normalize: [.trim, .upper]), options: RunOptions())
        XCTAssertTrue(result.findings.contains { $0.kind == "malformed-record" }, "the fixture has malformed records")
        XCTAssertTrue(result.findings.contains { $0.records.contains { $0.records.count > 1 } }, "and groups")
        var whole = result
        whole.findings = FindingList(Array(result.findings))
        for report in [JSONReport() as Report, JSONLinesReport()] {
            let fromDrafts = try report.render(result, options: ReportOptions())
            XCTAssertEqual(String(decoding: fromDrafts, as: UTF8.self),
                           String(decoding: try report.render(whole, options: ReportOptions()), as: UTF8.self))
        }
    }

    /// Findings handed over a range at a time (rows asked for ahead, `each` after each) are the
    /// findings handed over one by one, however the ranges are cut: shorter and longer than the
    /// prefetch distance, keys by record (crm) and by case number (accounting).
    func testFindingsWrittenByRangesAreTheFindingsWrittenOneByOne() throws {
        var crm = T.crm, acc = T.accounting
        crm.file = T.csv("id,stage,amount,modified\n" + (1...60).map { "K\($0),Prospecting,\($0).00,2026-11-01" }.joined(separator: "\n") + "\n")
        acc.file = T.csv("invoice,status,total\n" + (1...70).filter { $0 % 3 != 0 }.map { "k\($0),\($0 % 5 == 0 ? "O" : "B"),\($0 % 4 == 0 ? $0 + 1 : $0).00" }.joined(separator: "\n") + "\n")
        let result = try Engine.run(T.file([crm, acc], rules + [T.rule("back", .counterpart(of: "crm", in: "accounting"))],
                                           normalize: [.upper]), options: RunOptions())
        let findings = result.findings
        XCTAssertGreaterThan(findings.count, 40)
        var single = RecordingWriter()
        for i in findings.indices {
            findings.write(i, to: &single)
            single.events.append("end")
        }
        for step in [1, 3, 4, 7, 8, 9, 1000] {
            var ranged = RecordingWriter()
            var start = 0
            while start < findings.count {
                let end = min(findings.count, start + step)
                findings.write(start..<end, to: &ranged) { $0.events.append("end") }
                start = end
            }
            XCTAssertEqual(ranged.events, single.events, "ranges of \(step)")
        }
        var whole = RecordingWriter()
        FindingList(Array(findings)).write(findings.indices, to: &whole) { $0.events.append("end") }
        XCTAssertEqual(whole.events, single.events)
    }

    func testShuffledRowsGiveTheSameFindings() throws {
        var crmRows = (1...40).map { "K\($0),\($0 % 3 == 0 ? "Closed Won" : "Prospecting"),\($0).00,2026-11-01" }
        var accRows = (1...40).filter { $0 % 4 != 0 }.map { "k\($0),\($0 % 5 == 0 ? "O" : "B"),\($0 % 7 == 0 ? $0 + 1 : $0).00" }
        func run() throws -> (RunResult, [String]) {
            var crm = T.crm, acc = T.accounting
            crm.file = T.csv("id,stage,amount,modified\n" + crmRows.joined(separator: "\n") + "\n")
            acc.file = T.csv("invoice,status,total\n" + accRows.joined(separator: "\n") + "\n")
            let result = try Engine.run(T.file([crm, acc], rules + [T.rule("def", .definite(source: "accounting"))],
                                               normalize: [.upper]), options: RunOptions())
            // Everything but line numbers and file names.
            let text = result.findings.map { f in
                "\(f.rule)|\(f.key)|\(f.message)|\(f.fixIn ?? "-")|\(f.fingerprint)|"
                    + f.records.map { "\($0.source):" + $0.records.map { $0.values.map(\.text).joined(separator: ",") }.joined(separator: ";") }.joined(separator: "/")
            }
            return (result, text)
        }
        let (first, firstText) = try run()
        XCTAssertGreaterThan(first.findings.count, 10)
        var generator = SeededGenerator(seed: 42)
        crmRows.shuffle(using: &generator)
        accRows.shuffle(using: &generator)
        let (second, secondText) = try run()
        XCTAssertEqual(first.findings.map(\.fingerprint), second.findings.map(\.fingerprint))
        XCTAssertEqual(firstText, secondText)
        XCTAssertEqual(first.summary, second.summary)
    }

    func testJSONShapeAndKeyOrder() throws {
        let result = try Engine.run(T.file([T.crm, T.accounting], [rules[1]], normalize: [.trim, .upper]),
                                    options: RunOptions(maxFindings: 1))
        let text = try json(result)
        let order = ["\"demarc\": 1", "\"tool\": \"demarc ", "\"rules\": {", "\"file\": \"test.yaml\"", "\"name\": \"test\"",
                     "\"sha256\"", "\"as_of\": \"2026-11-30\"", "\"sources\": [", "\"cases\": 8", "\"summary\": {",
                     "\"findings\": 6", "\"error\": 6", "\"warning\": 0", "\"info\": 0", "\"baselined\": 0", "\"waived\": 0",
                     "\"by_rule\": {", "\"owned\": 1", "\"findings\": [", "\"rule\": \"owned\"", "\"kind\": \"ownership\"",
                     "\"severity\": \"error\"", "\"status\": \"open\"", "\"key\": [", "\"message\"", "\"fix_in\": \"crm\"",
                     "\"fingerprint\"", "\"records\": {", "\"crm\": [", "\"line\": 3", "\"values\": {",
                     "\"id\": \"RE-2\"", "\"amount\": \"200.00\"", "\"accounting\": [", "\"invoice\": \"RE-2\""]
        var from = text.startIndex
        for piece in order {
            guard let r = text.range(of: piece, range: from..<text.endIndex) else {
                return XCTFail("'\(piece)' missing or out of order in\n\(text)")
            }
            from = r.upperBound
        }
        let raw = result.findings.first { $0.rule == "malformed-record" }
        XCTAssertNotNil(raw)
        XCTAssertTrue(text.contains("\"raw\": \"RE-8,X,1,extra\""))
        XCTAssertTrue(text.hasSuffix("}\n"))
        // jsonl: one finding per line, then the summary.
        let lines = String(decoding: try JSONLinesReport().render(result, options: ReportOptions()), as: UTF8.self)
            .split(separator: "\n")
        XCTAssertEqual(lines.count, result.findings.count + 1)
        XCTAssertTrue(lines.last!.hasPrefix("{\"summary\":{\"findings\":6,"), String(lines.last!))
        for line in lines { XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(line.utf8))) }
    }

    func testJSONWriterEscapes() {
        var w = JSONWriter(pretty: false)
        w.beginObject()
        w.field("a\"b", "q\"\\/\n\r\t\u{1}\u{1F}ä€\u{7F}")
        w.key("e"); w.beginArray(); w.endArray()
        w.key("o"); w.beginObject(); w.endObject()
        w.key("n"); w.null()
        w.endObject()
        XCTAssertEqual(String(decoding: w.bytes, as: UTF8.self),
                       "{\"a\\\"b\":\"q\\\"\\\\/\\n\\r\\t\\u0001\\u001fä€\\u007f\",\"e\":[],\"o\":{},\"n\":null}")
        var p = JSONWriter(pretty: true)
        p.beginObject(); p.field("a", 1); p.key("b"); p.beginArray(); p.string("x"); p.endArray(); p.endObject()
        XCTAssertEqual(String(decoding: p.bytes, as: UTF8.self), "{\n  \"a\": 1,\n  \"b\": [\n    \"x\"\n  ]\n}")
    }

    func testTextReport() throws {
        let result = try Engine.run(T.file([T.crm, T.accounting], [rules[1]], normalize: [.trim, .upper]),
                                    options: RunOptions(maxFindings: 1))
        let text = String(decoding: try TextReport().render(result, options: ReportOptions()), as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(lines[0], "\(T.fixture("crm.csv")):3: error: [owned] crm has amount '200.00' but accounting, which owns it, has '190.00' (key RE-2)")
        XCTAssertTrue(lines.contains("owned: 1 finding"), text)
        XCTAssertTrue(lines.contains("malformed-record: 1 finding"), text)
        XCTAssertEqual(TextReport.summaryLine(result), "6 findings (6 errors, 0 warnings, 0 info) in 8 cases")
    }
}

/// A deterministic generator for shuffles (SplitMix64).
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}

/// Notes every part a `FindingWriter` is handed, in order.
private struct RecordingWriter: FindingWriter {
    var events: [String] = []
    mutating func beginFinding(rule: String, kind: String, severity: Severity, status: FindingStatus, key: [String],
                               message: String, fixIn: String?, fingerprint: String, firstSeen: String?) {
        events.append("finding \(rule) \(kind) \(severity) \(status) \(key) \(message) \(fixIn ?? "-") \(fingerprint)")
    }
    mutating func beginSource(_ name: String) { events.append("source \(name)") }
    mutating func beginRecord(file: String, line: Int) { events.append("record \(file):\(line)") }
    mutating func value(_ name: String, _ value: Value) { events.append("\(name)=\(value.resultText)") }
    mutating func endRecord(raw: String?) { events.append("raw \(raw ?? "-")") }
    mutating func endSource() { events.append("/source") }
    mutating func endFinding() { events.append("/finding") }
}
