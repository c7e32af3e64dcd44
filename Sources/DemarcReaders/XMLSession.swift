import CLibXML2
import DemarcCore

/// The part of a parse every SAX callback can reach: the parser, and why it was stopped.
///
/// libxml2 hands each callback the `userData` pointer; it points at one of these, and
/// `machine` at the mode's own state (records or census). Plain structs behind pointers keep the
/// hot callbacks free of retain/release and of dynamic exclusivity checks.
struct XMLSAXContext {
    var ctxt: xmlParserCtxtPtr?
    var displayName: String
    /// Set once parsing must end; every callback then returns at once.
    var halted = false
    /// The first reason the parse failed (refusal, libxml2 error, size limit).
    var failure: DemarcError?
    /// An error thrown by the record sink; rethrown as it is.
    var sinkError: (any Error)?
    /// The mode's state (`XMLRecordMachine` or a census machine).
    var machine: UnsafeMutableRawPointer?

    /// Records the first failure and halts. `stopParser`: call `xmlStopParser` now (safe in
    /// element, DOCTYPE and entity callbacks; not in `characters`, whose caller keeps pointers
    /// into the input buffer that `xmlStopParser` frees).
    mutating func fail(_ error: DemarcError, stopParser: Bool) {
        if failure == nil && sinkError == nil { failure = error }
        halt(stopParser: stopParser)
    }

    /// Stops the parse: no callback does anything afterwards, and no further chunk is pushed.
    mutating func halt(stopParser: Bool) {
        halted = true
        if stopParser, let ctxt, ctxt.pointee.instate != XML_PARSER_EOF { xmlStopParser(ctxt) }
    }

    /// The position of the `<` that opened the construct the parser just read (start tag or
    /// DOCTYPE).
    ///
    /// libxml2's `input->line` is the line at `input->cur`, which in `startElementNs` is at
    /// the `>` of the start tag. Walking back to the `<` (never in an attribute value, which
    /// cannot hold `<`) and subtracting the LFs passed gives the line of the `<`: the whole
    /// start tag is still in the input buffer while its callback runs.
    func startTagPosition() -> (line: Int, column: Int) {
        guard let ctxt, let input = ctxt.pointee.input, let cur = input.pointee.cur,
              let base = input.pointee.base else { return (0, 0) }
        var line = Int(input.pointee.line)
        var p = cur
        while p > base {
            p -= 1
            if p.pointee == UInt8(ascii: "<") {
                var column = 1
                var q = p
                while q > base, (q - 1).pointee != 0x0A {
                    q -= 1
                    if q.pointee & 0xC0 != 0x80 { column += 1 }
                }
                return (line, column)
            }
            if p.pointee == 0x0A { line -= 1 }
        }
        return (line, 0)
    }

    /// An input error at the `<` just read.
    func refusal(_ message: String) -> DemarcError {
        let (line, column) = startTagPosition()
        return .unreadableInput(SourcePosition(file: displayName, line: line, column: column), message)
    }
}

/// Runs one libxml2 SAX2 push parse over an input: reading, hashing, line-end rewriting,
/// refusal of DOCTYPEs and entities, and error translation. The mode fills in its element
/// and text callbacks.
enum XMLPushParse {
    /// Bytes read and pushed per `xmlParseChunk`. Measured on a 261 MB, 1M-record file (CPU
    /// seconds of a whole read): 16 KiB 2.1-2.2, 64 KiB 1.8-2.0, 256 KiB 1.75-1.8, 1 MiB 1.8-2.0.
    /// Tests lower it to put chunk boundaries everywhere.
    nonisolated(unsafe) static var chunkSize = 1 << 18

    /// The only options: no network. Never NOENT, DTDLOAD, DTDATTR, XINCLUDE, HUGE or RECOVER.
    static let options = Int32(XML_PARSE_NONET.rawValue)

    /// Parses `input`, calling the callbacks `install` sets, with `machine` as the mode state.
    /// `prepare` runs once the parser exists (to intern names in its dictionary).
    static func run(input: InputFile, machine: UnsafeMutableRawPointer,
                    install: (inout xmlSAXHandler) -> Void,
                    prepare: (xmlParserCtxtPtr) -> Void,
                    onChunk: ((UnsafeRawBufferPointer) -> Void)? = nil) throws -> ReadSummary {
        XMLPushParse.initializeOnce()
        let source = try ByteSource(input: input)
        let capacity = max(chunkSize, 8)
        var summary = ReadSummary()

        var handler = xmlSAXHandler()
        installSecurity(&handler)
        install(&handler)
        handler.initialized = UInt32(XML_SAX2_MAGIC)

        let context = UnsafeMutablePointer<XMLSAXContext>.allocate(capacity: 1)
        context.initialize(to: XMLSAXContext(displayName: input.displayName, machine: machine))
        defer { context.deinitialize(count: 1); context.deallocate() }
        guard let ctxt = xmlCreatePushParserCtxt(&handler, context, nil, 0, nil) else {
            throw DemarcError.internalError("libxml2 could not create a push parser")
        }
        defer { xmlFreeParserCtxt(ctxt) }
        _ = xmlCtxtUseOptions(ctxt, options)
        context.pointee.ctxt = ctxt
        prepare(ctxt)

        // The parse keeps this core busy: reading and the checksum run beside it.
        let reader = ChunkReader(source: source, capacity: capacity, displayName: input.displayName, onChunk: onChunk)
        defer { reader.close() }
        var chunk = try reader.next()
        guard chunk.count > 0 else {
            throw DemarcError.unreadableInput(SourcePosition(file: input.displayName, line: 0), "document is empty")
        }
        let prolog = XMLProlog(head: UnsafeRawBufferPointer(start: chunk.bytes, count: chunk.count))
        summary.encoding = prolog.encoding
        summary.encodingSource = prolog.source
        var lineEnds = XMLLineEndNormalizer()
        // The first non-zero xmlParseChunk code: some errors (an encoder error) set nothing else.
        var status: Int32 = 0
        while chunk.count > 0 {
            var count = chunk.count
            if prolog.asciiLineEnds {
                let (passed, leadingLF) = lineEnds.normalize(UnsafeMutableRawBufferPointer(start: chunk.bytes, count: count))
                count = passed
                if leadingLF { pushNewline(ctxt) }
            }
            if !context.pointee.halted && count > 0 {
                let code = push(ctxt, chunk.bytes, count)
                if status == 0 { status = code }
            }
            reader.recycle(chunk)
            if context.pointee.halted { break }
            chunk = try reader.next()
        }
        if !context.pointee.halted {
            if lineEnds.pendingCR { pushNewline(ctxt) }
            let code = xmlParseChunk(ctxt, nil, 0, 1)
            if status == 0 { status = code }
        }
        if let error = context.pointee.sinkError { throw error }
        if let failure = context.pointee.failure { throw failure }
        if ctxt.pointee.wellFormed == 0 {
            let last = xmlCtxtGetLastError(ctxt)
            throw translate(last, displayName: input.displayName)
        }
        if status == Int32(XML_ERR_INVALID_ENCODING.rawValue) {
            throw DemarcError.unreadableInput(SourcePosition(file: input.displayName, line: 0),
                                              "bytes invalid in the declared encoding '\(summary.encoding)'")
        }
        if status != 0 {
            throw DemarcError.unreadableInput(SourcePosition(file: input.displayName, line: 0),
                                              "the xml parser stopped (libxml2 error \(status))")
        }
        summary.sha256 = reader.finishHex()
        return summary
    }

    private static func push(_ ctxt: xmlParserCtxtPtr, _ bytes: UnsafeRawPointer, _ count: Int) -> Int32 {
        bytes.withMemoryRebound(to: CChar.self, capacity: count) { xmlParseChunk(ctxt, $0, Int32(count), 0) }
    }

    private static func pushNewline(_ ctxt: xmlParserCtxtPtr) {
        var lf = CChar(0x0A)
        _ = xmlParseChunk(ctxt, &lf, 1, 0)
    }
}
