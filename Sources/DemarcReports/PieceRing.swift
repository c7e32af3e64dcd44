import Foundation

/// The batches of a pieced report, made by two threads and written in order by one
/// (`ReportPieces.inParallel`).
///
/// Batch `i` is made into slot `i % slots`; a thread takes the next batch once its slot was
/// written. The writing thread writes whatever is ready next before it makes a batch itself, so
/// the other thread makes batches all along and the writes cost the report only their share of
/// one thread. A lock and a condition guard the counters; a batch (thousands of findings) takes
/// milliseconds, so they are taken a few hundred times in a large report.
final class PieceRing: @unchecked Sendable {
    /// Batches made ahead of the writing, at most (their buffers, 2 MiB each at 4096 findings,
    /// are reused). With two, the other thread waited whenever this one was writing while it
    /// made the batch after: `demarc-reportbench` at 5M records a side, 416,863 findings, took
    /// 337 ms in memory and 535-546 ms written to a file with two, 245 and 411-458 ms with four
    /// (three and eight no better). The two buffers more sit below the peak of a 5M run (set by
    /// the rules); at 1M, where the report is the peak, they raised it from 108 to 114 MiB.
    static let slots = 4

    private let batches: Int
    private let make: @Sendable (Int, inout [UInt8]) -> Void
    private let condition = NSCondition()
    private var buffers: [[UInt8]]
    private var ready: [Bool]
    /// The next batch to make, and the next to write.
    private var nextMade = 0
    private var nextWritten = 0
    private var stopped = false
    /// Whether the helper has begun, and whether it has left (`stop` waits only for one that
    /// began).
    private var helperBegan = false
    private var helperDone = false

    init(batches: Int, make: @escaping @Sendable (Int, inout [UInt8]) -> Void) {
        self.batches = batches
        self.make = make
        buffers = Array(repeating: [], count: PieceRing.slots)
        ready = Array(repeating: false, count: PieceRing.slots)
    }

    /// Takes the next batch to make if its slot is free (under the lock).
    private func claim() -> (index: Int, buffer: [UInt8])? {
        guard !stopped, nextMade < batches, nextMade < nextWritten + PieceRing.slots else { return nil }
        let i = nextMade
        nextMade += 1
        var buffer: [UInt8] = []
        swap(&buffer, &buffers[i % PieceRing.slots])
        return (i, buffer)
    }

    /// Makes batch `i` outside the lock, then hands it back ready.
    private func makeReady(_ i: Int, _ buffer: [UInt8]) {
        condition.unlock()
        var out = buffer
        make(i, &out)
        condition.lock()
        buffers[i % PieceRing.slots] = out
        ready[i % PieceRing.slots] = true
        condition.broadcast()
    }

    /// The other thread: makes batches until there are none left or the writing stopped.
    func help() {
        condition.lock()
        helperBegan = !stopped
        while helperBegan {
            if let (i, buffer) = claim() {
                makeReady(i, buffer)
            } else if stopped || nextMade >= batches {
                break
            } else {
                condition.wait()
            }
        }
        helperDone = true
        condition.broadcast()
        condition.unlock()
    }

    /// The writing thread: writes each batch in order as soon as it is ready, and makes the next
    /// free batch whenever none is. Returns when every batch is written; throws what `emit`
    /// threw (then `stop` must still be called).
    func drive(_ emit: (inout [UInt8]) throws -> Void) rethrows {
        condition.lock()
        while nextWritten < batches {
            let slot = nextWritten % PieceRing.slots
            if ready[slot] {
                var piece: [UInt8] = []
                swap(&piece, &buffers[slot])
                ready[slot] = false
                condition.unlock()
                if !piece.isEmpty {
                    do {
                        try emit(&piece)
                    } catch {
                        condition.lock()
                        stopped = true
                        condition.broadcast()
                        condition.unlock()
                        throw error
                    }
                }
                piece.removeAll(keepingCapacity: true)
                condition.lock()
                buffers[slot] = piece
                nextWritten += 1
                condition.broadcast()
            } else if let (i, buffer) = claim() {
                makeReady(i, buffer)
            } else {
                condition.wait()
            }
        }
        condition.unlock()
    }

    /// Stops the other thread taking batches and waits until it has left, if it began: after
    /// this, nothing touches the ring or calls `make` (a helper that begins later leaves at
    /// once).
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        while helperBegan && !helperDone { condition.wait() }
        condition.unlock()
    }
}
