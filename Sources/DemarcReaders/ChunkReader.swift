import Foundation
import DemarcCore

/// Reads a source ahead on a thread of its own, in chunks: that thread reads, computes the
/// SHA-256 of every byte and shows each chunk to `onChunk`, and the caller (the parser's
/// thread) takes the chunks in order, may rewrite them in place (line ends) and gives each back
/// once pushed. The parser's core then only parses: the system calls, the checksum (about an
/// eighth of an XML read in `perf`) and no copy of the bytes run beside it.
final class ChunkReader: @unchecked Sendable {
    /// One chunk: `count` bytes at `bytes`; a count of 0 ends the input.
    struct Chunk {
        let bytes: UnsafeMutableRawPointer
        let count: Int
    }

    /// Buffers in use at once (read ahead, being parsed).
    private static let buffers = 4

    private let source: ByteSource
    private let capacity: Int
    private let displayName: String
    private let onChunk: ((UnsafeRawBufferPointer) -> Void)?
    private let free = BoundedQueue<UnsafeMutableRawPointer>(capacity: .max)
    private let full = BoundedQueue<Result<Chunk, Error>>(capacity: .max)
    private var owned: [UnsafeMutableRawPointer] = []
    private var hasher = SHA256()
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var finished = false

    /// Starts reading `source` in chunks of `capacity` bytes (the first one at least 4 bytes,
    /// unless the input is shorter: the XML prolog is read from it).
    init(source: ByteSource, capacity: Int, displayName: String, onChunk: ((UnsafeRawBufferPointer) -> Void)?) {
        self.source = source
        self.capacity = capacity
        self.displayName = displayName
        self.onChunk = onChunk
        for _ in 0..<ChunkReader.buffers {
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
            owned.append(buffer)
            free.put(buffer)
        }
        Thread { [self] in readAhead() }.start()
    }

    // The reading thread holds the reader until it ends, so the buffers outlive it.
    deinit {
        for buffer in owned { buffer.deallocate() }
    }

    /// The next chunk (count 0 at the end of the input); throws what reading threw.
    func next() throws -> Chunk {
        guard let result = full.take() else { return Chunk(bytes: owned[0], count: 0) }
        return try result.get()
    }

    /// Gives a chunk's buffer back for reading ahead.
    func recycle(_ chunk: Chunk) {
        free.put(chunk.bytes)
    }

    /// The lowercase hex SHA-256 of every byte read; call after the last chunk (count 0).
    func finishHex() -> String {
        close()
        done.wait()
        return source.digest ? hasher.finalizeHex() : ""
    }

    /// Stops reading ahead; call it on every path. It does not wait for a read in flight (on
    /// standard input that may wait for its writer): the reading thread ends after it.
    func close() {
        lock.lock()
        let first = !finished
        finished = true
        lock.unlock()
        guard first else { return }
        full.stop()
        free.close()
    }

    private func readAhead() {
        var first = true
        while let buffer = free.take() {
            let n: Int
            do {
                n = first ? try source.read(into: buffer, count: capacity, atLeast: 4, displayName: displayName)
                          : try source.read(into: buffer, count: capacity, displayName: displayName)
            } catch {
                full.put(.failure(error))
                break
            }
            first = false
            let chunk = UnsafeRawBufferPointer(start: buffer, count: n)
            if source.digest { hasher.update(chunk) }
            if n > 0 { onChunk?(chunk) }
            if !full.put(.success(Chunk(bytes: buffer, count: n))) || n == 0 { break }
        }
        full.close()
        done.signal()
    }
}
