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

    /// Drafts hand over their key as held and the fingerprint's digest: the same bytes as the
    /// texts, with the head, message and `fix_in` changing or not from one finding to the next.
    func testDraftKeysAndDigestsAreWrittenAsTheirTexts() {
        let digests = (0..<4).map { n in [UInt8(n)].withUnsafeBytes { SHA256.digest($0) } }
        let shared = "crm has a record but accounting has no record"
        let heads: [(rule: String, kind: String, key: DraftKey, message: String, fixIn: String?)] = [
            ("crm-has-booking", "missing-counterpart", .one("RE-1"), shared, "accounting"),
            ("crm-has-booking", "missing-counterpart", .one("RE-\"2"), shared, "accounting"),
            // The same message in another `String`, then one that differs, then the first again.
            ("crm-has-booking", "missing-counterpart", .one("RE-3"), String(shared.utf8.map { Character(UnicodeScalar($0)) }), "accounting"),
            ("amount-owned", "ownership", .many(["a", "", "c\u{7F}"]), "crm has amount '1.00' but \"x\"", nil),
            ("amount-owned", "ownership", .many(["b"]), "crm has amount '2.00' but \"x\"", "crm"),
            ("crm-has-booking", "missing-counterpart", .one(""), shared, "accounting"),
        ]
        var drafts = CompactFindingWriter(), texts = CompactFindingWriter()
        for (i, h) in heads.enumerated() {
            let digest = digests[i % digests.count]
            drafts.beginFinding(rule: h.rule, kind: h.kind, severity: .error, status: .open, key: h.key,
                                message: h.message, fixIn: h.fixIn, fingerprint: digest)
            texts.beginFinding(rule: h.rule, kind: h.kind, severity: .error, status: .open, key: h.key.parts,
                               message: h.message, fixIn: h.fixIn, fingerprint: digest.hex, firstSeen: nil)
            for w in [0, 1] {
                func rest(_ writer: inout CompactFindingWriter) {
                    writer.beginSource("crm")
                    writer.beginRecord(file: "crm.csv", line: i + 2)
                    writer.value("invoice", .text("RE-\(i)"))
                    writer.value("amount", .decimal(FixedDecimal(units: Int64(i) * 150 - 200, scale: 2)))
                    writer.endRecord(raw: nil)
                    writer.endSource()
                    writer.endFinding()
                }
                if w == 0 { rest(&drafts) } else { rest(&texts) }
            }
        }
        XCTAssertEqual(String(decoding: drafts.bytes, as: UTF8.self), String(decoding: texts.bytes, as: UTF8.self))
        XCTAssertTrue(String(decoding: drafts.bytes, as: UTF8.self).contains(#""key":["a","","c\u007f"],"message":"crm has amount '1.00' but \"x\"","fix_in":null,"fingerprint":"\#(digests[3].hex)","#))
        // The protocol's default (any other writer) makes the texts from the draft's parts.
        var general = JSONWriter(pretty: false), direct = JSONWriter(pretty: false)
        JSONFindingWriter.using(&general) { w in
            w.beginFinding(rule: "r", kind: "k", severity: .info, status: .open, key: .many(["x", "y"]), message: "m",
                           fixIn: nil, fingerprint: digests[0])
            w.endFinding()
        }
        JSONFindingWriter.using(&direct) { w in
            w.beginFinding(rule: "r", kind: "k", severity: .info, status: .open, key: ["x", "y"], message: "m",
                           fixIn: nil, fingerprint: digests[0].hex, firstSeen: nil)
            w.endFinding()
        }
        XCTAssertEqual(general.bytes, direct.bytes)
    }

    func testDecimalDigitsOfAnyLine() {
        for n in [0, 1, 9, 10, 11, 999, 1000, 65_535, 4_294_967_296, Int.max, -1, Int.min] {
            var bytes: [UInt8] = []
            CompactFindingWriter.appendDecimal(n, to: &bytes)
            XCTAssertEqual(String(decoding: bytes, as: UTF8.self), String(n))
        }
    }
}
