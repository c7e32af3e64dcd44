import Foundation

/// Live counters of a run's reading phase, for `--progress`: records and bytes read per source.
///
/// Readers update it from their own threads at chunk granularity and every few thousand
/// records, so the lock is taken rarely; a display thread takes snapshots.
public final class ReadProgress: @unchecked Sendable {
    /// One source's counters.
    public struct Source: Sendable, Hashable {
        public var name: String
        public var records: Int = 0
        public var bytesRead: Int = 0
        /// The file's size; nil for standard input.
        public var totalBytes: Int?
        public var started = false
        public var finished = false
    }

    private let lock = NSLock()
    private var sources: [Source]

    /// Counters for the named sources, in rule file order.
    public init(sources names: [String]) {
        sources = names.map { Source(name: $0) }
    }

    /// A consistent copy of every source's counters.
    public func snapshot() -> [Source] {
        lock.lock()
        defer { lock.unlock() }
        return sources
    }

    func start(_ index: Int, totalBytes: Int?) {
        update(index) { $0.totalBytes = totalBytes; $0.started = true }
    }

    func addBytes(_ index: Int, _ count: Int) {
        update(index) { $0.bytesRead += count }
    }

    func setRecords(_ index: Int, _ count: Int) {
        update(index) { $0.records = count }
    }

    func finish(_ index: Int, records: Int) {
        update(index) { $0.records = records; $0.finished = true }
    }

    private func update(_ index: Int, _ change: (inout Source) -> Void) {
        lock.lock()
        if sources.indices.contains(index) { change(&sources[index]) }
        lock.unlock()
    }
}
