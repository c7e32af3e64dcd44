/// ASCII runs in UTF-8 bytes, a word at a time: the decoder's hot loop skips them, and keys
/// that are all ASCII take the key index's fast paths.
public enum ASCIIBytes {
    /// The first byte beyond ASCII from `i` on, found 32 bytes a step (four words, one test),
    /// then eight; or, with none in the whole 8-byte words, the end of the last of them (fewer
    /// than eight bytes left). Most CSV bytes are ASCII, and the UTF-8 loops run over every
    /// byte of a file. (Stopping at the start of the word that held the byte, the loops went
    /// on a byte at a time, each through this function again: for a name with one umlaut per
    /// record, most of checking a CRM export's UTF-8.)
    @inlinable @inline(__always)
    public static func wordsEnd(_ p: UnsafePointer<UInt8>, from i: Int, count n: Int) -> Int {
        var i = i
        while i &+ 32 <= n {
            let r = UnsafeRawPointer(p + i)
            let all = r.loadUnaligned(as: UInt64.self) | r.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                | r.loadUnaligned(fromByteOffset: 16, as: UInt64.self) | r.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
            if all & 0x8080_8080_8080_8080 != 0 { break }
            i &+= 32
        }
        while i &+ 8 <= n {
            let high = UInt64(littleEndian: UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)) & 0x8080_8080_8080_8080
            if high != 0 { return i &+ high.trailingZeroBitCount &>> 3 }
            i &+= 8
        }
        return i
    }

    /// Whether every byte is below 0x80.
    @inlinable @inline(__always)
    public static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let p = base.assumingMemoryBound(to: UInt8.self)
        var i = wordsEnd(p, from: 0, count: bytes.count)
        while i < bytes.count {
            if p[i] >= 0x80 { return false }
            i &+= 1
        }
        return true
    }

    /// Whether `count` bytes at `a` and at `b` are equal, eight at a time, inline: short texts
    /// (states, currencies) compared through `memcmp`'s call took 4% of reading a CSV export.
    @inlinable @inline(__always)
    public static func equal(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, count n: Int) -> Bool {
        if n >= 8 {
            var i = 0
            while i &+ 8 <= n {
                if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
                    return false
                }
                i &+= 8
            }
            // The last word again, overlapping: no byte loop for the tail.
            return i == n || a.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self)
                == b.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self)
        }
        if n >= 4 {
            return a.loadUnaligned(as: UInt32.self) == b.loadUnaligned(as: UInt32.self)
                && a.loadUnaligned(fromByteOffset: n &- 4, as: UInt32.self) == b.loadUnaligned(fromByteOffset: n &- 4, as: UInt32.self)
        }
        var i = 0
        while i < n {
            if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
            i &+= 1
        }
        return true
    }

    /// `a` against `b` in byte order: negative, 0 or positive. Eight bytes a step, inline
    /// (`memcmp` through its call took a third of checking 5M keys' order).
    @inlinable @inline(__always)
    public static func order(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let n = min(a.count, b.count)
        guard n > 0, let p = a.baseAddress, let q = b.baseAddress else { return a.count &- b.count }
        var i = 0
        while i &+ 8 <= n {
            let u = UInt64(bigEndian: p.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            let v = UInt64(bigEndian: q.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            if u != v { return u < v ? -1 : 1 }
            i &+= 8
        }
        while i < n {
            let x = p.load(fromByteOffset: i, as: UInt8.self), y = q.load(fromByteOffset: i, as: UInt8.self)
            if x != y { return x < y ? -1 : 1 }
            i &+= 1
        }
        return a.count &- b.count
    }

    /// The UTF-8 `bytes` as a `String`, invalid sequences repaired as `String(decoding:as:)`
    /// repairs them, in about three quarters of its time (22 against 28 ns for a 13-byte key,
    /// which the loader makes for every record).
    @inlinable @inline(__always)
    public static func string(_ bytes: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: bytes.count) { buffer in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: bytes)
            return bytes.count
        }
    }
}
