/// Random unit serials: 13 Crockford base32 characters (65 bits) from the system CSPRNG.
///
/// Crockford's alphabet has no I, L, O or U, so a serial read aloud or retyped is unambiguous,
/// and all its characters are in the QR alphanumeric set.
public struct SerialGenerator {
    public static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    public static let length = 13

    private var random: any RandomNumberGenerator

    /// Uses `SystemRandomNumberGenerator` (getrandom on Linux), which is cryptographically secure.
    public init() { random = SystemRandomNumberGenerator() }

    /// A generator with an injected source, for tests that need reproducible serials only.
    public init(source: some RandomNumberGenerator) { random = source }

    /// The next serial.
    public mutating func next() -> String {
        // 65 bits: 64 from one draw plus 1 from a second.
        let high = random.next() as UInt64
        let low = (random.next() as UInt64) & 1
        var serial = ""
        serial.reserveCapacity(Self.length)
        for position in 0..<Self.length {
            let shift = 60 - 5 * position // 13 five-bit groups over the 65-bit value high:low
            let group: UInt64
            if shift >= 1 {
                group = (high >> UInt64(shift - 1)) & 31
            } else {
                group = ((high & 15) << 1 | low) & 31
            }
            serial.append(Self.alphabet[Int(group)])
        }
        return serial
    }
}

/// Builds the Digital Link URI printed on a tin.
public enum DigitalLinkBuilder {
    /// `https://{host}/01/{gtin}/10/{lot}/21/{serial}?17={expiry}&s={authenticator}`, with lot and
    /// serial percent-encoded where GS1 requires it.
    public static func uri(host: String, gtin: String, lot: String, serial: String, expiry: CalendarDate,
                           authenticator: String?) -> String {
        var uri = "https://\(host)/01/\(gtin)/10/\(escape(lot))/21/\(escape(serial))?17=\(expiry.yymmdd)"
        if let authenticator { uri += "&\(GS1Code.authenticatorParameter)=\(escape(authenticator))" }
        return uri
    }

    /// Percent-encodes everything outside the URI unreserved set.
    public static func escape(_ value: String) -> String {
        var result = ""
        for byte in value.utf8 {
            let scalar = Unicode.Scalar(byte)
            if scalar.properties.isAlphabetic && byte < 128 || ("0"..."9").contains(scalar)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "~") {
                result.unicodeScalars.append(scalar)
            } else {
                let hex = Array("0123456789ABCDEF")
                result += "%\(hex[Int(byte >> 4)])\(hex[Int(byte & 15)])"
            }
        }
        return result
    }
}
