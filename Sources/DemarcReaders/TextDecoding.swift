import DemarcCore

/// Decodes raw chunks of one encoding into UTF-8, chunk by chunk.
///
/// Bytes invalid in the encoding (bad UTF-8, an unpaired surrogate, an odd trailing byte of
/// UTF-16) become U+FFFD, and the window remembers where, so that the record holding them is
/// reported as malformed. A sequence cut by a chunk boundary is carried to the next chunk.
struct TextDecoder {
    /// Raw bytes carried between chunks at most.
    static let maximumCarry = 4
    /// Decoded bytes per raw byte at most (a single byte to a 3-byte character, a bad byte to U+FFFD).
    static let maximumGrowth = 3

    let encoding: TextEncoding
    private var carry: [UInt8] = []
    private let table: SingleByteTable?

    init(encoding: TextEncoding) {
        self.encoding = encoding
        switch encoding {
        case .windows1252: table = SingleByteTable.windows1252
        case .iso88591: table = SingleByteTable.latin1
        case .iso885915: table = SingleByteTable.latin9
        case .ibm850: table = SingleByteTable.ibm850
        case .utf8, .utf16le, .utf16be: table = nil
        }
    }

    /// Decodes `chunk` after the carried bytes into `window` (room for
    /// `maximumGrowth * (chunk.count + maximumCarry)` bytes must be reserved).
    mutating func decode(_ chunk: UnsafeRawBufferPointer, into window: ByteWindow, final: Bool) {
        if carry.isEmpty {
            decodeBytes(chunk, into: window, final: final)
        } else {
            var joined = carry
            carry = []
            joined.append(contentsOf: chunk)
            joined.withUnsafeBytes { decodeBytes($0, into: window, final: final) }
        }
    }

    private mutating func decodeBytes(_ bytes: UnsafeRawBufferPointer, into window: ByteWindow, final: Bool) {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count > 0 else { return }
        let used: Int
        switch encoding {
        case .utf8: used = TextDecoder.decodeUTF8(base, count: bytes.count, into: window, final: final)
        case .utf16le: used = TextDecoder.decodeUTF16(base, count: bytes.count, bigEndian: false, into: window, final: final)
        case .utf16be: used = TextDecoder.decodeUTF16(base, count: bytes.count, bigEndian: true, into: window, final: final)
        case .windows1252, .iso88591, .iso885915, .ibm850:
            table?.decode(base, count: bytes.count, into: window)
            used = bytes.count
        }
        if used < bytes.count { carry = Array(UnsafeBufferPointer(start: base + used, count: bytes.count - used)) }
    }

    // MARK: - UTF-8

    /// Validates and copies; returns how many bytes were used (the rest is an incomplete
    /// sequence at the end of a non-final chunk). Invalid sequences are replaced per maximal
    /// subpart, as `String(decoding:as:)` does.
    static func decodeUTF8(_ p: UnsafePointer<UInt8>, count n: Int, into window: ByteWindow, final: Bool) -> Int {
        var i = 0
        var copied = 0
        while i < n {
            i = ASCIIBytes.wordsEnd(p, from: i, count: n)
            guard i < n else { break }
            let lead = p[i]
            if lead < 0x80 { i &+= 1; continue }
            let (length, low, high) = sequence(lead)
            var valid = 0   // bytes of the longest valid prefix
            if length > 0 {
                valid = 1
                while valid < length, i &+ valid < n {
                    let b = p[i &+ valid]
                    let lo: UInt8 = valid == 1 ? low : 0x80
                    let hi: UInt8 = valid == 1 ? high : 0xBF
                    guard b >= lo, b <= hi else { break }
                    valid &+= 1
                }
                if valid == length { i &+= length; continue }
                if i &+ valid == n, !final {
                    window.append(p + copied, count: i - copied)
                    return i
                }
            }
            window.append(p + copied, count: i - copied)
            window.appendReplacement()
            i &+= max(valid, 1)
            copied = i
        }
        window.append(p + copied, count: n - copied)
        return n
    }

    /// What a UTF-8 lead byte starts: the sequence's length (0: the byte cannot start one)
    /// and the range of its second byte (the others are 0x80...0xBF).
    @inline(__always)
    private static func sequence(_ lead: UInt8) -> (length: Int, low: UInt8, high: UInt8) {
        switch lead {
        case 0xC2...0xDF: return (2, 0x80, 0xBF)
        case 0xE0: return (3, 0xA0, 0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: return (3, 0x80, 0xBF)
        case 0xED: return (3, 0x80, 0x9F)
        case 0xF0: return (4, 0x90, 0xBF)
        case 0xF1...0xF3: return (4, 0x80, 0xBF)
        case 0xF4: return (4, 0x80, 0x8F)
        default: return (0, 0x80, 0xBF)
        }
    }

    /// Whether `n` bytes at `p` are valid UTF-8 that no sequence runs past: exactly the bytes
    /// `decodeUTF8` copies unchanged, whole, with nothing to replace or carry.
    static func isWholeUTF8(_ p: UnsafePointer<UInt8>, count n: Int) -> Bool {
        var i = 0
        while i < n {
            i = ASCIIBytes.wordsEnd(p, from: i, count: n)
            guard i < n else { return true }
            let lead = p[i]
            if lead < 0x80 { i &+= 1; continue }
            let (length, low, high) = sequence(lead)
            guard length > 0, i &+ length <= n, p[i &+ 1] >= low, p[i &+ 1] <= high else { return false }
            for k in 2..<length where p[i &+ k] < 0x80 || p[i &+ k] > 0xBF { return false }
            i &+= length
        }
        return true
    }

    /// Whether no bytes of a cut sequence wait for the next chunk.
    var carriesNothing: Bool { carry.isEmpty }

    // MARK: - UTF-16

    /// Decodes UTF-16 code units; returns how many bytes were used.
    static func decodeUTF16(_ p: UnsafePointer<UInt8>, count n: Int, bigEndian: Bool,
                            into window: ByteWindow, final: Bool) -> Int {
        var i = 0
        let out = window.base
        @inline(__always) func unit(_ at: Int) -> UInt32 {
            bigEndian ? UInt32(p[at]) << 8 | UInt32(p[at + 1]) : UInt32(p[at + 1]) << 8 | UInt32(p[at])
        }
        while i + 1 < n {
            let u = unit(i)
            var scalar = u
            var width = 2
            if u >= 0xD800 && u <= 0xDBFF {
                if i + 3 < n {
                    let next = unit(i + 2)
                    if next >= 0xDC00 && next <= 0xDFFF {
                        scalar = 0x10000 + ((u - 0xD800) << 10) + (next - 0xDC00)
                        width = 4
                    } else {
                        scalar = 0xFFFF_FFFF
                    }
                } else if !final {
                    return i
                } else {
                    scalar = 0xFFFF_FFFF
                }
            } else if u >= 0xDC00 && u <= 0xDFFF {
                scalar = 0xFFFF_FFFF
            }
            i += width
            var e = window.end
            switch scalar {
            case 0..<0x80:
                out[e] = UInt8(scalar); e += 1
            case 0x80..<0x800:
                out[e] = UInt8(0xC0 | scalar >> 6); out[e + 1] = UInt8(0x80 | scalar & 0x3F); e += 2
            case 0x800..<0x10000:
                out[e] = UInt8(0xE0 | scalar >> 12); out[e + 1] = UInt8(0x80 | (scalar >> 6) & 0x3F)
                out[e + 2] = UInt8(0x80 | scalar & 0x3F); e += 3
            case 0x10000...0x10FFFF:
                out[e] = UInt8(0xF0 | scalar >> 18); out[e + 1] = UInt8(0x80 | (scalar >> 12) & 0x3F)
                out[e + 2] = UInt8(0x80 | (scalar >> 6) & 0x3F); out[e + 3] = UInt8(0x80 | scalar & 0x3F); e += 4
            default:
                window.appendReplacement()
                continue
            }
            window.end = e
        }
        if i < n {
            if !final { return i }
            window.appendReplacement()   // an odd trailing byte
        }
        return n
    }
}

// MARK: - Single-byte code pages

/// A single-byte code page as the UTF-8 encoding of each of its 256 bytes.
struct SingleByteTable: Sendable {
    /// Per byte: the UTF-8 bytes in the low 24 bits (first byte lowest), the length in the top 8.
    private let entries: [UInt32]

    init(highHalf: (UInt8) -> UInt32) {
        var entries = [UInt32](repeating: 0, count: 256)
        for byte in 0..<256 {
            let scalar = byte < 0x80 ? UInt32(byte) : highHalf(UInt8(byte))
            var packed: UInt32
            switch scalar {
            case 0..<0x80: packed = scalar | 1 << 24
            case 0x80..<0x800: packed = (0xC0 | scalar >> 6) | (0x80 | scalar & 0x3F) << 8 | 2 << 24
            default:
                packed = (0xE0 | scalar >> 12) | (0x80 | (scalar >> 6) & 0x3F) << 8
                    | (0x80 | scalar & 0x3F) << 16 | 3 << 24
            }
            entries[byte] = packed
        }
        self.entries = entries
    }

    /// Decodes `count` bytes (room for three output bytes per input byte must be reserved).
    func decode(_ p: UnsafePointer<UInt8>, count n: Int, into window: ByteWindow) {
        let out = window.base
        var e = window.end
        entries.withUnsafeBufferPointer { table in
            var i = 0
            while i < n {
                // Runs of ASCII are copied eight bytes at a time.
                while i &+ 8 <= n {
                    let word = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                    if word & 0x8080_8080_8080_8080 != 0 { break }
                    UnsafeMutableRawPointer(out + e).storeBytes(of: word, as: UInt64.self)
                    i &+= 8; e &+= 8
                }
                guard i < n else { break }
                let entry = table[Int(p[i])]
                let length = Int(entry >> 24)
                out[e] = UInt8(truncatingIfNeeded: entry)
                if length > 1 { out[e &+ 1] = UInt8(truncatingIfNeeded: entry >> 8) }
                if length > 2 { out[e &+ 2] = UInt8(truncatingIfNeeded: entry >> 16) }
                e &+= length
                i &+= 1
            }
        }
        window.end = e
    }

    /// ISO-8859-1: every byte is the code point of the same number.
    static let latin1 = SingleByteTable { UInt32($0) }

    /// ISO-8859-15: Latin-1 with eight changes (euro sign and letters).
    static let latin9 = SingleByteTable { byte in
        switch byte {
        case 0xA4: return 0x20AC
        case 0xA6: return 0x0160
        case 0xA8: return 0x0161
        case 0xB4: return 0x017D
        case 0xB8: return 0x017E
        case 0xBC: return 0x0152
        case 0xBD: return 0x0153
        case 0xBE: return 0x0178
        default: return UInt32(byte)
        }
    }

    /// Windows-1252 as WHATWG defines it: 0x80-0x9F mapped, the five undefined bytes
    /// (0x81 0x8D 0x8F 0x90 0x9D) to the C1 controls of the same number.
    static let windows1252 = SingleByteTable { byte in
        guard byte >= 0x80, byte <= 0x9F else { return UInt32(byte) }
        return windows1252C1[Int(byte - 0x80)]
    }

    private static let windows1252C1: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    /// IBM code page 850 (DOS Latin-1; GoBD's `OEM`): all 128 upper bytes are mapped.
    static let ibm850 = SingleByteTable { byte in ibm850High[Int(byte - 0x80)] }

    private static let ibm850High: [UInt32] = [
        0x00C7, 0x00FC, 0x00E9, 0x00E2, 0x00E4, 0x00E0, 0x00E5, 0x00E7,
        0x00EA, 0x00EB, 0x00E8, 0x00EF, 0x00EE, 0x00EC, 0x00C4, 0x00C5,
        0x00C9, 0x00E6, 0x00C6, 0x00F4, 0x00F6, 0x00F2, 0x00FB, 0x00F9,
        0x00FF, 0x00D6, 0x00DC, 0x00F8, 0x00A3, 0x00D8, 0x00D7, 0x0192,
        0x00E1, 0x00ED, 0x00F3, 0x00FA, 0x00F1, 0x00D1, 0x00AA, 0x00BA,
        0x00BF, 0x00AE, 0x00AC, 0x00BD, 0x00BC, 0x00A1, 0x00AB, 0x00BB,
        0x2591, 0x2592, 0x2593, 0x2502, 0x2524, 0x00C1, 0x00C2, 0x00C0,
        0x00A9, 0x2563, 0x2551, 0x2557, 0x255D, 0x00A2, 0x00A5, 0x2510,
        0x2514, 0x2534, 0x252C, 0x251C, 0x2500, 0x253C, 0x00E3, 0x00C3,
        0x255A, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550, 0x256C, 0x00A4,
        0x00F0, 0x00D0, 0x00CA, 0x00CB, 0x00C8, 0x0131, 0x00CD, 0x00CE,
        0x00CF, 0x2518, 0x250C, 0x2588, 0x2584, 0x00A6, 0x00CC, 0x2580,
        0x00D3, 0x00DF, 0x00D4, 0x00D2, 0x00F5, 0x00D5, 0x00B5, 0x00FE,
        0x00DE, 0x00DA, 0x00DB, 0x00D9, 0x00FD, 0x00DD, 0x00AF, 0x00B4,
        0x00AD, 0x00B1, 0x2017, 0x00BE, 0x00B6, 0x00A7, 0x00F7, 0x00B8,
        0x00B0, 0x00A8, 0x00B7, 0x00B9, 0x00B3, 0x00B2, 0x25A0, 0x00A0,
    ]
}
