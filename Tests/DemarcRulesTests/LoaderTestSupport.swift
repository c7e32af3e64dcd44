import DemarcCore
@testable import DemarcRules
import XCTest

/// The diagnostics of loading `yaml` as `r.yaml`, as printed (`r.yaml:3:5: error: …`).
func loadErrors(_ yaml: String, file: StaticString = #filePath, line: UInt = #line) -> [String] {
    do {
        _ = try RuleFileLoader.load(yaml: yaml, path: "r.yaml")
        XCTFail("the rule file loaded", file: file, line: line)
    } catch DemarcError.invalidConfiguration(let diagnostics) {
        return diagnostics.map(\.description)
    } catch {
        XCTFail("unexpected error \(error)", file: file, line: line)
    }
    return []
}

/// Asserts that loading `yaml` reports exactly `expected`, in this order.
func assertErrors(_ yaml: String, _ expected: [String], file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(loadErrors(yaml, file: file, line: line), expected, file: file, line: line)
}

/// A valid file with two sources that tests change one line of: `crm` (csv, form 1 state)
/// and `acc` (xml, form 1 state), and one rule.
func validFile(sources extra: String = "", crmFields: String = "", rules: String = "  - id: r1\n    definite: crm\n",
               top: String = "") -> String {
    """
    demarc: 1
    \(top)sources:
      crm:
        key: id
        fields:
          id: Id
          stage: Stage
          amount: { column: Amount, type: decimal }
          modified: { column: Modified, type: datetime }
    \(crmFields)    state:
          field: stage
          classes:
            booked: [Won]
            open: [Open]
      acc:
        format: xml
        xml: { record: /A/B }
        key: id
        fields:
          id: Id
          status: Status
          amount: { path: Total, type: decimal }
        state:
          field: status
          classes: { booked: [B], not_booked: [N] }
    \(extra)rules:
    \(rules)
    """
}

/// Skips a test that needs the expression parser and type checker of branch `expr` while they
/// are still stand-ins.
func requireExpressions() throws {
    let position = SourcePosition(file: "t", line: 1, column: 1)
    guard case .success(let expr) = ExprParser.parse("1 + 1", at: position),
          case .success = TypeChecker.check(expr, in: TypeScope(sources: [:]), expected: nil) else {
        throw XCTSkip("the expression parser or type checker is not implemented yet (branch expr)")
    }
}
