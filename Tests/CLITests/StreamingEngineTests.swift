import Foundation
import XCTest

/// `DEMARC_ENGINE=streaming` and `full` pick the engine; both write the same report bytes.
final class StreamingEngineTests: XCTestCase {
    func testBothEnginesWriteTheSameReports() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("demarc-engines-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer {
            try? FileManager.default.removeItem(at: folder)
            unsetenv("DEMARC_ENGINE")
        }
        var outputs: [String] = []
        for engine in ["full", "streaming"] {
            setenv("DEMARC_ENGINE", engine, 1)
            let csv = folder.appendingPathComponent("\(engine).csv").path
            let r = try Binary.run(["check", "Fixtures/streaming/rules.yaml", "--format", "jsonl",
                                    "--format", "csv:\(csv)", "--quiet"])
            XCTAssertEqual(r.code, 1, r.stderr)
            XCTAssertEqual(r.stderr, "")
            XCTAssertTrue(r.stdout.hasSuffix("{\"summary\":{\"findings\":33,\"error\":31,\"warning\":2,\"info\":0,"
                + "\"baselined\":0,\"waived\":0,\"by_rule\":{\"crm-has-booking\":4,\"booking-has-crm-record\":2,"
                + "\"states-agree\":4,\"amount-owned\":2,\"currency-owned\":1,\"accounting-is-definite\":2,"
                + "\"negotiation-ages-out\":2,\"big-is-booked\":2,\"unclassified-state\":2,\"duplicate-key\":5,"
                + "\"missing-key\":3,\"malformed-value\":2,\"malformed-record\":2}}}\n"), r.stdout)
            outputs.append(r.stdout + (try String(contentsOfFile: csv, encoding: .utf8)))
        }
        XCTAssertEqual(outputs[0], outputs[1])
    }
}
