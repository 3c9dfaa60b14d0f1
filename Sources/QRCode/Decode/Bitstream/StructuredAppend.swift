/// Joining the symbols of a structured append sequence (ISO/IEC 18004:2015 §8).
public enum StructuredAppend {
    /// Joins parts given in any order into one message. Every part must carry a structured
    /// append header with the same total and parity, each index must appear exactly once,
    /// and the parity must equal the XOR of all bytes of the whole message.
    ///
    /// The result has no structured append header; its FNC1 is the first part's that has one, and
    /// its ECIs are all parts' ECIs in order.
    public static func join(_ parts: [DecodedContent]) throws(BitstreamError) -> DecodedContent {
        guard !parts.isEmpty else { throw .noParts }
        var headers: [StructuredAppendInfo] = []
        for (position, part) in parts.enumerated() {
            guard let header = part.structuredAppend else { throw .notStructuredAppend(partPosition: position) }
            headers.append(header)
        }
        let total = headers[0].total, parity = headers[0].parity
        guard headers.allSatisfy({ $0.total == total && $0.parity == parity }) else {
            throw .inconsistentStructuredAppend
        }
        var partAtIndex = [DecodedContent?](repeating: nil, count: total)
        for (header, part) in zip(headers, parts) {
            guard header.index < total else { throw .inconsistentStructuredAppend }
            guard partAtIndex[header.index] == nil else { throw .duplicatePart(index: header.index) }
            partAtIndex[header.index] = part
        }
        let ordered = partAtIndex.compactMap { $0 }
        guard ordered.count == total else {
            throw .missingParts(partAtIndex.indices.filter { partAtIndex[$0] == nil })
        }
        let bytes = ordered.flatMap(\.bytes)
        let actualParity = bytes.reduce(0, ^)
        guard actualParity == parity else { throw .parityMismatch(expected: parity, actual: actualParity) }
        return DecodedContent(
            text: ordered.map(\.text).joined(), bytes: bytes, segments: ordered.flatMap(\.segments),
            ecis: ordered.flatMap(\.ecis), fnc1: ordered.lazy.compactMap(\.fnc1).first, structuredAppend: nil)
    }
}
