import XCTest
import DemarcCore
import DemarcEngine
@testable import DemarcReports

/// The jsonl writer's cached pieces give the same bytes as the general JSON writer, finding
/// after finding, whatever changes between them.
final class CompactFindingWriterTests: XCTestCase {
    private func general(_ write: (inout JSONFindingWriter) -> Void) -> String {
        var w = JSONWriter(pretty: false)
        JSONFindingWriter.using(&w) { write(&$0) }
        return String(decoding: w.bytes, as: UTF8.self)
    }

    private func compact(_ write: (inout CompactFindingWriter) -> Void) -> String {
        var writer = CompactFindingWriter()
        write(&writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    private let findings: [Finding] = [
        Finding(rule: "crm-has-booking", kind: "missing-counterpart", severity: .error, key: ["RE-1"],
                message: "crm has a record but accounting has no record", fixIn: "accounting",
                fingerprint: "ab", records: [SourceRecords(source: "crm", records: [
                    FindingRecord(file: "crm.csv", line: 2, values: [FieldText("invoice", "RE-1"), FieldText("amount", "1.50")]),
                ])]),
        // Same head: the cached bytes again; a second source, two records, a raw text.
        Finding(rule: "crm-has-booking", kind: "missing-counterpart", severity: .error, key: ["RE-2"],
                message: "says \"x\"\n", fixIn: "accounting", fingerprint: "cd", records: [
                    SourceRecords(source: "crm", records: [
                        FindingRecord(file: "crm.csv", line: 3, values: [FieldText("invoice", "RE-2")]),
                        FindingRecord(file: "crm\\2.csv", line: 1_234_567_890, values: [], raw: "a,\"b\u{1}\""),
                    ]),
                    SourceRecords(source: "amount", records: [
                        FindingRecord(file: "acc.csv", line: 0, values: [FieldText("amount", "Müller\t€")]),
                    ]),
                ]),
        // Another head, no fix_in, a first_seen, a key of three parts (one empty), no records.
        {
            var f = Finding(rule: "r\"2", kind: "ownership", severity: .warning, status: .baselined,
                            key: ["a", "", "c\u{7F}"], message: "", fixIn: nil, fingerprint: "ef", records: [])
            f.firstSeen = "2026-11-01"
            return f
        }(),
        // Back to the first head, the fix_in of another value, a source without records.
        Finding(rule: "crm-has-booking", kind: "missing-counterpart", severity: .error, key: [],
                message: "m", fixIn: "crm", fingerprint: "01",
                records: [SourceRecords(source: "crm", records: [])]),
        Finding(rule: "info", kind: "k", severity: .info, status: .waived, key: ["k"], message: "m", fixIn: "",
                fingerprint: "02", records: []),
    ]

    func testFindingsOneAfterAnotherAreWrittenAsTheGeneralWriterWritesThem() {
        let expected = general { w in
            for f in findings { f.write(to: &w) }
        }
        let got = compact { w in
            for f in findings { f.write(to: &w) }
        }
        XCTAssertEqual(got, expected)
        XCTAssertTrue(got.hasPrefix(#"{"rule":"crm-has-booking","kind":"missing-counterpart","severity":"error","status":"open","key":["RE-1"],"#))
    }

    func testValuesOfEveryKindAreWrittenAsTheirResultText() {
        let values: [Value] = [
            .unknown, .text("t\"x"), .decimal(FixedDecimal(units: -123_456, scale: 3)),
            .decimal(FixedDecimal(units: 5, scale: 0)), .integer(-42), .integer(Int64.max), .bool(true),
            .date(Day(year: 2026, month: 11, day: 27)!), .duration(90_000),
        ]
        func body(_ w: inout some FindingWriter) {
            w.beginFinding(rule: "r", kind: "k", severity: .error, status: .open, key: ["k"], message: "m",
                           fixIn: nil, fingerprint: "f", firstSeen: nil)
            w.beginSource("s")
            for line in [0, 7, 10, 99, 100, Int(Int32.max), -3] {
                w.beginRecord(file: "f.csv", line: line)
                for (i, v) in values.enumerated() { w.value("v\(i)", v) }
                w.endRecord(raw: nil)
            }
            w.endSource()
            w.endFinding()
        }
        XCTAssertEqual(compact { body(&$0) }, general { body(&$0) })
    }

    func testDecimalDigitsOfAnyLine() {
        for n in [0, 1, 9, 10, 11, 999, 1000, 65_535, 4_294_967_296, Int.max, -1, Int.min] {
            var bytes: [UInt8] = []
            CompactFindingWriter.appendDecimal(n, to: &bytes)
            XCTAssertEqual(String(decoding: bytes, as: UTF8.self), String(n))
        }
    }
}
