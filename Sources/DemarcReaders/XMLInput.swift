#if canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#else
import Glibc
#endif
import DemarcCore

extension ByteSource {
    /// Fills `buffer` with at least `minimum` bytes unless the input ends first (the XML
    /// prolog needs its first four bytes at once).
    func read(into buffer: UnsafeMutableRawPointer, count: Int, atLeast minimum: Int, displayName: String) throws -> Int {
        var total = 0
        while total < min(minimum, count) {
            let n = try read(into: buffer + total, count: count - total, displayName: displayName)
            if n == 0 { break }
            total += n
        }
        return total
    }
}

// MARK: - Prolog

/// What the first bytes of an XML document say about its encoding.
struct XMLProlog {
    /// Lowercase encoding name for ReadSummary.
    var encoding = "utf-8"
    /// "BOM", "XML declaration" or "default".
    var source = "default"
    /// Whether the encoding maps CR and LF to the single bytes 0x0D and 0x0A (so that lone CRs
    /// may be rewritten as LFs before parsing); false for UTF-16, UTF-32 and EBCDIC.
    var asciiLineEnds = true

    /// Reads the byte order mark and the `encoding` of the XML declaration in `head`.
    init(head: UnsafeRawBufferPointer) {
        let b = Array(head.prefix(4))
        func starts(_ prefix: [UInt8]) -> Bool { b.count >= prefix.count && Array(b.prefix(prefix.count)) == prefix }
        if starts([0xEF, 0xBB, 0xBF]) {
            source = "BOM"
        } else if starts([0x00, 0x00, 0xFE, 0xFF]) || starts([0xFF, 0xFE, 0x00, 0x00]) {
            (encoding, source, asciiLineEnds) = (starts([0x00]) ? "ucs-4be" : "ucs-4le", "BOM", false)
        } else if starts([0xFE, 0xFF]) || starts([0xFF, 0xFE]) {
            (encoding, source, asciiLineEnds) = (starts([0xFE]) ? "utf-16be" : "utf-16le", "BOM", false)
        } else if starts([0x3C, 0x00]) || starts([0x00, 0x3C]) {
            // UTF-16 without a BOM: the declaration is read from every other byte.
            (encoding, asciiLineEnds) = (starts([0x3C]) ? "utf-16le" : "utf-16be", false)
            if let declared = XMLProlog.declaredEncoding(head, step: 2, first: starts([0x3C]) ? 0 : 1) {
                (encoding, source) = (declared, "XML declaration")
            }
        } else if starts([0x00, 0x00]) || starts([0x4C, 0x6F, 0xA7, 0x94]) {
            (encoding, asciiLineEnds) = (starts([0x4C]) ? "ebcdic" : "ucs-4", false)
        } else if let declared = XMLProlog.declaredEncoding(head, step: 1, first: 0) {
            (encoding, source) = (declared, "XML declaration")
        }
    }

    /// The `encoding="…"` pseudo-attribute of a leading `<?xml …?>`, lowercased; for UTF-16
    /// without BOM every `step`-th byte starting at `first` is read.
    private static func declaredEncoding(_ head: UnsafeRawBufferPointer, step: Int, first: Int) -> String? {
        var text: [UInt8] = []
        var i = first
        while i < head.count, text.count < 400 {
            text.append(head[i])
            if text.count >= 2, text[text.count - 2] == UInt8(ascii: "?"), text[text.count - 1] == UInt8(ascii: ">") { break }
            i += step
        }
        guard text.starts(with: Array("<?xml".utf8)), text.count > 5,
              [0x20, 0x09, 0x0A, 0x0D].contains(text[5]) else { return nil }
        let key = Array("encoding".utf8)
        var j = 5
        while j + key.count <= text.count {
            if Array(text[j..<(j + key.count)]) == key {
                var k = j + key.count
                while k < text.count, [0x20, 0x09, 0x0A, 0x0D].contains(text[k]) { k += 1 }
                guard k < text.count, text[k] == UInt8(ascii: "=") else { return nil }
                k += 1
                while k < text.count, [0x20, 0x09, 0x0A, 0x0D].contains(text[k]) { k += 1 }
                guard k < text.count, text[k] == UInt8(ascii: "\"") || text[k] == UInt8(ascii: "'") else { return nil }
                let quote = text[k]
                guard let end = text[(k + 1)...].firstIndex(of: quote) else { return nil }
                return String(decoding: text[(k + 1)..<end], as: UTF8.self).lowercased()
            }
            j += 1
        }
        return nil
    }
}

// MARK: - Line ends

/// Rewrites lone CRs as LFs before libxml2 sees the bytes.
///
/// XML normalises CR and CRLF to LF before parsing (XML 1.0, 2.11), so the rewrite changes no
/// value; but libxml2 counts only LFs as lines, and demarc reports the lines a person sees.
/// A CR at the end of a chunk is held back until the next byte is known.
struct XMLLineEndNormalizer {
    /// A CR ended the previous chunk and was not passed on.
    private(set) var pendingCR = false

    /// Rewrites lone CRs of `chunk` in place; returns how many leading bytes to pass on now and
    /// whether an LF must be passed before them (a held-back lone CR).
    mutating func normalize(_ chunk: UnsafeMutableRawBufferPointer) -> (count: Int, leadingLF: Bool) {
        var leadingLF = false
        if pendingCR {
            pendingCR = false
            if chunk.first != 0x0A { leadingLF = true }
            // A held-back CR before an LF is dropped: the LF ends the line.
        }
        guard let base = chunk.baseAddress, !chunk.isEmpty else { return (0, leadingLF) }
        let count = chunk.count
        var offset = 0
        while offset < count, let hit = memchr(base + offset, 0x0D, count - offset) {
            let index = base.distance(to: hit)
            if index + 1 == count {
                pendingCR = true
                return (index, leadingLF)
            }
            if chunk[index + 1] != 0x0A { chunk[index] = 0x0A }
            offset = index + 1
        }
        return (count, leadingLF)
    }
}
