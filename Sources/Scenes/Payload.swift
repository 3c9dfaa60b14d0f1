import QRCode

/// Payloads shaped like the product URIs printed on our tins (GS1 Digital Link style):
/// `https://gen.example/01/<GTIN-14>/10/<lot>/21/<serial>?17=<expiry>&s=<signature>`.
enum Payload {
    static let serialAlphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    static let signatureAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

    static func productURI(_ rng: inout SplitMix64) -> String {
        var digits = [0] + (0..<12).map { _ in rng.int(0...9) }
        digits.append(gtinCheckDigit(digits))
        let gtin = digits.map(String.init).joined()
        let lot = "LOT" + String(rng.int(1...999))
        let serial = String((0..<10).map { _ in serialAlphabet[rng.int(0...(serialAlphabet.count - 1))] })
        let expiry = String(rng.int(26...31)) + twoDigits(rng.int(1...12)) + twoDigits(rng.int(1...28))
        let signature = String((0..<22).map { _ in signatureAlphabet[rng.int(0...(signatureAlphabet.count - 1))] })
        return "https://gen.example/01/\(gtin)/10/\(lot)/21/\(serial)?17=\(expiry)&s=\(signature)"
    }

    /// The GS1 mod-10 check digit: weights 3 and 1 alternating from the right.
    static func gtinCheckDigit(_ digits: [Int]) -> Int {
        var sum = 0
        for (i, d) in digits.reversed().enumerated() { sum += d * (i % 2 == 0 ? 3 : 1) }
        return (10 - sum % 10) % 10
    }

    static func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }

    /// A product URI lengthened with a data field so it fills about 90 % of `version` at `level`.
    static func filling(version: Int, level: ErrorCorrectionLevel, _ rng: inout SplitMix64) -> String {
        var text = productURI(&rng)
        // Byte mode spends 20 header bits (mode and a 16-bit count) from version 10 up.
        let capacity = (QRVersion(version)?.blocks(level).totalDataCodewords ?? 0) - 3
        let target = capacity * 9 / 10
        if text.utf8.count + 3 < target {
            text += "&d=" + String((0..<(target - text.utf8.count - 3)).map { _ in
                signatureAlphabet[rng.int(0...(signatureAlphabet.count - 1))]
            })
        }
        return text
    }
}
