/// The GS1 Application Identifiers this verifier understands, hand-written from the GS1 Barcode
/// Syntax Dictionary for the fields an infant-formula tin carries.
public struct ApplicationIdentifier: Sendable, Hashable {
    /// Which characters a value may use.
    public enum Charset: Sendable {
        /// Digits only.
        case numeric
        /// GS1 "CSET 82": digits, Latin letters and `!"%&'()*+,-./:;<=>?_`.
        case cset82
        /// GS1 "CSET 64": the base64url alphabet plus `=`.
        case cset64
    }

    /// How the value must be checked beyond its character set.
    public enum Check: Sendable {
        case none
        case gtinCheckDigit
        case date
        case iso3166Numeric
    }

    public let code: String
    public let title: String
    public let charset: Charset
    /// Exact length when fixed, otherwise the maximum.
    public let length: Int
    public let isFixedLength: Bool
    /// Whether the AI is in GS1's predefined-length table, i.e. needs no FNC1/GS separator after it.
    public let isPredefinedLength: Bool
    public let check: Check

    /// The key qualifiers allowed after `01` in a Digital Link path, in their mandatory order.
    public static let gtinQualifierOrder = ["22", "10", "21"]

    /// Looks up an AI by its digits.
    public static func named(_ code: some StringProtocol) -> ApplicationIdentifier? {
        table[String(code)]
    }

    /// All supported AIs keyed by code.
    public static let table: [String: ApplicationIdentifier] = {
        var entries: [ApplicationIdentifier] = [
            .init("01", "GTIN", .numeric, 14, fixed: true, predefined: true, .gtinCheckDigit),
            .init("10", "BATCH/LOT", .cset82, 20, fixed: false, predefined: false, .none),
            .init("11", "PROD DATE", .numeric, 6, fixed: true, predefined: true, .date),
            .init("13", "PACK DATE", .numeric, 6, fixed: true, predefined: true, .date),
            .init("15", "BEST BEFORE", .numeric, 6, fixed: true, predefined: true, .date),
            .init("16", "SELL BY", .numeric, 6, fixed: true, predefined: true, .date),
            .init("17", "USE BY OR EXPIRY", .numeric, 6, fixed: true, predefined: true, .date),
            .init("21", "SERIAL", .cset82, 20, fixed: false, predefined: false, .none),
            .init("22", "CPV", .cset82, 20, fixed: false, predefined: false, .none),
            .init("235", "TPX", .cset82, 28, fixed: false, predefined: false, .none),
            // 422 is three digits but not in the predefined-length table, so it needs a separator.
            .init("422", "ORIGIN", .numeric, 3, fixed: true, predefined: false, .iso3166Numeric),
            .init("426", "COUNTRY - FULL PROCESS", .numeric, 3, fixed: true, predefined: false, .iso3166Numeric),
            .init("3103", "NET WEIGHT (kg)", .numeric, 6, fixed: true, predefined: true, .none),
            .init("8030", "DIGSIG", .cset64, 90, fixed: false, predefined: false, .none),
            .init("90", "INTERNAL", .cset82, 30, fixed: false, predefined: false, .none),
        ]
        for companyAI in 91...99 {
            entries.append(.init(String(companyAI), "INTERNAL", .cset82, 90, fixed: false, predefined: false, .none))
        }
        return Dictionary(uniqueKeysWithValues: entries.map { ($0.code, $0) })
    }()

    init(_ code: String, _ title: String, _ charset: Charset, _ length: Int,
         fixed: Bool, predefined: Bool, _ check: Check) {
        self.code = code
        self.title = title
        self.charset = charset
        self.length = length
        self.isFixedLength = fixed
        self.isPredefinedLength = predefined
        self.check = check
    }

    /// Checks `value` against this AI's format; returns why it is invalid, or `nil` when it is valid.
    func problem(with value: String, referenceYear: Int) -> String? {
        if value.isEmpty { return "AI (\(code)) has an empty value" }
        if isFixedLength ? value.count != length : value.count > length {
            return "AI (\(code)) must be \(isFixedLength ? "exactly" : "at most") \(length) characters, got \(value.count)"
        }
        guard value.unicodeScalars.allSatisfy(charset.contains) else {
            return "AI (\(code)) contains a character outside its character set"
        }
        switch check {
        case .none: return nil
        case .gtinCheckDigit:
            return GTIN.isValid(value) ? nil : "GTIN \(value) has a wrong check digit"
        case .date:
            return GS1Date(yymmdd: value, referenceYear: referenceYear) == nil ? "AI (\(code)) is not a valid YYMMDD date" : nil
        case .iso3166Numeric:
            // Every ISO 3166-1 numeric code lies in 004...894; this range check catches typos
            // without carrying the whole country table.
            return (Int(value).map { (4...894).contains($0) } ?? false) ? nil : "AI (\(code)) is not an ISO 3166 country code"
        }
    }
}

extension ApplicationIdentifier.Charset {
    func contains(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        let isDigit = v >= 48 && v <= 57
        let isLetter = (v >= 65 && v <= 90) || (v >= 97 && v <= 122)
        switch self {
        case .numeric: return isDigit
        case .cset82: return isDigit || isLetter || "!\"%&'()*+,-./:;<=>?_".unicodeScalars.contains(scalar)
        case .cset64: return isDigit || isLetter || scalar == "-" || scalar == "_" || scalar == "="
        }
    }
}
