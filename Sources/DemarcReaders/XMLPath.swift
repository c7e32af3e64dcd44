import CLibXML2
import DemarcCore

/// The syntax of the XML paths a source may name: record paths `/A/B/C`, `//C` and `/*` (`*`: any element; `//A/B`
/// too), field paths `A`, `A/B`, `@attr`, `A/@attr` and `//A` relative to the record, every
/// step optionally prefixed (`pt:A`, `@pt:attr`).
public struct XMLPath: Sendable, Hashable {
    /// One step: a local name and the prefix written before it in the rule file, if any.
    public struct Step: Sendable, Hashable {
        /// The prefix as written in the rule file (resolved through `XMLOptions.namespaces`).
        public var prefix: String?
        /// The local name to match.
        public var localName: String
    }

    /// True for `//…`: the element steps may start at any depth (below the record for fields).
    public var anyDepth: Bool
    /// The element steps, outermost first.
    public var elements: [Step]
    /// The final attribute step of a field path (`@attr`), if any.
    public var attribute: Step?

    /// Parses a record path, or says why `text` is not one.
    public static func record(_ text: String) -> Result<XMLPath, XMLPathError> {
        guard text.hasPrefix("/") else { return .failure(XMLPathError(path: text, reason: "a record path starts with '/' or '//'")) }
        let anyDepth = text.hasPrefix("//")
        let body = text.dropFirst(anyDepth ? 2 : 1)
        return parse(text, body: body, anyDepth: anyDepth, allowAttribute: false)
    }

    /// Parses a field path (relative to the record element), or says why `text` is not one.
    public static func field(_ text: String) -> Result<XMLPath, XMLPathError> {
        if text.hasPrefix("//") { return parse(text, body: text.dropFirst(2), anyDepth: true, allowAttribute: true) }
        if text.hasPrefix("/") {
            return .failure(XMLPathError(path: text, reason: "a field path is relative to the record element"))
        }
        return parse(text, body: Substring(text), anyDepth: false, allowAttribute: true)
    }

    private static func parse(_ text: String, body: Substring, anyDepth: Bool, allowAttribute: Bool) -> Result<XMLPath, XMLPathError> {
        let parts = body.split(separator: "/", omittingEmptySubsequences: false)
        var path = XMLPath(anyDepth: anyDepth, elements: [], attribute: nil)
        for (index, part) in parts.enumerated() {
            var name = part
            let isAttribute = name.hasPrefix("@")
            if isAttribute {
                guard allowAttribute else { return .failure(XMLPathError(path: text, reason: "a record path names elements only")) }
                guard index == parts.count - 1 else {
                    return .failure(XMLPathError(path: text, reason: "an attribute step '\(part)' must come last"))
                }
                name = name.dropFirst()
            }
            if !allowAttribute && name == "*" {   // a record step matching any element: `/*`
                path.elements.append(Step(prefix: nil, localName: "*"))
                continue
            }
            guard let step = Step(qualified: name) else {
                let reason = part.isEmpty ? "an empty step" : "'\(part)' is not an element or attribute name"
                return .failure(XMLPathError(path: text, reason: reason))
            }
            if isAttribute { path.attribute = step } else { path.elements.append(step) }
        }
        if anyDepth && path.elements.isEmpty {
            return .failure(XMLPathError(path: text, reason: "'//' must be followed by an element name"))
        }
        return .success(path)
    }
}

/// Why a text is not a valid XML path (for the rule loader's diagnostics).
public struct XMLPathError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The path as written.
    public var path: String
    /// A lowercase reason.
    public var reason: String
    /// `invalid xml path 'A//B': an empty step`.
    public var description: String { "invalid xml path '\(path)': \(reason)" }
}

extension XMLPath.Step {
    /// `local` or `prefix:local`; both parts must be XML names without `:`.
    init?(qualified: Substring) {
        let pieces = qualified.split(separator: ":", omittingEmptySubsequences: false)
        guard pieces.count <= 2, pieces.allSatisfy(XMLPath.Step.isName) else { return nil }
        if pieces.count == 2 {
            prefix = String(pieces[0])
            localName = String(pieces[1])
        } else {
            prefix = nil
            localName = String(qualified)
        }
    }

    /// A permissive NCName check: not empty, no white space, no markup or path characters.
    static func isName(_ text: Substring) -> Bool {
        guard let first = text.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first),
              first != UInt8(ascii: "-"), first != UInt8(ascii: ".") else { return false }
        for byte in text.utf8 {
            switch byte {
            case 0...0x20, UInt8(ascii: "/"), UInt8(ascii: "@"), UInt8(ascii: "<"), UInt8(ascii: ">"),
                 UInt8(ascii: "&"), UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "="), UInt8(ascii: "*"),
                 UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: ","):
                return false
            default: continue
            }
        }
        return true
    }
}

// MARK: - Steps bound to one parse

/// A step resolved against the parser's name dictionary: libxml2 interns every element and
/// attribute local name in `ctxt->dict`, so a name test is one pointer comparison.
struct XMLBoundStep {
    /// The interned local name; nil never matches (a prefix missing from `namespaces`).
    var name: UnsafePointer<xmlChar>?
    /// The namespace URI a prefixed step requires; nil for unprefixed steps (any namespace).
    var uri: UnsafePointer<xmlChar>?
    /// A record step `*`: matches every element.
    var any = false

    /// The namespace of the `xml:` prefix, bound without being declared (XML Names 3).
    static let xmlNamespace = "http://www.w3.org/XML/1998/namespace"

    init(_ step: XMLPath.Step, namespaces: [String: String], dict: xmlDictPtr?) {
        name = nil
        uri = nil
        if step.prefix == nil && step.localName == "*" { any = true; return }
        guard let dict else { return }
        if let prefix = step.prefix {
            guard let namespace = namespaces[prefix] ?? (prefix == "xml" ? Self.xmlNamespace : nil) else { return }
            uri = XMLBoundStep.intern(namespace, dict)
            guard uri != nil else { return }
        }
        name = XMLBoundStep.intern(step.localName, dict)
    }

    private static func intern(_ text: String, _ dict: xmlDictPtr) -> UnsafePointer<xmlChar>? {
        var bytes = Array(text.utf8)
        guard bytes.count < Int(Int32.max) else { return nil }
        let count = Int32(bytes.count)
        bytes.append(0)
        return bytes.withUnsafeBufferPointer { xmlDictLookup(dict, $0.baseAddress, count) }
    }

    /// Whether an element or attribute with this local name and namespace matches the step.
    @inline(__always)
    func matches(_ localName: UnsafePointer<xmlChar>?, _ namespace: UnsafePointer<xmlChar>?) -> Bool {
        if any { return true }
        guard let name, name == localName else { return false }
        guard let uri else { return true }
        guard let namespace else { return false }
        return uri == namespace || xmlStrEqual(uri, namespace) == 1
    }
}
