import Foundation
import DemarcCore

/// SHA-256 of a stream of chunks, computed on a thread of its own: `update` copies the chunk
/// and returns, so a reader whose parser keeps its core busy (libxml2) does not also hash
/// every byte (about an eighth of an XML read's time in `perf`). The digest is the same as
/// `SHA256`'s over the same chunks in the same order.
final class BackgroundHasher: @unchecked Sendable {
    /// Chunks copied but not hashed yet, at most; `update` waits beyond that.
    private static let queued = 8

    private let condition = NSCondition()
    private var pending: [[UInt8]] = []
    private var spare: [[UInt8]] = []
    private var finished = false
    private var hasher = SHA256()
    private let done = DispatchSemaphore(value: 0)

    init() {
        let thread = Thread { [self] in run() }
        thread.start()
    }

    /// Hashes `bytes` (copied; the caller may reuse its buffer at once).
    func update(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        condition.lock()
        while pending.count >= BackgroundHasher.queued { condition.wait() }
        var copy = spare.popLast() ?? []
        condition.unlock()
        copy.removeAll(keepingCapacity: true)
        copy.append(contentsOf: bytes)
        condition.lock()
        pending.append(copy)
        condition.broadcast()
        condition.unlock()
    }

    /// The digest of everything given, as lowercase hex (after the last `update`).
    func finalizeHex() -> String {
        close()
        return hasher.finalizeHex()
    }

    /// Ends the hashing thread once it has hashed what it was given; call it on every path
    /// (a read that fails too). Later calls return at once.
    func close() {
        condition.lock()
        let first = !finished
        finished = true
        condition.broadcast()
        condition.unlock()
        if first { done.wait() }
    }

    private func run() {
        while true {
            condition.lock()
            while pending.isEmpty && !finished { condition.wait() }
            if pending.isEmpty {
                condition.unlock()
                break
            }
            let chunk = pending.removeFirst()
            condition.broadcast()
            condition.unlock()
            chunk.withUnsafeBytes { hasher.update($0) }
            condition.lock()
            spare.append(chunk)
            condition.unlock()
        }
        done.signal()
    }
}
