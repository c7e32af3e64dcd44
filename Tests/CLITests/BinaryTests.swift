import Foundation
import XCTest

/// The shared helper itself: output larger than a pipe's buffer on either stream.
final class BinaryTests: XCTestCase {
    func testLargeStandardErrorDoesNotBlock() throws {
        let files = (1...1500).map { "no/such/file-\($0).yaml" }
        let r = try Binary.run(["lint"] + files)
        XCTAssertEqual(r.code, 2)
        XCTAssertGreaterThan(r.stderr.utf8.count, 65_536, "more than any pipe buffer")
        XCTAssertTrue(r.stderr.hasSuffix("error: cannot read rule file 'no/such/file-1500.yaml': no such file\n"))
    }
}
