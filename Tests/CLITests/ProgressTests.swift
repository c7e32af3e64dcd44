import Foundation
import XCTest

/// `--progress` shows records, records per second and percent of bytes per source while reading.
final class ProgressTests: XCTestCase {
    func testProgressLineShowsRecordsRateAndPercentPerSource() throws {
        let folder = Binary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var crm = "invoice,stage,amount\n"
        var accounting = "invoice,status,amount\n"
        for i in 0..<60_000 {
            crm += "RE-\(i),won,\(i).00\n"
            accounting += "RE-\(i),posted,\(i).00\n"
        }
        try Data(crm.utf8).write(to: folder.appendingPathComponent("crm.csv"))
        try Data(accounting.utf8).write(to: folder.appendingPathComponent("accounting.csv"))
        try Data("""
            demarc: 1
            as_of: 2026-11-30
            sources:
              crm:
                file: crm.csv
                key: invoice
                fields: { invoice: invoice, amount: { column: amount, type: decimal } }
              accounting:
                file: accounting.csv
                key: invoice
                fields: { invoice: invoice, amount: { column: amount, type: decimal } }
            rules:
              - id: amount-owned
                owned: { field: amount, owner: accounting, copies: [crm] }

            """.utf8).write(to: folder.appendingPathComponent("rules.yaml"))
        setenv("DEMARC_PROGRESS_DELAY_MS", "0", 1)
        setenv("DEMARC_PROGRESS_INTERVAL_MS", "1", 1)
        defer {
            unsetenv("DEMARC_PROGRESS_DELAY_MS")
            unsetenv("DEMARC_PROGRESS_INTERVAL_MS")
        }
        let r = try Binary.run(["check", "rules.yaml", "--progress", "always", "--quiet"], in: folder)
        XCTAssertEqual(r.code, 0, r.stderr)
        let ticks = r.stderr.split(separator: "\n").filter { $0.contains(" records (") }
        XCTAssertFalse(ticks.isEmpty, r.stderr)
        let pattern = try NSRegularExpression(
            pattern: #"^demarc: crm \d+ records \(\d+/s, \d+%(, done)?\) \| accounting \d+ records \(\d+/s, \d+%(, done)?\)$"#)
        for tick in ticks {
            let line = String(tick)
            XCTAssertNotNil(pattern.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)), line)
        }
        // Never in a pipe unless asked: `auto` on a non-terminal prints nothing.
        XCTAssertEqual(try Binary.run(["check", "rules.yaml", "--quiet"], in: folder).stderr, "")
    }
}
