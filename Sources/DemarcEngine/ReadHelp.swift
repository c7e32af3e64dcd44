import Foundation
import DemarcReaders

/// Lets a reader thread that is done help one that is still reading (`Engine.readSources`).
///
/// Two sources on two cores rarely take equally long: the benchmark's accounting file is read
/// in about two thirds of the CRM file's time, and that core then waited. A thread offers help
/// once it has read and indexed its source (`CaseIndexing.loaded`, or `serve`); the thread still
/// reading can then hand its loader over (`HelpJob`): from then on it only scans, and passes
/// each batch of records, copied, to the helper, which decodes them in the same order into the
/// same table. The two halves of the work then run side by side.
final class ReadHelp: @unchecked Sendable {
    private let condition = NSCondition()
    // Guarded by `condition`.
    /// Sources being read right now.
    private var reading = 0
    /// Threads waiting in `serve` for a job.
    private var offered = 0
    /// A job posted and not yet taken by a helper.
    private var posted: HelpJob?
    /// Whether a job was posted at all (a helper stops hashing ahead for it).
    private var wasPosted = false

    init() {}

    /// A thread starts reading a source.
    func started() {
        condition.lock(); reading += 1; condition.unlock()
    }

    /// A thread finished reading a source (after its job, if any, is done).
    func finished() {
        condition.lock(); reading -= 1; condition.broadcast(); condition.unlock()
    }

    /// The calling thread has nothing left to read: it offers help from now on.
    func offer() {
        condition.lock(); offered += 1; condition.unlock()
    }

    /// Whether a reader took help (tests).
    var wasHired: Bool {
        condition.lock(); defer { condition.unlock() }
        return wasPosted
    }

    /// Whether a job waits for the helper (which then stops what it does meanwhile).
    var hasJob: Bool {
        condition.lock(); defer { condition.unlock() }
        return posted != nil
    }

    /// A job for a reader that wants help, when a thread offers it, with the reader's loader
    /// moved in (`load` is then nil); nil otherwise (`load` stays).
    func hire(_ load: inout RecordLoad?) -> HelpJob? {
        condition.lock(); defer { condition.unlock() }
        guard offered > 0, !wasPosted else { return nil }
        offered -= 1
        wasPosted = true
        let job = HelpJob(load: &load)
        posted = job
        condition.broadcast()
        return job
    }

    /// Helps while a source is still being read: runs the job posted, if one is or comes;
    /// returns once no source is being read or the job is done. Offers help first unless the
    /// caller did (`offered`).
    func serve(offered callerOffered: Bool) {
        condition.lock()
        if !callerOffered { offered += 1 }
        while posted == nil && reading > 0 { condition.wait() }
        let job = posted
        posted = nil
        if job == nil && offered > 0 { offered -= 1 }   // the offer goes with the thread
        condition.unlock()
        job?.run()
    }
}

/// One reader's decoding, done by a helper thread (`ReadHelp`): the reader moves its loader
/// in, posts its records in order, and takes the loader back once the helper is through.
final class HelpJob: @unchecked Sendable {
    enum Item {
        case batch(RecordBatch)
        case record(RawRecord)
    }

    private let condition = NSCondition()
    // Guarded by `condition`.
    private var load: RecordLoad?
    private var items: [Item] = []
    private var closed = false
    private var done = false
    /// Batches the helper is through with, for the reader to fill again.
    private var spare: [RecordBatch] = []
    /// Posted and not yet decoded: the reader waits beyond `limit` (memory stays bounded).
    private var pending = 0
    private static let limit = 16

    /// What `take` threw in the helper, for the reader to throw.
    private var failure: Error?

    /// Records the reader's loader had decoded when it was moved in.
    let recordCount: Int

    /// A job decoding with `load` (moved in) until `close`.
    fileprivate init(load: inout RecordLoad?) {
        recordCount = load?.recordCount ?? 0
        swap(&self.load, &load)
    }

    /// Posts a copy of `batch` (its bytes and offsets: the reader's window moves on).
    func post(_ batch: RecordBatch) {
        condition.lock()
        let copy = spare.popLast() ?? RecordBatch(slots: batch.slots)
        condition.unlock()
        copy.copy(from: batch)
        enqueue(.batch(copy))
    }

    /// Posts a record that goes the one-by-one way (its bytes owned).
    func post(_ record: inout RawRecord) {
        record.ownBytes()
        enqueue(.record(record))
    }

    /// Appends `item`, once fewer than `limit` wait.
    private func enqueue(_ item: Item) {
        condition.lock()
        while pending >= HelpJob.limit { condition.wait() }
        items.append(item)
        pending += 1
        condition.broadcast()
        condition.unlock()
    }

    /// No more records: waits until the helper has decoded them all, and gives the loader
    /// back; returns what decoding threw, if it did.
    func close(into load: inout RecordLoad?) -> Error? {
        condition.lock()
        defer { condition.unlock() }
        closed = true
        condition.broadcast()
        while !done { condition.wait() }
        swap(&self.load, &load)
        return failure
    }

    /// The helper's side: decodes every item posted, in order, until the reader closes.
    func run() {
        condition.lock()
        var load: RecordLoad? = nil
        swap(&self.load, &load)
        condition.unlock()
        var taken: [Item] = []
        while true {
            condition.lock()
            while items.isEmpty && !closed { condition.wait() }
            if items.isEmpty {
                swap(&self.load, &load)
                done = true
                condition.broadcast()
                condition.unlock()
                return
            }
            swap(&taken, &items)
            condition.unlock()
            var finished: [RecordBatch] = []
            for item in taken {
                switch item {
                case .batch(let batch):
                    load!.take(batch)
                    finished.append(batch)
                case .record(var record):
                    do { try load!.take(&record) } catch {
                        // Without streaming (there is no job otherwise) `take` throws nothing;
                        // should it, the reader throws it at `close`, the rest is not decoded.
                        condition.lock()
                        if failure == nil { failure = error }
                        condition.unlock()
                    }
                }
            }
            condition.lock()
            pending -= taken.count
            spare.append(contentsOf: finished)
            condition.broadcast()
            condition.unlock()
            taken.removeAll(keepingCapacity: true)
        }
    }
}
