/// Collects a bit stream most significant bit first and hands it out as codewords.
struct BitWriter {
    private(set) var bytes: [UInt8] = []
    /// Bits written so far.
    private(set) var count = 0

    init(capacityBits: Int = 0) { bytes.reserveCapacity((capacityBits + 7) / 8) }

    /// Appends the low `width` bits of `value`, highest first.
    mutating func append(_ value: Int, bits width: Int) {
        for shift in stride(from: width - 1, through: 0, by: -1) {
            if count % 8 == 0 { bytes.append(0) }
            if value >> shift & 1 == 1 { bytes[bytes.count - 1] |= 0x80 >> UInt8(count % 8) }
            count += 1
        }
    }
}
