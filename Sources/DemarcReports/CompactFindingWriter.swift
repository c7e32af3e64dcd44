import DemarcCore
import DemarcEngine

/// Writes a finding's parts as one compact JSON object (jsonl): the same bytes as
/// `JSONFindingWriter` over a compact `JSONWriter`, with what repeats from finding to finding
/// (the head up to the key, `fix_in`, source names, file names, field names with their quotes
/// and colons) kept as ready bytes instead of being quoted, checked for escapes and laid out
/// anew. Measured on 416,863 findings (5M records a side): see bench/RESULTS.md.
struct CompactFindingWriter: FindingWriter {
    /// The findings written so far (and the one being written), laid out in scratch bytes and
    /// handed over many at a time (`moveAll`): handing each finding to an array took about 800
    /// instructions a finding, a tenth of writing it.
    private var out: ByteScratch

    /// A writer whose buffer starts with room for `capacity` bytes.
    init(capacity: Int = 1 << 12) { out = ByteScratch(capacity: capacity) }

    /// How many bytes are written and not yet handed over.
    var count: Int { out.count }

    /// The bytes written so far, as an array (tests).
    var bytes: [UInt8] { Array(UnsafeBufferPointer(start: out.base, count: out.count)) }

    /// Ends a line (jsonl: one finding a line).
    mutating func endLine() { out.append(0x0A) }

    /// Appends everything written to `bytes` and starts empty.
    mutating func moveAll(to bytes: inout [UInt8]) { out.moveAll(to: &bytes) }

    private var headOf: (rule: String, kind: String, severity: Severity, status: FindingStatus)?
    private var head: [UInt8] = []
    private var fixInOf: String?? = .none
    private var lastMessage: String?
    private var quotedMessage: [UInt8] = []
    private var fixInBytes: [UInt8] = []
    private var sources = NameCache(prefix: "", suffix: #":["#)
    private var fields = NameCache(prefix: "", suffix: ":")
    /// `"name":` per source and field (`value(source:field:name:_:)`), made on first use; empty
    /// until then (a quoted name never is).
    private var fieldPrefixes: [[[UInt8]]] = []
    private var files = NameCache(prefix: #"{"file":"#, suffix: #","line":"#)
    /// Whether the open container already has an element (records, a source's list, values).
    private var sourceWritten = false
    private var recordWritten = false
    private var valueWritten = false

    // What every finding writes, as bytes once: appending a literal's `utf8` view took about
    // 180 instructions each time, a byte array's a fraction of that.
    private static let recordsOpen = Array(#","records":{"#.utf8)
    private static let fingerprintEnd = Array(#"","records":{"#.utf8)
    private static let valuesOpen = Array(#","values":{"#.utf8)
    private static let firstSeenKey = Array(#","first_seen":"#.utf8)
    private static let rawKey = Array(#","raw":"#.utf8)

    mutating func beginFinding(rule: String, kind: String, severity: Severity, status: FindingStatus, key: [String],
                               message: String, fixIn: String?, fingerprint: String, firstSeen: String?) {
        writeHead(rule: rule, kind: kind, severity: severity, status: status)
        writeKey(key)
        writeMessage(message, fixIn: fixIn)
        JSONWriter.appendQuoted(fingerprint, to: &out)
        if let firstSeen {
            out.append(Self.firstSeenKey)
            JSONWriter.appendQuoted(firstSeen, to: &out)
        }
        out.append(Self.recordsOpen)
        sourceWritten = false
    }

    /// The same bytes from a draft's key and digest: no array of the key, no hex `String`.
    mutating func beginFinding(rule: String, kind: String, severity: Severity, status: FindingStatus, key: DraftKey,
                               message: String, fixIn: String?, fingerprint: SHA256Digest) {
        writeHead(rule: rule, kind: kind, severity: severity, status: status)
        switch key {
        case .one(let part): JSONWriter.appendQuoted(part, to: &out)
        case .many(let parts): writeKey(parts)
        }
        writeMessage(message, fixIn: fixIn)
        out.append(UInt8(ascii: "\""))
        out.write(upTo: 64) { fingerprint.writeHex(to: $0); return 64 }   // hex digits need no escaping
        out.append(Self.fingerprintEnd)
        sourceWritten = false
    }

    /// `{"rule":…,"kind":…,"severity":…,"status":…,"key":[`, laid out again only when one of
    /// them changes.
    private mutating func writeHead(rule: String, kind: String, severity: Severity, status: FindingStatus) {
        let sameHead = headOf.map { $0.rule == rule && $0.kind == kind && $0.severity == severity && $0.status == status }
        if sameHead != true {
            headOf = (rule, kind, severity, status)
            head.removeAll(keepingCapacity: true)
            head.append(contentsOf: #"{"rule":"#.utf8)
            JSONWriter.appendQuoted(rule, to: &head)
            head.append(contentsOf: #","kind":"#.utf8)
            JSONWriter.appendQuoted(kind, to: &head)
            head.append(contentsOf: #","severity":"#.utf8)
            JSONWriter.appendQuoted(severity.rawValue, to: &head)
            head.append(contentsOf: #","status":"#.utf8)
            JSONWriter.appendQuoted(status.rawValue, to: &head)
            head.append(contentsOf: #","key":["#.utf8)
        }
        out.append(head)
    }

    /// The key's parts, quoted and separated by commas.
    private mutating func writeKey(_ parts: [String]) {
        for (i, part) in parts.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            JSONWriter.appendQuoted(part, to: &out)
        }
    }

    /// `],"message":…,"fix_in":…,"fingerprint":`. Most findings of a rule share their message
    /// (one `String`, so comparing it with the last is one comparison of its storage): it is
    /// quoted again only when it changes.
    private mutating func writeMessage(_ message: String, fixIn: String?) {
        if message != lastMessage {
            lastMessage = message
            quotedMessage.removeAll(keepingCapacity: true)
            quotedMessage.append(contentsOf: #"],"message":"#.utf8)
            JSONWriter.appendQuoted(message, to: &quotedMessage)
        }
        out.append(quotedMessage)
        if fixInOf != .some(fixIn) {
            fixInOf = .some(fixIn)
            fixInBytes.removeAll(keepingCapacity: true)
            fixInBytes.append(contentsOf: #","fix_in":"#.utf8)
            if let fixIn { JSONWriter.appendQuoted(fixIn, to: &fixInBytes) } else { fixInBytes.append(contentsOf: "null".utf8) }
            fixInBytes.append(contentsOf: #","fingerprint":"#.utf8)
        }
        out.append(fixInBytes)
    }

    mutating func beginSource(_ name: String) {
        if sourceWritten { out.append(UInt8(ascii: ",")) }
        sourceWritten = true
        sources.append(name, to: &out)
        recordWritten = false
    }

    mutating func beginRecord(file: String, line: Int) {
        if recordWritten { out.append(UInt8(ascii: ",")) }
        recordWritten = true
        files.append(file, to: &out)
        Self.appendDecimal(line, to: &out)
        out.append(Self.valuesOpen)
        valueWritten = false
    }

    mutating func value(_ name: String, _ value: Value) {
        if valueWritten { out.append(UInt8(ascii: ",")) }
        valueWritten = true
        fields.append(name, to: &out)
        JSONWriter.appendQuoted(value, to: &out)
    }

    mutating func value(source: Int, field: Int, name: String, _ value: Value) {
        if valueWritten { out.append(UInt8(ascii: ",")) }
        valueWritten = true
        if source < fieldPrefixes.count, field < fieldPrefixes[source].count, !fieldPrefixes[source][field].isEmpty {
            out.append(fieldPrefixes[source][field])
        } else {
            var made: [UInt8] = []
            JSONWriter.appendQuoted(name, to: &made)
            made.append(UInt8(ascii: ":"))
            out.append(made)
            if source >= fieldPrefixes.count { fieldPrefixes += Array(repeating: [], count: source + 1 - fieldPrefixes.count) }
            if field >= fieldPrefixes[source].count {
                fieldPrefixes[source] += Array(repeating: [], count: field + 1 - fieldPrefixes[source].count)
            }
            fieldPrefixes[source][field] = made
        }
        JSONWriter.appendQuoted(value, to: &out)
    }

    mutating func endRecord(raw: String?) {
        out.append(UInt8(ascii: "}"))
        if let raw {
            out.append(Self.rawKey)
            JSONWriter.appendQuoted(raw, to: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    mutating func endSource() { out.append(UInt8(ascii: "]")) }

    mutating func endFinding() {
        out.append(UInt8(ascii: "}"))
        out.append(UInt8(ascii: "}"))
    }

    /// `value` in decimal digits, as `String(value)` spells it.
    static func appendDecimal<Out: JSONBytes>(_ value: Int, to bytes: inout Out) {
        if value < 0 {
            for byte in String(value).utf8 { bytes.append(byte) }
            return
        }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)   // 24 bytes: any Int's digits
        var n = UInt(value), count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                count += 1
                buffer[24 - count] = UInt8(ascii: "0") + UInt8(n % 10)
                n /= 10
            } while n > 0
            bytes.appendBytes(UnsafeBufferPointer(start: buffer.baseAddress!.assumingMemoryBound(to: UInt8.self) + (24 - count),
                                                  count: count))
        }
    }
}

/// Texts quoted as JSON between a fixed prefix and suffix, made once per distinct text: a few
/// source, file or field names, looked up by comparing (mostly the same `String` each time,
/// so by identity).
private struct NameCache {
    let prefix: String
    let suffix: String
    private var texts: [String] = []
    private var quoted: [[UInt8]] = []
    private var next = 0
    private static let limit = 64

    init(prefix: String, suffix: String) {
        self.prefix = prefix
        self.suffix = suffix
    }

    mutating func append(_ text: String, to bytes: inout ByteScratch) {
        // Names come in the same order record after record: the one after the last is tried
        // first.
        if next < texts.count, texts[next] == text {
            bytes.append(quoted[next])
            next = next + 1 == texts.count ? 0 : next + 1
            return
        }
        for i in texts.indices where texts[i] == text {
            bytes.append(quoted[i])
            next = i + 1 == texts.count ? 0 : i + 1
            return
        }
        var made = Array(prefix.utf8)
        JSONWriter.appendQuoted(text, to: &made)
        made.append(contentsOf: suffix.utf8)
        bytes.append(made)
        if texts.count < Self.limit {
            texts.append(text)
            quoted.append(made)
        }
    }
}
