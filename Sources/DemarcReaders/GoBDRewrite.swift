/// What the GoBD reader changes in one column's text before typed parsing, for what
/// `ValueSpec` cannot express. Text that does not have the expected shape is left as written,
/// so that parsing reports it as malformed with its raw text.
struct GoBDRewrite {
    /// `ImpliedAccuracy`: digits that carry this many decimals.
    var impliedDecimals = 0
    var decimalSymbol: UInt8 = UInt8(ascii: ",")
    /// A `DigitGroupingSymbol` of more than one character, removed from numbers.
    var longGrouping: [UInt8] = []
    /// A date format with a two-digit year: the offset of `YY` in it and its length.
    var twoDigitYear: (offset: Int, formatLength: Int)?
    var epoch = 30
    var maps: [([UInt8], [UInt8])] = []

    init(column: GoBDColumn, table: GoBDTable) {
        decimalSymbol = table.decimalSymbol.first ?? UInt8(ascii: ",")
        epoch = table.epoch
        switch column.kind {
        case .numeric(let accuracy, let implied):
            if implied { impliedDecimals = accuracy }
            if table.groupingSymbol.count > 1 { longGrouping = table.groupingSymbol }
        case .date(let format):
            twoDigitYear = GoBDRewrite.twoDigitYear(in: format)
        case .alphanumeric:
            maps = column.maps.map { (Array($0.from.utf8), Array($0.to.utf8)) }
        }
    }

    /// Where a format writes a two-digit year (`YY` not part of `YYYY`), or nil.
    static func twoDigitYear(in format: String) -> (offset: Int, formatLength: Int)? {
        let bytes = Array(format.utf8)
        guard let start = bytes.indices.first(where: { i in
            i + 1 < bytes.count && bytes[i] == UInt8(ascii: "Y") && bytes[i + 1] == UInt8(ascii: "Y")
        }) else { return nil }
        let run = bytes[start...].prefix { $0 == UInt8(ascii: "Y") }.count
        return run == 2 ? (start, bytes.count) : nil
    }

    var isIdentity: Bool { impliedDecimals == 0 && longGrouping.isEmpty && twoDigitYear == nil && maps.isEmpty }

    /// The rewritten text, or nil when the text stays as it is.
    func apply(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        if isIdentity { return nil }
        var value = trimmed(text)
        if value.isEmpty { return nil }
        var changed = false
        if !maps.isEmpty {
            guard let hit = maps.first(where: { value.elementsEqual($0.0) }) else { return nil }
            return hit.1
        }
        if !longGrouping.isEmpty, let removed = removing(longGrouping, from: value) {
            value = removed[...]
            changed = true
        }
        if impliedDecimals > 0, let shifted = insertDecimals(value) { return shifted }
        if let (offset, length) = twoDigitYear, value.count == length, let widened = widenYear(value, at: offset) {
            return widened
        }
        return changed ? Array(value) : nil
    }

    private func trimmed(_ text: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var t = text
        while let b = t.first, b == 0x20 || b == 0x09 { t = t.dropFirst() }
        while let b = t.last, b == 0x20 || b == 0x09 { t = t.dropLast() }
        return t
    }

    private func removing(_ token: [UInt8], from text: ArraySlice<UInt8>) -> [UInt8]? {
        var result: [UInt8] = []
        var i = text.startIndex
        var found = false
        while i < text.endIndex {
            if i + token.count <= text.endIndex, text[i..<(i + token.count)].elementsEqual(token) {
                found = true
                i += token.count
            } else {
                result.append(text[i])
                i += 1
            }
        }
        return found ? result : nil
    }

    /// `12345` with two implied decimals → `123,45` (in the table's decimal symbol); a leading
    /// `+`/`-` or trailing `-` is kept. Anything but digits is left alone.
    private func insertDecimals(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        var digits = text
        var lead: UInt8?
        var trail: UInt8?
        if let f = digits.first, f == UInt8(ascii: "-") || f == UInt8(ascii: "+") { lead = f; digits = digits.dropFirst() }
        if lead == nil, let l = digits.last, l == UInt8(ascii: "-") { trail = l; digits = digits.dropLast() }
        guard !digits.isEmpty, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        var padded = Array(digits)
        if padded.count <= impliedDecimals {
            padded.insert(contentsOf: [UInt8](repeating: 0x30, count: impliedDecimals - padded.count + 1), at: 0)
        }
        padded.insert(decimalSymbol, at: padded.count - impliedDecimals)
        if let lead { padded.insert(lead, at: 0) }
        if let trail { padded.append(trail) }
        return padded
    }

    /// `20-02-20` in `YY-MM-DD` → `2020-02-20` (years below `epoch` are 20yy, else 19yy).
    private func widenYear(_ text: ArraySlice<UInt8>, at offset: Int) -> [UInt8]? {
        let bytes = Array(text)
        guard offset + 1 < bytes.count else { return nil }
        let tens = bytes[offset], ones = bytes[offset + 1]
        guard (0x30...0x39).contains(tens), (0x30...0x39).contains(ones) else { return nil }
        let year = Int(tens - 0x30) * 10 + Int(ones - 0x30)
        let century: [UInt8] = year < epoch ? [0x32, 0x30] : [0x31, 0x39]
        var result = bytes
        result.insert(contentsOf: century, at: offset)
        return result
    }
}
