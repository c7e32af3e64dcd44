#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import DemarcCore

// MARK: - Decoded window

/// The decoded UTF-8 bytes the CSV scanner works on: the unfinished record plus what was read
/// after it. Manually managed so that the hot loop works on one raw pointer without
/// copy-on-write checks; grows only when one record is longer than the window.
final class ByteWindow {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    /// The first byte not yet consumed by the scanner.
    var start = 0
    /// One past the last decoded byte.
    var end = 0
    /// Offsets of U+FFFD that the decoder wrote for bytes invalid in the encoding, ascending.
    var marks: [Int] = []

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// Moves the unconsumed bytes to the front (their offsets change by `-start`).
    func compact() {
        guard start > 0 else { return }
        let live = end - start
        if live > 0 { memmove(base, base + start, live) }
        if !marks.isEmpty {
            let shift = start
            marks = marks.compactMap { $0 >= shift ? $0 - shift : nil }
        }
        end = live
        start = 0
    }

    /// Makes room for `extra` more bytes after `end`.
    func reserve(_ extra: Int) {
        let needed = end + extra
        guard needed > capacity else { return }
        var newCapacity = capacity
        while newCapacity < needed { newCapacity = newCapacity &* 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        grown.update(from: base, count: end)
        base.deallocate()
        base = grown
        capacity = newCapacity
    }

    /// Appends bytes (capacity must have been reserved).
    @inline(__always) func append(_ bytes: UnsafePointer<UInt8>, count: Int) {
        guard count > 0 else { return }
        (base + end).update(from: bytes, count: count)
        end &+= count
    }

    /// Appends U+FFFD for input bytes invalid in the encoding and remembers where.
    func appendReplacement() {
        marks.append(end)
        base[end] = 0xEF; base[end + 1] = 0xBF; base[end + 2] = 0xBD
        end &+= 3
    }

    /// Whether a replacement for invalid input lies in `range`.
    func hasMark(in range: Range<Int>) -> Bool {
        guard !marks.isEmpty else { return false }
        var low = 0, high = marks.count
        while low < high {
            let mid = (low + high) / 2
            if marks[mid] < range.lowerBound { low = mid + 1 } else { high = mid }
        }
        return low < marks.count && marks[low] < range.upperBound
    }
}

// MARK: - Raw bytes

/// Where raw bytes come from: a file opened with POSIX `open`, or standard input, optionally
/// preceded by bytes already taken from it (the DATEV header read of standard input).
final class ByteSource {
    private let fd: Int32
    private let ownsDescriptor: Bool
    private var prefix: [UInt8]
    private var prefixOffset = 0
    /// When set, every byte handed out is also kept here.
    var captured: [UInt8]?
    /// Whether the reader hashes the bytes (`InputFile.digest`).
    let digest: Bool

    /// Opens `input`; a path that cannot be opened throws `.unreadableInput`.
    init(input: InputFile, prefix: [UInt8] = []) throws {
        self.prefix = prefix
        digest = input.digest
        if let path = input.path {
            var descriptor: Int32
            repeat { descriptor = open(path, O_RDONLY) } while descriptor < 0 && errno == EINTR
            guard descriptor >= 0 else {
                throw DemarcError.unreadableInput(SourcePosition(file: input.displayName, line: 0),
                                                  "cannot open: \(systemReason(errno))")
            }
            fd = descriptor
            ownsDescriptor = true
        } else {
            fd = 0
            ownsDescriptor = false
        }
    }

    deinit { if ownsDescriptor { _ = close(fd) } }

    /// Reads up to `count` bytes into `buffer`; 0 at the end of the input.
    func read(into buffer: UnsafeMutableRawPointer, count: Int, displayName: String) throws -> Int {
        if prefixOffset < prefix.count {
            let n = min(count, prefix.count - prefixOffset)
            prefix.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress! + prefixOffset, byteCount: n) }
            prefixOffset += n
            if prefixOffset == prefix.count { prefix = [] ; prefixOffset = 0 }
            keep(buffer, n)
            return n
        }
        while true {
            #if canImport(Darwin)
            let n = Darwin.read(fd, buffer, count)
            #elseif canImport(Musl)
            let n = Musl.read(fd, buffer, count)
            #else
            let n = Glibc.read(fd, buffer, count)
            #endif
            if n >= 0 {
                keep(buffer, n)
                return n
            }
            if errno == EINTR { continue }
            throw DemarcError.unreadableInput(SourcePosition(file: displayName, line: 0),
                                              "cannot read: \(systemReason(errno))")
        }
    }

    private func keep(_ buffer: UnsafeMutableRawPointer, _ n: Int) {
        guard captured != nil, n > 0 else { return }
        captured?.append(contentsOf: UnsafeRawBufferPointer(start: buffer, count: n))
    }
}

/// The C library's reason for `code`, lowercased at its start ("no such file or directory").
func systemReason(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "error \(code)" }
    let reason = String(cString: text)
    guard let first = reason.first else { return "error \(code)" }
    return first.lowercased() + reason.dropFirst()
}

// MARK: - Reading and decoding

/// Reads raw chunks, hashes them, hands them to `onChunk` and decodes them into the window.
final class DecodedInput {
    /// Raw bytes per `read` call: large, so that system calls do not show in profiles.
    static let defaultChunkSize = 1 << 20

    /// Raw bytes per `read` call (tests use tiny chunks to exercise every boundary).
    let chunkSize: Int

    let window: ByteWindow
    private let source: ByteSource
    private let displayName: String
    private let onChunk: ((UnsafeRawBufferPointer) -> Void)?
    private var hasher = SHA256()
    private var decoder: TextDecoder
    private let raw: UnsafeMutableRawPointer
    private let rawCapacity: Int
    private(set) var atEnd = false
    private(set) var encoding: TextEncoding
    private(set) var encodingSource: String

    init(source: ByteSource, displayName: String, declared: TextEncoding?,
         onChunk: ((UnsafeRawBufferPointer) -> Void)?, chunkSize: Int = DecodedInput.defaultChunkSize) {
        self.chunkSize = max(chunkSize, 4)
        self.source = source
        self.displayName = displayName
        self.onChunk = onChunk
        encoding = declared ?? .utf8
        encodingSource = declared == nil ? "default" : "declared"
        decoder = TextDecoder(encoding: encoding)
        rawCapacity = self.chunkSize + TextDecoder.maximumCarry
        raw = .allocate(byteCount: rawCapacity, alignment: 16)
        window = ByteWindow(capacity: 4 * self.chunkSize)
    }

    deinit { raw.deallocate() }

    /// The lowercase hex SHA-256 of every raw byte read so far; empty when the input is not
    /// hashed (`InputFile.digest`).
    func finishHash() -> String { source.digest ? hasher.finalizeHex() : "" }

    /// Reads the first bytes, lets a BOM decide the encoding, and decodes them.
    func begin() throws {
        var have = 0
        while have < 3 {
            let n = try readRaw(at: have, count: chunkSize - have)
            if n == 0 { atEnd = true; break }
            have += n
        }
        var skip = 0
        let b = raw.assumingMemoryBound(to: UInt8.self)
        if have >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF {
            encoding = .utf8; skip = 3
        } else if have >= 2, b[0] == 0xFF, b[1] == 0xFE {
            encoding = .utf16le; skip = 2
        } else if have >= 2, b[0] == 0xFE, b[1] == 0xFF {
            encoding = .utf16be; skip = 2
        }
        if skip > 0 {
            encodingSource = "BOM"
            decoder = TextDecoder(encoding: encoding)
        }
        window.reserve(TextDecoder.maximumGrowth * (have - skip) + 16)
        decoder.decode(UnsafeRawBufferPointer(start: raw + skip, count: have - skip), into: window, final: atEnd)
    }

    /// Reads at least `minimum` more raw bytes (or up to the end) and decodes them after the
    /// window's unconsumed bytes. Always makes progress or sets `atEnd`.
    func fill(minimum: Int = 0) throws {
        window.compact()
        var got = 0
        repeat {
            if encoding == .utf8 && skipRawBytes == 0 && decoder.carriesNothing {
                // UTF-8 read straight into the window and checked in place: a chunk that is
                // whole, valid UTF-8 (nearly all) is its own decoding, with no copy. Room for
                // decoding it the general way, should it not be.
                window.reserve(TextDecoder.maximumGrowth * chunkSize + 16)
                let into = window.base + window.end
                let n = try readRaw(into: UnsafeMutableRawPointer(into), count: chunkSize)
                if n == 0 {
                    atEnd = true
                    decoder.decode(UnsafeRawBufferPointer(start: raw, count: 0), into: window, final: true)
                    return
                }
                if TextDecoder.isWholeUTF8(into, count: n) {
                    window.end += n
                } else {
                    raw.copyMemory(from: into, byteCount: n)
                    decoder.decode(UnsafeRawBufferPointer(start: raw, count: n), into: window, final: false)
                }
                got += n
                continue
            }
            let n = try readRaw(at: 0, count: chunkSize)
            if n == 0 {
                atEnd = true
                window.reserve(16)
                decoder.decode(UnsafeRawBufferPointer(start: raw, count: 0), into: window, final: true)
                return
            }
            window.reserve(TextDecoder.maximumGrowth * n + 16)
            decoder.decode(UnsafeRawBufferPointer(start: raw, count: n), into: window, final: false)
            got += n
        } while got < minimum
    }

    /// Raw bytes still to be hashed but not decoded (GoBD `SkipNumBytes`); set before `begin`.
    var skipRawBytes = 0
    /// LF bytes among the skipped raw bytes, so that line numbers count the whole file.
    private(set) var skippedLineBreaks = 0

    private func readRaw(at offset: Int, count: Int) throws -> Int {
        try readRaw(into: raw + offset, count: count)
    }

    /// Reads up to `count` raw bytes to `buffer`, hashes them and shows them to `onChunk`, then
    /// drops what `skipRawBytes` says; 0 at the end of the input.
    private func readRaw(into buffer: UnsafeMutableRawPointer, count: Int) throws -> Int {
        while true {
            var n = try source.read(into: buffer, count: count, displayName: displayName)
            guard n > 0 else { return 0 }
            let chunk = UnsafeRawBufferPointer(start: buffer, count: n)
            if source.digest { hasher.update(chunk) }
            onChunk?(chunk)
            guard skipRawBytes > 0 else { return n }
            let dropped = min(skipRawBytes, n)
            for byte in chunk.prefix(dropped) where byte == 0x0A { skippedLineBreaks += 1 }
            skipRawBytes -= dropped
            n -= dropped
            if n > 0 { buffer.copyMemory(from: buffer + dropped, byteCount: n); return n }
        }
    }
}
