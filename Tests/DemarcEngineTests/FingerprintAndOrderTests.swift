import XCTest
import DemarcCore
@testable import DemarcEngine

final class FingerprintAndOrderTests: XCTestCase {
    /// The byte order of keys: as `utf8.lexicographicallyPrecedes` gives it, for texts that
    /// share prefixes of every length, differ in any byte, or leave ASCII.
    func testUTF8OrderIsTheOrderOfTheBytes() {
        let pieces = ["a", "b", "RE-2026", "0", "ü", "é", "\u{1F}", "~", "ß", "Z", "\u{7F}", ""]
        var generator = SystemRandomNumberGenerator()
        var texts: [String] = []
        for _ in 0..<400 {
            texts.append((0..<Int.random(in: 0...6, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined())
        }
        for a in texts {
            for b in texts.prefix(60) {
                XCTAssertEqual(utf8Less(a, b), a.utf8.lexicographicallyPrecedes(b.utf8), "\(a.debugDescription) < \(b.debugDescription)")
            }
        }
    }

    func testFingerprintsMatchHandComputedSHA256() {
        // python3: hashlib.sha256('\x1f'.join(parts).encode()).hexdigest()
        XCTAssertEqual(Fingerprint.make(rule: "won-deal-is-booked", key: ["RE-2026-0042"], extra: []),
                       "45ba6edd9f2dec405b66887d953f295d7b8f6e364a7ea6388ca2dde4243409c5")
        XCTAssertEqual(Fingerprint.make(rule: "owned", key: ["A", "B"], extra: ["amount", "crm"]),
                       "83dfad8d354232a25bf4c0cf4fe1b054ba9349ec704b37cef02c4c59c34d530d")
        XCTAssertEqual(Fingerprint.make(rule: "malformed-record", key: [], extra: ["crm", "x,y"]),
                       "0fd0bce60c800b97c3aada3ef8694a89b219f86677527b5a86e654c594f5bcab")
        XCTAssertEqual(Fingerprint.make(rule: "r", key: [], extra: []),
                       "454349e422f05297191ead13e21d3db520e5abef52055e4964b82fb213f593a1")
        XCTAssertEqual(Fingerprint.make(rule: "r", key: ["Klärung"], extra: []),
                       "ea430e7a219dc8e56c392004dd950d3d9771a7e5284b82394af458b0cb8d7129")
    }

    func testMissingKeyFingerprintIsMadeOfTheRawLine() throws {
        // Two empty-key rows that differ only in a column no rule maps are two findings with two
        // fingerprints (DETAILS.md 25: source and the record's raw text).
        let path = T.csv("id,st,other\n,B,x\n,B,y\n")
        let file = T.file([T.source("crm", file: path, fields: [T.field("id"), T.field("st")], key: ["id"])], [])
        let result = try Engine.run(file, options: RunOptions())
        let prints = result.findings.filter { $0.rule == "missing-key" }.map(\.fingerprint)
        XCTAssertEqual(prints, [Fingerprint.make(rule: "missing-key", key: [""], extra: ["crm", ",B,x"]),
                                Fingerprint.make(rule: "missing-key", key: [""], extra: ["crm", ",B,y"])].sorted())
    }

    private func draft(rank: Int, key: [String], fingerprint: String, source: Int = 0, line: Int = 0,
                       field: Int = 0) -> FindingDraft {
        FindingDraft(rank: rank, rule: "r\(rank)", kind: "k", severity: .error, key: key, message: "",
                     fixIn: nil, fingerprint: SHA256Digest(UInt64(fingerprint.utf8.first ?? 0), 0, 0, 0),
                     records: RecordRefs(), malformed: nil,
                     sourceRank: source, line: line, fieldRank: field)
    }

    func testOrderIsRankThenKeyBytesThenFingerprintThenSourceLineField() {
        let drafts = [
            draft(rank: 1, key: ["A"], fingerprint: "a"),
            draft(rank: 0, key: ["b"], fingerprint: "a"),
            draft(rank: 0, key: ["B"], fingerprint: "b"),
            draft(rank: 0, key: ["B"], fingerprint: "a", source: 1),
            draft(rank: 0, key: ["B"], fingerprint: "a", source: 0, line: 9),
            draft(rank: 0, key: ["B"], fingerprint: "a", source: 0, line: 3, field: 2),
            draft(rank: 0, key: ["B"], fingerprint: "a", source: 0, line: 3, field: 1),
            draft(rank: 0, key: ["Ä"], fingerprint: "a"),
            draft(rank: 0, key: ["B", ""], fingerprint: "z"),
        ]
        let sorted = drafts.shuffled().sorted(by: FindingDraft.precedes)
        XCTAssertEqual(sorted.map { "\($0.rank)\($0.key.joined(separator: "+"))\(UnicodeScalar(UInt8($0.fingerprint.a)))\($0.sourceRank)\($0.line)\($0.fieldRank)" }, [
            "0Ba031", "0Ba032", "0Ba090", "0Ba100", "0Bb000", "0B+z000", "0ba000", "0Äa000", "1Aa000",
        ])
    }

    /// `FindingDraft.order` of a list in order (which it recognizes without sorting), out of
    /// order, with ties and with one draft moved: the positions a stable sort gives.
    func testOrderOfAListIsTheStableSortsWhetherOrNotItIsInOrder() {
        var generator = SeededGenerator(seed: 7)
        let keys = ["A", "B", "B", "C", "Ä", "a"]
        for round in 0..<300 {
            let n = Int(generator.next() % 40)
            var drafts = (0..<n).map { _ in
                draft(rank: Int(generator.next() % 2), key: [keys[Int(generator.next() % UInt64(keys.count))]],
                      fingerprint: ["a", "b"][Int(generator.next() % 2)], line: Int(generator.next() % 3))
            }
            switch round % 3 {
            case 0: drafts.sort(by: FindingDraft.precedes)   // in order (with ties)
            case 1:
                drafts.sort(by: FindingDraft.precedes)       // in order but one draft moved
                if n > 1 { drafts.swapAt(Int(generator.next() % UInt64(n)), Int(generator.next() % UInt64(n))) }
            default: break                                   // as made
            }
            var list = DraftList()
            for d in drafts { list.append(d) }
            let expected = drafts.indices.sorted { a, b in
                FindingDraft.precedes(drafts[a], drafts[b]) || (!FindingDraft.precedes(drafts[b], drafts[a]) && a < b)
            }
            XCTAssertEqual(FindingDraft.order(list).map(Int.init), expected, "round \(round)")
        }
    }

    /// Digests order as their hex does, and their hex is `SHA256.hex`'s.
    func testDigestsOrderAsTheirHex() {
        let texts = (0..<200).map { "text \($0)" }
        let digests = texts.map { t in Array(t.utf8).withUnsafeBytes { SHA256.digest($0) } }
        XCTAssertEqual(digests.map(\.hex), texts.map { SHA256.hex(Array($0.utf8)) })
        XCTAssertEqual(digests.sorted().map(\.hex), digests.map(\.hex).sorted())
        XCTAssertEqual(SHA256Digest(0x0123_4567_89AB_CDEF, 0, 0, UInt64.max).hex,
                       "0123456789abcdef" + String(repeating: "0", count: 32) + String(repeating: "f", count: 16))
    }

    func testKeyNormalizers() {
        XCTAssertEqual(KeyNormalizer([.trim]).normalize("  re-1 \t"), "re-1")
        XCTAssertEqual(KeyNormalizer([.trim, .upper]).normalize(" re-1"), "RE-1")
        XCTAssertEqual(KeyNormalizer([.stripLeadingZeros]).normalize("00042"), "42")
        XCTAssertEqual(KeyNormalizer([.stripLeadingZeros]).normalize("000"), "0")
        XCTAssertEqual(KeyNormalizer([.stripLeadingZeros]).normalize(""), "")
        XCTAssertEqual(KeyNormalizer([.collapseSpaces]).normalize("a  b\t\tc"), "a b c")
        XCTAssertEqual(KeyNormalizer([.alnum]).normalize("RE-2026/00.42 ä"), "RE20260042ä")
        XCTAssertEqual(KeyNormalizer([.lower]).normalize("ÄB"), "äb")
    }
}

final class DurationTextTests: XCTestCase {
    func testDurations() {
        XCTAssertEqual(durationText(14 * 86_400_000), "14d")
        XCTAssertEqual(durationText(6_763_395_000), "78d 6h")
        XCTAssertEqual(durationText(36 * 3_600_000), "1d 12h")
        XCTAssertEqual(durationText(5 * 3_600_000 + 30 * 60_000), "5h 30m")
        XCTAssertEqual(durationText(90 * 60_000), "1h 30m")
        XCTAssertEqual(durationText(5_000), "5s")
        XCTAssertEqual(durationText(250), "250ms")
        XCTAssertEqual(durationText(-86_400_000), "-1d")
    }
}

