import Foundation
import XCTest
@testable import DemarcCore
@testable import DemarcReaders

/// The profiler through the readers, on files written by the test.
final class ProfilerTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func temporary(_ name: String, _ bytes: [UInt8]) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("demarc-profiler-\(UUID().uuidString)-\(name)")
        try Data(bytes).write(to: url)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }

    func testFormatIsDecidedByFlagExtensionAndFirstLine() throws {
        let csv = try temporary("a.txt", Array("a;b\n1;2\n".utf8))
        let datev = try temporary("b.csv", [0xEF, 0xBB, 0xBF] + Array("\"EXTF\";700;21\nx\n".utf8))
        let xml = try temporary("c.XML", Array("<a/>".utf8))
        XCTAssertEqual(try Profiler.decideFormat(ProfileRequest(input: .file(csv))).0, .csv)
        XCTAssertEqual(try Profiler.decideFormat(ProfileRequest(input: .file(datev))).1, "EXTF metadata line")
        XCTAssertEqual(try Profiler.decideFormat(ProfileRequest(input: .file(xml))).0, .xml)
        XCTAssertEqual(try Profiler.decideFormat(ProfileRequest(input: .file(xml), format: .csv)).1, "--format")
        XCTAssertNil(Profiler.datevKind(Array("EXTFX;1".utf8)))
        XCTAssertEqual(Profiler.datevKind(Array("DTVF;1".utf8)), "DTVF")
    }

    func testCSVWithMalformedRecords() throws {
        let path = try temporary("m.csv", Array("id;amount;state\nA1;1.234,50;open\nA2;12,00\nA3;-5,00;open\n\"A4;1;x\n".utf8))
        let profile = try Profiler.profile(ProfileRequest(input: .file(path)))
        XCTAssertEqual(profile.summary.delimiter, ";")
        XCTAssertGreaterThanOrEqual(profile.summary.malformed, 1)
        let amount = try XCTUnwrap(profile.columns.first { $0.name == "amount" })
        XCTAssertEqual(amount.type, .decimal(mark: UInt8(ascii: ","), thousands: UInt8(ascii: ".")))
        XCTAssertEqual(profile.columns.map(\.name), ["id", "amount", "state"])
        XCTAssertEqual(profile.columns[0].values, 2, "malformed records take no part")
    }

    func testHeaderOnlyFileListsItsColumns() throws {
        let path = try temporary("h.csv", Array("a,b\n".utf8))
        let profile = try Profiler.profile(ProfileRequest(input: .file(path)))
        XCTAssertEqual(profile.columns.map(\.name), ["a", "b"])
        XCTAssertEqual(profile.columns.map(\.type), [.empty, .empty])
        XCTAssertTrue(profile.text.contains("empty columns: 1. a, 2. b"))
    }

    func testXMLNamespacesAndAttributes() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <n1:File xmlns:n1="urn:x"><n1:Docs>
              <n1:Doc id="1"><n1:No> D-1 </n1:No><n1:Total cur="EUR">10.50</n1:Total></n1:Doc>
              <n1:Doc id="2"><n1:No>D-2</n1:No><n1:Total cur="EUR">&#49;2.00</n1:Total><n1:Note/></n1:Doc>
            </n1:Docs></n1:File>
            """
        let path = try temporary("n.xml", Array(xml.utf8))
        let listing = try Profiler.profile(ProfileRequest(input: .file(path)))
        XCTAssertEqual(listing.repeatingPaths, [PathCount(path: "/File/Docs/Doc", count: 2)])
        let profile = try Profiler.profile(ProfileRequest(input: .file(path), record: "/n1:File/Docs/Doc"))
        XCTAssertEqual(profile.columns.map(\.name), ["@id", "No", "Total", "Total/@cur", "Note"],
                       "an element comes before its attributes, as XMLCensus lists them")
        XCTAssertEqual(profile.columns[1].examples, ["D-1", "D-2"], "element text is trimmed")
        XCTAssertEqual(profile.columns[2].type, .decimal(mark: UInt8(ascii: "."), thousands: nil))
        XCTAssertEqual(profile.columns[2].examples, ["10.50", "12.00"], "character references are decoded")
        XCTAssertEqual(profile.columns[4].type, .empty)
        XCTAssertEqual(profile.summary.records, 2)
        XCTAssertTrue(profile.json.hasSuffix("\"key_candidates\": [\"@id\", \"No\"]}\n"), profile.json)
    }

    func testXMLRepeatsUnderOneParentAndWithinARecord() throws {
        let xml = "<R><D><L>1</L><L>2</L><K>a</K></D><D><L>3</L><K>b</K></D><D><K>c</K></D></R>"
        let path = try temporary("r.xml", Array(xml.utf8))
        let listing = try Profiler.profile(ProfileRequest(input: .file(path)))
        XCTAssertEqual(listing.repeatingPaths, [PathCount(path: "/R/D", count: 3), PathCount(path: "/R/D/L", count: 3)],
                       "/R/D/K occurs three times, but once per parent")
        let profile = try Profiler.profile(ProfileRequest(input: .file(path), record: "//D"))
        XCTAssertEqual(profile.columns.map(\.name), ["L", "K"])
        XCTAssertEqual(profile.columns.map(\.repeatsInRecord), [true, false])
        XCTAssertEqual(profile.columns[0].examples, ["1", "3"], "a record's value is the first match")
        XCTAssertEqual(profile.columns[0].values, 2, "the third record has no L")
    }

    func testXMLFollowsTheReadersPolicyAndWording() throws {
        let doctype = try temporary("d.xml", Array("<?xml version=\"1.0\"?>\n<!DOCTYPE a [<!ENTITY x \"y\">]>\n<a>&x;</a>".utf8))
        for record in [nil, "/a"] {
            XCTAssertThrowsError(try Profiler.profile(ProfileRequest(input: .file(doctype), record: record))) { error in
                guard case DemarcError.unreadableInput(_, let message) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(message, "DOCTYPE not allowed in XML input")
            }
        }
        let plain = try temporary("p.xml", Array("<a><b>1</b></a>".utf8))
        XCTAssertThrowsError(try Profiler.profile(ProfileRequest(input: .file(plain), record: "/a/@b"))) { error in
            guard case DemarcError.usage(let message) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(message, "invalid xml path '/a/@b': a record path names elements only")
        }
        XCTAssertThrowsError(try Profiler.profile(ProfileRequest(input: .file(plain), record: "/x:a/c"))) { error in
            guard case DemarcError.unreadableInput(_, let message) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(message, "no element matches '/x:a/c'", "the message names the path as given")
        }
    }

    func testBundledFixtureProfile() throws {
        let path = Self.root.appendingPathComponent("Fixtures/salesforce/Opportunity.csv").path
        let profile = try Profiler.profile(ProfileRequest(input: .file(path)))
        XCTAssertEqual(profile.summary.records, 20)
        XCTAssertEqual(profile.keyCandidates.map(\.name), ["Id", "Name"])
        let stage = try XCTUnwrap(profile.columns.first { $0.name == "StageName" })
        XCTAssertEqual(stage.valueCounts?.first { $0.value == "Closed Won" }?.count, 8)
        XCTAssertEqual(profile.columns.first { $0.name == "IsClosed" }?.type, .bool(zeroOne: true))
        XCTAssertEqual(profile.columns.first { $0.name == "IsDeleted" }?.type, .integer, "a constant 0 is no evidence of bool")
    }
}
