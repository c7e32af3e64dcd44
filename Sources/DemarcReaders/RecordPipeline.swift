import Foundation
import DemarcCore

/// Runs a reader and its sink on two threads: the reader (the calling thread) swaps each
/// record into a batch (no bytes copied), and a thread of its own hands the batches' records
/// to the sink, in order. For readers whose parsing alone keeps a core busy (libxml2): the
/// sink's decoding then runs beside it instead of after each record.
///
/// The sink sees exactly the records, in the order, that it would see called directly. An
/// error the sink throws stops the reader at its next batch and is thrown; else a reader's
/// error is thrown once the sink has had every record read before it.
public enum RecordPipeline {
    /// Records per batch. Tests lower it to cut everywhere.
    nonisolated(unsafe) public static var batchRecords = 1024
    /// Batches read ahead of the sink at most.
    static let queued = 4

    /// `read` with a sink that hands every record to `sink` on another thread.
    public static func run(read: (RecordSink) throws -> ReadSummary, sink: RecordSink) throws -> ReadSummary {
        try withoutActuallyEscaping(sink) { sink in
            let limit = max(1, batchRecords)
            let channel = Channel(batchRecords: limit)
            let consumer = Consumer(channel: channel, sink: sink)
            let thread = Thread { consumer.run() }
            thread.stackSize = 8 << 20
            thread.start()
            var batch = channel.freshBatch()
            var records = batch.records
            var count = 0
            let result = Result<ReadSummary, Error> {
                try read { raw in
                    // The record itself goes over: the reader goes on with the one it gets
                    // back (reset before its next record), so no bytes are copied.
                    swap(&raw, &records[count])
                    count += 1
                    if count == limit {
                        batch.count = count
                        guard channel.put(batch) else { throw Stopped() }
                        batch = channel.freshBatch()
                        records = batch.records
                        count = 0
                    }
                }
            }
            if count > 0 {
                batch.count = count
                _ = channel.put(batch)
            }
            channel.close()
            consumer.done.wait()
            if let error = consumer.error { throw error }
            return try result.get()
        }
    }

    /// The reader was stopped because the sink threw (that error is the one thrown).
    private struct Stopped: Error {}

    /// Records handed over together; their storage is reused batch after batch.
    final class Batch: @unchecked Sendable {
        let records: UnsafeMutableBufferPointer<RawRecord>
        var count = 0

        init(capacity: Int) {
            records = .allocate(capacity: capacity)
            _ = records.initialize(from: repeatElement(RawRecord(), count: capacity))
        }

        deinit {
            _ = records.deinitialize()
            records.deallocate()
        }
    }

    /// The batches on their way to the sink, and the emptied ones coming back for reuse.
    final class Channel: @unchecked Sendable {
        private let queue = BoundedQueue<Batch>(capacity: RecordPipeline.queued)
        private let lock = NSLock()
        private var free: [Batch] = []
        private let batchRecords: Int

        init(batchRecords: Int) { self.batchRecords = batchRecords }

        /// An empty batch (a reused one when there is).
        func freshBatch() -> Batch {
            lock.lock()
            defer { lock.unlock() }
            return free.popLast() ?? Batch(capacity: batchRecords)
        }

        /// Queues a batch, waiting while the queue is full; false once the sink has stopped.
        func put(_ batch: Batch) -> Bool { queue.put(batch) }

        /// No more batches follow.
        func close() { queue.close() }

        /// The next batch, or nil once the queue is closed and empty.
        func take() -> Batch? { queue.take() }

        /// Gives an emptied batch back.
        func recycle(_ batch: Batch) {
            batch.count = 0
            lock.lock()
            free.append(batch)
            lock.unlock()
        }

        /// The sink failed: the reader stops at its next batch.
        func stop() { queue.stop() }
    }

    /// The sink's side: takes batches until the queue closes, or the sink throws.
    final class Consumer: @unchecked Sendable {
        let channel: Channel
        /// Dropped before `done` is signalled: `run` must not hold the sink beyond its
        /// `withoutActuallyEscaping` block, though the thread lives on a moment longer.
        private var sink: RecordSink?
        let done = DispatchSemaphore(value: 0)
        var error: Error?

        init(channel: Channel, sink: @escaping RecordSink) {
            self.channel = channel
            self.sink = sink
        }

        func run() {
            if let sink { consume(sink) }
            sink = nil
            done.signal()
        }

        private func consume(_ sink: RecordSink) {
            while let batch = channel.take() {
                do {
                    let records = batch.records
                    for i in 0..<batch.count { try sink(&records[i]) }
                } catch {
                    self.error = error
                    channel.stop()
                    // Drain what the reader still queues until it sees the stop.
                    while channel.take() != nil {}
                    return
                }
                channel.recycle(batch)
            }
        }
    }
}
