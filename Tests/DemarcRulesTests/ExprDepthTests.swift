import XCTest
import DemarcCore
@testable import DemarcRules

/// Deep input never exhausts the stack: the parser stops at 200 levels, so hostile input is
/// rejected on a 4 MiB stack (half of a Linux main thread's), and every tree it accepts is
/// checked and evaluated on 1 MiB. These are debug builds, whose frames are 1.5-3 KiB each
/// (measured with gdb); optimized frames are an order of magnitude smaller.
final class ExprDepthTests: XCTestCase {
    private let scope = TypeScope(sources: ["crm": .init(fields: ["a": .integer, "b": .bool], classes: ["open"])])

    /// Runs `body` on a thread with a stack of `kib` KiB.
    private func onStack(_ kib: Int, _ body: @escaping @Sendable () -> Void) {
        let done = expectation(description: "thread finished")
        let thread = Thread {
            body()
            done.fulfill()
        }
        thread.stackSize = kib * 1024
        thread.start()
        wait(for: [done], timeout: 60)
    }

    func testHostileNestingIsRejectedWithinFourMegabytesOfStack() {
        onStack(4096) {
            let inputs = [
                String(repeating: "(", count: 10_000) + "crm.a" + String(repeating: ")", count: 10_000),
                String(repeating: "not ", count: 10_000) + "crm.b",
                String(repeating: "-", count: 10_000) + "crm.a",
                Array(repeating: "crm.a", count: 10_000).joined(separator: " + "),
                Array(repeating: "crm.b", count: 10_000).joined(separator: " or "),
                String(repeating: "abs(", count: 10_000) + "crm.a" + String(repeating: ")", count: 10_000),
                String(repeating: "crm.a in [", count: 10_000) + "1" + String(repeating: "]", count: 10_000),
                String(repeating: "(", count: 10_000),
            ]
            for input in inputs {
                guard case .failure(let d) = ExprParser.parse(input, at: exprOrigin) else {
                    return XCTFail("accepted \(input.prefix(20))…")
                }
                XCTAssertTrue(d.message.contains("nested deeper than 200") || d.message.hasPrefix("expected"), d.message)
            }
        }
    }

    func testTheDeepestAcceptedTreesCheckAndEvaluateWithinOneMegabyteOfStack() {
        let sc = scope
        let inputs: [(String, Value)] = [
            (String(repeating: "(", count: 199) + "crm.b" + String(repeating: ")", count: 199), .bool(true)),
            (String(repeating: "not ", count: 198) + "crm.b", .bool(true)),
            (Array(repeating: "crm.a", count: 199).joined(separator: " + ") + " > 0", .bool(true)),
            (Array(repeating: "crm.b", count: 200).joined(separator: " and "), .bool(true)),
            (String(repeating: "abs(", count: 199) + "crm.a" + String(repeating: ")", count: 199) + " == 1", .bool(true)),
        ]
        var trees: [(Expr, Value)] = []
        for (input, expected) in inputs {
            guard case .success(let e) = ExprParser.parse(input, at: exprOrigin) else {
                return XCTFail("rejected \(input.prefix(20))…")
            }
            trees.append((e, expected))
        }
        let parsedTrees = trees
        onStack(1024) {
            var c = TestContext()
            c.present = ["crm"]
            c.values = ["crm": ["a": .integer(1), "b": .bool(true)]]
            for (e, expected) in parsedTrees {
                guard case .success(.bool) = TypeChecker.check(e, in: sc, expected: .bool) else {
                    return XCTFail("type error in \(e.text.prefix(20))…")
                }
                XCTAssertEqual(Evaluator.evaluate(e, in: c, calendar: nil), expected)
                XCTAssertNil(Evaluator.firstUnknown(e, in: c, calendar: nil))
            }
        }
    }
}
