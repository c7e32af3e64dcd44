/// The line of each well-formed record of a table, in record order.
///
/// Stored as runs of records whose lines step evenly: the records of a CSV file without line
/// breaks in its fields are one run, those of an XML file that writes each record on the same
/// number of lines too. A run costs 12 bytes however many records it holds; where records
/// break runs often (more than one run per eight records), the lines are kept one by one
/// (4 bytes each, as an `[Int32]` did). At 5M records a side the runs saved 39 MB.
struct LineNumbers: Sendable {
    /// Runs: the first record, its line, and the step from one record's line to the next.
    private var starts: [Int32] = []
    private var firstLines: [Int32] = []
    private var steps: [Int32] = []
    /// Every line, once the runs stopped paying (`starts` is then empty).
    private var flat: [Int32] = []
    private var isFlat = false
    private(set) var count = 0
    /// The line the next record has if it continues the last run (with a step set), else a
    /// value no line has: the common case is one comparison, inline, instead of reading the
    /// last run from three arrays in a call (1.8% of reading the benchmark's CRM file).
    private var expected: Int64 = -1

    init() {}

    var isEmpty: Bool { count == 0 }

    /// Appends the line of the next record.
    @inline(__always) mutating func append(_ line: Int32) {
        if Int64(line) == expected {
            count += 1
            expected &+= Int64(steps[steps.count - 1])
            return
        }
        appendSlowly(line)
    }

    @inline(never) private mutating func appendSlowly(_ line: Int32) {
        defer {
            count += 1
            // Within a run whose step is known, the next record's line follows from it.
            if !isFlat, let k = starts.indices.last, count - Int(starts[k]) >= 2 {
                expected = Int64(line) &+ Int64(steps[k])
            } else {
                expected = -1
            }
        }
        if isFlat { flat.append(line); return }
        if let k = starts.indices.last {
            let offset = Int32(truncatingIfNeeded: count) &- starts[k]
            if offset == 1 && count > 0 {
                steps[k] = line &- firstLines[k]   // a run's second record sets its step
                return
            }
            if line == firstLines[k] &+ offset &* steps[k] { return }
        }
        starts.append(Int32(truncatingIfNeeded: count))
        firstLines.append(line)
        steps.append(0)
        if starts.count > 64 && starts.count > (count + 1) / 8 { flatten(adding: line) }
    }

    /// Keeps every line one by one from now on (`line`, of record `count`, is in the last run).
    private mutating func flatten(adding line: Int32) {
        flat.reserveCapacity(count * 2 + 1)
        for r in 0..<count { flat.append(self[r]) }
        flat.append(line)
        starts = []; firstLines = []; steps = []
        isFlat = true
    }

    /// The line of record `record`.
    subscript(record: Int) -> Int32 {
        if isFlat { return flat[record] }
        // The last run that starts at or before the record.
        var low = 0, high = starts.count - 1
        let r = Int32(truncatingIfNeeded: record)
        while low < high {
            let mid = (low + high + 1) / 2
            if starts[mid] <= r { low = mid } else { high = mid - 1 }
        }
        return firstLines[low] &+ (r &- starts[low]) &* steps[low]
    }
}

/// Flags per record, a bit each (a `[Bool]` takes a byte): whether each record's key is missing.
struct BitList: ExpressibleByArrayLiteral, Sendable {
    private var words: [UInt64] = []
    private(set) var count = 0

    init() {}

    init(arrayLiteral elements: Bool...) {
        for e in elements { append(e) }
    }

    mutating func append(_ flag: Bool) {
        if count & 63 == 0 { words.append(0) }
        if flag { words[count >> 6] |= 1 << UInt64(count & 63) }
        count += 1
    }

    mutating func reserveCapacity(_ n: Int) { words.reserveCapacity((n + 63) / 64) }

    subscript(i: Int) -> Bool {
        precondition(i >= 0 && i < count, "flag \(i) of \(count)")
        return words[i >> 6] & (1 << UInt64(i & 63)) != 0
    }
}
