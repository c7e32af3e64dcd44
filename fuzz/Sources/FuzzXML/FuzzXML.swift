#if canImport(Glibc)
import Glibc
#endif
import DemarcCore
import DemarcReaders

let scratch = "/dev/shm/demarc-fuzz-xml-\(getpid()).xml"

/// Record paths and fields the first input byte chooses from; they fit the seed corpus
/// (SAF-T PT, UBL, CII and the engine fixture).
let setups: [(record: String, fields: [String])] = [
    ("//Invoice", ["InvoiceNo", "@id", "DocumentTotals/GrossTotal", "Line/Amount"]),
    ("/AuditFile/SourceDocuments/SalesInvoices/Invoice", ["InvoiceNo", "InvoiceDate", "DocumentStatus/InvoiceStatus"]),
    ("//pt:Invoice", ["pt:InvoiceNo", "pt:Line/@n", "@pt:a"]),
    ("/invoices/invoice", ["@id", "number", "amount", "status/@code"]),
    ("//Transaction", ["TransactionID", "Line/RecordID"]),
    ("/rsm:CrossIndustryInvoice", ["rsm:ExchangedDocument/ram:ID"]),
    ("//r", ["a", "b/c", "@x"]),
]
let namespaces = [
    "pt": "urn:OECD:StandardAuditFile-Tax:PT_1.04_01",
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
]

/// The first byte chooses a record path and fields (and whether an empty result is allowed);
/// the rest is the file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzXML(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let setup = setups[Int(data[0] & 0x7F) % setups.count]
    let fd = open(scratch, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { return 0 }
    var offset = 1
    while offset < size {
        let n = write(fd, data + offset, size - offset)
        if n <= 0 { break }
        offset += n
    }
    close(fd)
    let options = XMLOptions(record: setup.record, namespaces: namespaces, allowEmpty: data[0] & 0x80 != 0)
    let reader = XMLRecordReader(input: .file(scratch), options: options)
    let fields = setup.fields.enumerated().map { FieldRequest(.path($0.element), keepAllMatches: $0.offset % 2 == 1) }
    var seen = 0
    _ = try? reader.read(fields: fields) { record in
        for i in record.fields.indices { for r in record.allMatches(i) { seen &+= record.bytes[r].count } }
    }
    return 0
}

// SwiftPM links an executable target with `main` aliased to `FuzzXML_main`, so the
// entry point is ours and hands over to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

@_cdecl("FuzzXML_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var vector = argv
    return LLVMFuzzerRunDriver(&count, &vector) { fuzzXML($0, $1) }
}
