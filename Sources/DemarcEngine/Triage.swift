import DemarcCore
import DemarcRules
import Foundation

/// `--baseline` and `--waivers`: which findings are accepted, and until when.
public struct Triage: Sendable {
    /// Fingerprints of a baseline file; their findings are `baselined`.
    public var baseline: Set<String>
    /// The waivers, in file order; nil without `--waivers`.
    public var waivers: [Waiver]?

    /// Makes a triage.
    public init(baseline: Set<String> = [], waivers: [Waiver]? = nil) {
        self.baseline = baseline; self.waivers = waivers
    }

    /// Sets each draft's status; returns the waivers that matched no finding (expired ones that
    /// matched count as matched). A waiver is a dated decision about one finding, so it wins over
    /// the baseline: a baselined finding whose waiver expires fails again. An unexpired waiver
    /// wins over an expired one.
    func apply(to drafts: inout DraftList, asOf: Day, normalizer: KeyNormalizer) -> [Waiver] {
        let waivers = self.waivers ?? []
        var byTarget: [WaiverTarget: [Int]] = [:]
        for (i, w) in waivers.enumerated() {
            byTarget[WaiverTarget(rule: w.rule, key: w.key.map(normalizer.normalize)), default: []].append(i)
        }
        var matched = [Bool](repeating: false, count: waivers.count)
        for i in drafts.indices {
            if !byTarget.isEmpty, let hits = byTarget[WaiverTarget(rule: drafts[i].rule, key: drafts[i].key)] {
                for h in hits { matched[h] = true }
                let current = hits.contains { waivers[$0].expires >= asOf }
                drafts[i].status = current ? .waived : .expiredWaiver
            } else if !baseline.isEmpty && baseline.contains(drafts[i].fingerprint.hex) {
                drafts[i].status = .baselined
            }
        }
        return waivers.indices.filter { !matched[$0] }.map { waivers[$0] }
    }

    /// Reads a baseline file: `{"demarc_baseline": 1, "fingerprints": [...]}`; anything else is exit 2.
    public static func readBaseline(path: String) throws -> Set<String> {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DemarcError.usage("--baseline '\(path)': cannot read the file")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              object["demarc_baseline"] as? Int == 1,
              let list = object["fingerprints"] as? [Any] else {
            throw DemarcError.usage("--baseline '\(path)': not a demarc baseline (expected {\"demarc_baseline\": 1, \"fingerprints\": [...]})")
        }
        var prints = Set<String>()
        for item in list {
            guard let text = item as? String else {
                throw DemarcError.usage("--baseline '\(path)': a fingerprint must be text")
            }
            prints.insert(text)
        }
        return prints
    }

    /// The baseline file for a result: every finding's fingerprint, sorted, one per line.
    public static func baselineBytes(fingerprints: [String]) -> [UInt8] {
        let sorted = Set(fingerprints).sorted()
        var out = "{\n  \"demarc_baseline\": 1,\n  \"fingerprints\": ["
        out += sorted.map { "\n    \"\($0)\"" }.joined(separator: ",")
        out += sorted.isEmpty ? "]\n}\n" : "\n  ]\n}\n"
        return Array(out.utf8)
    }
}

private struct WaiverTarget: Hashable {
    var rule: String
    var key: [String]
}
