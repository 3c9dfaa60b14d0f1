/// Reads big-endian bit fields from codewords, most significant bit first.
struct DataBitReader {
    private let bytes: [UInt8]
    /// Bits consumed so far.
    private(set) var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var remaining: Int { bytes.count * 8 - position }

    /// The next `count` bits (at most 32) as an unsigned value. Bits past the end read as
    /// zero, so callers check `remaining` first where running out is an error.
    mutating func read(_ count: Int) -> Int {
        var value = 0
        for _ in 0..<count {
            let byteIndex = position >> 3
            let bit = byteIndex < bytes.count ? Int(bytes[byteIndex] >> (7 - UInt8(position & 7))) & 1 : 0
            value = value << 1 | bit
            position += 1
        }
        return value
    }
}
