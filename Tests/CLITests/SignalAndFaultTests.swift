import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Signals and faults (issue 7): an interrupted or failing run exits non-zero with a message,
/// removes its temporary report file and leaves earlier report files untouched.
final class SignalAndFaultTests: XCTestCase {
    private var folder: URL!

    override func setUp() { folder = Binary.temporaryFolder() }
    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    private var binary: String {
        get throws {
            let path = Binary.root.appendingPathComponent(".build/debug/demarc").path
            guard FileManager.default.isExecutableFile(atPath: path) else { throw XCTSkip("build the binary first: swift build") }
            return path
        }
    }

    /// A crm file of `records` rows (ids 1…n, each once).
    private func crmFile(records: Int) throws -> String {
        let path = folder.appendingPathComponent("crm.csv").path
        var text = "id,amount\n"
        text.reserveCapacity(records * 12)
        for i in 1...records { text += "\(i),\(i % 97)\n" }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Starts `demarc check` on the pair with `crm`, a JSON report to out.json (which holds an
    /// earlier report), standard error to a file.
    private func start(crm: String) throws -> (Process, report: String, stderr: URL) {
        let report = folder.appendingPathComponent("out.json").path
        try Data("earlier report\n".utf8).write(to: URL(fileURLWithPath: report))
        let err = folder.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try binary)
        process.arguments = ["check", Hostile.pair, "--source", "crm=\(crm)", "--source", "acc=Fixtures/hostile/acc.csv",
                             "--format", "json:\(report)", "--quiet"]
        process.currentDirectoryURL = Binary.root
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return (process, report, err)
    }

    /// Waits at most `seconds` for the process; false when it is still running.
    private func wait(_ process: Process, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        return !process.isRunning
    }

    private func leftovers() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".tmp") }
    }

    // Memory: the run holds about 1 million short records (~150 MB); it is stopped early.
    func testSIGINTAndSIGTERMWhileReadingExitPromptly() throws {
        let crm = try crmFile(records: 1_000_000)
        for (signal, code) in [(SIGINT, Int32(130)), (SIGTERM, Int32(143))] {
            let (process, report, err) = try start(crm: crm)
            usleep(500_000)
            XCTAssertTrue(process.isRunning, "the run ended before the signal; make the input bigger")
            kill(process.processIdentifier, signal)
            XCTAssertTrue(wait(process, seconds: 2), "no prompt exit after signal \(signal)")
            if process.isRunning { process.terminate(); process.waitUntilExit() }
            XCTAssertEqual(process.terminationReason, .exit)
            XCTAssertEqual(process.terminationStatus, code)
            XCTAssertEqual(try String(contentsOf: err, encoding: .utf8), "interrupted\n")
            XCTAssertEqual(try String(contentsOfFile: report, encoding: .utf8), "earlier report\n")
            XCTAssertEqual(try leftovers(), [])
        }
    }

    // Memory: small. The temporary report is a FIFO made as soon as the run starts, so the
    // run blocks opening it: the signal arrives exactly while the report is being written.
    func testSignalWhileWritingRemovesTheTemporaryReport() throws {
        let crm = try crmFile(records: 20_000)
        let (process, report, err) = try start(crm: crm)
        let temporary = folder.appendingPathComponent(".out.json.\(process.processIdentifier).tmp").path
        XCTAssertEqual(mkfifo(temporary, 0o644), 0)
        // Poll until the run is blocked in open (its reading is done): at most 20 s.
        let deadline = Date().addingTimeInterval(20)
        var blocked = false
        while Date() < deadline && process.isRunning && !blocked {
            usleep(100_000)
            let wchan = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/wchan", encoding: .utf8)) ?? ""
            blocked = wchan.contains("fifo") || wchan.contains("wait_for_partner")
        }
        XCTAssertTrue(blocked, "the run never opened its temporary report")
        kill(process.processIdentifier, SIGTERM)
        XCTAssertTrue(wait(process, seconds: 2))
        if process.isRunning { process.terminate(); process.waitUntilExit() }
        XCTAssertEqual(process.terminationStatus, 143)
        XCTAssertEqual(try String(contentsOf: err, encoding: .utf8), "interrupted\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: temporary), "the temporary report is still there")
        XCTAssertEqual(try String(contentsOfFile: report, encoding: .utf8), "earlier report\n")
    }

    // Memory: small. A source whose writer sends half a record and garbage, then closes.
    func testInputThatEndsHalfwayThroughAFIFO() throws {
        let fifo = folder.appendingPathComponent("crm.fifo").path
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        let (process, report, err) = try start(crm: fifo)
        let writer = try FileHandle(forWritingTo: URL(fileURLWithPath: fifo))
        try writer.write(contentsOf: Data("id,amount\n1,10\n2,\"2".utf8) + Data([0xFF, 0xFE, 0x00]))
        try writer.close()
        XCTAssertTrue(wait(process, seconds: 20))
        let message = try String(contentsOf: err, encoding: .utf8)
        XCTAssertEqual(process.terminationStatus, 1, message)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report))) as? [String: Any])
        let crm = try XCTUnwrap((json["sources"] as? [[String: Any]])?.first)
        XCTAssertEqual(crm["records"] as? Int, 2)
        XCTAssertEqual(crm["malformed"] as? Int, 1)
        XCTAssertEqual(crm["matched"] as? Int, 1)
        XCTAssertEqual(try leftovers(), [])
    }

    // Memory: small. A read error (a folder is not a file) stops the run before any report.
    func testReadErrorLeavesNoReport() throws {
        let (process, report, err) = try start(crm: folder.path)
        XCTAssertTrue(wait(process, seconds: 20))
        XCTAssertEqual(process.terminationStatus, 3)
        XCTAssertEqual(try String(contentsOf: err, encoding: .utf8), "\(folder.path): error: cannot read: is a directory\n")
        XCTAssertEqual(try String(contentsOfFile: report, encoding: .utf8), "earlier report\n")
        XCTAssertEqual(try leftovers(), [])
    }

    // Memory: small. Disk full: a 64 KB tmpfs (needs root and mount; skipped otherwise).
    func testDiskFullLeavesNoPartialReport() throws {
        let small = folder.appendingPathComponent("small")
        try FileManager.default.createDirectory(at: small, withIntermediateDirectories: true)
        guard getuid() == 0, Binary.shell("mount -t tmpfs -o size=64k tmpfs '\(small.path)'") == 0 else {
            throw XCTSkip("cannot mount a 64 KB tmpfs here (needs root)")
        }
        defer { _ = Binary.shell("umount '\(small.path)'") }
        let report = small.appendingPathComponent("out.json").path
        try Data("earlier report\n".utf8).write(to: URL(fileURLWithPath: report))
        // 3,000 records with one key: a JSON report of about 2 MB.
        let crm = folder.appendingPathComponent("crm.csv").path
        try Data(("id,amount\n" + String(repeating: "7,1\n", count: 3_000)).utf8).write(to: URL(fileURLWithPath: crm))
        let r = try Hostile.run(["check", Hostile.pair, "--source", "crm=\(crm)", "--source", "acc=Fixtures/hostile/acc.csv",
                                 "--format", "json:\(report)", "--quiet"])
        XCTAssertEqual(r.code, 3)
        XCTAssertEqual(r.stderr, "\(report): error: cannot write: no space left on device\n")
        XCTAssertEqual(try String(contentsOfFile: report, encoding: .utf8), "earlier report\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: small.path), ["out.json"])

        // Several reports: all or none. The small text report elsewhere was written to its
        // temporary file first; the full disk for the JSON one removes it again.
        let text = folder.appendingPathComponent("out.txt").path
        let both = try Hostile.run(["check", Hostile.pair, "--source", "crm=\(crm)", "--source", "acc=Fixtures/hostile/acc.csv",
                                    "--format", "text:\(text)", "--format", "json:\(report)", "--quiet"])
        XCTAssertEqual(both.code, 3)
        XCTAssertFalse(FileManager.default.fileExists(atPath: text), "no report of a failed run")
        XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: folder.path).contains { $0.hasSuffix(".tmp") })
        XCTAssertEqual(try String(contentsOfFile: report, encoding: .utf8), "earlier report\n")
    }
}

extension Binary {
    /// Runs a shell command; its exit status.
    static func shell(_ command: String) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }
}
