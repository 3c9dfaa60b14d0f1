import Testing
@testable import QRCode

/// The finder scan's run-length encoding of a thresholded row against the plain definition.
@Suite struct RunLengthTests {
    static func naive(_ row: [UInt8]) -> (runs: [Int], starts: [Int]) {
        var runs: [Int] = [], starts: [Int] = []
        if row[0] == 0 { runs.append(0); starts.append(0) }
        var start = 0
        for j in 1..<row.count where row[j] != row[j - 1] {
            runs.append(j - start); starts.append(start); start = j
        }
        runs.append(row.count - start); starts.append(start)
        return (runs, starts)
    }

    /// Widths around the 8- and 64-pixel steps, rows that are all one colour, and edges at
    /// every position (long runs, single pixels, and runs across word boundaries).
    @Test(arguments: [1, 2, 7, 8, 9, 63, 64, 65, 127, 128, 130, 200])
    func runsMatchTheDefinition(width: Int) {
        var state: UInt64 = UInt64(width) &* 0x9E37_79B9_7F4A_7C15
        for pattern in 0..<40 {
            var row = [UInt8](repeating: 0, count: width)
            for x in 0..<width {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                switch pattern % 4 {
                case 0: row[x] = UInt8(state >> 63)                               // noise
                case 1: row[x] = UInt8((x / (1 + pattern % 13)) & 1)            // stripes
                case 2: row[x] = pattern % 8 == 2 ? 1 : 0                         // one colour
                default: row[x] = (state >> 58) == 0 ? 1 - (x > 0 ? row[x - 1] : 0) : (x > 0 ? row[x - 1] : 1)  // long runs
                }
            }
            var runs: [Int] = [], starts: [Int] = []
            let completed = row.withUnsafeBufferPointer { r in
                FinderPatternFinder.forEachRun(r.baseAddress!, width: width) { start, end in
                    runs.append(end - start); starts.append(start)
                    return true
                }
            }
            #expect(completed)
            let expected = Self.naive(row)
            #expect(runs == expected.runs && starts == expected.starts, "width \(width), pattern \(pattern)")
            // Stopping early: the scan ends at the run where the body says so.
            if expected.runs.count > 2 {
                var seen = 0
                let finished = row.withUnsafeBufferPointer { r in
                    FinderPatternFinder.forEachRun(r.baseAddress!, width: width) { _, _ in seen += 1; return seen < 2 }
                }
                #expect(!finished && seen == 2)
            }
        }
    }
}
