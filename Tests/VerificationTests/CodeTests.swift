import Foundation
import Testing
@testable import Verification

@Suite("GS1 codes")
struct CodeTests {
    @Test("GTIN check digits match GS1's worked examples and the Syntax Engine's vectors")
    func gtinCheckDigits() {
        #expect(GTIN.checkDigit(forBody: "0952123454321") == "3")
        #expect(GTIN.checkDigit(forBody: "690123456789") == "2")
        #expect(GTIN.isValid("12345678901231"))
        #expect(!GTIN.isValid("12345678901232"))
        #expect(GTIN.isValid("416000336108"))
        #expect(GTIN.isValid("02345673"))
        #expect(!GTIN.isValid("0234567"))
        #expect(!GTIN.isValid("0952123454321X"))
        #expect(GTIN.normalised("6901234567892") == "06901234567892")
        #expect(GTIN.normalised("6901234567893") == nil)
    }

    @Test("YYMMDD: DD=00 is the month's last day, leap years, century window")
    func dates() {
        #expect(GS1Date(yymmdd: "130200", referenceYear: 2026)?.date.iso == "2013-02-28")
        #expect(GS1Date(yymmdd: "160200", referenceYear: 2026)?.date.iso == "2016-02-29")
        #expect(GS1Date(yymmdd: "240229", referenceYear: 2026)?.date.iso == "2024-02-29")
        #expect(GS1Date(yymmdd: "230229", referenceYear: 2026) == nil)
        #expect(GS1Date(yymmdd: "271301", referenceYear: 2026) == nil)
        #expect(GS1Date(yymmdd: "270431", referenceYear: 2026) == nil)
        #expect(GS1Date(yymmdd: "27043", referenceYear: 2026) == nil)
        #expect(GS1Date(yymmdd: "2704a1", referenceYear: 2026) == nil)
        #expect(GS1Date(yymmdd: "750101", referenceYear: 2026)?.date.year == 2075)
        #expect(GS1Date(yymmdd: "770101", referenceYear: 2026)?.date.year == 1977)
        #expect(GS1Date(yymmdd: "010101", referenceYear: 2080)?.date.year == 2101)
    }

    @Test("calendar arithmetic round-trips across months and leap days")
    func calendarArithmetic() throws {
        let start = try #require(CalendarDate(year: 2024, month: 2, day: 28))
        #expect(start.adding(days: 1).iso == "2024-02-29")
        #expect(start.adding(days: 2).iso == "2024-03-01")
        #expect(start.adding(days: 366).iso == "2025-02-28")
        #expect(start.days(until: start.adding(days: -400)) == -400)
        // 2026-05-28T20:26:40Z is already the 29th in Beijing, still the 28th in New York.
        #expect(CalendarDate(Date(timeIntervalSince1970: 1_780_000_000)).iso == "2026-05-28")
        #expect(CalendarDate(Date(timeIntervalSince1970: 1_780_000_000), secondsFromGMT: 8 * 3600).iso == "2026-05-29")
        #expect(CalendarDate(Date(timeIntervalSince1970: 1_780_000_000), secondsFromGMT: -4 * 3600).iso == "2026-05-28")
        #expect(CalendarDate(Date(timeIntervalSince1970: -1)).iso == "1969-12-31")
        #expect(ISOTime.format(Date(timeIntervalSince1970: 1_780_000_000.5), offset: "+08:00") == "2026-05-29T04:26:40+08:00")
        #expect(ISOTime.format(Date(timeIntervalSince1970: 1_780_000_000), offset: "-05:30") == "2026-05-28T14:56:40-05:30")
        #expect(ISOTime.formatWithMilliseconds(Date(timeIntervalSince1970: 1_780_000_000.042)) == "2026-05-28T20:26:40.042Z")
        #expect(ISOTime.formatWithMilliseconds(Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59.500Z")
        for seconds in [0.0, 951_782_400.123, 1_780_000_000.999, 4_102_444_799] {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(ISOTime.parse(ISOTime.formatWithMilliseconds(date)).map { abs($0.timeIntervalSince(date)) < 0.001 } == true)
        }
    }

    static let plain = "https://t.aurora.example/01/06901234567892/10/24A0312/21/K7Q2M9XW4T8PZ?17=270331&s=Q8abc"

    @Test("Digital Link: path keys, query attributes, authenticator parameter")
    func digitalLink() throws {
        let code = try CodeParser.parse(Self.plain, referenceYear: 2026)
        #expect(code.gtin == "06901234567892")
        #expect(code.lot == "24A0312")
        #expect(code.serial == "K7Q2M9XW4T8PZ")
        #expect(code.expiry?.date.iso == "2027-03-31")
        #expect(code.authenticator == "Q8abc")
        #expect(code.host == "t.aurora.example")
    }

    @Test("id.gs1.org, custom stems, percent-encoding and upper-case schemes give the same fields")
    func equivalentForms() throws {
        let reference = try CodeParser.parse(Self.plain, referenceYear: 2026)
        for variant in [
            "https://id.gs1.org/01/06901234567892/10/24A0312/21/K7Q2M9XW4T8PZ?17=270331&s=Q8abc",
            "https://t.aurora.example/products/x/01/06901234567892/10/24A0312/21/K7Q2M9XW4T8PZ?17=270331&s=Q8abc",
            "https://t.aurora.example/01/06901234567892/10/%32%34A0312/21/K7Q2M9XW4T8P%5A?17=270331&s=Q8ab%63",
            "HTTPS://t.aurora.example/01/06901234567892/10/24A0312/21/K7Q2M9XW4T8PZ?s=Q8abc&17=270331",
        ] {
            let code = try CodeParser.parse(variant, referenceYear: 2026)
            #expect(code.elements == reference.elements, "\(variant)")
            #expect(code.authenticator == reference.authenticator, "\(variant)")
        }
    }

    @Test("element strings: FNC1/GS with ]Q3, bracketed HRI, and GS1 field order independence")
    func elementStrings() throws {
        let reference = try CodeParser.parse(Self.plain, referenceYear: 2026)
        let gs = "\u{1D}"
        for text in [
            "]Q30106901234567892172703311024A0312\(gs)21K7Q2M9XW4T8PZ\(gs)91Q8abc",
            "\(gs)01069012345678921024A0312\(gs)17270331" + "21K7Q2M9XW4T8PZ\(gs)91Q8abc",
            "(01)06901234567892(10)24A0312(21)K7Q2M9XW4T8PZ(17)270331(91)Q8abc",
        ] {
            let code = try CodeParser.parse(text, referenceYear: 2026)
            #expect(code.gtin == reference.gtin && code.lot == reference.lot && code.serial == reference.serial, "\(text)")
            #expect(code.expiry == reference.expiry, "\(text)")
            #expect(code.authenticator == reference.authenticator, "\(text)")
        }
        let viaIdentifier = try CodeParser.parse("0106901234567892\(gs)21ABC", symbologyIdentifier: "]Q3", referenceYear: 2026)
        #expect(viaIdentifier.serial == "ABC")
    }

    @Test("syntax errors are reported with the host they were found on", arguments: [
        "https://t.aurora.example/01/06901234567893/21/ABC",          // check digit
        "https://t.aurora.example/01/06901234567892/21/ABC/10/LOT",   // qualifier order
        "https://t.aurora.example/01/06901234567892/21/ABC?10=LOT",   // qualifier in query
        "https://t.aurora.example/01/06901234567892/21/ABC?17=271399", // impossible date
        "https://t.aurora.example/01/06901234567892/21/ABC?17=270101&17=270102", // duplicate AI
        "https://t.aurora.example/01/06901234567892/21/ABC?4321=1",   // unknown AI
        "https://t.aurora.example/01/06901234567892/21/AB%00C",       // NUL
        "https://t.aurora.example/01/06901234567892/21/AB%zzC",       // bad escape
        "https://t.aurora.example/01/06901234567892/21/ABCDEFGHIJKLMNOPQRSTU", // serial too long
        "https://t.aurora.example/01/06901234567892/21/AB%20C",       // space is outside CSET 82
        "https://t.aurora.example/01/06901234567892/99/ABC",          // not a key qualifier
    ])
    func malformedOnHost(text: String) {
        #expect(throws: CodeParseError.self) { try CodeParser.parse(text, referenceYear: 2026) }
        do {
            _ = try CodeParser.parse(text, referenceYear: 2026)
        } catch {
            #expect(error.host == "t.aurora.example")
            if case .malformed = error {} else { Issue.record("expected malformed, got \(error)") }
        }
    }

    @Test("non-GS1 payloads are not GS1", arguments: [
        "hello", "https://menu.example.org/table/12", "HtTp://t.aurora.example/01/06901234567892", "", "WIFI:S:cafe;;",
    ])
    func notGS1(text: String) {
        do {
            _ = try CodeParser.parse(text, referenceYear: 2026)
            Issue.record("parsed \(text)")
        } catch {
            if case .notGS1 = error {} else { Issue.record("expected notGS1 for \(text), got \(error)") }
        }
    }

    @Test("serials: 13 Crockford characters, 65 bits laid out high to low")
    func serials() {
        struct Constant: RandomNumberGenerator {
            var value: UInt64
            mutating func next() -> UInt64 { value }
        }
        var ones = SerialGenerator(source: Constant(value: .max))
        #expect(ones.next() == "ZZZZZZZZZZZZZ")
        var zeros = SerialGenerator(source: Constant(value: 0))
        #expect(zeros.next() == "0000000000000")
        // Only the top bit set: the first group is 10000b = 16 → "G".
        var top = SerialGenerator(source: Constant(value: 1 << 63))
        #expect(top.next() == "G000000000000")
        var random = SerialGenerator()
        let drawn = (0..<500).map { _ in random.next() }
        #expect(Set(drawn).count == 500)
        #expect(drawn.allSatisfy { $0.count == 13 && $0.allSatisfy(SerialGenerator.alphabet.contains) })
    }

    @Test("built URIs parse back to the same fields, with escaping where GS1 requires it")
    func builderRoundTrip() throws {
        let expiry = try #require(CalendarDate(year: 2027, month: 3, day: 31))
        let uri = DigitalLinkBuilder.uri(host: "t.example", gtin: "06901234567892", lot: "L/1&2", serial: "S+1",
                                         expiry: expiry, authenticator: "Q8-_x")
        #expect(uri.contains("L%2F1%262"))
        let code = try CodeParser.parse(uri, referenceYear: 2026)
        #expect(code.lot == "L/1&2" && code.serial == "S+1" && code.authenticator == "Q8-_x")
    }

    @Test("base64url: round trip, and non-canonical or foreign characters rejected")
    func base64url() {
        let bytes = Data((0..<64).map { UInt8($0 * 3 & 255) })
        #expect(Base64URL.decode(Base64URL.encode(bytes)) == bytes)
        #expect(Base64URL.decode("ab+c") == nil)
        #expect(Base64URL.decode("abc=") == nil)
        // "AB" decodes to one byte only when the spare bits are zero: "AC" is not canonical.
        #expect(Base64URL.decode("AA") == Data([0]))
        #expect(Base64URL.decode("AB") == nil)
    }

    @Test("hostile text (mutated codes, NUL, GS, emoji, truncation) never crashes the parser")
    func hostileText() {
        var random = SystemRandomNumberGenerator()
        let alphabet = Array("0123456789AZaz%/?&=#()[]:.-_+ \u{1D}\u{0}é😀")
        for _ in 0..<2000 {
            var characters = Array(Self.plain)
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let index = Int.random(in: 0..<characters.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: characters[index] = alphabet.randomElement(using: &random) ?? "x"
                case 1: characters.remove(at: index)
                default: characters.insert(alphabet.randomElement(using: &random) ?? "x", at: index)
                }
                if characters.isEmpty { characters = ["x"] }
            }
            _ = try? CodeParser.parse(String(characters), referenceYear: 2026)
            _ = try? CodeParser.parse("]Q3" + String(characters.dropFirst(8)), referenceYear: 2026)
            _ = try? CodeParser.parse("(" + String(characters.dropFirst(9)), referenceYear: 2026)
        }
    }
}
