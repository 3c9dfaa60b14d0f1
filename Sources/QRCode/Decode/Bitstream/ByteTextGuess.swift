/// Picks one encoding for all byte segments a symbol carries without an ECI.
///
/// ISO/IEC 18004 makes such bytes ISO-8859-1, but many encoders write UTF-8, and Japanese
/// ones Shift_JIS, without saying so. The guess looks at all those bytes of a symbol at once:
/// one encoder wrote them in one encoding, and a short segment alone (a few half-width
/// katakana, which are also valid Latin-1) says too little.
enum ByteTextGuess {
    /// The encoding for `runs`, the bytes of each run of consecutive byte segments without an
    /// ECI. Every run decodes on its own in the result. `hasKanjiSegment`: the symbol also has
    /// a Kanji-mode segment, which only encoders that think in Shift_JIS write.
    ///
    /// UTF-8 when every run is valid UTF-8 (this includes pure ASCII, which reads the same
    /// in all three); else Shift_JIS when every run is valid Shift_JIS and the bytes look
    /// Japanese (`ShiftJISEvidence.isPlausible`); else ISO-8859-1, which accepts every byte.
    static func encoding(for runs: [[UInt8]], hasKanjiSegment: Bool) -> TextEncoding {
        if runs.allSatisfy({ String(validating: $0, as: UTF8.self) != nil }) { return .utf8 }
        if let evidence = ShiftJISEvidence(runs), evidence.isPlausible(hasKanjiSegment: hasKanjiSegment) {
            return .shiftJIS
        }
        return .iso8859(1)
    }
}

/// What the bytes look like when read as Shift_JIS; nil when some run is not valid
/// Shift_JIS (an unmapped pair, a lone lead byte, a byte that is never a lead).
struct ShiftJISEvidence {
    /// Some byte is in 0x80…0x9F: C1 controls in ISO-8859-1, so not Latin-1 text, while
    /// Shift_JIS uses them as lead bytes of kana, punctuation and common kanji.
    var hasC1Byte = false
    /// Longest run of double-byte characters. Latin-1 text is valid Shift_JIS when its
    /// accented lowercase letters (0xE0…0xEF) each pair with the next byte ("étés" reads as
    /// two rare kanji), so one or two in a row prove little.
    var longestDoubleByteRun = 0
    /// Longest run of half-width katakana (0xA1…0xDF). In Latin-1 these are symbols and
    /// accented capitals, which rarely stand three in a row ("ﾃﾞｻﾞｲﾝ" would be "ÃÞ»Þ²Ý"),
    /// while a lone one ("®" = "ｮ") is common on product labels.
    var longestKatakanaRun = 0
    /// A C0 control other than tab, line feed, carriage return and the ISO/IEC 15434
    /// separators: binary data, best left one byte per character.
    var hasBinaryControl = false

    init?(_ runs: [[UInt8]]) {
        let table = CodePageTables.shiftJIS
        for run in runs {
            var doubleByteRun = 0, katakanaRun = 0
            var index = 0
            while index < run.count {
                let byte = run[index]
                if (0x80...0x9F).contains(byte) { hasC1Byte = true }
                if byte < 0x80 {
                    if byte < 0x20 && !Self.textControls.contains(byte) { hasBinaryControl = true }
                    doubleByteRun = 0
                    katakanaRun = 0
                    index += 1
                } else if (0xA1...0xDF).contains(byte) {
                    katakanaRun += 1
                    doubleByteRun = 0
                    longestKatakanaRun = max(longestKatakanaRun, katakanaRun)
                    index += 1
                } else {
                    guard index + 1 < run.count, table.scalar(lead: byte, trail: run[index + 1]) != nil else { return nil }
                    if (0x80...0x9F).contains(run[index + 1]) { hasC1Byte = true }
                    doubleByteRun += 1
                    katakanaRun = 0
                    longestDoubleByteRun = max(longestDoubleByteRun, doubleByteRun)
                    index += 2
                }
            }
        }
    }

    /// Tab, LF, CR, and EOT, GS, RS of ISO/IEC 15434 envelopes.
    private static let textControls: Set<UInt8> = [0x09, 0x0A, 0x0D, 0x04, 0x1D, 0x1E]

    /// Whether Shift_JIS is a better reading than ISO-8859-1: not binary, and either bytes
    /// Latin-1 text never has, three or more non-ASCII characters in a row, or a Kanji
    /// segment elsewhere in the symbol.
    func isPlausible(hasKanjiSegment: Bool) -> Bool {
        !hasBinaryControl && (hasC1Byte || longestDoubleByteRun >= 3 || longestKatakanaRun >= 3 || hasKanjiSegment)
    }
}
