import Testing
@testable import QRCode

@Suite struct ReedSolomonEncoderTests {
    @Test func galoisFieldTablesAreConsistent() {
        for a in 1...255 {
            let x = UInt8(a)
            #expect(GaloisField.multiply(x, GaloisField.inverse(x)) == 1)
        }
        #expect(GaloisField.exp[255] == 1)
    }

    /// ISO/IEC 18004 Annex I: "01234567" as 1-M has these 10 error-correction codewords.
    @Test func annexIExample() {
        let data: [UInt8] = [0x10, 0x20, 0x0C, 0x56, 0x61, 0x80, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11]
        let ec = ReedSolomonEncoder(errorCorrectionCodewords: 10).errorCorrection(for: data)
        #expect(ec == [0xA5, 0x24, 0xD4, 0xC1, 0xED, 0x36, 0xC7, 0x87, 0x2C, 0x55])
    }
}
