import Foundation
import DemarcCore
import DemarcEngine
import DemarcReports
#if canImport(Glibc)
import Glibc
#endif

/// One `--format FORMAT[:PATH]`.
struct ReportTarget {
    var format: OutputFormat
    /// nil: standard output.
    var path: String?

    /// Parses `FORMAT[:PATH]`; an unknown or unavailable format is a usage error.
    init(_ text: String) throws {
        let name: Substring
        if let colon = text.firstIndex(of: ":") {
            name = text[..<colon]
            let rest = String(text[text.index(after: colon)...])
            guard !rest.isEmpty else { throw DemarcError.usage("--format '\(text)': the path after ':' is empty") }
            path = rest
        } else {
            name = Substring(text)
            path = nil
        }
        guard let format = OutputFormat(rawValue: String(name)) else {
            let known = OutputFormat.allCases.map(\.rawValue).joined(separator: ", ")
            throw DemarcError.usage("unknown format '\(name)' (known: \(known))")
        }
        self.format = format
        _ = try format.report()
    }
}

/// Writes reports: files whole or not at all (temporary file in the same folder, then rename).
enum ReportWriter {
    /// Renders every target first, then writes them in order.
    /// `colorStandardOutput`: the text format on standard output uses terminal colours.
    static func write(_ result: RunResult, targets: [ReportTarget], options: ReportOptions,
                      colorStandardOutput: Bool = false) throws {
        var rendered: [([UInt8], String?)] = []
        for target in targets {
            var own = options
            own.color = colorStandardOutput && target.path == nil && target.format == .text
            rendered.append((try target.format.report().render(result, options: own), target.path))
        }
        for (bytes, path) in rendered {
            if let path { try writeAtomically(bytes, to: path) } else { writeStandardOutput(bytes) }
        }
    }

    /// Writes `bytes` to a temporary file beside `path`, then renames it over `path`.
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        let temporary = folder + "/.\(url.lastPathComponent).\(getpid()).tmp"
        // A signal while writing removes the temporary file (SignalGuard).
        let slot = SignalGuard.register(temporary)
        defer { SignalGuard.unregister(slot) }
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw DemarcError.cannotWrite(path: path, String(cString: strerror(errno))) }
        var ok = true
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n <= 0 { ok = false; break }
                offset += n
            }
        }
        let reason = String(cString: strerror(errno))
        if close(fd) != 0 { ok = false }
        guard ok, rename(temporary, path) == 0 else {
            let why = ok ? String(cString: strerror(errno)) : reason
            unlink(temporary)
            // strerror says "No space left on device"; messages are lowercase.
            throw DemarcError.cannotWrite(path: path, why.prefix(1).lowercased() + why.dropFirst())
        }
    }

    /// Writes bytes to standard output unbuffered.
    static func writeStandardOutput(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(1, base + offset, buffer.count - offset)
                if n <= 0 { break }
                offset += n
            }
        }
    }
}
