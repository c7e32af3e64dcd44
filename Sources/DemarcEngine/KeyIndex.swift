import Foundation
import DemarcCore

/// An open-addressing hash index from normalized keys to case numbers, for case building.
///
/// One slot is one `UInt32`: the case number + 1 in its low bits (as many as the slots need to
/// number a case: the index is at most 70% full) and the top bits of the key's hash above them
/// (0 is an empty slot), probed linearly. The keys themselves stay in the case store's `keys`,
/// so a slot costs 4 bytes where a `[String: Int32]` costs about 24 plus its metadata, and a
/// probe compares the hash bits (9 of them at 5M keys; a false match costs one key comparison)
/// before it ever touches a key. Slots of 8 bytes, with 32 hash bits, were the largest single
/// thing at the peak of a 5M run while the larger side's keys were looked up (64 MiB). The hash
/// reads the key's UTF-8 eight bytes at a time instead of SipHash's byte stream, which showed
/// in profiles.
///
/// Keys are equal as Swift's `String` says, by canonical equivalence (an "é" written as one
/// code point or as "e" and a combining accent is one key), and the hash agrees (`hash`).
struct KeyIndex {
    private var slots: [UInt32]
    private var mask: Int
    /// Low bits of a slot that hold the case number + 1 - `base`: log2 of the slot count. A
    /// case number that does not fit grows the index first (case numbers run ahead of the
    /// keys indexed where cases of missing keys, never indexed, come between).
    private var caseBits: UInt32
    private var count = 0
    /// The lowest case number the index holds (`CaseIndex` keeps the cases of a first source in
    /// key order out of it).
    let base: Int32

    /// An index sized for about `capacity` keys, of cases numbered from `base`; it grows when
    /// it is 70% full.
    init(capacity: Int, base: Int32 = 0) {
        var size = 16
        while size < capacity + capacity / 2 + 1 { size <<= 1 }
        slots = [UInt32](repeating: 0, count: size)
        mask = size - 1
        caseBits = UInt32(size.trailingZeroBitCount)
        self.base = base
    }

    /// Whether no key is indexed.
    var isEmpty: Bool { count == 0 }

    /// The hash bits a slot keeps beside the case: the hash's top `32 - caseBits` bits.
    @inline(__always) private func tag(_ hash: UInt64) -> UInt32 {
        caseBits >= 32 ? 0 : UInt32(truncatingIfNeeded: hash >> (32 &+ UInt64(caseBits))) << caseBits
    }

    @inline(__always) private var tagMask: UInt32 { caseBits >= 32 ? 0 : ~0 << caseBits }

    /// The case of `key`, if it has one; else records `newCase` for it and returns nil.
    /// `keys[c]` is the key of case `c` (`newCase` must be `keys.count` once appended).
    mutating func caseOf(_ key: String, orInsert newCase: Int32, keys: [String]) -> Int32? {
        caseOf(key, hash: KeyIndex.hash(key), orInsert: newCase, keys: keys)
    }

    /// `caseOf(_:orInsert:keys:)` with the key's `hash(_:)` computed already.
    mutating func caseOf(_ key: String, hash: UInt64, orInsert newCase: Int32, keys: [String]) -> Int32? {
        var (found, empty) = probe(key, hash: hash, keys: keys)
        if let found { return found }
        let number = UInt32(bitPattern: newCase &- base &+ 1)
        if caseBits < 32 && number >> caseBits != 0 {
            while number >> caseBits != 0 { grow(keys: keys) }
            empty = probe(key, hash: hash, keys: keys).empty
        }
        slots[empty] = tag(hash) | number
        count += 1
        if count * 10 > slots.count * 7 { grow(keys: keys, adding: key) }
        return nil
    }

    /// The case of `key`, if it has one (no insertion).
    func find(_ key: String, keys: [String]) -> Int32? {
        probe(key, hash: KeyIndex.hash(key), keys: keys).found
    }

    /// `find(_:keys:)` with the key's `hash(_:)` computed already.
    func find(_ key: String, hash: UInt64, keys: [String]) -> Int32? {
        probe(key, hash: hash, keys: keys).found
    }

    /// The case of `key` if indexed, else the empty slot where it would go.
    @inline(__always) private func probe(_ key: String, hash: UInt64, keys: [String]) -> (found: Int32?, empty: Int) {
        let tag = tag(hash), tagMask = tagMask
        var i = Int(truncatingIfNeeded: hash) & mask
        while true {
            let slot = slots[i]
            if slot == 0 { return (nil, i) }
            if slot & tagMask == tag {
                let c = Int32(bitPattern: slot & ~tagMask) &- 1 &+ base
                if keys[Int(c)] == key { return (c, i) }
            }
            i = (i &+ 1) & mask
        }
    }

    /// The first slot a key with `hash` probes (0: empty), and the case it names if any. Reading
    /// it ahead for a batch of keys lets their cache misses overlap (`CaseBuilder`).
    @inline(__always) func firstSlot(_ hash: UInt64) -> (slot: UInt32, candidate: Int) {
        let slot = slots[Int(truncatingIfNeeded: hash) & mask]
        return (slot, slot == 0 ? -1 : Int(slot & ~tagMask) &- 1 &+ Int(base))
    }

    /// Keys looked up together (`readAhead`).
    static let batch = 32

    /// Reads ahead for the lookups of the keys of records `range` (at most `batch` of them, in
    /// any order): their hashes go to `hashes` (from index 0), then their first slots and the
    /// case keys those name are read, so that the cache misses of the lookups that follow
    /// overlap instead of coming one after another (12% of a 1M run in `perf`). The caller
    /// folds the result into a value it keeps, so that the reads are not optimised away.
    ///
    /// The hashes come first, in a loop of their own: reading each slot right after its hash
    /// made inserting 5M keys take twice as long (fewer misses fit in the CPU's window).
    @inline(__always)
    func readAhead<Records: Collection<Int>>(_ keys: [String], _ range: Records, hashes: inout [UInt64],
                                             caseKeys: [String]) -> UInt64 {
        var j = 0
        for r in range {
            hashes[j] = KeyIndex.hash(keys[r])
            j &+= 1
        }
        var warm: UInt64 = 0
        for j in 0..<range.count {
            let (slot, c) = firstSlot(hashes[j])
            warm &+= UInt64(slot)
            if c >= 0 && c < caseKeys.count { warm &+= UInt64(truncatingIfNeeded: caseKeys[c].utf8.count) }
        }
        return warm
    }

    /// Makes room for `more` keys beyond those indexed, at once: a source that brings millions
    /// of new keys (a CRM export five times the bookings) grew the index by doubling, each
    /// time hashing every key in it again.
    mutating func reserve(adding more: Int, keys: [String]) {
        var size = slots.count
        while (count + more) * 10 > size * 7 { size <<= 1 }
        if size > slots.count { grow(keys: keys, to: size) }
    }

    /// Doubles the slots (or makes `size` of them, a larger power of 2); re-hashes the keys
    /// already indexed (`keys` and the one being added, if any). A slot's case takes a bit
    /// more for each doubling, its hash one fewer.
    private mutating func grow(keys: [String], adding key: String? = nil, to size: Int? = nil) {
        let old = slots, oldTagMask = tagMask
        slots = [UInt32](repeating: 0, count: size ?? old.count * 2)
        mask = slots.count - 1
        caseBits = UInt32(slots.count.trailingZeroBitCount)
        for slot in old where slot != 0 {
            let number = slot & ~oldTagMask   // the case + 1 - base
            let c = Int(number) - 1 + Int(base)
            let hash = KeyIndex.hash(c < keys.count ? keys[c] : key ?? "")
            var i = Int(truncatingIfNeeded: hash) & mask
            while slots[i] != 0 { i = (i &+ 1) & mask }
            slots[i] = tag(hash) | number
        }
    }

    /// A 64-bit hash of the key's UTF-8 bytes (multiply-xorshift over 8-byte words). A key
    /// beyond ASCII hashes as `String` does, by its canonical form (the standard library's
    /// `Hasher`: 0.14 µs a key, where composing it through Foundation took 2.1 µs), unless it is
    /// canonically equivalent to an ASCII key ("\u{212A}-7" and "K-7"): then as that key. So
    /// keys that `==` finds equal hash alike.
    static func hash(_ key: String) -> UInt64 {
        var key = key
        if let ascii = key.withUTF8({ utf8 -> UInt64? in
            let bytes = UnsafeRawBufferPointer(utf8)
            return ASCIIBytes.isASCII(bytes) ? hash(bytes) : nil
        }) {
            return ascii
        }
        if var ascii = asciiForm(key) {
            return ascii.withUTF8 { hash(UnsafeRawBufferPointer($0)) }
        }
        var hasher = Hasher()
        hasher.combine(key)
        return UInt64(truncatingIfNeeded: hasher.finalize())
    }

    /// The scalars beyond ASCII whose canonical decomposition is ASCII (U+037E → ";", U+1FEF →
    /// "`", U+212A → "K"; a test checks every scalar): only a key holding one of them can equal
    /// an ASCII key.
    static let asciiDecomposing: [UInt32] = [0x037E, 0x1FEF, 0x212A]

    /// The ASCII text canonically equivalent to `key` (which has a byte beyond ASCII), if any.
    static func asciiForm(_ key: String) -> String? {
        guard key.unicodeScalars.contains(where: { asciiDecomposing.contains($0.value) }) else { return nil }
        let composed = key.precomposedStringWithCanonicalMapping
        return composed.utf8.allSatisfy { $0 < 0x80 } ? composed : nil
    }

    /// The hash of `bytes`; `seed` varies it (the row store's interner seeds it per process).
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> UInt64 {
        let n = bytes.count
        var h: UInt64 = seed ^ UInt64(truncatingIfNeeded: n)
        guard let raw = bytes.baseAddress else { return mixFinal(h) }
        var i = 0
        while i &+ 8 <= n {
            h = mix(h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            i &+= 8
        }
        if i < n {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                tail |= UInt64(bytes[i]) << shift
                shift &+= 8
                i &+= 1
            }
            h = mix(h ^ tail)
        }
        return mixFinal(h)
    }

    @inline(__always) private static func mix(_ x: UInt64) -> UInt64 {
        var h = x &* 0xBF58_476D_1CE4_E5B9
        h ^= h >> 31
        return h
    }

    @inline(__always) private static func mixFinal(_ x: UInt64) -> UInt64 {
        var h = (x ^ (x >> 30)) &* 0x94D0_49BB_1331_11EB
        h ^= h >> 27
        return h
    }
}
