import Foundation
import XCTest

/// Determinism across input order (issue 7): every rule pack, run on its fixtures with the data
/// rows shuffled (header lines kept), gives the same findings with the same fingerprints and
/// the same counts. Records that share a key keep their relative order: which one is first is
/// meaningful (DETAILS.md 17: the case keeps the first of duplicates; 18: `first`/`last`).
/// (The engine has no thread-count knob: it reads each source on a thread of its own, so the
/// packs' two sources are always read in parallel.)
final class DeterminismTests: XCTestCase {
    struct Source {
        var name: String
        var file: String
        var headerLines: Int
        var delimiter: UInt8
        /// 0-based column of the key.
        var keyColumn: Int
    }

    /// Per pack, its CSV and DATEV sources. XML sources are kept as is.
    static let packs: [(pack: String, sources: [Source])] = [
        ("salesforce-datev", [Source(name: "crm", file: "Fixtures/salesforce-datev/Opportunity.csv", headerLines: 1, delimiter: 0x2C, keyColumn: 9),
                              Source(name: "datev", file: "Fixtures/salesforce-datev/EXTF_Buchungsstapel.csv", headerLines: 2, delimiter: 0x3B, keyColumn: 10)]),
        ("hubspot-erp", [Source(name: "crm", file: "Fixtures/hubspot-erp/deals.csv", headerLines: 1, delimiter: 0x2C, keyColumn: 6),
                         Source(name: "erp", file: "Fixtures/hubspot-erp/erp-invoice-lines.tsv", headerLines: 1, delimiter: 0x09, keyColumn: 0)]),
        ("crm-saft-pt", [Source(name: "crm", file: "Fixtures/crm-saft-pt/crm-faturas.csv", headerLines: 1, delimiter: 0x3B, keyColumn: 0)]),
    ]

    /// The key text of a line: the key column outside quotes, quotes and spaces dropped, upper case.
    static func keyText(_ line: Data, _ source: Source) -> String {
        var column = 0, inQuotes = false
        var bytes: [UInt8] = []
        for b in line {
            if b == 0x22 { inQuotes.toggle(); continue }
            if b == source.delimiter && !inQuotes { column += 1; continue }
            if column == source.keyColumn && b != 0x20 && b != 0x0D { bytes.append(b) }
        }
        return String(decoding: bytes, as: UTF8.self).uppercased()
    }

    /// What must not depend on input order: per finding rule, kind, severity, key and
    /// fingerprint (sorted), plus the summary and each source's counts.
    private func essence(_ json: String) throws -> [String] {
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        var lines: [String] = []
        for finding in object["findings"] as? [[String: Any]] ?? [] {
            let key = (finding["key"] as? [String] ?? []).joined(separator: "|")
            lines.append("\(finding["rule"] ?? "") \(finding["kind"] ?? "") \(finding["severity"] ?? "") [\(key)] \(finding["fingerprint"] ?? "")")
        }
        lines.sort()
        let summary = try JSONSerialization.data(withJSONObject: object["summary"] ?? [:], options: [.sortedKeys])
        lines.append(String(decoding: summary, as: UTF8.self))
        for source in object["sources"] as? [[String: Any]] ?? [] {
            lines.append(["records", "malformed", "matched", "unmatched"].map { "\(source[$0] ?? "")" }.joined(separator: " "))
        }
        lines.append("cases \(object["cases"] ?? "")")
        return lines
    }

    /// The file with its data lines in a seeded random order (header lines first, as they were;
    /// lines with the same key in their order).
    private func shuffled(_ source: Source, seed: UInt64, into folder: URL) throws -> String {
        let path = source.file, headerLines = source.headerLines
        let data = try Data(contentsOf: Binary.root.appendingPathComponent(path))
        var lines = data.split(separator: 0x0A, omittingEmptySubsequences: false).map { Data($0) }
        if lines.last?.isEmpty == true { lines.removeLast() }
        // Multi-line quoted fields would be cut apart: every line must hold an even number of quotes.
        for line in lines { XCTAssertEqual(line.filter { $0 == 0x22 }.count % 2, 0, "\(path) has a multi-line field") }
        var generator = SeededGenerator(seed: seed)
        var rank: [String: UInt64] = [:]
        let keyed = lines[headerLines...].map { line -> (UInt64, Data) in
            let key = Self.keyText(line, source)
            if rank[key] == nil { rank[key] = generator.next() }
            return (rank[key] ?? 0, line)
        }
        // Stable: equal ranks (one key) keep their order.
        let body = keyed.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }.map(\.element.1)
        let out = folder.appendingPathComponent("\(seed)-" + URL(fileURLWithPath: path).lastPathComponent)
        try Data((Array(lines[..<headerLines]) + body).joined(separator: [0x0A]) + [0x0A]).write(to: out)
        return out.path
    }

    func testShuffledRowsGiveTheSameFindingsAndFingerprints() throws {
        let folder = Binary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for (pack, sources) in Self.packs {
            let rules = "Rules/\(pack).yaml"
            let reference = try Binary.run(["check", rules, "--format", "json", "--quiet"])
            XCTAssertEqual(reference.code, 1, pack)
            let expected = try essence(reference.stdout)
            for seed: UInt64 in [1, 2, 3] {
                var arguments = ["check", rules, "--format", "json", "--quiet"]
                for source in sources {
                    let path = try shuffled(source, seed: seed, into: folder)
                    arguments += ["--source", "\(source.name)=\(path)"]
                }
                let run = try Binary.run(arguments)
                XCTAssertEqual(run.code, 1, "\(pack) seed \(seed): \(run.stderr)")
                XCTAssertEqual(try essence(run.stdout), expected, "\(pack) seed \(seed)")
            }
        }
    }
}

/// SplitMix64: a fixed sequence per seed, so a failure can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E9B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
