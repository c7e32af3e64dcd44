import Foundation
import XCTest

/// Runs the built binary on hostile inputs, with outputs in files (no pipe can fill up) and the
/// peak resident memory from `/usr/bin/time -f %M` when that tool exists.
enum Hostile {
    static let pair = "Fixtures/hostile/pair.yaml"
    static let pairXML = "Fixtures/hostile/pair-xml.yaml"
    static func fixture(_ name: String) -> String { "Fixtures/hostile/\(name)" }
    /// The big variants (200 MB field, 10 million records) run only with DEMARC_SLOW_TESTS=1.
    static var slow: Bool { ProcessInfo.processInfo.environment["DEMARC_SLOW_TESTS"] == "1" }

    struct Outcome {
        var code: Int32
        var stdout: String
        var stderr: String
        /// Peak resident set size in MB; nil when /usr/bin/time is missing.
        var peakMB: Int?

        /// `sources[i].key` of a JSON result on standard output.
        func source(_ i: Int, _ key: String) -> Int? {
            let json = try? JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any]
            let sources = json?["sources"] as? [[String: Any]]
            return sources.flatMap { i < $0.count ? $0[i][key] as? Int : nil }
        }

        /// `summary.by_rule[rule]` of a JSON result.
        func count(_ rule: String) -> Int? {
            let json = try? JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any]
            return ((json?["summary"] as? [String: Any])?["by_rule"] as? [String: Int])?[rule]
        }
    }

    static func run(_ arguments: [String]) throws -> Outcome {
        let binary = Binary.root.appendingPathComponent(".build/debug/demarc")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw XCTSkip("build the binary first: swift build (\(binary.path) is missing)")
        }
        let folder = Binary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out"), err = folder.appendingPathComponent("err")
        let rss = folder.appendingPathComponent("rss")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        let timed = FileManager.default.isExecutableFile(atPath: "/usr/bin/time")
        if timed {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/time")
            process.arguments = ["-f", "%M", "-o", rss.path, binary.path] + arguments
        } else {
            process.executableURL = binary
            process.arguments = arguments
        }
        process.currentDirectoryURL = Binary.root
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        var peak: Int?
        if timed, let text = try? String(contentsOf: rss, encoding: .utf8) {
            // The last line is the figure; a line before it says the command's exit status.
            peak = text.split(separator: "\n").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }.map { $0 / 1024 }
        }
        return Outcome(code: process.terminationStatus,
                       stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                       stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "", peakMB: peak)
    }

    /// Asserts the peak memory is below `limitMB` (when it could be measured).
    static func assertMemory(_ outcome: Outcome, below limitMB: Int, file: StaticString = #filePath, line: UInt = #line) {
        guard let peak = outcome.peakMB else { return }
        XCTAssertLessThan(peak, limitMB, "peak resident memory \(peak) MB", file: file, line: line)
    }

    /// Writes a file by appending `count` copies of `chunk` between `head` and `tail`.
    static func generate(_ path: String, head: String, chunk: String, count: Int, tail: String) throws {
        FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.write(contentsOf: Data(head.utf8))
        let block = Data(chunk.utf8)
        for _ in 0..<count { try handle.write(contentsOf: block) }
        try handle.write(contentsOf: Data(tail.utf8))
    }
}
