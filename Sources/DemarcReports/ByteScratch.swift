import DemarcCore

/// Bytes appended through a pointer: one capacity test and a copy per append, where an array's
/// `append(contentsOf:)` cost about 100 instructions (its uniqueness and capacity checks and a
/// generic path). The jsonl writer lays out each finding here and hands it to its array in one
/// append: some forty appends a finding.
///
/// The buffer belongs to one writer: a copy of the value would share it (never made; writers
/// are passed `inout`).
struct ByteScratch {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int
    /// Frees the buffer when the last copy goes.
    private let owner: Owner

    private final class Owner {
        var base: UnsafeMutablePointer<UInt8>
        init(_ base: UnsafeMutablePointer<UInt8>) { self.base = base }
        deinit { base.deallocate() }
    }

    init(capacity: Int = 1 << 12) {
        self.capacity = max(16, capacity)
        base = .allocate(capacity: self.capacity)
        owner = Owner(base)
    }

    /// Room for `n` more bytes.
    @inline(__always) mutating func reserve(_ n: Int) {
        if count &+ n > capacity { grow(to: count &+ n) }
    }

    @inline(never) private mutating func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        grown.update(from: base, count: count)
        base.deallocate()
        base = grown
        owner.base = grown
        capacity = newCapacity
    }

    @inline(__always) mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count &+= 1
    }

    @inline(__always) mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        reserve(bytes.count)
        if let from = bytes.baseAddress { (base + count).update(from: from, count: bytes.count) }
        count &+= bytes.count
    }

    @inline(__always) mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    /// Writes at most `limit` bytes at the end through `write`, which returns how many it wrote.
    @inline(__always) mutating func write(upTo limit: Int, _ write: (UnsafeMutablePointer<UInt8>) -> Int) {
        reserve(limit)
        count &+= write(base + count)
    }

    /// Appends everything to `bytes` and starts empty.
    mutating func moveAll(to bytes: inout [UInt8]) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: base, count: count))
        count = 0
    }
}

/// Where JSON text is appended: an array, or a writer's scratch bytes.
protocol JSONBytes {
    mutating func append(_ byte: UInt8)
    mutating func appendBytes(_ bytes: UnsafeBufferPointer<UInt8>)
    /// A decimal's plain text, through a call that is not generic across modules (the generic
    /// `withPlainText`, unspecialized, cost 800 instructions a decimal).
    mutating func appendPlainText(_ decimal: FixedDecimal)
}

extension Array: JSONBytes where Element == UInt8 {
    @inline(__always) mutating func appendBytes(_ bytes: UnsafeBufferPointer<UInt8>) { append(contentsOf: bytes) }
    @inline(__always) mutating func appendPlainText(_ decimal: FixedDecimal) { decimal.appendPlainText(to: &self) }
}

extension ByteScratch: JSONBytes {
    @inline(__always) mutating func appendBytes(_ bytes: UnsafeBufferPointer<UInt8>) { append(bytes) }
    @inline(__always) mutating func appendPlainText(_ decimal: FixedDecimal) {
        write(upTo: decimal.plainTextLimit) { decimal.writePlainText(to: $0) }
    }
}
