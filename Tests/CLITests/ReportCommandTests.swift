import Foundation
import XCTest

/// Formats through the binary: several at once, `report` equal to `check`, timestamps, colour.
final class ReportCommandTests: XCTestCase {
    private let pack = "Rules/salesforce-datev.yaml"
    private let formats = ["text", "json", "jsonl", "csv", "junit", "sarif", "markdown", "github", "html"]

    func testEveryFormatFromReportEqualsCheckOutput() throws {
        let folder = Binary.temporaryFolder()
        let stored = folder.appendingPathComponent("result.json").path
        var arguments = ["check", pack, "--quiet", "--fail-on", "warning", "--format", "json:\(stored)"]
        for f in formats { arguments += ["--format", "\(f):\(folder.appendingPathComponent("check.\(f)").path)"] }
        let check = try Binary.run(arguments)
        XCTAssertEqual(check.code, 1, check.stderr)
        var reportArguments = ["report", stored, "--fail-on", "warning"]
        for f in formats { reportArguments += ["--format", "\(f):\(folder.appendingPathComponent("report.\(f)").path)"] }
        let report = try Binary.run(reportArguments)
        XCTAssertEqual(report.code, 0, report.stderr)
        for f in formats {
            let a = try Data(contentsOf: folder.appendingPathComponent("check.\(f)"))
            let b = try Data(contentsOf: folder.appendingPathComponent("report.\(f)"))
            XCTAssertFalse(a.isEmpty, f)
            XCTAssertEqual(a, b, "\(f): report differs from check")
        }
        let stdout = try Binary.run(["report", stored, "--format", "github"])
        XCTAssertEqual(stdout.stdout, try String(contentsOf: folder.appendingPathComponent("check.github"), encoding: .utf8))
    }

    func testWithoutTimestampsEveryFormatIsByteIdentical() throws {
        for f in formats {
            let a = try Binary.run(["check", pack, "--quiet", "--format", f])
            let b = try Binary.run(["check", pack, "--quiet", "--format", f])
            XCTAssertEqual(a.stdout, b.stdout, f)
            XCTAssertFalse(a.stdout.contains("generated"), f)
        }
        let stamped = try Binary.run(["check", pack, "--timestamps", "--format", "json"])
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(stamped.stdout.utf8)) as? [String: Any])
        let at = try XCTUnwrap(json["generated_at"] as? String)
        XCTAssertTrue(at.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"#, options: .regularExpression) != nil, at)
        XCTAssertTrue(stamped.stderr.range(of: #"in 14 cases, \d+\.\d+ s\n$"#, options: .regularExpression) != nil, stamped.stderr)
        let sarif = try Binary.run(["check", pack, "--quiet", "--timestamps", "--format", "sarif"])
        XCTAssertTrue(sarif.stdout.contains("\"startTimeUtc\": \"\(at.prefix(10))"))
    }

    func testColourOnlyWhenAskedOrOnATerminal() throws {
        let plain = try Binary.run(["check", pack, "--quiet"])
        XCTAssertFalse(plain.stdout.contains("\u{1B}["), "a pipe gets no colour")
        let always = try Binary.run(["check", pack, "--quiet", "--color", "always"])
        XCTAssertTrue(always.stdout.contains("\u{1B}[1;31merror\u{1B}[0m"))
        let never = try Binary.run(["check", pack, "--quiet", "--color", "never"])
        XCTAssertEqual(never.stdout, plain.stdout)
        let bad = try Binary.run(["check", pack, "--color", "sometimes"])
        XCTAssertEqual(bad.code, 2)
    }

    func testReportOfSomethingElseIsExitTwo() throws {
        let folder = Binary.temporaryFolder()
        let file = folder.appendingPathComponent("x.json")
        try Data("{\"a\": 1}".utf8).write(to: file)
        let r = try Binary.run(["report", file.path, "--format", "text"])
        XCTAssertEqual(r.code, 2)
        XCTAssertTrue(r.stderr.contains("not a demarc JSON result"), r.stderr)
    }

    /// Headless Chromium renders the HTML report: the finding count, a filter from the URL
    /// fragment, escaped hostile values, and a screenshot (docs/report.png with
    /// `DEMARC_UPDATE_SCREENSHOT=1`).
    func testHTMLInAHeadlessBrowser() throws {
        guard let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first(where: FileManager.default.isExecutableFile) else {
            print("skipping: chromium is not installed (apt-get install chromium)")
            throw XCTSkip("chromium is not installed (apt-get install chromium)")
        }
        let folder = Binary.temporaryFolder()
        let html = folder.appendingPathComponent("report.html")
        let hostile = folder.appendingPathComponent("hostile.html")
        _ = try Binary.run(["check", pack, "--quiet", "--format", "html:\(html.path)"])
        _ = try Binary.run(["check", "Fixtures/reports/hostile.yaml", "--quiet", "--format", "html:\(hostile.path)"])
        func dom(_ url: String) throws -> String {
            try browser(chromium, ["--virtual-time-budget=3000", "--dump-dom", url])
        }
        let all = try dom(html.absoluteString)
        XCTAssertTrue(all.contains("data-ready=\"1\""), "the script ran")
        XCTAssertTrue(all.contains("<span id=\"shown-count\">16</span>"), "every finding shown")
        let filtered = try dom(html.absoluteString + "#rule=states-agree")
        XCTAssertTrue(filtered.contains("<span id=\"shown-count\">3</span>"), "the fragment filter ran")
        let texted = try dom(html.absoluteString + "#q=re-2026-0104&rule=states-agree")
        XCTAssertTrue(texted.contains("<span id=\"shown-count\">1</span>"))
        let hostileDOM = try dom(hostile.absoluteString)
        XCTAssertTrue(hostileDOM.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "shown as text")
        XCTAssertTrue(hostileDOM.contains("<span id=\"shown-count\">4</span>"))
        let update = ProcessInfo.processInfo.environment["DEMARC_UPDATE_SCREENSHOT"] == "1"
        let shot = update ? Binary.root.appendingPathComponent("docs/report.png") : folder.appendingPathComponent("report.png")
        _ = try browser(chromium, ["--screenshot=\(shot.path)", "--window-size=1280,900", "--hide-scrollbars", html.absoluteString])
        let png = try Data(contentsOf: shot)
        XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
    }

    private func browser(_ chromium: String, _ arguments: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: chromium)
        p.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                       "--user-data-dir=" + Binary.temporaryFolder().path] + arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
