// Report throughput, for measuring the rendering of findings apart from reading and checking:
// runs the engine once on a rule file, then renders the jsonl report ROUNDS times in memory
// (nothing written; with OUT, written to that file, 256 KiB a write as reports are) and prints
// each round's time and their median. Not part of the product.
//
//   demarc-reportbench RULES [ROUNDS] [OUT]
import DemarcEngine
import DemarcReports
import DemarcRules
import Foundation

let args = CommandLine.arguments
guard args.count >= 2, let rounds = args.count > 2 ? Int(args[2]) : 7, rounds > 0 else {
    FileHandle.standardError.write(Data("usage: demarc-reportbench RULES [ROUNDS] [OUT]\n".utf8))
    exit(2)
}
do {
    let file = try RuleFileLoader.load(path: args[1])
    var options = RunOptions()
    options.sourceDigests = false
    let result = try Engine.run(file, options: options)
    var times: [Double] = []
    var bytes = 0
    for _ in 0..<rounds {
        let started = DispatchTime.now().uptimeNanoseconds
        var count = 0
        let fd = args.count > 3 ? open(args[3], O_WRONLY | O_CREAT | O_TRUNC, 0o644) : -1
        if args.count > 3 && fd < 0 {
            FileHandle.standardError.write(Data("demarc-reportbench: cannot write \(args[3])\n".utf8))
            exit(3)
        }
        try JSONLinesReport().write(result, options: ReportOptions()) { piece in
            count += piece.count
            guard fd >= 0 else { return }
            piece.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let n = write(fd, buffer.baseAddress! + offset, min(buffer.count - offset, 1 << 18))
                    if n <= 0 { break }
                    offset += n
                }
            }
        }
        if fd >= 0 { close(fd) }
        times.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6)
        bytes = count
    }
    let median = times.sorted()[times.count / 2]
    print("findings \(result.findings.count) bytes \(bytes) rounds \(times.map { String(format: "%.0f", $0) }.joined(separator: " ")) ms; median \(String(format: "%.0f", median)) ms")
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(3)
}
