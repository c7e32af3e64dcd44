import Foundation
import DemarcCore
import DemarcReaders
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Several files as one source: `file: invoices/*.xml` (RULES.md, Sources).
///
/// A path holding `*`, `?` or `[` is a pattern unless a file of exactly that name exists. It is
/// expanded with POSIX `glob(3)` (no shell, no `~`, no braces); only regular files count, and
/// the matches are read in byte order of their paths, so every run sees the same order.
enum SourceGlob {
    /// Whether `path` is a pattern to expand rather than a file name.
    static func isPattern(_ path: String) -> Bool {
        guard path.utf8.contains(where: { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "[") })
        else { return false }
        return !FileManager.default.fileExists(atPath: path)
    }

    /// The files `input` names: nil when it is no pattern; else every match in byte order, each
    /// displayed relative to the same folder as the pattern was written. No match is exit 3.
    static func expand(_ input: InputFile, position: SourcePosition) throws -> [InputFile]? {
        guard let pattern = input.path, isPattern(pattern) else { return nil }
        // The pattern was written as `displayName` and resolved by prefixing the rule file's
        // folder; glob keeps that literal prefix, so dropping it gives the display name.
        let prefix = pattern.hasSuffix(input.displayName)
            ? String(pattern.utf8.dropLast(input.displayName.utf8.count)) ?? "" : ""
        var matches: [String] = []
        var g = glob_t()
        defer { globfree(&g) }
        let rc = glob(pattern, 0, nil, &g)
        if rc == 0 {
            for i in 0..<Int(g.gl_pathc) {
                guard let p = g.gl_pathv[i] else { continue }
                let path = String(cString: p)
                var st = stat()
                if stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG { matches.append(path) }
            }
        }
        if matches.isEmpty {
            throw DemarcError.unreadableInput(position, "no file matches '\(input.displayName)'")
        }
        matches.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return matches.map { path in
            let shown = !prefix.isEmpty && path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
            var file = InputFile(displayName: shown, path: path)
            file.digest = input.digest
            return file
        }
    }

    /// The `sha256` of a source read from several files: the SHA-256 of its sorted
    /// `file<TAB>sha256<LF>` lines, so it changes when any file, name or member changes.
    static func combinedDigest(_ files: [SourceFileSummary]) -> String {
        var lines = files.map { "\($0.file)\t\($0.sha256)\n" }
        lines.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return SHA256.hex(Array(lines.joined().utf8))
    }
}
