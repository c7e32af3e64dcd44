import XCTest
import DemarcCore
@testable import DemarcEngine

/// The compact row storage gives back exactly the values it was given.
final class RowStoreTests: XCTestCase {
    func testEveryKindOfValueRoundTrips() {
        let row: [Value] = [
            .unknown, .text("EUR"), .text("Müller, \"Anna\""), .decimal(FixedDecimal(units: -12345, scale: 2)),
            .integer(Int64.min), .date(Day(daysSinceEpoch: -3)), .datetime(Instant(millisSinceEpoch: 1_700_000_000_123)),
            .bool(true), .bool(false), .duration(86_400), .text(""),
            .decimal(FixedDecimal(units: 5_000_000_000, scale: 2)), .decimal(FixedDecimal(units: -7, scale: 150)),
            .integer(Int64(Int32.min)), .integer(Int64(Int32.max) + 1), .decimal(FixedDecimal(units: 1, scale: 36)),
        ]
        var store = RowStore(width: row.count)
        store.append(row)
        for f in 0..<row.count { XCTAssertEqual(store[0, f], row[f], "field \(f)") }
    }

    func testHighCardinalityTextGoesToTheArenaAcrossChunks() {
        var store = RowStore(width: 2)
        let n = RowStore.chunkRecords + RowStore.internLimit + 10
        for i in 0..<n { store.append([.text("INV-\(i)"), .text(i % 3 == 0 ? "posted" : "draft")]) }
        let long = String(repeating: "x", count: TextArena.chunkSize + 7)
        store.append([.text(long), .unknown])
        XCTAssertEqual(store.count, n + 1)
        for i in [0, 1, RowStore.internLimit - 1, RowStore.internLimit, RowStore.chunkRecords, n - 1] {
            XCTAssertEqual(store[i, 0], .text("INV-\(i)"))
            XCTAssertEqual(store[i, 1], .text(i % 3 == 0 ? "posted" : "draft"))
        }
        XCTAssertEqual(store[n, 0], .text(long))
        XCTAssertEqual(store[n, 1], .unknown)
    }

    /// The loader's text path gives what the value parser gives for a text field.
    func testTextPathAgreesWithTheValueParser() {
        let spec = ValueSpec(type: .text, dateFormat: nil, year: nil, decimalMark: UInt8(ascii: "."), thousandsMark: nil)
        for text in ["", " ", "\t\r\n ", " EUR ", "Müller", "a\u{0B}", "\u{0C}", "\u{A0}"] {
            var copy = text
            let (ours, theirs) = copy.withUTF8 { utf8 in
                let bytes = UnsafeRawBufferPointer(utf8)
                return (parseText(bytes), ValueParser.parse(bytes, as: spec))
            }
            XCTAssertEqual("\(ours)", "\(theirs)", "'\(text)'")
        }
    }

    /// Texts written from bytes read back as the texts, and intern like `append`'s.
    func testTextsFromBytesRoundTripAndShareIDs() {
        var store = RowStore(width: 2)
        let n = RowStore.internLimit + 50
        for i in 0..<n {
            let record = store.beginRecord()
            var key = "RE-\(i)", state = ["posted", "draft", "Müller, \"Anna\""][i % 3]
            key.withUTF8 { _ = store.setText(UnsafeRawBufferPointer($0), record: record, field: 0) }
            let (tag, id) = state.withUTF8 { store.setText(UnsafeRawBufferPointer($0), record: record, field: 1) }
            XCTAssertEqual(tag, RowStore.internedTag)
            XCTAssertEqual(id, Int64(i % 3))
            store.endRecord()
        }
        store.append([.text("RE-x"), .text("draft")])
        for i in [0, 7, RowStore.internLimit - 1, RowStore.internLimit, n - 1] {
            XCTAssertEqual(store[i, 0], .text("RE-\(i)"))
            XCTAssertEqual(store[i, 1], .text(["posted", "draft", "Müller, \"Anna\""][i % 3]))
        }
        XCTAssertEqual(store[n, 1], .text("draft"))
        XCTAssertEqual(store.internedText(2, field: 1), "Müller, \"Anna\"")
    }

    /// The interner gives one id per distinct byte string, up to the limit, then nil; ids
    /// handed out stay valid.
    func testTheByteInternerStopsAtItsLimit() {
        var interner = ByteInterner()
        func intern(_ text: String) -> Int32? {
            var text = text
            return text.withUTF8 { interner.intern(UnsafeRawBufferPointer($0)) }
        }
        XCTAssertEqual(intern(""), 0)
        for i in 1..<RowStore.internLimit { XCTAssertEqual(intern("text \(i) with some length"), Int32(i)) }
        XCTAssertEqual(intern(""), 0)
        XCTAssertEqual(intern("text 4000 with some length"), 4000)
        XCTAssertNil(intern("one too many"))
        XCTAssertNil(intern("text 5 with some length"))
        XCTAssertEqual(interner.texts.count, RowStore.internLimit)
        XCTAssertEqual(interner.texts[4000], "text 4000 with some length")
    }

    /// Arena texts keep their length in one byte below 128, in four from 128 on.
    func testArenaLengthsAroundTheOneByteLimit() {
        var arena = TextArena()
        let texts = ["", "a", String(repeating: "b", count: 127), String(repeating: "c", count: 128),
                     String(repeating: "ü", count: 100), String(repeating: "d", count: 70_000)]
        let positions = texts.map { arena.append($0) }
        for (text, position) in zip(texts, positions) { XCTAssertEqual(arena.text(at: position), text) }
    }

    /// A column holds two bytes a record while its values are unknown, interned or the key,
    /// and widens mid-chunk at the first other value: every value reads back, from the store
    /// and from a copy made before the widening, in every chunk.
    func testColumnsWidenMidChunkAndEveryValueReadsBack() {
        var store = RowStore(width: 3)
        var expected: [[Value]] = []
        var early: RowStore? = nil
        let n = RowStore.chunkRecords * 2 + 500
        for i in 0..<n {
            let inChunk = i % RowStore.chunkRecords
            // Field 0: texts, a number from record 100 of each chunk on every 7th record.
            let v0: Value = inChunk >= 100 && i % 7 == 0 ? .decimal(FixedDecimal(units: Int64(i), scale: 2))
                : (i % 11 == 0 ? .unknown : .text(["EUR", "USD", "CHF"][i % 3]))
            // Field 1: the key or unknown, always two bytes.
            let v1: Value = i % 5 == 0 ? .unknown : .text("K\(i)")
            // Field 2: texts until the interning limit runs out (then arena texts).
            let v2: Value = .text("T\(i % (RowStore.internLimit + 200))")
            let record = store.beginRecord()
            store.set(v0, record: record, field: 0)
            if case .text = v1 { store.setKeyText(record: record, field: 1) } else { store.setUnknown(record: record, field: 1) }
            store.set(v2, record: record, field: 2)
            store.endRecord()
            expected.append([v0, v1, v2])
            if i == 99 { early = store }
        }
        store.keyTexts.use(records: (0..<n).map { "K\($0)" })
        for i in stride(from: 0, to: n, by: 1) where i % 3 == 0 || i < 200 {
            XCTAssertEqual(store[i, 0], expected[i][0], "record \(i) field 0")
            XCTAssertEqual(store[i, 1], expected[i][1], "record \(i) field 1")
            XCTAssertEqual(store[i, 2], expected[i][2], "record \(i) field 2")
        }
        for i in 0..<100 { XCTAssertEqual(early?[i, 0], expected[i][0], "the copy, record \(i)") }
        // Stored encodings agree with the values: equal values of a chunk-local column.
        let (tag, payload) = store.encoding(record: 1, field: 0)
        XCTAssertEqual(tag, RowStore.internedTag)
        XCTAssertEqual(store.internedText(Int(payload), field: 0), "USD")
    }
}
