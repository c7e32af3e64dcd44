/// Well-formed records in a row, lent from a reader's buffer (`CSVReader.read(fields:onChunk:sink:batch:)`):
/// per record its line, its text and each requested field's span, as offsets from `base`.
/// The buffer stays put only while the batch sink runs.
///
/// One call per batch instead of a `RawRecord` filled and a sink called per record (the
/// record's reset alone was 67 instructions of about 2,000 a record of the benchmark's CRM
/// export); and a batch can be copied whole to outlive the window, for a helper thread that
/// decodes it (`ReadHelp`).
public final class RecordBatch {
    /// Records a batch holds at most.
    public static let capacity = 512
    /// Fields requested per record.
    public let slots: Int
    /// Records in the batch.
    public internal(set) var count = 0
    /// The buffer the offsets count from.
    public internal(set) var base = UnsafeRawPointer(bitPattern: 1)!
    /// Per record: the physical line where it starts.
    public let lines: UnsafeMutablePointer<Int>
    /// Per record: where its text starts and ends (its line end excluded).
    public let textStarts: UnsafeMutablePointer<Int>
    public let textEnds: UnsafeMutablePointer<Int>
    /// Per record and requested field (`record * slots + slot`): where the field's text starts
    /// and ends; a start of -1 when the record has no such column.
    public let fieldStarts: UnsafeMutablePointer<Int>
    public let fieldEnds: UnsafeMutablePointer<Int>

    /// The bytes of a batch copied in (`copy(from:)`), for a batch that outlives the window.
    private var owned: UnsafeMutableRawPointer?
    private var ownedCapacity = 0

    public init(slots: Int) {
        self.slots = slots
        lines = .allocate(capacity: RecordBatch.capacity)
        textStarts = .allocate(capacity: RecordBatch.capacity)
        textEnds = .allocate(capacity: RecordBatch.capacity)
        fieldStarts = .allocate(capacity: RecordBatch.capacity * max(1, slots))
        fieldEnds = .allocate(capacity: RecordBatch.capacity * max(1, slots))
    }

    deinit {
        lines.deallocate(); textStarts.deallocate(); textEnds.deallocate()
        fieldStarts.deallocate(); fieldEnds.deallocate()
        owned?.deallocate()
    }

    /// Becomes a copy of `other` (the same number of slots) whose bytes it owns: valid after
    /// the reader's window has moved on. The offsets are copied as they are and `base` moved
    /// by the first record's start (rebasing each offset was half of the copy's time, on the
    /// reading thread, which is the one a helped read waits for).
    public func copy(from other: RecordBatch) {
        precondition(other.slots == slots, "a batch copies a batch of as many fields")
        let n = other.count
        count = n
        guard n > 0 else { return }
        let first = other.textStarts[0], size = other.textEnds[n - 1] - first
        if ownedCapacity < size {
            owned?.deallocate()
            ownedCapacity = max(size, 64 << 10)
            owned = .allocate(byteCount: ownedCapacity, alignment: 16)
        }
        let owned = self.owned!
        if size > 0 { owned.copyMemory(from: other.base + first, byteCount: size) }
        // Offset `first` is the copy's first byte: `base` lies `first` bytes before it (only
        // offsets from `first` on are ever read).
        base = UnsafeRawPointer(owned) - first
        lines.update(from: other.lines, count: n)
        textStarts.update(from: other.textStarts, count: n)
        textEnds.update(from: other.textEnds, count: n)
        fieldStarts.update(from: other.fieldStarts, count: n &* slots)
        fieldEnds.update(from: other.fieldEnds, count: n &* slots)
    }

    /// The bytes every offset of the batch lies in.
    public var bytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base, count: count == 0 ? 0 : textEnds[count - 1])
    }
}

/// Receives each batch of well-formed records; may throw to stop reading.
public typealias BatchSink = (RecordBatch) throws -> Void
