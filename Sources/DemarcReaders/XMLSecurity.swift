import CLibXML2
import DemarcCore

/// What the XML reader refuses, and how libxml2's errors become demarc's.
///
/// Nothing but the input is ever opened: no DTD is loaded, no entity is declared, resolved or
/// expanded. A DOCTYPE stops the parse at `<!DOCTYPE`, before its internal subset (where entity
/// bombs and external entities live) is read; the parser options never include NOENT, DTDLOAD,
/// DTDATTR, XINCLUDE or HUGE; and the process-wide external entity loader refuses everything.
extension XMLPushParse {
    /// libxml2 set-up done once per process.
    private static let initialized: Bool = {
        xmlInitParser()
        xmlSetExternalEntityLoader { _, _, _ in nil }
        return true
    }()

    static func initializeOnce() {
        _ = initialized
        // Errors without a parser context (libxml2's globals are per thread) would otherwise
        // be printed on standard error; ours arrive through the handler's `serror`.
        xmlSetStructuredErrorFunc(nil) { _, _ in }
        demarc_silenceGenericErrors()
    }

    /// The callbacks every mode shares: refusal of DTD constructs, and error collection.
    static func installSecurity(_ handler: inout xmlSAXHandler) {
        handler.internalSubset = { userData, _, _, _ in
            guard let context = XMLPushParse.sessionContext(userData) else { return }
            context.pointee.fail(context.pointee.refusal("DOCTYPE not allowed in XML input"), stopParser: true)
        }
        handler.externalSubset = { userData, _, _, _ in
            guard let context = XMLPushParse.sessionContext(userData) else { return }
            context.pointee.fail(context.pointee.refusal("DOCTYPE not allowed in XML input"), stopParser: true)
        }
        handler.entityDecl = { userData, _, _, _, _, _ in
            guard let context = XMLPushParse.sessionContext(userData) else { return }
            context.pointee.fail(context.pointee.refusal("entity declaration not allowed in XML input"), stopParser: true)
        }
        handler.unparsedEntityDecl = { userData, _, _, _, _ in
            guard let context = XMLPushParse.sessionContext(userData) else { return }
            context.pointee.fail(context.pointee.refusal("entity declaration not allowed in XML input"), stopParser: true)
        }
        handler.getEntity = { userData, name in
            guard let context = XMLPushParse.sessionContext(userData) else { return nil }
            let text = name.map { String(cString: $0) } ?? ""
            context.pointee.fail(XMLPushParse.entityRefusal(context, "reference to entity '\(text)' not allowed in XML input"), stopParser: true)
            return nil
        }
        handler.getParameterEntity = { userData, name in
            guard let context = XMLPushParse.sessionContext(userData) else { return nil }
            let text = name.map { String(cString: $0) } ?? ""
            context.pointee.fail(XMLPushParse.entityRefusal(context, "reference to entity '%\(text)' not allowed in XML input"), stopParser: true)
            return nil
        }
        handler.resolveEntity = { userData, _, _ in
            guard let context = XMLPushParse.sessionContext(userData) else { return nil }
            context.pointee.fail(XMLPushParse.entityRefusal(context, "external entity not allowed in XML input"), stopParser: true)
            return nil
        }
        handler.serror = { userData, error in
            guard let context = XMLPushParse.sessionContext(userData), let error else { return }
            let level = error.pointee.level
            guard level.rawValue >= XML_ERR_ERROR.rawValue,
                  error.pointee.domain != Int32(XML_FROM_NAMESPACE.rawValue) else { return }
            // Not xmlStopParser here: the caller still points into the input buffer. libxml2
            // halts itself after a fatal error; the push loop stops at the next chunk.
            context.pointee.fail(XMLPushParse.translate(error, displayName: context.pointee.displayName), stopParser: false)
        }
    }

    @inline(__always)
    static func sessionContext(_ userData: UnsafeMutableRawPointer?) -> UnsafeMutablePointer<XMLSAXContext>? {
        userData?.assumingMemoryBound(to: XMLSAXContext.self)
    }

    fileprivate static func entityRefusal(_ context: UnsafeMutablePointer<XMLSAXContext>, _ message: String) -> DemarcError {
        var line = 0
        var column = 0
        if let ctxt = context.pointee.ctxt, let input = ctxt.pointee.input {
            line = Int(input.pointee.line)
            column = Int(input.pointee.col)
        }
        return .unreadableInput(SourcePosition(file: context.pointee.displayName, line: line, column: column), message)
    }

    /// libxml2's error as `.unreadableInput`: its message trimmed, on one line, first letter
    /// lowercase, at its line and column.
    static func translate(_ error: UnsafePointer<xmlError>?, displayName: String) -> DemarcError {
        guard let error else {
            return .unreadableInput(SourcePosition(file: displayName, line: 0), "not well-formed XML")
        }
        var message = error.pointee.message.map { String(cString: $0) } ?? "not well-formed XML"
        message = message.split(whereSeparator: { $0 == "\n" || $0 == "\r" })
            .map { $0.trimmingXMLSpace() }.filter { !$0.isEmpty }.joined(separator: " ")
        if let first = message.first, first.isUppercase, !(message.dropFirst().first?.isUppercase ?? false) {
            message = first.lowercased() + message.dropFirst()
        }
        if message.isEmpty { message = "not well-formed XML" }
        let line = max(0, Int(error.pointee.line))
        let column = max(0, Int(error.pointee.int2))
        return .unreadableInput(SourcePosition(file: displayName, line: line, column: column), message)
    }
}

extension Substring {
    /// Without leading and trailing XML white space (space, TAB, LF, CR).
    fileprivate func trimmingXMLSpace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[start...end])
    }
}
