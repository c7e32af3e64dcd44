#if canImport(Glibc)
import Glibc
#endif
import DemarcCore
import DemarcReaders

/// The input is written here (tmpfs) and read back by the reader, as a file would be.
let scratch = "/dev/shm/demarc-fuzz-csv-\(getpid()).csv"

let delimiters: [UInt8?] = [nil, UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: "|")]
let encodings: [TextEncoding?] = [nil] + TextEncoding.allCases

/// The first 3 input bytes choose the options (delimiter, encoding, header line, quote, fields
/// and the read chunk size, tiny to put chunk boundaries everywhere); the rest is the file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 3 else { return 0 }
    let delimiter = delimiters[Int(data[0]) % delimiters.count]
    let encoding = encodings[Int(data[1]) % encodings.count]
    let headerLine = Int(data[2] & 3)
    let quote = data[2] & 4 != 0 ? UInt8(ascii: "'") : UInt8(ascii: "\"")
    let fields: [FieldRequest]?
    switch (data[2] >> 3) & 3 {
    case 0: fields = nil
    case 1: fields = [FieldRequest(.position(1)), FieldRequest(.position(3))]
    case 2: fields = headerLine > 0 ? [FieldRequest(.column("id")), FieldRequest(.column("Amount"))] : [FieldRequest(.position(2))]
    default: fields = [FieldRequest(.position(2)), FieldRequest(.position(1))]
    }
    let fd = open(scratch, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { return 0 }
    var offset = 3
    while offset < size {
        let n = write(fd, data + offset, size - offset)
        if n <= 0 { break }
        offset += n
    }
    close(fd)
    let options = CSVOptions(delimiter: delimiter, quote: quote, encoding: encoding, headerLine: headerLine)
    let reader = CSVReader(input: .file(scratch), options: options)
    reader.chunkSize = [4096, 4, 7, 64][Int(data[2] >> 5) & 3]
    var seen = 0
    _ = try? reader.read(fields: fields) { record in
        // Touch every field range, as the engine does.
        for case let range? in record.fields { seen &+= record.bytes[range].count }
        if let bad = record.malformed { seen &+= bad.raw.utf8.count }
    }
    return 0
}

// SwiftPM links an executable target with `main` aliased to `FuzzCSV_main`, so the
// entry point is ours and hands over to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

@_cdecl("FuzzCSV_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var vector = argv
    return LLVMFuzzerRunDriver(&count, &vector) { fuzzCSV($0, $1) }
}
