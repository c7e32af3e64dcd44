import Foundation
import XCTest
import DemarcCore
import DemarcEngine
import DemarcReports

/// `OutputFormat.showsSourceDigests` says which reports show a source's SHA-256: a run whose
/// reports do not skips hashing its inputs, so a report that showed it would show "".
final class SourceDigestFormatTests: XCTestCase {
    func testExactlyTheFormatsThatSayTheyShowSourceDigestsShowThem() throws {
        var result = try ReportFixtures.result("Fixtures/golden/salesforce-datev.json")
        let marker = String(repeating: "5eed", count: 16)
        XCTAssertFalse(result.sources.isEmpty)
        for i in result.sources.indices { result.sources[i].sha256 = marker }
        for format in OutputFormat.allCases {
            let bytes = try format.report().render(result, options: ReportOptions())
            let text = String(decoding: bytes, as: UTF8.self)
            XCTAssertEqual(text.contains(marker), format.showsSourceDigests, "\(format)")
        }
        XCTAssertEqual(OutputFormat.allCases.filter(\.showsSourceDigests), [.json])
    }
}
