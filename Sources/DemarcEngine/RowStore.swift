import DemarcCore

/// Rows of values in fixed-size chunks: appending never copies what is stored, and the slack
/// is at most one chunk (a flat array doubling would briefly hold three times the rows).
struct RowStore: Sendable {
    /// Records per chunk.
    static let chunkShift = 14
    static let chunkRecords = 1 << chunkShift

    let width: Int
    private(set) var chunks: [[Value]] = []
    private(set) var count = 0

    init(width: Int) { self.width = width }

    /// Appends one record's values (`width` of them).
    mutating func append(_ row: [Value]) {
        if count & (RowStore.chunkRecords - 1) == 0 {
            var chunk: [Value] = []
            chunk.reserveCapacity(RowStore.chunkRecords * width)
            chunks.append(chunk)
        }
        chunks[chunks.count - 1].append(contentsOf: row)
        count += 1
    }

    /// One field of one record.
    @inline(__always) subscript(record: Int, field: Int) -> Value {
        chunks[record >> RowStore.chunkShift][(record & (RowStore.chunkRecords - 1)) * width + field]
    }
}
