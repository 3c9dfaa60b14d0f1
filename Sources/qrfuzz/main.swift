import FuzzCases
import Foundation

// `qrfuzz [--seconds N] [--start SEED] [--log FILE]`: runs FuzzCase seeds from --start upward until
// the time is up. Built with the address sanitizer by `make fuzz`. Before each case the seed is
// written to --log, so after a crash the file names the input to keep as a regression test.
var seconds = 60.0, start: UInt64 = 1, log = "fuzz-last-seed.txt"
var args = CommandLine.arguments.dropFirst().makeIterator()
while let arg = args.next() {
    switch arg {
    case "--seconds": seconds = Double(args.next() ?? "") ?? seconds
    case "--start": start = UInt64(args.next() ?? "") ?? start
    case "--log": log = args.next() ?? log
    default:
        FileHandle.standardError.write(Data("usage: qrfuzz [--seconds N] [--start SEED] [--log FILE]\n".utf8))
        exit(64)
    }
}
let deadline = Date().addingTimeInterval(seconds)
var seed = start
var counts: [String: Int] = [:]
while Date() < deadline {
    try? "\(seed)\n".write(toFile: log, atomically: false, encoding: .utf8)
    let fuzzCase = FuzzCase(seed: seed)
    fuzzCase.run()
    counts[fuzzCase.kind, default: 0] += 1
    seed += 1
}
print("qrfuzz: \(seed - start) cases in \(Int(seconds)) s without a crash (seeds \(start)…\(seed - 1)): "
      + counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))
