/// Interleaving of Reed–Solomon blocks: the symbol stores the first data codeword of every
/// block, then the second of every block, and so on (blocks that have run out are
/// skipped), then the error-correction codewords in the same way.
public enum CodewordBlocks {
    /// Interleaves data blocks and their error-correction blocks (same count, same order)
    /// into the codeword sequence stored in the symbol.
    public static func interleave(_ blocks: [[UInt8]], ec: [[UInt8]]) -> [UInt8] {
        var result = [UInt8]()
        result.reserveCapacity(blocks.reduce(0) { $0 + $1.count } + ec.reduce(0) { $0 + $1.count })
        for group in [blocks, ec] {
            let longest = group.map(\.count).max() ?? 0
            for i in 0..<longest {
                for block in group where i < block.count { result.append(block[i]) }
            }
        }
        return result
    }

    /// Splits a codeword sequence read from a symbol back into its blocks, in block order.
    ///
    /// - Returns: one element per block: `data` is the number of data codewords of the
    ///   block and `codewords` its data codewords followed by its error-correction
    ///   codewords (ready for Reed–Solomon decoding). Empty when `codewords` holds fewer
    ///   than `version.totalCodewords` values; extra values are ignored.
    public static func deinterleave(_ codewords: [UInt8], version: QRVersion, level: ErrorCorrectionLevel) -> [(data: Int, codewords: [UInt8])] {
        let layout = version.blocks(level)
        guard codewords.count >= layout.totalCodewords else { return [] }
        let dataCounts = layout.dataCodewordsPerBlock
        let ecCount = layout.ecCodewordsPerBlock
        var blocks = dataCounts.map { count -> [UInt8] in
            var block = [UInt8]()
            block.reserveCapacity(count + ecCount)
            return block
        }
        var next = 0
        let longest = dataCounts.max() ?? 0
        for i in 0..<longest {
            for b in blocks.indices where i < dataCounts[b] {
                blocks[b].append(codewords[next])
                next += 1
            }
        }
        for _ in 0..<ecCount {
            for b in blocks.indices {
                blocks[b].append(codewords[next])
                next += 1
            }
        }
        return zip(dataCounts, blocks).map { (data: $0, codewords: $1) }
    }
}
