import DemarcCore
import DemarcReaders
import Yams

/// `format: gobd` (a GoBD / GDPdU export):
///
/// ```yaml
///   ledger:
///     format: gobd
///     gobd: { index: export/index.xml, table: Buchungen }   # table may be left out when the index has one
///     key: beleg
///     fields: { beleg: Belegnummer, betrag: Betrag }        # columns by their index.xml Name
/// ```
///
/// The index is read when the rule file is loaded (it is the description of the data, not
/// data): a missing table or column is a rule-file error. `file:` defaults to the table's URL
/// beside the index. A field without `type:` takes the column's (Numeric → decimal, Date →
/// date with the index's format, AlphaNumeric → text); the table's DecimalSymbol and
/// DigitGroupingSymbol are the source's decimal and thousands marks.
extension RuleFileBuilder {
    /// Reads `gobd:`: the index and table. Nil (with problems reported) when unusable.
    func readGoBDSource(_ map: YAMLMap, format: SourceFormat, what: String, at keyNode: Node) -> GoBDSourceDef? {
        guard format == .gobd else {
            if map.has("gobd") {
                reader.error(map.keyNode("gobd"), "'gobd' options apply to gobd sources only; \(what) is \(format.rawValue)")
            }
            return nil
        }
        guard let node = reader.require(map, "gobd", in: what, at: keyNode),
              let options = reader.map(node, known: ["index", "table"], what: "'gobd'"),
              let indexNode = reader.require(options, "index", in: "'gobd'", at: node),
              let written = reader.text(indexNode, what: "'index'") else { return nil }
        let path = resolve(written)
        let index: GoBDIndex
        do {
            index = try GoBDIndex.load(path: path, displayName: written)
        } catch let error as DemarcError {
            reader.error(indexNode, "gobd index '\(written)' cannot be read: " + Self.reason(error))
            return nil
        } catch {
            reader.error(indexNode, "gobd index '\(written)' cannot be read: \(error)")
            return nil
        }
        let names = index.tables.map(\.name)
        let table: GoBDTable
        if let tableNode = options["table"] {
            guard let name = reader.text(tableNode, what: "'table'") else { return nil }
            guard let found = index.table(named: name) else {
                reader.error(tableNode, "no table '\(name)' in gobd index '\(written)'" + Self.alternatives(name, names))
                return nil
            }
            table = found
        } else {
            guard index.tables.count == 1, let only = index.tables.first else {
                reader.error(node, "gobd index '\(written)' has \(index.tables.count) tables; name one with 'table:' ("
                             + names.map { "'\($0)'" }.joined(separator: ", ") + ")")
                return nil
            }
            table = only
        }
        if !table.problems.isEmpty {
            reader.error(options["table"] ?? indexNode,
                         "gobd table '\(table.name)' cannot be read: " + table.problems.joined(separator: "; "))
            return nil
        }
        return GoBDSourceDef(index: path, indexAsWritten: written, table: table)
    }

    /// Sets what the index says on the source: file, marks, and each field's column, type and format.
    /// The type a GoBD column declares in index.xml (Numeric → decimal, Date → date,
    /// AlphaNumeric → text); nil for other sources or an unknown column.
    static func indexType(of selector: FieldSelector, in source: SourceDef) -> FieldType? {
        guard let table = source.gobd?.table else { return nil }
        let column: Int?
        switch selector {
        case .column(let name): column = table.column(named: name)
        case .position(let number): column = number >= 1 && number <= table.columns.count ? number - 1 : nil
        case .path: column = nil
        }
        guard let column else { return nil }
        switch table.columns[column].kind {
        case .alphanumeric: return .text
        case .numeric: return .decimal
        case .date: return .date
        }
    }

    func applyGoBDIndex(_ gobd: GoBDSourceDef, fieldsNode: Node, to draft: inout SourceDraft) {
        let table = gobd.table
        draft.def.gobd = gobd
        if draft.def.file == nil {
            draft.def.file = resolve(folder(of: gobd.indexAsWritten) + table.url)
            draft.def.fileAsWritten = folder(of: gobd.indexAsWritten) + table.url
        }
        draft.def.decimalMark = table.decimalSymbol.first ?? UInt8(ascii: ",")
        draft.def.thousandsMark = table.groupingSymbol.count == 1 ? table.groupingSymbol[0] : nil
        let names = table.columns.map(\.name)
        for index in draft.def.fields.indices {
            let field = draft.def.fields[index]
            let entry = fieldsNode.mapping?.first(where: { $0.key.string == field.name })?.value
            let at = entry.flatMap { $0.mapping?["column"] } ?? entry
            let column: Int
            switch field.selector {
            case .column(let name)?:
                guard let found = table.column(named: name) else {
                    reader.error(at, "no column '\(name)' in gobd table '\(table.name)'" + Self.alternatives(name, names))
                    continue
                }
                column = found
            case .position(let number)?:
                guard number <= table.columns.count else {
                    reader.error(at, "no column \(number); gobd table '\(table.name)' has \(table.columns.count) columns")
                    continue
                }
                column = number - 1
            default:
                continue
            }
            let declaresType = entry?.mapping?["type"] != nil
            let declaresFormat = entry?.mapping?["format"] != nil
            let kind = table.columns[column].kind
            if !declaresType {
                switch kind {
                case .alphanumeric: draft.def.fields[index].type = .text
                case .numeric: draft.def.fields[index].type = .decimal
                case .date: draft.def.fields[index].type = .date
                }
            }
            if case .date(let written) = kind, !declaresFormat,
               draft.def.fields[index].type == .date || draft.def.fields[index].type == .datetime {
                if let format = table.columns[column].dateFormat {
                    draft.def.fields[index].dateFormat = format
                } else {
                    reader.error(at, "the date format '\(written)' of column '\(names[column])' is not supported; give field '\(field.name)' a 'type' and 'format'")
                }
            }
        }
    }

    private func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[...slash])
    }

    /// "; did you mean 'X'?" when a name is close, else the list of names.
    static func alternatives(_ name: String, _ names: [String]) -> String {
        let close = didYouMean(name, names)
        return close.isEmpty ? "; it has: " + names.map { "'\($0)'" }.joined(separator: ", ") : close
    }

    /// The message of a reading error, with its position inside the index when it has one.
    static func reason(_ error: DemarcError) -> String {
        switch error {
        case .unreadableInput(let position, let message):
            return position.line > 0 ? "line \(position.line): \(message)" : message
        default:
            return error.description
        }
    }
}
