import CSystem
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
        if let path {
            // Checked before any data is read: a report that cannot be written is a command-line
            // problem (exit 2), not something to find out after an hour of reading.
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
                throw DemarcError.usage("--format '\(text)': the folder '\(folder)' does not exist")
            }
            guard access(folder, W_OK) == 0 else {
                throw DemarcError.usage("--format '\(text)': the folder '\(folder)' is not writable")
            }
            var pathIsFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &pathIsFolder), pathIsFolder.boolValue {
                throw DemarcError.usage("--format '\(text)': '\(path)' is a folder")
            }
        }
    }
}

/// Writes reports: files whole or not at all (temporary file in the same folder, then rename).
enum ReportWriter {
    /// Renders every target, writes every file target to a temporary file beside it, and only
    /// when all of them are written renames them into place; then standard output. A failure
    /// removes every temporary file, so a failed run leaves no report of this run at all.
    /// `colorStandardOutput`: the text format on standard output uses terminal colours.
    static func write(_ result: RunResult, targets: [ReportTarget], options: ReportOptions,
                      colorStandardOutput: Bool = false) throws {
        var staged: [StagedFile] = []
        defer { for file in staged { file.discard() } }
        // Files are written piece by piece as they are rendered (a large report is never
        // whole in memory); standard output is rendered whole, and written last.
        var standardOutput: [[UInt8]] = []
        for target in targets {
            var own = options
            own.color = colorStandardOutput && target.path == nil && target.format == .text
            let report = try target.format.report()
            if let path = target.path {
                staged.append(try StagedFile(for: path) { emit in try report.write(result, options: own, to: emit) })
            } else {
                standardOutput.append(try report.render(result, options: own))
            }
        }
        for file in staged { try file.commit() }
        staged.removeAll()
        for bytes in standardOutput { writeStandardOutput(bytes) }
    }

    /// Writes `bytes` to a temporary file beside `path`, then renames it over `path`.
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        let file = try StagedFile(bytes, for: path)
        defer { file.discard() }
        try file.commit()
    }

    /// Writes bytes to standard output unbuffered.
    static func writeStandardOutput(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { _ = writeAll(1, $0) }
    }

    /// The most one `write` call hands the kernel. A larger write lets ext4 put the bytes in
    /// page-cache folios of up to 2 MiB, and on a virtual machine that hands free memory back
    /// to its host (free page reporting, which reports free blocks of 2 MiB and more) such a
    /// folio can be memory the host must give back page by page. `dd` of 200 MB on the
    /// benchmark's machine: in one series 0.37-0.40 s at 2 MiB a write against 0.07-0.08 s at
    /// 1 MiB or 256 KiB; a C program writing 200 MiB after 3 GB were touched and freed (free
    /// memory gone cold): 2 MiB writes 0.07-0.27 s, 256 KiB 0.07-0.09 s (bench/RESULTS.md).
    static let writeLimit = 1 << 18

    /// Writes all of `buffer` to `fd`, `writeLimit` bytes a call at most: 0, or the errno of
    /// the failure (ENOSPC for a write that wrote nothing).
    static func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> Int32 {
        guard let base = buffer.baseAddress else { return 0 }
        var offset = 0
        while offset < buffer.count {
            let n = Glibc.write(fd, base + offset, min(buffer.count - offset, writeLimit))
            if n <= 0 { return n < 0 ? errno : ENOSPC }
            offset += n
        }
        return 0
    }
}

/// A report written to a temporary file beside its path, waiting to be renamed into place.
/// While it exists, a signal removes it (SignalGuard).
final class StagedFile {
    let path: String
    let temporary: String
    private let slot: Int?
    private var pending = true

    /// Writes `bytes` to `.NAME.PID.tmp` beside `path`; throws (leaving nothing) when it cannot.
    convenience init(_ bytes: [UInt8], for path: String) throws {
        try self.init(for: path) { emit in
            var all = bytes
            try emit(&all)
        }
    }

    /// Writes what `render` hands over, piece by piece, to `.NAME.PID.tmp` beside `path`;
    /// throws (leaving nothing) when the file cannot be written or `render` throws.
    init(for path: String, render: (_ emit: (inout [UInt8]) throws -> Void) throws -> Void) throws {
        self.path = path
        let url = URL(fileURLWithPath: path)
        temporary = url.deletingLastPathComponent().path + "/.\(url.lastPathComponent).\(getpid()).tmp"
        slot = SignalGuard.register(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else {
            let why = StagedFile.reason(errno)
            SignalGuard.unregister(slot)
            throw DemarcError.cannotWrite(path: path, why)
        }
        do {
            try render { piece in
                let failure = piece.withUnsafeBytes { ReportWriter.writeAll(fd, $0) }
                if failure != 0 { throw DemarcError.cannotWrite(path: path, StagedFile.reason(failure)) }
            }
        } catch {
            close(fd)
            discard()
            throw error
        }
        if close(fd) != 0 {
            let why = StagedFile.reason(errno)
            discard()
            throw DemarcError.cannotWrite(path: path, why)
        }
    }

    /// Puts the temporary file in place of `path`, atomically: where `path` is a file already
    /// (the last run's report), the two swap names and the old one is removed; else a rename.
    /// A rename over an existing file made ext4 write the new one back within the rename
    /// (auto_da_alloc): 90-110 ms for 200 MB, every night a report replaces the last.
    func commit() throws {
        guard pending else { return }
        var status = stat()
        if lstat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG, demarc_exchange(temporary, path) == 0 {
            unlink(temporary)   // now the old report (a signal meanwhile removes it as well)
        } else if rename(temporary, path) != 0 {
            let why = StagedFile.reason(errno)
            discard()
            throw DemarcError.cannotWrite(path: path, why)
        }
        pending = false
        SignalGuard.unregister(slot)
    }

    /// Removes the temporary file unless it was committed.
    func discard() {
        guard pending else { return }
        pending = false
        unlink(temporary)
        SignalGuard.unregister(slot)
    }

    /// strerror's text, lowercase at its start ("no space left on device").
    private static func reason(_ code: Int32) -> String {
        let why = String(cString: strerror(code))
        return why.prefix(1).lowercased() + why.dropFirst()
    }
}
