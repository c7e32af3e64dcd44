import Foundation
import XCTest

/// Runs the built binary for the profile tests and reads what it wrote.
enum ProfileCLI {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var samples: URL { root.deletingLastPathComponent().appendingPathComponent("shared/samples") }

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// `demarc ARGUMENTS` in the package root; skips when the binary was not built.
    static func demarc(_ arguments: [String]) throws -> Run {
        let binary = root.appendingPathComponent(".build/debug/demarc")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw XCTSkip("no built binary at \(binary.path); run `swift build` first")
        }
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = root
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                   stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// The path of a public sample; skips when the samples are absent.
    static func sample(_ path: String) throws -> String {
        let url = samples.appendingPathComponent(path)
        guard FileManager.default.fileExists(atPath: url.path) else { throw XCTSkip("sample \(path) not present") }
        return url.path
    }

    static func json(_ run: Run) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8))
        return try XCTUnwrap(object as? [String: Any])
    }

    static func column(_ profile: [String: Any], _ name: String) throws -> [String: Any] {
        let columns = try XCTUnwrap(profile["columns"] as? [[String: Any]])
        return try XCTUnwrap(columns.first { $0["name"] as? String == name }, "no column \(name)")
    }
}
