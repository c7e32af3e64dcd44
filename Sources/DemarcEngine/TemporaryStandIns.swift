// Temporary stand-ins for the `expr`, `csv`, `xml` and `rules` branches; deleted on merge.
import Foundation
import DemarcCore
import DemarcReaders
import DemarcRules

public protocol EvaluationContext {
    var asOf: Day { get }
    func value(source: String?, field: String) -> Value
    func isPresent(source: String) -> Bool
    func stateClass(source: String) -> StateClass?
    func count(source: String) -> Int
    func header(_ name: String) -> Value
}

public enum Evaluator {
    public static func evaluate(_ expr: Expr, in context: some EvaluationContext, calendar: DemarcRules.Calendar?) -> Value {
        switch expr.node {
        case .literal(let v): return v
        case .field(let s, let f): return context.value(source: s, field: f)
        case .state(let s): return context.isPresent(source: s) ? (context.stateClass(source: s).map { .text($0.name) } ?? .unknown) : .unknown
        case .asOf: return .date(context.asOf)
        case .presence(let s, let exists): return .bool(context.isPresent(source: s) == exists)
        case .stateTest(let s, let test, let negated):
            guard context.isPresent(source: s) else { return .unknown }
            let cls = context.stateClass(source: s)
            var r: Bool
            switch test {
            case .definite: r = cls?.isDefinite ?? false
            case .transitional: r = cls.map { !$0.isDefinite } ?? false
            case .unclassified: r = cls == nil
            case .class(let n): r = cls?.name == n
            }
            if negated { r.toggle() }
            return .bool(r)
        case .unary(.not, let a):
            if case .bool(let b) = evaluate(a, in: context, calendar: calendar) { return .bool(!b) }
            return .unknown
        case .binary(let op, let a, let b):
            let x = evaluate(a, in: context, calendar: calendar), y = evaluate(b, in: context, calendar: calendar)
            switch op {
            case .and:
                if case .bool(false) = x { return .bool(false) }
                if case .bool(false) = y { return .bool(false) }
                if case .bool(true) = x, case .bool(true) = y { return .bool(true) }
                return .unknown
            case .or:
                if case .bool(true) = x { return .bool(true) }
                if case .bool(true) = y { return .bool(true) }
                if case .bool(false) = x, case .bool(false) = y { return .bool(false) }
                return .unknown
            case .equal, .notEqual, .less, .greater, .lessOrEqual, .greaterOrEqual:
                guard let c = compareValues(x, y) else { return .unknown }
                switch op {
                case .equal: return .bool(c == 0)
                case .notEqual: return .bool(c != 0)
                case .less: return .bool(c < 0)
                case .greater: return .bool(c > 0)
                case .lessOrEqual: return .bool(c <= 0)
                default: return .bool(c >= 0)
                }
            case .add:
                return addValues(x, y) ?? .unknown
            default: return .unknown
            }
        default: return .unknown
        }
    }
    public static func firstUnknown(_ expr: Expr, in context: some EvaluationContext, calendar: DemarcRules.Calendar?) -> String? {
        switch expr.node {
        case .field(let s, let f):
            if let s, !context.isPresent(source: s) { return "\(s) is absent" }
            return evaluate(expr, in: context, calendar: calendar).isUnknown ? "\(expr.text) is empty" : nil
        case .stateTest(let s, _, _), .state(let s):
            return context.isPresent(source: s) ? nil : "\(s) is absent"
        case .unary(_, let a): return firstUnknown(a, in: context, calendar: calendar)
        case .binary(_, let a, let b):
            return firstUnknown(a, in: context, calendar: calendar) ?? firstUnknown(b, in: context, calendar: calendar)
        default: return nil
        }
    }
}

extension DemarcRules.Calendar {
    public func closeDate(for day: Day) -> Day {
        let (y, m, _) = day.civil
        let last = Day(year: y, month: m, day: Day.daysInMonth(year: y, month: m)) ?? day
        return Day(daysSinceEpoch: last.daysSinceEpoch + Int32(graceMillis / 86_400_000))
    }
}

public final class XMLRecordReader {
    public init(input: InputFile, options: XMLOptions) {}
    public func read(fields: [FieldRequest], sink: RecordSink) throws -> ReadSummary {
        throw DemarcError.internalError("xml stand-in")
    }
}

public struct DatevHeader: Sendable {
    public var values: [(name: String, value: Value)] = []
    public func value(_ name: String) -> Value? { nil }
    public var period: ClosedRange<Day>? { nil }
}

public final class DatevReader {
    public init(input: InputFile, overrides: CSVOptions?) {}
    public func readHeader() throws -> DatevHeader { throw DemarcError.internalError("datev stand-in") }
    public func read(fields: [FieldRequest]?, sink: RecordSink) throws -> ReadSummary {
        throw DemarcError.internalError("datev stand-in")
    }
}

