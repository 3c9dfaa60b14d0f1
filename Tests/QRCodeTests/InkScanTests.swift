import Testing
@testable import QRCode

/// The whole-image fallback's word-at-a-time ink scans against a byte-by-byte search.
@Suite struct InkScanTests {
    /// Every range of rows with no ink, one ink byte at each position, and random sparse ink,
    /// at lengths around the eight-byte step.
    @Test(arguments: [0, 1, 7, 8, 9, 15, 16, 17, 40])
    func scansFindTheNearestInk(length: Int) {
        var state = UInt64(length) &* 0x9E37_79B9_7F4A_7C15 &+ 1
        var rows: [[UInt8]] = [[UInt8](repeating: 0, count: length)]
        for k in 0..<length {
            var row = [UInt8](repeating: 0, count: length)
            row[k] = 1
            rows.append(row)
        }
        for _ in 0..<30 {
            rows.append((0..<length).map { _ in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return state >> 60 == 0 ? 1 : 0
            })
        }
        for row in rows {
            row.withUnsafeBufferPointer { p in
                guard let base = p.baseAddress else { return }
                for from in 0...length {
                    for to in from...length {
                        var first = from
                        while first < to && row[first] == 0 { first += 1 }
                        var last = to - 1
                        while last >= from && row[last] == 0 { last -= 1 }
                        #expect(PureSymbol.firstInk(base, from: from, to: to) == first, "\(row) \(from)..<\(to)")
                        #expect(PureSymbol.lastInk(base, from: from, to: to) == last, "\(row) \(from)..<\(to)")
                    }
                }
            }
        }
    }
}
