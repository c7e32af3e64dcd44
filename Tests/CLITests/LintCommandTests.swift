import Foundation
import XCTest

/// `demarc lint` as a user runs it: the built binary, its output streams and exit code.
final class LintCommandTests: XCTestCase {
    private func demarc(_ arguments: [String]) throws -> Binary.Outcome { try Binary.run(arguments) }

    private let invalidLines = """
        Fixtures/rules/invalid-several.yaml:4:13: error: unknown format 'cvs'; did you mean 'csv'?
        Fixtures/rules/invalid-several.yaml:8:31: error: unknown key 'typ'; did you mean 'type'?
        Fixtures/rules/invalid-several.yaml:11:15: error: source 'crm' has no 'state'; 'definite' needs one
        Fixtures/rules/invalid-several.yaml:12:5: error: unknown key 'severty'; did you mean 'severity'?
        Fixtures/rules/invalid-several.yaml:13:9: error: duplicate rule id 'crm-definite'; first used on line 10
        Fixtures/rules/invalid-several.yaml:14:15: error: unknown source 'acounting'

        """

    func testCleanFileIsOK() throws {
        let run = try demarc(["lint", "Fixtures/rules/minimal.yaml"])
        XCTAssertEqual(run.code, 0)
        XCTAssertEqual(run.stdout, "Fixtures/rules/minimal.yaml: ok\n")
        XCTAssertEqual(run.stderr, "")
    }

    func testEveryProblemIsPrintedAndTheExitCodeIsTwo() throws {
        let run = try demarc(["lint", "Fixtures/rules/invalid-several.yaml"])
        XCTAssertEqual(run.code, 2)
        XCTAssertEqual(run.stdout, "")
        XCTAssertEqual(run.stderr, invalidLines)
    }

    func testSeveralFilesAreAllChecked() throws {
        let run = try demarc(["lint", "Fixtures/rules/invalid-several.yaml", "Fixtures/rules/absent.yaml",
                              "Fixtures/rules/minimal.yaml"])
        XCTAssertEqual(run.code, 2)
        XCTAssertEqual(run.stdout, "Fixtures/rules/minimal.yaml: ok\n")
        XCTAssertEqual(run.stderr, invalidLines
                       + "error: cannot read rule file 'Fixtures/rules/absent.yaml': no such file\n")
    }

    func testYAMLSyntaxError() throws {
        let path = NSTemporaryDirectory() + "demarc-lint-\(getpid()).yaml"
        try Data("demarc: 1\nsources: [a\n".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = try demarc(["lint", path])
        XCTAssertEqual(run.code, 2)
        XCTAssertEqual(run.stderr, "\(path):3:1: error: invalid yaml: did not find expected ',' or ']' while parsing a flow sequence\n")
    }

    func testNoFileIsAUsageError() throws {
        let run = try demarc(["lint"])
        XCTAssertEqual(run.code, 2)
        XCTAssertEqual(run.stderr, "error: lint needs at least one rule file\n")
    }
}
