#if canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#else
import Glibc
#endif
import CLibXML2
import DemarcCore

/// The open elements, outermost first: each one's interned local name and namespace URI.
///
/// A fixed buffer of `maxDepth` levels (4 KiB), overwritten in place: no allocation, no
/// uniqueness check and no bounds-check failure path per element. Call `release()` once.
struct XMLElementStack {
    struct Level {
        var name: UnsafePointer<xmlChar>?
        var uri: UnsafePointer<xmlChar>?
    }

    /// libxml2's own depth limit without XML_PARSE_HUGE (`xmlParserMaxDepth`), which its push
    /// parser does not enforce; deeper documents are refused.
    static let maxDepth = 256

    private let levels: UnsafeMutablePointer<Level>
    private(set) var depth = 0

    init() {
        levels = .allocate(capacity: XMLElementStack.maxDepth)
        levels.initialize(repeating: Level(), count: XMLElementStack.maxDepth)
    }

    /// Frees the buffer; the stack is unusable afterwards.
    func release() { levels.deallocate() }

    /// Opens a level; false (and nothing opened) beyond `maxDepth`.
    @inline(__always)
    mutating func push(_ name: UnsafePointer<xmlChar>?, _ uri: UnsafePointer<xmlChar>?) -> Bool {
        guard depth < XMLElementStack.maxDepth else { return false }
        levels[depth] = Level(name: name, uri: uri)
        depth += 1
        return true
    }

    @inline(__always)
    mutating func pop() { if depth > 0 { depth -= 1 } }

    /// The refusal of a start tag beyond `maxDepth`.
    static func tooDeep(_ context: UnsafeMutablePointer<XMLSAXContext>) -> DemarcError {
        context.pointee.refusal("elements nested deeper than \(maxDepth)")
    }

    /// Whether the `count` steps starting at `steps[first]` match the innermost `count` levels.
    @inline(__always)
    func endsWith(_ steps: UnsafeBufferPointer<XMLBoundStep>, first: Int, count: Int) -> Bool {
        guard count > 0, count <= depth, first >= 0, first + count <= steps.count else { return false }
        var step = first + count - 1
        var level = depth - 1
        // Innermost first: the element just opened is the likeliest to differ.
        while step >= first {
            let l = levels[level]
            if !steps[step].matches(l.name, l.uri) { return false }
            step -= 1
            level -= 1
        }
        return true
    }
}

/// The record path bound to one parse.
struct XMLRecordMatcher {
    var steps: [XMLBoundStep] = []
    var anyDepth = false

    init() {}

    init(_ path: XMLPath, namespaces: [String: String], dict: xmlDictPtr?) {
        steps = path.elements.map { XMLBoundStep($0, namespaces: namespaces, dict: dict) }
        anyDepth = path.anyDepth
    }

    /// Whether the element just opened (the top of `stack`) is a record.
    @inline(__always)
    func matches(_ stack: XMLElementStack) -> Bool {
        let depth = stack.depth
        guard anyDepth ? depth >= steps.count : depth == steps.count else { return false }
        return steps.withUnsafeBufferPointer { stack.endsWith($0, first: 0, count: $0.count) }
    }
}

/// One requested field bound to one parse; plain values only, so the per-element loop copies
/// no reference-counted storage.
struct XMLFieldPlan {
    /// The interned local name of the last element step (nil: no element step, or one that
    /// never matches): one pointer comparison rules out almost every plan per element.
    var lastName: UnsafePointer<xmlChar>?
    /// The element steps are `steps[firstStep ..< firstStep + stepCount]` of the machine.
    var firstStep: Int
    var stepCount: Int
    var anyDepth: Bool
    var attribute: XMLBoundStep?
    var keepAll: Bool
}

/// Attribute values found in a SAX2 start tag: `attributes` holds five pointers per attribute
/// (local name, prefix, URI, value start, value end).
struct XMLAttributes {
    var base: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    var count: Int

    /// The value bytes of the first attribute matching `step`.
    @inline(__always)
    func value(matching step: XMLBoundStep) -> UnsafeBufferPointer<UInt8>? {
        guard let base, count > 0 else { return nil }
        for i in 0..<count {
            let entry = base + 5 * i
            guard step.matches(entry[0], entry[2]), let start = entry[3], let end = entry[4], end >= start else { continue }
            return UnsafeBufferPointer(start: start, count: start.distance(to: end))
        }
        return nil
    }

    /// Appends an attribute value to `bytes`, undoing libxml2's SAX2 escape of `&` as `&#38;`
    /// (it keeps `&` escaped when entities are not substituted; every other predefined entity
    /// and character reference arrives decoded).
    static func appendValue(_ value: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8]) {
        guard let start = value.baseAddress, memchr(start, 0x26, value.count) != nil else {
            bytes.append(contentsOf: value)
            return
        }
        var i = 0
        while i < value.count {
            if value[i] == 0x26, i + 4 < value.count, value[i + 1] == 0x23, value[i + 2] == 0x33,
               value[i + 3] == 0x38, value[i + 4] == 0x3B {
                bytes.append(0x26)
                i += 5
            } else {
                bytes.append(value[i])
                i += 1
            }
        }
    }
}

/// XML white space (XML 1.0, production S).
@inline(__always)
func isXMLSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D }

/// `range` of `bytes` without leading and trailing XML white space.
@inline(__always)
func trimmedXMLRange(_ bytes: [UInt8], _ range: Range<Int>) -> Range<Int> {
    var lower = range.lowerBound
    var upper = range.upperBound
    while lower < upper, isXMLSpace(bytes[lower]) { lower += 1 }
    while upper > lower, isXMLSpace(bytes[upper - 1]) { upper -= 1 }
    return lower..<upper
}
