// Report throughput, for measuring the rendering of findings apart from reading and checking:
// runs the engine once on a rule file, then renders the jsonl report ROUNDS times in memory
// (nothing written) and prints each round's time and their median. Not part of the product.
//
//   demarc-reportbench RULES [ROUNDS]
import DemarcEngine
import DemarcReports
import DemarcRules
import Foundation

let args = CommandLine.arguments
guard args.count >= 2, let rounds = args.count > 2 ? Int(args[2]) : 7, rounds > 0 else {
    FileHandle.standardError.write(Data("usage: demarc-reportbench RULES [ROUNDS]\n".utf8))
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
        try JSONLinesReport().write(result, options: ReportOptions()) { piece in count += piece.count }
        times.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6)
        bytes = count
    }
    let median = times.sorted()[times.count / 2]
    print("findings \(result.findings.count) bytes \(bytes) rounds \(times.map { String(format: "%.0f", $0) }.joined(separator: " ")) ms; median \(String(format: "%.0f", median)) ms")
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(3)
}
