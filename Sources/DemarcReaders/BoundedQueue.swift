import Foundation

/// A queue between one producing and one consuming thread: `put` waits while `capacity` items
/// are pending, `take` while none is. Once stopped, items are dropped and `put` returns false
/// (the consumer failed; the producer ends its work); `close` says no more items follow.
public final class BoundedQueue<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Element] = []
    private var head = 0
    private var closed = false
    private var stopped = false
    private var capacity: Int

    public init(capacity: Int) { self.capacity = max(1, capacity) }

    /// From now on `put` waits while `capacity` items are pending.
    public func limit(to capacity: Int) {
        condition.lock()
        self.capacity = max(1, capacity)
        condition.broadcast()
        condition.unlock()
    }

    /// Queues `item`, waiting while the queue is full; false (and the item dropped) once stopped.
    @discardableResult
    public func put(_ item: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count - head >= capacity && !stopped { condition.wait() }
        if stopped { return false }
        items.append(item)
        condition.broadcast()
        return true
    }

    /// The next item; nil once the queue is closed and empty.
    public func take() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while items.count == head && !closed { condition.wait() }
        if items.count == head { return nil }
        let item = items[head]
        head += 1
        if head == items.count || head >= 64 {
            items.removeFirst(head)
            head = 0
        }
        condition.broadcast()
        return item
    }

    /// No more items follow.
    public func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// Drops what is pending and every later item.
    public func stop() {
        condition.lock()
        stopped = true
        items = []
        head = 0
        condition.broadcast()
        condition.unlock()
    }
}
