import Dispatch
import Foundation
import XCTest

/// Runs the built `demarc` binary as a user does, for every CLI test.
enum Binary {
    /// The package root (the binary runs there unless told otherwise).
    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// A file under `Fixtures/engine`.
    static func fixture(_ name: String) -> String { root.appendingPathComponent("Fixtures/engine/\(name)").path }

    /// The path of a public sample under `<root>/../shared/samples`; skips when it is absent.
    static func sample(_ path: String) throws -> String {
        let url = root.deletingLastPathComponent().appendingPathComponent("shared/samples").appendingPathComponent(path)
        guard FileManager.default.fileExists(atPath: url.path) else { throw XCTSkip("sample \(path) not present") }
        return url.path
    }

    /// What one run left behind: exit code and both output streams.
    struct Outcome {
        var code: Int32
        var stdout: String
        var stderr: String
    }

    /// `demarc ARGUMENTS` in `folder` (default: the package root), with `stdin` on standard
    /// input; skips when the binary was not built. Standard input is written and standard
    /// error read while standard output is read, so no pipe can fill up and block the child.
    static func run(_ arguments: [String], stdin: String? = nil, in folder: URL? = nil) throws -> Outcome {
        let binary = root.appendingPathComponent(".build/debug/demarc")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw XCTSkip("build the binary first: swift build (\(binary.path) is missing)")
        }
        ignoreBrokenPipes
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = folder ?? root
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()

        let background = DispatchGroup()
        let errData = Collected()
        let writer = input.fileHandleForWriting, errReader = err.fileHandleForReading
        DispatchQueue.global().async(group: background) {
            // The child may exit without reading its input: a broken pipe is no test failure.
            if let stdin { try? writer.write(contentsOf: Data(stdin.utf8)) }
            try? writer.close()
        }
        DispatchQueue.global().async(group: background) { errData.data = errReader.readDataToEndOfFile() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        background.wait()
        process.waitUntilExit()
        return Outcome(code: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                       stderr: String(decoding: errData.data, as: UTF8.self))
    }

    /// A fresh empty folder under the temporary directory.
    static func temporaryFolder() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("check-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writing to a child that has exited raises SIGPIPE, which would end the test process.
    private static let ignoreBrokenPipes: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    /// Bytes filled by one background reader, read after the group is waited for.
    private final class Collected: @unchecked Sendable {
        var data = Data()
    }
}
