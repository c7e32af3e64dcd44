import DemarcCore

/// A small JSON writer with a fixed key order and exact string escaping, so that the same
/// result always gives the same bytes.
public struct JSONWriter: Sendable {
    /// The text written so far (UTF-8).
    public internal(set) var bytes: [UInt8] = []
    private let pretty: Bool
    /// Per open container: whether it has an element yet.
    private var hasElement: [Bool] = []
    /// Set after `key(_:)`: the next value follows the colon on the same line.
    private var afterKey = false

    /// A writer; `pretty` indents by two spaces, else everything is on one line.
    public init(pretty: Bool) {
        self.pretty = pretty
        bytes.reserveCapacity(4096)
    }

    /// Hands the text written so far to `emit` and goes on with an empty buffer.
    public mutating func flush(_ emit: (inout [UInt8]) throws -> Void) rethrows {
        try emit(&bytes)
        bytes.removeAll(keepingCapacity: true)
    }

    /// A writer in this one's state (open containers, indentation) but with no text of its
    /// own: it writes elements of the innermost open container elsewhere (on another thread).
    /// `afterElement`: whether an element precedes the ones it writes.
    public func detached(afterElement: Bool) -> JSONWriter {
        var copy = self
        copy.bytes = []
        if !copy.hasElement.isEmpty { copy.hasElement[copy.hasElement.count - 1] = afterElement }
        return copy
    }

    /// Takes up after detached writers wrote elements of the innermost open container.
    public mutating func noteElementsWritten() {
        if !hasElement.isEmpty { hasElement[hasElement.count - 1] = true }
    }

    /// Opens an object (as a value).
    public mutating func beginObject() { open(UInt8(ascii: "{")) }
    /// Closes an object.
    public mutating func endObject() { close(UInt8(ascii: "}")) }
    /// Opens an array (as a value).
    public mutating func beginArray() { open(UInt8(ascii: "[")) }
    /// Closes an array.
    public mutating func endArray() { close(UInt8(ascii: "]")) }

    /// Writes an object key; the next call writes its value.
    public mutating func key(_ name: String) {
        separate()
        appendString(name)
        bytes.append(UInt8(ascii: ":"))
        if pretty { bytes.append(UInt8(ascii: " ")) }
        afterKey = true
    }

    /// A string value.
    public mutating func string(_ text: String) {
        separate()
        appendString(text)
    }

    /// A value as a string: its result text (a decimal's digits go in without a `String`).
    public mutating func string(_ value: Value) {
        separate()
        JSONWriter.appendQuoted(value, to: &bytes)
    }

    /// A string value, or null.
    public mutating func optionalString(_ text: String?) {
        if let text { string(text) } else { null() }
    }

    /// An integer value.
    public mutating func number(_ value: Int) {
        separate()
        bytes.append(contentsOf: String(value).utf8)
    }

    /// A boolean value.
    public mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    /// null.
    public mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
    }

    /// A line break after the last value (ends a document or a JSON Lines record).
    public mutating func endLine() { bytes.append(0x0A) }

    /// `"name": "text"`.
    public mutating func field(_ name: String, _ text: String) { key(name); string(text) }
    /// `"name": 12`.
    public mutating func field(_ name: String, _ value: Int) { key(name); number(value) }

    // MARK: - Layout

    private mutating func open(_ bracket: UInt8) {
        separate()
        bytes.append(bracket)
        hasElement.append(false)
    }

    private mutating func close(_ bracket: UInt8) {
        let had = hasElement.popLast() ?? false
        if had { newline() }
        bytes.append(bracket)
    }

    /// Before a value or key: a comma after a previous element, then a line break and indent.
    private mutating func separate() {
        if afterKey {
            afterKey = false
            return
        }
        guard let last = hasElement.last else { return }
        if last { bytes.append(UInt8(ascii: ",")) }
        hasElement[hasElement.count - 1] = true
        newline()
    }

    private mutating func newline() {
        guard pretty else { return }
        bytes.append(UInt8(ascii: "\n"))
        bytes.append(contentsOf: repeatElement(0x20, count: 2 * hasElement.count))
    }

    private mutating func appendString(_ text: String) { JSONWriter.appendQuoted(text, to: &bytes) }

    /// `value`'s result text as a JSON string, appended to `bytes`.
    static func appendQuoted<Out: JSONBytes>(_ value: Value, to bytes: inout Out) {
        switch value {
        case .text(let text):
            appendQuoted(text, to: &bytes)
        case .decimal(let decimal):
            bytes.append(UInt8(ascii: "\""))
            bytes.appendPlainText(decimal)   // digits, mark and sign only
            bytes.append(UInt8(ascii: "\""))
        default:
            appendQuoted(value.resultText, to: &bytes)
        }
    }

    /// `text` as a JSON string, quoted and escaped, appended to `bytes`.
    static func appendQuoted<Out: JSONBytes>(_ text: String, to bytes: inout Out) {
        bytes.append(UInt8(ascii: "\""))
        // Fast path: most values need no escaping and are copied in one go.
        var contiguous = text
        let plain = contiguous.withUTF8 { utf8 -> Bool in
            if JSONWriter.needsEscaping(utf8) { return false }
            bytes.appendBytes(utf8)
            return true
        }
        if plain {
            bytes.append(UInt8(ascii: "\""))
            return
        }
        let hex: StaticString = "0123456789abcdef"
        @inline(__always) func escaped(_ letter: UInt8) {
            bytes.append(UInt8(ascii: "\\"))
            bytes.append(letter)
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): escaped(byte)
            case 0x0A: escaped(UInt8(ascii: "n"))
            case 0x0D: escaped(UInt8(ascii: "r"))
            case 0x09: escaped(UInt8(ascii: "t"))
            case 0x08: escaped(UInt8(ascii: "b"))
            case 0x0C: escaped(UInt8(ascii: "f"))
            case 0..<0x20, 0x7F:
                escaped(UInt8(ascii: "u"))
                bytes.append(UInt8(ascii: "0"))
                bytes.append(UInt8(ascii: "0"))
                bytes.append(hex.utf8Start[Int(byte >> 4)])
                bytes.append(hex.utf8Start[Int(byte & 0x0F)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Whether UTF-8 text needs escaping in a JSON string: a control character, `"`, `\\` or
    /// DEL. Eight bytes at a time (each test is exact: a borrow only crosses a byte that
    /// already matched); a byte at a time took 15% of writing a large report.
    static func needsEscaping(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasByteBelow(_ x: UInt64, _ n: UInt64) -> Bool { (x &- n &* ones) & ~x & highs != 0 }
        @inline(__always) func hasByte(_ x: UInt64, _ b: UInt64) -> Bool { hasByteBelow(x ^ (b &* ones), 1) }
        @inline(__always) func special(_ x: UInt64) -> Bool {
            hasByteBelow(x, 0x20) || hasByte(x, 0x22) || hasByte(x, 0x5C) || hasByte(x, 0x7F)
        }
        guard let base = utf8.baseAddress else { return false }
        let raw = UnsafeRawPointer(base)
        let n = utf8.count
        if n < 8 {
            // A short text (a currency, a state) as one word, padded with letters: no byte loop.
            var x: UInt64 = 0x6161_6161_6161_6161
            withUnsafeMutableBytes(of: &x) { $0.baseAddress!.copyMemory(from: raw, byteCount: n) }
            return special(x)
        }
        var i = 0
        while i &+ 8 <= n {
            if special(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) { return true }
            i &+= 8
        }
        // The tail as the last word, overlapping bytes already tested.
        return i < n && special(raw.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self))
    }
}
