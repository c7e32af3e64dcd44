import CLibXML2
import DemarcCore

/// Streams the records of an XML file: one record per element matching `options.record`,
/// with the text of each requested field path (RULES.md, Sources; DETAILS.md 3 and 7).
///
/// - A record nested inside a record (`//Line` where a Line holds Lines) is not a record of
///   its own: the outermost match is delivered, and the inner ones are ordinary descendants.
/// - A field's value is the trimmed text of the first element its path matches (all
///   descendant text, CDATA included); fields requested with `keepAllMatches` also list the
///   further matches in document order. An attribute step yields the trimmed attribute value.
/// - `RawRecord.line` is the line of the `<` of the record's start tag, counting LF, CRLF and
///   lone CR as line ends.
/// - A DOCTYPE, an entity declaration or a reference to an entity other than the five
///   predefined ones is refused (exit 3) before anything else is read.
public final class XMLRecordReader {
    /// The file read.
    public let input: InputFile
    /// The record path, namespaces and `allowEmpty`.
    public let options: XMLOptions

    /// A reader of `input`; nothing is opened before `read`.
    public init(input: InputFile, options: XMLOptions) {
        self.input = input
        self.options = options
    }

    /// Streams every record to `sink`. Invalid paths are usage errors (the rule loader checks
    /// them first); an unreadable, malformed or refused input throws `.unreadableInput`.
    public func read(fields: [FieldRequest], sink: RecordSink) throws -> ReadSummary {
        let recordPath = try XMLRecordReader.recordPath(options.record)
        let fieldPaths = try fields.map { request -> (XMLPath, Bool) in
            guard case .path(let text) = request.selector else {
                throw DemarcError.usage("xml fields are selected by path, not by column")
            }
            switch XMLPath.field(text) {
            case .success(let path): return (path, request.keepAllMatches)
            case .failure(let error): throw DemarcError.usage(error.description)
            }
        }
        let options = self.options
        let input = self.input
        return try withoutActuallyEscaping(sink) { sink in
            let machine = UnsafeMutablePointer<XMLRecordMachine>.allocate(capacity: 1)
            machine.initialize(to: XMLRecordMachine(sink: sink))
            defer {
                machine.pointee.release()
                machine.pointee.stack.release()
                machine.deinitialize(count: 1)
                machine.deallocate()
            }
            var summary = try XMLPushParse.run(input: input, machine: UnsafeMutableRawPointer(machine),
                                               install: XMLRecordReader.install,
                                               prepare: { ctxt in
                machine.pointee.bind(record: recordPath, fields: fieldPaths, namespaces: options.namespaces,
                                     dict: ctxt.pointee.dict)
            })
            summary.records = machine.pointee.records
            if summary.records == 0 && !options.allowEmpty {
                throw DemarcError.unreadableInput(SourcePosition(file: input.displayName, line: 0),
                                                  "no element matches '\(options.record)'")
            }
            return summary
        }
    }

    static func recordPath(_ text: String) throws -> XMLPath {
        switch XMLPath.record(text) {
        case .success(let path): return path
        case .failure(let error): throw DemarcError.usage(error.description)
        }
    }

    /// The element and text callbacks of a record read.
    private static func install(_ handler: inout xmlSAXHandler) {
        handler.startElementNs = { userData, localName, _, uri, _, _, attributeCount, _, attributes in
            guard let context = XMLPushParse.sessionContext(userData), !context.pointee.halted,
                  let machine = context.pointee.machine?.assumingMemoryBound(to: XMLRecordMachine.self) else { return }
            machine.pointee.start(context, localName, uri, XMLAttributes(base: attributes, count: Int(attributeCount)))
        }
        handler.endElementNs = { userData, _, _, _ in
            guard let context = XMLPushParse.sessionContext(userData), !context.pointee.halted,
                  let machine = context.pointee.machine?.assumingMemoryBound(to: XMLRecordMachine.self) else { return }
            machine.pointee.end(context)
        }
        let text: charactersSAXFunc = { userData, bytes, count in
            guard let context = XMLPushParse.sessionContext(userData), !context.pointee.halted,
                  let machine = context.pointee.machine?.assumingMemoryBound(to: XMLRecordMachine.self) else { return }
            machine.pointee.text(context, bytes, count)
        }
        handler.characters = text
        handler.ignorableWhitespace = text
        handler.cdataBlock = text
    }
}
