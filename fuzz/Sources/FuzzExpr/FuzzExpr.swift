import DemarcCore
import DemarcRules

/// A scope with a field of every type in two sources with states, and DATEV header fields.
let scope = TypeScope(
    sources: [
        "crm": .init(fields: ["id": .text, "amount": .decimal, "qty": .integer, "due": .date,
                              "at": .datetime, "paid": .bool, "status": .text],
                     classes: ["open", "won", "lost"]),
        "erp": .init(fields: ["id": .text, "total": .decimal, "booked": .date, "flag": .bool],
                     classes: ["booked", "cancelled"]),
    ],
    bareSource: "crm",
    header: ["period_start": .date, "period_end": .date, "client": .text])

let origin = SourcePosition(file: "fuzz.yaml", line: 3, column: 12)

/// Parses the input as an expression and type-checks it as a condition and as any value.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExpression(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard case .success(let expr) = ExprParser.parse(text, at: origin) else { return 0 }
    _ = TypeChecker.check(expr, in: scope, expected: .bool)
    _ = TypeChecker.check(expr, in: scope, expected: nil)
    return 0
}

// SwiftPM links an executable target with `main` aliased to `FuzzExpr_main`, so the
// entry point is ours and hands over to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

@_cdecl("FuzzExpr_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var vector = argv
    return LLVMFuzzerRunDriver(&count, &vector) { fuzzExpression($0, $1) }
}
