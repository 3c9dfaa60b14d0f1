import Testing
@testable import QRCode

@Suite struct StructuredAppendTests {
    static let message = Array("BATCH 2026-11 GENUINE".utf8)
    static let parity = message.reduce(UInt8(0), ^)

    /// Part `index` of `total` carrying `chunk`, with the header parity given.
    static func part(_ index: Int, of total: Int, _ chunk: ArraySlice<UInt8>, parity: UInt8 = parity) throws -> DecodedContent {
        var writer = TestBitstreamWriter()
        writer.structuredAppend(index: index, total: total, parity: parity)
        writer.byte(Array(chunk))
        return try BitstreamDecoder.decode(writer.codewords(), version: 2)
    }

    static func threeParts() throws -> [DecodedContent] {
        [try part(0, of: 3, message[0..<6]), try part(1, of: 3, message[6..<14]), try part(2, of: 3, message[14...])]
    }

    @Test func headerIsParsed() throws {
        let content = try Self.part(1, of: 3, Self.message[6..<14])
        #expect(content.structuredAppend == StructuredAppendInfo(index: 1, total: 3, parity: Self.parity))
        #expect(content.text == "2026-11 ")
        #expect(content.segments.map(\.mode) == [.structuredAppend, .byte])
        #expect(content.symbologyIdentifier == "]Q1")
    }

    @Test func joinAcceptsAnyOrder() throws {
        let parts = try Self.threeParts()
        for order in [[0, 1, 2], [2, 0, 1], [1, 2, 0]] {
            let joined = try StructuredAppend.join(order.map { parts[$0] })
            #expect(joined.text == "BATCH 2026-11 GENUINE")
            #expect(joined.bytes == Self.message)
            #expect(joined.structuredAppend == nil)
        }
    }

    @Test func joinRejectsBadSequences() throws {
        let parts = try Self.threeParts()
        #expect(throws: BitstreamError.missingParts([1])) { try StructuredAppend.join([parts[2], parts[0]]) }
        #expect(throws: BitstreamError.duplicatePart(index: 0)) { try StructuredAppend.join([parts[0], parts[1], parts[0]]) }
        #expect(throws: BitstreamError.noParts) { try StructuredAppend.join([]) }

        let wrongText = try Self.part(2, of: 3, Array("GENUINF".utf8)[...])
        #expect(throws: BitstreamError.parityMismatch(expected: Self.parity, actual: Self.parity ^ 0x45 ^ 0x46)) {
            try StructuredAppend.join([parts[0], parts[1], wrongText])
        }

        let otherMessage = try Self.part(2, of: 3, Self.message[14...], parity: Self.parity ^ 1)
        #expect(throws: BitstreamError.inconsistentStructuredAppend) { try StructuredAppend.join([parts[0], parts[1], otherMessage]) }

        var plain = TestBitstreamWriter()
        plain.numeric("1")
        let single = try BitstreamDecoder.decode(plain.codewords(), version: 1)
        #expect(throws: BitstreamError.notStructuredAppend(partPosition: 1)) { try StructuredAppend.join([parts[0], single]) }

        let outOfRange = try Self.part(5, of: 3, Self.message[14...])
        #expect(throws: BitstreamError.inconsistentStructuredAppend) { try StructuredAppend.join([parts[0], outOfRange]) }
    }
}
