import XCTest
@testable import DemarcEngine

final class KeyIndexTests: XCTestCase {
    /// Every key gets one case, in first-seen order, across growth from a tiny start.
    func testFindsEveryKeyAfterGrowing() {
        var index = KeyIndex(capacity: 0)
        var keys: [String] = []
        let words = (0..<5000).map { "RE-\($0 * 7919 % 100_003)" } + ["", "ü", "a\u{1F}b", String(repeating: "x", count: 40)]
        for word in words {
            if index.caseOf(word, orInsert: Int32(keys.count), keys: keys) == nil { keys.append(word) }
        }
        XCTAssertEqual(keys, Array(NSOrderedSet(array: words)) as? [String])
        for (c, word) in keys.enumerated() {
            XCTAssertEqual(index.caseOf(word, orInsert: -7, keys: keys), Int32(c))
        }
        XCTAssertNil(index.caseOf("not there", orInsert: Int32(keys.count), keys: keys))
    }

    /// Room made at once for many keys (from empty and from part full): every key keeps its
    /// case, and no key is found that was not added.
    func testReservingRoomKeepsEveryCase() {
        for before in [0, 100] {
            var index = KeyIndex(capacity: 0)
            var keys: [String] = []
            func add(_ word: String) {
                if index.caseOf(word, orInsert: Int32(keys.count), keys: keys) == nil { keys.append(word) }
            }
            for i in 0..<before { add("A-\(i)") }
            index.reserve(adding: 20_000, keys: keys)
            for i in 0..<20_000 { add("B-\(i * 7919 % 20_011)") }
            for (c, word) in keys.enumerated() { XCTAssertEqual(index.find(word, keys: keys), Int32(c)) }
            XCTAssertNil(index.find("B-20011", keys: keys))
            XCTAssertEqual(keys.count, before + 20_000)
        }
    }

    /// Keys that differ only past the first eight bytes, or only in length, hash apart.
    func testHashSeesEveryByte() {
        XCTAssertNotEqual(KeyIndex.hash("ABCDEFGH1"), KeyIndex.hash("ABCDEFGH2"))
        XCTAssertNotEqual(KeyIndex.hash("ABCDEFGH"), KeyIndex.hash("ABCDEFGH\u{0}"))
        XCTAssertNotEqual(KeyIndex.hash(""), KeyIndex.hash("\u{0}"))
        XCTAssertEqual(KeyIndex.hash("RE-2026-0042"), KeyIndex.hash(String("xRE-2026-0042".dropFirst())))
    }

    /// The first slot read ahead names the key's case when the key sits there; lookups with a
    /// precomputed hash agree with the plain ones.
    func testFirstSlotAndPrecomputedHash() {
        var index = KeyIndex(capacity: 0)
        var keys: [String] = []
        for i in 0..<3000 {
            let key = "K\(i % 1000)"
            let hash = KeyIndex.hash(key)
            let probe = index.firstSlot(hash)
            let found = index.caseOf(key, hash: hash, orInsert: Int32(keys.count), keys: keys)
            if let c = found {
                XCTAssertEqual(keys[Int(c)], key)
                if probe.candidate == Int(c) { XCTAssertNotEqual(probe.slot, 0) }
            } else {
                XCTAssertLessThan(i, 1000)
                keys.append(key)
            }
        }
        XCTAssertEqual(keys.count, 1000)
        XCTAssertEqual(index.firstSlot(KeyIndex.hash("absent")).candidate < keys.count, true)
    }

    /// Case numbers may run far ahead of the keys indexed (cases of missing keys are never
    /// indexed): the index grows until a number fits in its slot instead of spilling it into the
    /// hash bits, where a repeat of the key no longer found its case.
    func testCaseNumbersBeyondTheKeysIndexedStillFindTheirCase() {
        for base: Int32 in [0, 1000] {
            var index = KeyIndex(capacity: 10, base: base)
            var keys = [String](repeating: "", count: Int(base))
            for i in 0..<10 {
                XCTAssertNil(index.caseOf("K\(i)", orInsert: Int32(keys.count), keys: keys))
                keys.append("K\(i)")
            }
            keys += [String](repeating: "", count: 5000)   // cases of missing keys
            for i in 0..<3 {
                let c = Int32(keys.count)
                XCTAssertNil(index.caseOf("NEW-\(i)", orInsert: c, keys: keys))
                keys.append("NEW-\(i)")
                XCTAssertEqual(index.caseOf("NEW-\(i)", orInsert: -7, keys: keys), c)
            }
            for i in 0..<10 { XCTAssertEqual(index.find("K\(i)", keys: keys), base + Int32(i)) }
        }
    }

    /// Canonically equivalent keys (composed or decomposed accents; the Kelvin sign, which is
    /// "K") are one key, as `String`'s `==` says: their hashes agree.
    func testCanonicallyEquivalentKeysAreOneKey() {
        let pairs = [("M\u{FC}ller-1", "Mu\u{308}ller-1"), ("\u{212A}-7", "K-7"), ("\u{C5}", "\u{212B}")]
        for (a, b) in pairs {
            XCTAssertEqual(a, b)
            XCTAssertNotEqual(Array(a.utf8), Array(b.utf8))
            XCTAssertEqual(KeyIndex.hash(a), KeyIndex.hash(b), "\(a.unicodeScalars.map(\.value))")
            var index = KeyIndex(capacity: 0)
            XCTAssertNil(index.caseOf(a, orInsert: 0, keys: []))
            XCTAssertEqual(index.find(b, keys: [a]), 0)
        }
        XCTAssertNotEqual(KeyIndex.hash("M\u{FC}ller"), KeyIndex.hash("Muller"))
    }

    /// The scalars whose canonical decomposition is ASCII are exactly those `asciiForm` looks
    /// for: every scalar beyond ASCII, decomposed.
    func testTheScalarsThatDecomposeToASCIIAreTheListedOnes() {
        var found: [UInt32] = []
        for value in UInt32(0x80)...UInt32(0x10FFFF) {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let decomposed = String(Character(scalar)).decomposedStringWithCanonicalMapping
            if decomposed.utf8.allSatisfy({ $0 < 0x80 }) { found.append(value) }
        }
        XCTAssertEqual(found, KeyIndex.asciiDecomposing)
        XCTAssertEqual(KeyIndex.asciiForm("\u{212A}-\u{37E}"), "K-;")
        XCTAssertNil(KeyIndex.asciiForm("M\u{FC}ller"))
        XCTAssertNil(KeyIndex.asciiForm("\u{212A}\u{FC}"))
    }
}
