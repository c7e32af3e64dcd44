#if canImport(Glibc)
import Glibc
import Synchronization

/// SIGINT and SIGTERM during a run (issue 7): remove the temporary report files being written,
/// say `interrupted` and exit 130 (SIGTERM: 143) at once. Report files already in place are
/// never touched: a report reaches its path only by `rename`, whole.
///
/// The handler is async-signal-safe: it reads a bit mask (a lock-free atomic) and paths in a
/// buffer allocated before any signal can arrive, and calls only `unlink`, `write`, `_exit`.
enum SignalGuard {
    /// Temporary paths that can be registered at once (one per report being written).
    static let slotCount = 16
    /// Bytes per path, terminating NUL included; longer paths are not registered.
    static let slotSize = Int(PATH_MAX)

    /// Bit i set: slot i holds a registered path.
    private static let used = Atomic<UInt64>(0)
    /// `slotCount * slotSize` bytes, allocated once by `install`.
    nonisolated(unsafe) private static var paths: UnsafeMutablePointer<CChar>?

    /// Installs the handlers for SIGINT and SIGTERM (once, before a command runs).
    static func install() {
        // Statics are initialised lazily (swift_once); touch them all here so that the handler
        // never runs an initialiser.
        _ = used.load(ordering: .relaxed)
        if paths == nil {
            let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: slotCount * slotSize)
            buffer.initialize(repeating: 0, count: slotCount * slotSize)
            paths = buffer
        }
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { signal in SignalGuard.handle(signal) }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
        sigaction(SIGTERM, &action, nil)
    }

    /// Registers a temporary file to remove if a signal arrives; returns its slot (nil when
    /// the guard is not installed, the path is too long or every slot is taken).
    static func register(_ path: String) -> Int? {
        guard let paths else { return nil }
        let bytes = Array(path.utf8)
        guard bytes.count < slotSize else { return nil }
        let mask = used.load(ordering: .acquiring)
        guard let slot = (0..<slotCount).first(where: { mask & (1 << UInt64($0)) == 0 }) else { return nil }
        let start = paths + slot * slotSize
        for (i, b) in bytes.enumerated() { start[i] = CChar(bitPattern: b) }
        start[bytes.count] = 0
        used.bitwiseOr(1 << UInt64(slot), ordering: .releasing)
        return slot
    }

    /// Forgets a slot (the file was renamed into place or removed).
    static func unregister(_ slot: Int?) {
        guard let slot else { return }
        used.bitwiseAnd(~(1 << UInt64(slot)), ordering: .releasing)
    }

    /// The handler: remove registered files, say why, exit 128 + signal.
    private static func handle(_ signal: Int32) {
        let mask = used.load(ordering: .acquiring)
        if let paths {
            for slot in 0..<slotCount where mask & (1 << UInt64(slot)) != 0 {
                unlink(paths + slot * slotSize)
            }
        }
        let message: StaticString = "interrupted\n"
        _ = write(2, message.utf8Start, message.utf8CodeUnitCount)
        _exit(128 + signal)
    }
}
#else
/// Signals are handled on Linux only (elsewhere the default action ends the process).
enum SignalGuard {
    static func install() {}
    static func register(_ path: String) -> Int? { nil }
    static func unregister(_ slot: Int?) {}
}
#endif
