import CLibXML2
import DemarcCore

/// One event of a streaming XML pass for `demarc profile`.
enum XMLProfileEvent {
    /// An element opens: its local name, attributes (local name, value) and whether it is `<a/>`.
    case start(name: String, attributes: [(String, String)], isEmpty: Bool, line: Int)
    /// Character data (text or CDATA) of the innermost open element.
    case text(String)
    case end
}

/// A hardened libxml2 text reader over a file: no network, no DTD loading, no entity
/// substitution, and a DOCTYPE is refused outright (CLI.md exit 3), so no entity can expand.
/// Every byte read is hashed.
final class XMLProfileScan {
    let input: InputFile
    private let source: ByteSource
    private var hasher = SHA256()
    private var firstBytes: [UInt8] = []
    private var firstError: (line: Int, column: Int, message: String)?
    private var readFailure: DemarcError?

    init(input: InputFile) throws {
        self.input = input
        self.source = try ByteSource(input: input)
    }

    /// Calls `handle` for every element start, text and element end, in document order.
    func run(_ handle: (XMLProfileEvent) throws -> Void) throws -> (encoding: String, encodingSource: String, sha256: String) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue
            | XML_PARSE_NOCDATA.rawValue | XML_PARSE_COMPACT.rawValue)
        guard let reader = xmlReaderForIO({ context, buffer, length in
            guard let context, let buffer, length > 0 else { return -1 }
            let scan = Unmanaged<XMLProfileScan>.fromOpaque(context).takeUnretainedValue()
            return scan.readInput(into: buffer, count: Int(length))
        }, nil, context, nil, nil, options) else {
            throw DemarcError.internalError("libxml2 could not create a reader")
        }
        defer { xmlFreeTextReader(reader) }
        xmlTextReaderSetStructuredErrorHandler(reader, { context, error in
            guard let context, let error else { return }
            let scan = Unmanaged<XMLProfileScan>.fromOpaque(context).takeUnretainedValue()
            scan.noteError(line: Int(error.pointee.line), column: Int(error.pointee.int2),
                           message: error.pointee.message.map { String(cString: $0) } ?? "not well-formed")
        }, context)

        while true {
            let status = xmlTextReaderRead(reader)
            if let readFailure { throw readFailure }
            if status == 0 { break }
            if status < 0 { throw malformed(line: Int(xmlTextReaderGetParserLineNumber(reader))) }
            let line = Int(xmlTextReaderGetParserLineNumber(reader))
            switch xmlTextReaderNodeType(reader) {
            case Int32(XML_READER_TYPE_DOCUMENT_TYPE.rawValue):
                throw DemarcError.unreadableInput(SourcePosition(file: input.displayName, line: line),
                                                  "a DOCTYPE declaration is not accepted in xml input")
            case Int32(XML_READER_TYPE_ELEMENT.rawValue):
                let name = text(xmlTextReaderConstLocalName(reader))
                let isEmpty = xmlTextReaderIsEmptyElement(reader) == 1
                var attributes: [(String, String)] = []
                if xmlTextReaderHasAttributes(reader) == 1 {
                    while xmlTextReaderMoveToNextAttribute(reader) == 1 {
                        if xmlTextReaderIsNamespaceDecl(reader) == 1 { continue }
                        attributes.append((text(xmlTextReaderConstLocalName(reader)), text(xmlTextReaderConstValue(reader))))
                    }
                    _ = xmlTextReaderMoveToElement(reader)
                }
                try handle(.start(name: name, attributes: attributes, isEmpty: isEmpty, line: line))
                if isEmpty { try handle(.end) }
            case Int32(XML_READER_TYPE_END_ELEMENT.rawValue):
                try handle(.end)
            case Int32(XML_READER_TYPE_TEXT.rawValue), Int32(XML_READER_TYPE_CDATA.rawValue),
                 Int32(XML_READER_TYPE_SIGNIFICANT_WHITESPACE.rawValue), Int32(XML_READER_TYPE_WHITESPACE.rawValue):
                try handle(.text(text(xmlTextReaderConstValue(reader))))
            case Int32(XML_READER_TYPE_ENTITY_REFERENCE.rawValue):
                throw DemarcError.unreadableInput(SourcePosition(file: input.displayName, line: line),
                                                  "an entity reference is not accepted in xml input")
            default:
                break
            }
        }
        var encoding = "utf-8", encodingSource = "default"
        if firstBytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            encodingSource = "BOM"
        } else if firstBytes.starts(with: [0xFF, 0xFE]) || firstBytes.starts(with: [0xFE, 0xFF]) {
            encoding = firstBytes[0] == 0xFF ? "utf-16le" : "utf-16be"
            encodingSource = "BOM"
        } else if let declared = xmlTextReaderConstEncoding(reader) {
            encoding = text(declared).lowercased()
            encodingSource = "XML declaration"
        }
        return (encoding, encodingSource, hasher.finalizeHex())
    }

    private func text(_ pointer: UnsafePointer<xmlChar>?) -> String {
        guard let pointer else { return "" }
        return String(cString: pointer)
    }

    private func readInput(into buffer: UnsafeMutablePointer<CChar>, count: Int) -> Int32 {
        do {
            let n = try source.read(into: buffer, count: count, displayName: input.displayName)
            let bytes = UnsafeRawBufferPointer(start: buffer, count: n)
            hasher.update(bytes)
            if firstBytes.count < 4 { firstBytes.append(contentsOf: bytes.prefix(4 - firstBytes.count)) }
            return Int32(n)
        } catch let error as DemarcError {
            readFailure = error
            return -1
        } catch {
            readFailure = .internalError("\(error)")
            return -1
        }
    }

    private func noteError(line: Int, column: Int, message: String) {
        if firstError == nil { firstError = (line, column, message) }
    }

    private func malformed(line: Int) -> DemarcError {
        guard let error = firstError else {
            return .unreadableInput(SourcePosition(file: input.displayName, line: line), "not well-formed xml")
        }
        var message = error.message.trimmedXMLMessage
        if let first = message.first, first.isUppercase, !(message.dropFirst().first?.isUppercase ?? false) {
            message = first.lowercased() + message.dropFirst()
        }
        return .unreadableInput(SourcePosition(file: input.displayName, line: max(error.line, 1), column: error.column),
                                "not well-formed xml: \(message)")
    }
}

private extension String {
    /// Without surrounding white space (libxml2 messages end with a line break).
    var trimmedXMLMessage: String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s = s.dropFirst() }
        while let c = s.last, c.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
