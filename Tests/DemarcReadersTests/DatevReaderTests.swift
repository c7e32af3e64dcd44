import DemarcCore
@testable import DemarcReaders
import XCTest

final class DatevReaderTests: XCTestCase {
    private func day(_ y: Int, _ m: Int, _ d: Int) -> Day { Day(year: y, month: m, day: d)! }

    private func readAll(_ reader: DatevReader, fields: [FieldRequest]?) throws -> ReadOutcome {
        var records: [ReadRecord] = []
        let summary = try reader.read(fields: fields) { record in
            records.append(ReadRecord(line: record.line, fields: record.fields.indices.map { record.text($0) },
                                      malformed: record.malformed))
        }
        return ReadOutcome(records: records, summary: summary)
    }

    // MARK: - The ledermann sample

    func testBuchungsstapelHeader() throws {
        let path = try samplesFolder().appendingPathComponent("datev-ledermann/EXTF_Buchungsstapel.csv").path
        let header = try DatevReader(input: .file(path), overrides: nil).readHeader()
        XCTAssertEqual(header.value("kennzeichen"), .text("EXTF"))
        XCTAssertEqual(header.value("version"), .integer(700))
        XCTAssertEqual(header.value("format_category"), .integer(21))
        XCTAssertEqual(header.value("format_name"), .text("Buchungsstapel"))
        XCTAssertEqual(header.value("format_version"), .integer(9))
        XCTAssertEqual(header.value("created"), .text("20180306102500000"))
        XCTAssertEqual(header.value("imported"), .unknown)
        XCTAssertEqual(header.value("consultant"), .integer(1001))
        XCTAssertEqual(header.value("client"), .integer(456))
        XCTAssertEqual(header.value("fiscal_year_start"), .date(day(2018, 1, 1)))
        XCTAssertEqual(header.value("account_length"), .integer(4))
        XCTAssertEqual(header.value("date_from"), .date(day(2018, 2, 1)))
        XCTAssertEqual(header.value("date_to"), .date(day(2018, 2, 28)))
        XCTAssertEqual(header.value("label"), .text("Beispiel-Buchungen"))
        XCTAssertEqual(header.value("dictation"), .unknown)
        XCTAssertEqual(header.value("booking_type"), .integer(1))
        XCTAssertEqual(header.value("purpose"), .unknown)
        XCTAssertEqual(header.value("festschreibung"), .bool(false))
        XCTAssertEqual(header.value("currency"), .text("EUR"))
        XCTAssertNil(header.value("nonsense"))
        XCTAssertEqual(header.values.map(\.name), DatevHeader.names)
        XCTAssertEqual(header.period, day(2018, 2, 1)...day(2018, 2, 28))
    }

    func testBuchungsstapelRecords() throws {
        let path = try samplesFolder().appendingPathComponent("datev-ledermann/EXTF_Buchungsstapel.csv").path
        let reader = DatevReader(input: .file(path), overrides: nil)
        let header = try reader.readHeader()
        let outcome = try readAll(reader, fields: [
            FieldRequest(.column("Umsatz (ohne Soll/Haben-Kz)")), FieldRequest(.column("Soll/Haben-Kennzeichen")),
            FieldRequest(.column("Belegdatum")), FieldRequest(.column("Buchungstext")),
            FieldRequest(.column("Belegfeld 1")), FieldRequest(.position(7)),
        ])
        XCTAssertEqual(outcome.rows, [
            ["24,95", "H", "2102", "Fachbuch: Controlling für Dummies", "", "1200"],
            ["5950,00", "S", "2202", "Honorar FiBu-Seminar", "RE201802-135", "10000"],
        ])
        XCTAssertEqual(outcome.records.map(\.line), [3, 4])
        XCTAssertEqual(outcome.summary.malformed, 0)
        XCTAssertEqual(outcome.summary.encoding, "windows-1252")
        XCTAssertEqual(outcome.summary.delimiter, ";")
        XCTAssertEqual(outcome.summary.header.count, 120)
        XCTAssertTrue(outcome.summary.header.contains("Beleginfo – Art 1"))
        let dates = outcome.rows.map { row -> Day? in
            guard let (d, m) = DatevHeader.dayMonth(fromRaw: row[2] ?? "") else { return nil }
            return header.resolveDayMonth(day: d, month: m)
        }
        XCTAssertEqual(dates, [day(2018, 2, 21), day(2018, 2, 22)])
    }

    func testStammdatenReads() throws {
        let path = try samplesFolder().appendingPathComponent("datev-ledermann/EXTF_Stammdaten.csv").path
        let reader = DatevReader(input: .file(path), overrides: nil)
        let header = try reader.readHeader()
        XCTAssertEqual(header.value("format_category"), .integer(16))
        XCTAssertNil(header.period)
        let outcome = try readAll(reader, fields: nil)
        XCTAssertEqual(outcome.summary.header.count, 254)
        XCTAssertGreaterThan(outcome.records.count, 0)
        XCTAssertTrue(outcome.records.allSatisfy { $0.fields.count == 254 })
        XCTAssertEqual(outcome.summary.malformed, 0)
        XCTAssertEqual(outcome.records.first?.fields.first, "10000")
    }

    // MARK: - Own fixtures

    func testSmallFixtureInWindows1252AndUTF8WithBOM() throws {
        for (name, encoding, source) in [("EXTF_Buchungsstapel_small.csv", "windows-1252", "declared"),
                                         ("EXTF_Buchungsstapel_utf8bom.csv", "utf-8", "BOM")] {
            let reader = DatevReader(input: .file(fixture("datev/" + name)), overrides: nil)
            let outcome = try readAll(reader, fields: [FieldRequest(.column("Belegdatum")),
                                                       FieldRequest(.column("Buchungstext"))])
            XCTAssertEqual(outcome.rows, [["311", "Beratung – Oktober"], ["0111", "Gutschrift \"Rabatt\""],
                                          ["3102", "Datum außerhalb"]], name)
            XCTAssertEqual(outcome.summary.encoding, encoding)
            XCTAssertEqual(outcome.summary.encodingSource, source)
            let header = try reader.readHeader()
            XCTAssertEqual(header.value("festschreibung"), .bool(true))
            XCTAssertEqual(header.value("purpose"), .integer(0))
            let resolved = outcome.rows.map { row -> Day? in
                DatevHeader.dayMonth(fromRaw: row[0] ?? "").flatMap { header.resolveDayMonth(day: $0.day, month: $0.month) }
            }
            XCTAssertEqual(resolved, [day(2025, 11, 3), day(2025, 11, 1), nil])
        }
    }

    func testNotADatevFileIsUnreadable() throws {
        let expected = "not_datev.csv:1: error: not a DATEV file: line 1 is not EXTF/DTVF metadata"
        let input = InputFile(displayName: "not_datev.csv", path: fixture("datev/not_datev.csv"))
        XCTAssertThrowsError(try DatevReader(input: input, overrides: nil).readHeader()) { error in
            XCTAssertEqual("\(error)", expected)
            XCTAssertEqual((error as? DemarcError)?.exitCode, 3)
        }
        XCTAssertThrowsError(try DatevReader(input: input, overrides: nil).read(fields: nil) { _ in }) { error in
            XCTAssertEqual("\(error)", expected)
        }
        let empty = InputFile(displayName: "empty.csv", path: try temporaryFile([]))
        XCTAssertThrowsError(try DatevReader(input: empty, overrides: nil).readHeader())
    }

    func testOverridesReplaceThePreset() throws {
        let text = "\"DTVF\",700,21,\"Buchungsstapel\"\nBetrag,Datum\n\"1,00\",0101\n"
        let path = try temporaryFile(Array(text.utf8))
        var options = CSVOptions.datev
        options.delimiter = UInt8(ascii: ",")
        options.encoding = .utf8
        let reader = DatevReader(input: .file(path), overrides: options)
        XCTAssertEqual(try reader.readHeader().value("kennzeichen"), .text("DTVF"))
        XCTAssertEqual(try readAll(reader, fields: nil).rows, [["1,00", "0101"]])
    }

    // MARK: - Day and month

    func testDayMonthOfThreeOrFourDigits() {
        XCTAssertTrue(DatevHeader.dayMonth(fromRaw: "311")! == (3, 11))
        XCTAssertTrue(DatevHeader.dayMonth(fromRaw: "2102")! == (21, 2))
        XCTAssertTrue(DatevHeader.dayMonth(fromRaw: " 0111 ")! == (1, 11))
        for bad in ["", "12", "12345", "3113", "0012", "21a2", "-311"] {
            XCTAssertNil(DatevHeader.dayMonth(fromRaw: bad), bad)
        }
    }

    func testResolveDayMonthPicksTheYearInsideThePeriod() throws {
        let header = try XCTUnwrap(DatevHeader(fields: ["EXTF", "700", "21", "Buchungsstapel", "13", "", "", "", "", "",
                                                        "1", "2", "20250701", "4", "20251201", "20260131"]))
        XCTAssertEqual(header.resolveDayMonth(day: 15, month: 12), day(2025, 12, 15))
        XCTAssertEqual(header.resolveDayMonth(day: 15, month: 1), day(2026, 1, 15))
        XCTAssertNil(header.resolveDayMonth(day: 15, month: 6))
        XCTAssertNil(header.resolveDayMonth(day: 30, month: 2))
        XCTAssertEqual(header.value("currency"), .unknown)
        XCTAssertNil(DatevHeader(fields: ["Konto", "Name"]))
    }

    func testPresetTypesForTypeChecking() {
        XCTAssertEqual(DatevHeader.types["date_from"], .date)
        XCTAssertEqual(DatevHeader.types["festschreibung"], .bool)
        XCTAssertEqual(DatevHeader.types["version"], .integer)
        XCTAssertEqual(DatevHeader.types["created"], .text)
        XCTAssertEqual(DatevHeader.types.count, 22)
    }
}
