import DemarcEngine
import Foundation

/// The `--progress` line while sources are read: records, records per second and percent of
/// bytes per source, on standard error. It starts only after the run has taken a few seconds
/// (short runs stay quiet) and stops once every source is read. On a terminal the line is
/// redrawn in place; elsewhere (`--progress always` into a file) each tick is its own line.
final class ProgressTicker: @unchecked Sendable {
    let counters: ReadProgress
    private let delay: Double
    private let interval: Double
    private let inPlace: Bool
    private let done = DispatchSemaphore(value: 0)
    private var thread: Thread?

    /// `DEMARC_PROGRESS_DELAY_MS` and `DEMARC_PROGRESS_INTERVAL_MS` override the 2 s delay and
    /// the 1 s interval (tests).
    init(sources: [String], terminal: Bool, environment: [String: String] = ProcessInfo.processInfo.environment) {
        counters = ReadProgress(sources: sources)
        delay = (environment["DEMARC_PROGRESS_DELAY_MS"].flatMap(Double.init) ?? 2000) / 1000
        interval = max(0.001, (environment["DEMARC_PROGRESS_INTERVAL_MS"].flatMap(Double.init) ?? 1000) / 1000)
        inPlace = terminal
    }

    func start() {
        let started = Date()
        let thread = Thread { [self] in
            var printed = false
            var wait = delay
            while done.wait(timeout: .now() + wait) == .timedOut {
                let snapshot = counters.snapshot()
                if snapshot.allSatisfy(\.finished) { break }
                guard snapshot.allSatisfy(\.started) else { wait = interval; continue }
                let line = ProgressTicker.line(snapshot, seconds: Date().timeIntervalSince(started))
                writeStandardError(inPlace ? "\r\u{1B}[K" + line : line + "\n")
                printed = true
                wait = interval
            }
            if printed && inPlace { writeStandardError("\r\u{1B}[K") }
        }
        self.thread = thread
        thread.start()
    }

    /// Stops the ticker (idempotent enough for one call per run).
    func stop() {
        done.signal()
    }

    /// `demarc: crm 120000 records (60000/s, 42%) | datev 9876 records (4938/s, 100%)`.
    static func line(_ sources: [ReadProgress.Source], seconds: Double) -> String {
        let parts = sources.map { s -> String in
            let rate = seconds > 0 ? Int(Double(s.records) / seconds) : 0
            var part = "\(s.name) \(s.records) records (\(rate)/s"
            if let total = s.totalBytes, total > 0 {
                part += ", \(min(100, s.bytesRead * 100 / total))%"
            } else {
                part += ", \(s.bytesRead / 1_048_576) MiB"
            }
            return part + (s.finished ? ", done)" : ")")
        }
        return "demarc: " + parts.joined(separator: " | ")
    }
}
