import Foundation
import XCTest

/// docs/writing-rules.md works as written: its ```sh blocks run command by command in a fresh
/// folder, each with the exit code the guide gives (`# exits N`, else 0), and its marked
/// ```yaml blocks are the edits the reader makes to rules.yaml.
final class GuideTests: XCTestCase {
    /// One step of the guide, in order.
    enum Step {
        case command(String, expected: Int32)
        case replaceCRMState(String)
        case append(String)
    }

    /// The steps of the guide's text.
    static func steps(_ text: String) -> [Step] {
        var steps: [Step] = []
        var marker: String?
        var fence: String?
        var block: [String] = []
        for line in text.components(separatedBy: "\n") {
            if let language = fence {
                if line == "```" {
                    if language == "sh" { steps += commands(block) }
                    if language == "yaml", let marker {
                        let body = block.joined(separator: "\n") + "\n"
                        if marker.contains("replace the crm state") { steps.append(.replaceCRMState(body)) }
                        if marker.contains("append") { steps.append(.append(body)) }
                    }
                    fence = nil
                    marker = nil
                } else {
                    block.append(line)
                }
            } else if line.hasPrefix("```") {
                fence = String(line.dropFirst(3))
                block = []
            } else if line.hasPrefix("<!-- guide-test:") {
                marker = line
            } else if !line.isEmpty {
                marker = line.hasPrefix("<!--") ? line : nil
            }
        }
        return steps
    }

    /// The commands of a sh block: one per line, a here-document together with its body.
    static func commands(_ lines: [String]) -> [Step] {
        var steps: [Step] = []
        var index = 0
        while index < lines.count {
            var command = lines[index]
            index += 1
            if command.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            var expected: Int32 = 0
            if let range = command.range(of: #"   # exits (\d+)$"#, options: .regularExpression) {
                expected = Int32(command[range].split(separator: " ").last.map(String.init) ?? "") ?? -1
                command.removeSubrange(range)
            }
            if let here = command.range(of: #"<<'([A-Z]+)'"#, options: .regularExpression) {
                let terminator = command[here].dropFirst(3).dropLast()
                while index < lines.count {
                    command += "\n" + lines[index]
                    index += 1
                    if lines[index - 1] == terminator { break }
                }
            }
            steps.append(.command(command, expected: expected))
        }
        return steps
    }

    func testTheGuideRunsAsWritten() throws {
        let guide = try String(contentsOf: Binary.root.appendingPathComponent("docs/writing-rules.md"), encoding: .utf8)
        let steps = Self.steps(guide)
        XCTAssertGreaterThanOrEqual(steps.count, 15, "the guide's steps were not found")
        let binary = Binary.root.appendingPathComponent(".build/debug/demarc")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw XCTSkip("build the binary first: swift build")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("guide-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = binary.deletingLastPathComponent().path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment["DEMARC_HOME"] = Binary.root.path
        environment["NO_COLOR"] = "1"
        let rules = folder.appendingPathComponent("rules.yaml")
        for step in steps {
            switch step {
            case .command(let command, let expected):
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/bin/bash")
                process.arguments = ["-c", command]
                process.currentDirectoryURL = folder
                process.environment = environment
                let err = Pipe()
                process.standardOutput = FileHandle.nullDevice
                process.standardError = err
                try process.run()
                let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                process.waitUntilExit()
                XCTAssertEqual(process.terminationStatus, expected, "\(command)\n\(stderr)")
                if process.terminationStatus != expected { return }
            case .replaceCRMState(let block):
                var lines = try String(contentsOf: rules, encoding: .utf8).components(separatedBy: "\n")
                // crm is the first source: its state is the first undecided `classify`.
                let todo = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("        - todo: \"false\"") },
                                         "init no longer writes the undecided classify the guide replaces")
                var end = todo
                while end < lines.count && lines[end].hasPrefix("        - ") { end += 1 }
                XCTAssertEqual(lines[todo - 2], "    state:")
                lines.replaceSubrange((todo - 2)..<end, with: block.dropLast().components(separatedBy: "\n"))
                try lines.joined(separator: "\n").write(to: rules, atomically: true, encoding: .utf8)
            case .append(let block):
                let text = try String(contentsOf: rules, encoding: .utf8)
                try (text + (text.hasSuffix("\n") ? "" : "\n") + "\n" + block).write(to: rules, atomically: true, encoding: .utf8)
            }
        }
        // The edits took: the sorted states and the added rule are in the file that ran.
        let final = try String(contentsOf: rules, encoding: .utf8)
        XCTAssertTrue(final.contains("clarification: [\"Clarification Needed\""))
        XCTAssertTrue(final.contains("- id: clarification-ages-out"))
        for report in ["reports/junit.xml", "reports/demarc.sarif", "reports/demarc.html", "reports/summary.md",
                       "results/2026-11-30.json", "results/2026-12-01.json", "baseline.json"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent(report).path), report)
        }
    }

    func testStepsAreFound() {
        let text = "a\n\n```sh\ndemarc lint x   # exits 2\ncat > w <<'EOF'\nx: 1\nEOF\n```\n<!-- guide-test: append -->\n```yaml\n  - id: r\n```\n"
        let steps = Self.steps(text)
        XCTAssertEqual(steps.count, 3)
        if case .command(let c, let code) = steps[0] { XCTAssertEqual(c, "demarc lint x"); XCTAssertEqual(code, 2) } else { XCTFail() }
        if case .command(let c, _) = steps[1] { XCTAssertEqual(c, "cat > w <<'EOF'\nx: 1\nEOF") } else { XCTFail() }
        if case .append(let b) = steps[2] { XCTAssertEqual(b, "  - id: r\n") } else { XCTFail() }
    }
}
