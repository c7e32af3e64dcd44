// Reader throughput, for bench/readers.sh: streams one file through demarc's CSV or XML reader
// and prints records, bytes, seconds and MB/s. Not part of the product.
//
//   demarc-readbench csv FILE [COLUMN...]
//   demarc-readbench xml FILE RECORD-PATH [FIELD-PATH...]
import DemarcReaders
import Foundation

let args = CommandLine.arguments
guard args.count >= 3, ["csv", "xml"].contains(args[1]) else {
    FileHandle.standardError.write(Data("usage: demarc-readbench csv FILE [COLUMN...] | xml FILE RECORD [PATH...]\n".utf8))
    exit(2)
}
let path = args[2]
let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
var checksum = 0
let started = DispatchTime.now().uptimeNanoseconds
do {
    let summary: ReadSummary
    if args[1] == "csv" {
        let fields = args.count > 3 ? args[3...].map { FieldRequest(.column($0)) } : nil
        summary = try CSVReader(input: .file(path), options: CSVOptions()).read(fields: fields) { record in
            checksum &+= record.bytes.count
        }
    } else {
        guard args.count >= 4 else { exit(2) }
        let fields = args[4...].map { FieldRequest(.path($0)) }
        summary = try XMLRecordReader(input: .file(path), options: XMLOptions(record: args[3])).read(fields: fields) { record in
            checksum &+= record.bytes.count
        }
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
    print("records \(summary.records) bytes \(bytes) seconds \(String(format: "%.2f", seconds)) MB/s \(String(format: "%.0f", Double(bytes) / seconds / 1e6)) (checksum \(checksum))")
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(3)
}
