#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CLibXML2
import DemarcCore

/// An element of `index.xml`: its local name, text and child elements.
struct GoBDNode: Sendable, Hashable {
    var name: String
    var line: Int
    /// The element's own character data, untrimmed (delimiters may be white space).
    var rawText = ""
    var children: [GoBDNode] = []

    /// The text with XML white space trimmed.
    var text: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        guard let start = rawText.firstIndex(where: { !isSpace($0) }),
              let end = rawText.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(rawText[start...end])
    }

    /// The first child named `name`.
    func child(_ name: String) -> GoBDNode? { children.first { $0.name == name } }
}

/// Parses an index file into `GoBDNode`s with libxml2's SAX2 parser.
///
/// Unlike data XML, the DOCTYPE is accepted: `internalSubset` and `externalSubset` do nothing,
/// so the DTD it names is never loaded (no DTDLOAD, and the process-wide entity loader refuses
/// everything). Entity declarations and references to declared entities are refused.
final class GoBDIndexParse {
    /// Index files are descriptions, not data: a larger file is refused.
    static let maximumSize = 64 << 20

    private let displayName: String
    private var stack: [GoBDNode] = []
    private var root: GoBDNode?
    private var failure: DemarcError?
    private var ctxt: xmlParserCtxtPtr?

    private init(displayName: String) { self.displayName = displayName }

    static func parse(path: String, displayName: String) throws -> GoBDNode {
        let bytes = try readWhole(path: path, displayName: displayName)
        let parse = GoBDIndexParse(displayName: displayName)
        return try parse.run(bytes)
    }

    private static func readWhole(path: String, displayName: String) throws -> [UInt8] {
        let source = try ByteSource(input: InputFile(displayName: displayName, path: path))
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = try chunk.withUnsafeMutableBytes { buffer in
                try source.read(into: buffer.baseAddress!, count: buffer.count, displayName: displayName)
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
            if bytes.count > maximumSize {
                throw DemarcError.unreadableInput(SourcePosition(file: displayName, line: 0),
                                                  "the gobd index is larger than \(maximumSize >> 20) MiB")
            }
        }
        return bytes
    }

    private func run(_ bytes: [UInt8]) throws -> GoBDNode {
        XMLPushParse.initializeOnce()
        var handler = xmlSAXHandler()
        handler.initialized = UInt32(XML_SAX2_MAGIC)
        // The DOCTYPE names the GDPdU DTD: accepted, never loaded.
        handler.internalSubset = { _, _, _, _ in }
        handler.externalSubset = { _, _, _, _ in }
        handler.entityDecl = { userData, name, _, _, _, _ in
            GoBDIndexParse.from(userData)?.refuse("entity declaration '\(name.map { String(cString: $0) } ?? "")' not allowed in a gobd index")
        }
        handler.unparsedEntityDecl = { userData, name, _, _, _ in
            GoBDIndexParse.from(userData)?.refuse("entity declaration '\(name.map { String(cString: $0) } ?? "")' not allowed in a gobd index")
        }
        handler.getEntity = { userData, name in
            GoBDIndexParse.from(userData)?.refuse("reference to entity '\(name.map { String(cString: $0) } ?? "")' not allowed in a gobd index")
            return nil
        }
        handler.getParameterEntity = { userData, name in
            GoBDIndexParse.from(userData)?.refuse("reference to entity '%\(name.map { String(cString: $0) } ?? "")' not allowed in a gobd index")
            return nil
        }
        handler.resolveEntity = { userData, _, _ in
            GoBDIndexParse.from(userData)?.refuse("external entity not allowed in a gobd index")
            return nil
        }
        handler.startElementNs = { userData, localName, _, _, _, _, _, _, _ in
            guard let parse = GoBDIndexParse.from(userData), parse.failure == nil else { return }
            let name = localName.map { String(cString: $0) } ?? ""
            let line = parse.ctxt.map { Int(xmlSAX2GetLineNumber($0)) } ?? 0
            parse.stack.append(GoBDNode(name: name, line: line))
        }
        handler.endElementNs = { userData, _, _, _ in
            guard let parse = GoBDIndexParse.from(userData), parse.failure == nil, let node = parse.stack.popLast() else { return }
            if parse.stack.isEmpty { parse.root = node } else { parse.stack[parse.stack.count - 1].children.append(node) }
        }
        let text: charactersSAXFunc = { userData, bytes, count in
            guard let parse = GoBDIndexParse.from(userData), parse.failure == nil, let bytes, count > 0,
                  !parse.stack.isEmpty else { return }
            let chunk = String(decoding: UnsafeBufferPointer(start: bytes, count: Int(count)), as: UTF8.self)
            parse.stack[parse.stack.count - 1].rawText += chunk
        }
        handler.characters = text
        handler.cdataBlock = text
        handler.serror = { userData, error in
            guard let parse = GoBDIndexParse.from(userData), let error,
                  error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue,
                  error.pointee.domain != Int32(XML_FROM_NAMESPACE.rawValue) else { return }
            if parse.failure == nil { parse.failure = XMLPushParse.translate(error, displayName: parse.displayName) }
        }

        let me = Unmanaged.passUnretained(self).toOpaque()
        guard let ctxt = xmlCreatePushParserCtxt(&handler, me, nil, 0, nil) else {
            throw DemarcError.internalError("libxml2 could not create a push parser")
        }
        defer { xmlFreeParserCtxt(ctxt) }
        self.ctxt = ctxt
        _ = xmlCtxtUseOptions(ctxt, XMLPushParse.options)
        bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                _ = xmlParseChunk(ctxt, chars.baseAddress, Int32(clamping: chars.count), 1)
            }
        }
        withExtendedLifetime(self) {}
        if let failure { throw failure }
        if ctxt.pointee.wellFormed == 0 {
            throw XMLPushParse.translate(xmlCtxtGetLastError(ctxt), displayName: displayName)
        }
        guard let root else {
            throw DemarcError.unreadableInput(SourcePosition(file: displayName, line: 0), "the gobd index has no root element")
        }
        return root
    }

    private static func from(_ userData: UnsafeMutableRawPointer?) -> GoBDIndexParse? {
        guard let userData else { return nil }
        return Unmanaged<GoBDIndexParse>.fromOpaque(userData).takeUnretainedValue()
    }

    /// Records the refusal and stops the parser (safe in declaration and entity callbacks).
    private func refuse(_ message: String) {
        guard failure == nil else { return }
        let line = ctxt.map { Int(xmlSAX2GetLineNumber($0)) } ?? 0
        failure = .unreadableInput(SourcePosition(file: displayName, line: line), message)
        if let ctxt, ctxt.pointee.instate != XML_PARSER_EOF { xmlStopParser(ctxt) }
    }
}
