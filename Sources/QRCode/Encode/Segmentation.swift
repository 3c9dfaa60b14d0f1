/// One input character as the segmentation sees it: what it costs in each mode.
struct SegmentationUnit {
    /// Where its byte-mode bytes start in `SegmentationInput.bytes`; byteCount 0 means byte
    /// mode cannot carry it.
    var byteStart: Int
    var byteCount: Int
    /// Its ASCII byte when it is a single byte, else 0.
    var ascii: UInt8
    /// Alphanumeric characters it takes: 1, or 2 for `%` under GS1; 0 when impossible.
    var alphanumericCount: Int
    /// Its 13-bit Kanji-mode value plus one, or 0 when Kanji mode cannot carry it.
    var kanjiValuePlusOne: Int
    /// Its Shift_JIS code when `kanjiValuePlusOne != 0`.
    var shiftJIS: UInt16
}

/// The characters to segment, with the byte representation they have in byte mode.
struct SegmentationInput {
    var units: [SegmentationUnit] = []
    var bytes: [UInt8] = []
    /// GS1: GS (0x1D) travels as alphanumeric `%`, and `%` as `%%`.
    let gs1: Bool

    init(gs1: Bool) { self.gs1 = gs1 }

    /// Adds one character whose byte-mode form is `encoded` (nil: not in byte mode) and
    /// whose Shift_JIS code, when it has a Kanji-mode one, is `shiftJIS`.
    mutating func append(encoded: some Collection<UInt8>, shiftJIS: UInt16? = nil) {
        let start = bytes.count
        bytes.append(contentsOf: encoded)
        let ascii: UInt8 = encoded.count == 1 ? encoded.first ?? 0 : 0
        var alphanumeric = 0
        if encoded.count == 1 {
            if gs1 && ascii == 0x1D { alphanumeric = 1 }
            else if ascii < 0x80 && alphanumericValue[Int(ascii)] >= 0 { alphanumeric = gs1 && ascii == 0x25 ? 2 : 1 }
        }
        var kanji = 0
        if let shiftJIS, let value = KanjiMode.value(shiftJIS: shiftJIS) { kanji = value + 1 }
        units.append(SegmentationUnit(
            byteStart: start, byteCount: encoded.count, ascii: ascii, alphanumericCount: alphanumeric,
            kanjiValuePlusOne: kanji, shiftJIS: shiftJIS ?? 0))
    }
}

/// Kanji mode's compression of Shift_JIS codes to 13 bits (ISO/IEC 18004 7.4.6).
enum KanjiMode {
    /// The 13-bit value of a Shift_JIS double-byte code, nil outside the Kanji mode ranges.
    static func value(shiftJIS code: UInt16) -> Int? {
        let c = Int(code)
        let offset: Int
        switch c {
        case 0x8140...0x9FFC: offset = c - 0x8140
        case 0xE040...0xEBBF: offset = c - 0xC140
        default: return nil
        }
        let low = offset & 0xFF
        // Trail bytes run 0x40…0xFC; after the subtraction the low byte must stay below 0xC0.
        guard low < 0xC0 else { return nil }
        return (offset >> 8) * 0xC0 + low
    }
}

/// Splits a text into numeric, alphanumeric, byte and Kanji segments with the fewest bits.
///
/// Dynamic programming over (character position, mode of the segment containing it).
/// Costs are counted in sixths of a bit so that numeric (10/3 bits per digit) and
/// alphanumeric (11/2 per character) costs are integers; a segment's total is rounded up to
/// whole bits when it is closed, which reproduces the exact tail lengths (4 or 7 bits for
/// 1 or 2 trailing digits, 6 for an odd alphanumeric character). Because the cost of an open
/// segment grows linearly, keeping only the cheapest path into each (position, mode) state
/// is exact, so the result is optimal for the given version class.
enum Segmentation {
    private static let modeCount = 4  // numeric, alphanumeric, byte, kanji
    private static let unreachable = Int.max / 4

    /// The cheapest segments for symbols of `version` (the result holds for every version
    /// with the same character count widths).
    static func segments(for input: SegmentationInput, version: Int) -> [SegmentSpec] {
        let units = input.units
        let n = units.count
        guard n > 0 else { return [] }
        let headers = [SegmentMode.numeric, .alphanumeric, .byte, .kanji].map { (4 + $0.characterCountBits(version: version)) * 6 }
        func cost(_ unit: SegmentationUnit, _ mode: Int) -> Int {
            switch mode {
            case 0: unit.ascii >= 0x30 && unit.ascii <= 0x39 ? 20 : unreachable
            case 1: unit.alphanumericCount > 0 ? 33 * unit.alphanumericCount : unreachable
            case 2: unit.byteCount > 0 ? 48 * unit.byteCount : unreachable
            default: unit.kanjiValuePlusOne > 0 ? 78 : unreachable
            }
        }
        func closed(_ sixths: Int) -> Int { (sixths + 5) / 6 * 6 }

        // cost[i * 4 + m]: cheapest encoding of units 0...i with unit i in an open segment of
        // mode m; from[i * 4 + m]: the mode of unit i − 1 on that path.
        var best = [Int](repeating: unreachable, count: n * modeCount)
        var from = [Int8](repeating: -1, count: n * modeCount)
        for m in 0..<modeCount {
            let c = cost(units[0], m)
            if c < unreachable { best[m] = headers[m] + c }
        }
        for i in 1..<n {
            let unit = units[i]
            for m in 0..<modeCount {
                let c = cost(unit, m)
                guard c < unreachable else { continue }
                var cheapest = unreachable
                var origin = -1
                for previous in 0..<modeCount {
                    let before = best[(i - 1) * modeCount + previous]
                    guard before < unreachable else { continue }
                    let total = previous == m ? before + c : closed(before) + headers[m] + c
                    if total < cheapest { cheapest = total; origin = previous }
                }
                best[i * modeCount + m] = cheapest
                from[i * modeCount + m] = Int8(origin)
            }
        }
        var mode = -1
        var cheapest = unreachable
        for m in 0..<modeCount where best[(n - 1) * modeCount + m] < unreachable {
            let total = closed(best[(n - 1) * modeCount + m])
            if total < cheapest { cheapest = total; mode = m }
        }
        // Every unit is encodable in at least byte or Kanji mode, so a path exists.
        guard mode >= 0 else { return [] }
        var modes = [Int](repeating: 0, count: n)
        for i in stride(from: n - 1, through: 0, by: -1) {
            modes[i] = mode
            mode = Int(from[i * modeCount + mode])
        }
        return build(input, modes: modes)
    }

    /// Groups runs of equal mode into segments.
    private static func build(_ input: SegmentationInput, modes: [Int]) -> [SegmentSpec] {
        var result: [SegmentSpec] = []
        var start = 0
        while start < modes.count {
            var end = start
            while end < modes.count && modes[end] == modes[start] { end += 1 }
            let run = input.units[start..<end]
            switch modes[start] {
            case 0:
                result.append(.numeric(String(decoding: run.map(\.ascii), as: UTF8.self)))
            case 1:
                var characters: [UInt8] = []
                for unit in run {
                    if input.gs1 && unit.ascii == 0x1D { characters.append(0x25) }
                    else if input.gs1 && unit.ascii == 0x25 { characters += [0x25, 0x25] }
                    else { characters.append(unit.ascii) }
                }
                result.append(.alphanumeric(String(decoding: characters, as: UTF8.self)))
            case 2:
                var bytes: [UInt8] = []
                for unit in run { bytes += input.bytes[unit.byteStart..<unit.byteStart + unit.byteCount] }
                result.append(.byte(bytes))
            default:
                result.append(.kanji(run.flatMap { [UInt8($0.shiftJIS >> 8), UInt8($0.shiftJIS & 0xFF)] }))
            }
            start = end
        }
        return result
    }
}
