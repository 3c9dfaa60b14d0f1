/// GTIN helpers: the GS1 mod-10 check digit shared by GTIN-8/12/13/14.
public enum GTIN {
    /// The check digit for `body` (all digits but the last), or `nil` when `body` holds a non-digit.
    ///
    /// Walking leftwards from the right-most body digit the weights alternate 3, 1, 3, …,
    /// so the same routine serves every GTIN length.
    public static func checkDigit(forBody body: some StringProtocol) -> Character? {
        var sum = 0
        var weight = 3
        for scalar in body.unicodeScalars.reversed() {
            guard let digit = digitValue(scalar) else { return nil }
            sum += digit * weight
            weight = weight == 3 ? 1 : 3
        }
        return Character(String((10 - sum % 10) % 10))
    }

    /// Whether `gtin` is 8, 12, 13 or 14 digits with a correct check digit.
    public static func isValid(_ gtin: some StringProtocol) -> Bool {
        guard [8, 12, 13, 14].contains(gtin.count), let last = gtin.last else { return false }
        return checkDigit(forBody: gtin.dropLast()) == last
    }

    /// The 14-digit form used for storage and in Digital Link paths (left-padded with zeros),
    /// or `nil` when `gtin` is not a valid GTIN.
    public static func normalised(_ gtin: some StringProtocol) -> String? {
        guard isValid(gtin) else { return nil }
        return String(repeating: "0", count: 14 - gtin.count) + gtin
    }

    /// Appends the check digit to a 13-digit body, giving a GTIN-14 (used to make demo and test GTINs).
    public static func make(body13: String) -> String? {
        guard body13.count == 13, let check = checkDigit(forBody: body13) else { return nil }
        return body13 + String(check)
    }

    static func digitValue(_ scalar: Unicode.Scalar) -> Int? {
        guard scalar.value >= 48, scalar.value <= 57 else { return nil }
        return Int(scalar.value - 48)
    }
}
