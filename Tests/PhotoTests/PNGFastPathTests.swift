import Foundation
import QRCode
import Testing
@testable import Photo

/// The PNG fast path (libdeflate, own unfiltering and gray conversion) against libpng alone:
/// the same pixels for every image it takes, and for every file it does not take — damaged,
/// cut, odd — the same outcome as libpng's, error kind and message included.
@Suite struct PNGFastPathTests {
    /// Both ways; fails the test unless the fast path was (or was not) taken as `expectFast` says.
    private func compareBothWays(_ png: [UInt8], expectFast: Bool?, _ what: @autoclosure () -> String,
                                 sourceLocation: SourceLocation = #_sourceLocation) {
        let fast = GrayDecoding.decodePNG(png, allowFastPath: true)
        let slow = GrayDecoding.decodePNG(png, allowFastPath: false)
        #expect(!slow.usedFastPath, sourceLocation: sourceLocation)
        if let expectFast {
            #expect(fast.usedFastPath == expectFast, "\(what()): fast path \(fast.usedFastPath ? "taken" : "declined")",
                    sourceLocation: sourceLocation)
        }
        #expect(fast.result == slow.result, "\(what()): \(summary(fast.result)) vs libpng \(summary(slow.result))",
                sourceLocation: sourceLocation)
    }

    private func summary(_ result: Result<GrayImage, PhotoError>) -> String {
        switch result {
        case .success(let image): "\(image.width)×\(image.height) image"
        case .failure(let error): "\(error)"
        }
    }

    /// Every layout the fast path takes, as (colour type, bit depth).
    static let layouts: [(UInt8, UInt8)] = [(0, 1), (0, 2), (0, 4), (0, 8), (4, 8), (2, 8), (6, 8), (3, 1), (3, 2), (3, 4), (3, 8)]
    /// Filter types 0...4 on every row, 5 for all five in turn, 6 for runs of Average and Paeth
    /// rows (`RawPNG.filterRuns`).
    static let filterModes: [UInt8] = [0, 1, 2, 3, 4, 5, 6]

    /// One-byte pixels in runs of four or more Average or Paeth rows are unfiltered four rows
    /// at a time, each a byte behind the row above: every width from a single byte up, and runs
    /// that start and end anywhere.
    @Test(arguments: [1, 2, 3, 4, 5, 8, 33], [(0, 8), (0, 1), (3, 4)] as [(UInt8, UInt8)])
    func fourRowUnfilteringAtEveryWidth(width: Int, layout: (colorType: UInt8, bitDepth: UInt8)) {
        var png = RawPNG(width: width, height: 29, colorType: layout.colorType, bitDepth: layout.bitDepth)
        if layout.colorType == 3 { png.palette = RawPNG.somePalette(entries: 1 << Int(layout.bitDepth)) }
        for mode: UInt8 in [3, 4, 6] {
            let file = png.file(rows: png.noiseRows(seed: UInt32(width) * 7 + UInt32(mode)), filterMode: mode)
            compareBothWays(file, expectFast: true, "width \(width), type \(layout.colorType) depth \(layout.bitDepth), filters \(mode)")
        }
    }

    @Test(arguments: layouts, filterModes)
    func everyLayoutAndFilter(layout: (colorType: UInt8, bitDepth: UInt8), filterMode: UInt8) {
        var png = RawPNG(width: 37, height: 23, colorType: layout.colorType, bitDepth: layout.bitDepth)
        if layout.colorType == 3 { png.palette = RawPNG.somePalette(entries: 1 << Int(layout.bitDepth)) }
        let file = png.file(rows: png.noiseRows(seed: UInt32(filterMode) + 11), filterMode: filterMode)
        compareBothWays(file, expectFast: true, "type \(layout.colorType) depth \(layout.bitDepth) filter \(filterMode)")
    }

    /// tRNS shorter than the palette (the rest opaque), and indices past a short palette (black).
    @Test(arguments: [1, 2, 4, 8] as [UInt8], [false, true])
    func paletteEdges(bitDepth: UInt8, transparency: Bool) {
        var png = RawPNG(width: 29, height: 17, colorType: 3, bitDepth: bitDepth)
        let entries = max(1, (1 << Int(bitDepth)) - 1 - Int(bitDepth) * 20)
        png.palette = RawPNG.somePalette(entries: entries)
        if transparency { png.transparency = (0..<max(1, entries / 2)).map { UInt8(truncatingIfNeeded: $0 &* 53 &+ 7) } }
        let rows = png.noiseRows(seed: UInt32(bitDepth))
        compareBothWays(png.file(rows: rows, filterMode: 5), expectFast: true, "palette \(bitDepth) bits, tRNS \(transparency)")
    }

    /// A single big IDAT, one-byte IDATs and empty IDATs in the run all make the same stream.
    @Test(arguments: [1, 7, 100_000])
    func idatSplits(idatSize: Int) {
        var png = RawPNG(width: 41, height: 19, colorType: 2, bitDepth: 8)
        png.idatSize = idatSize
        png.emptyIDATEvery = idatSize == 7 ? 3 : 0
        compareBothWays(png.file(rows: png.noiseRows(seed: 5), filterMode: 5), expectFast: true, "IDATs of \(idatSize) bytes")
    }

    /// Files written by libpng (real deflate). For small images libpng's writer declares a zlib
    /// window below 32 KiB that still covers the whole image, which the fast path takes too.
    @Test(arguments: [(0, 1), (0, 8), (2, 8), (3, 4), (4, 8), (6, 8)] as [(Int, Int)], [16, 240])
    func libpngWrittenFiles(layout: (colorType: Int, bitDepth: Int), side: Int) throws {
        let colorType = try #require(PNGEncoding.ColorType(rawValue: Int32(layout.colorType)))
        let channels = colorType.channels
        var samples: [UInt16] = []
        for y in 0..<side {
            for x in 0..<side {
                for channel in 0..<channels {
                    let smooth = (x * 3 + y * 5 + channel * 40) & 0xFF
                    let value = (x / 8 + y / 8) % 3 == 0 ? Int(patternSample(x: x, y: y, channel: channel, bitDepth: 8)) : smooth
                    samples.append(UInt16(value >> (8 - layout.bitDepth)))
                }
            }
        }
        let palette = colorType == .palette ? RawPNG.somePalette(entries: 1 << layout.bitDepth) : []
        let alpha: [UInt8] = colorType == .palette ? [0, 90, 255, 17] : []
        let png = try PNGEncoding.encode(samples: samples, width: side, height: side, colorType: colorType,
                                         bitDepth: layout.bitDepth, palette: palette, paletteAlpha: alpha)
        compareBothWays(png, expectFast: true, "libpng-written type \(layout.colorType) depth \(layout.bitDepth) \(side)²")
        let windowBits = Int(try #require(RawPNG.firstIDATByte(png)) >> 4) + 8
        if side == 16 { #expect(windowBits < 15) }
    }

    /// zlib refuses a distance beyond the declared window, libdeflate does not check: a window
    /// smaller than the image is left to libpng (which accepts this file: stored blocks have
    /// no distances).
    @Test func windowSmallerThanTheImageIsLeftToLibpng() {
        var png = RawPNG(width: 40, height: 20, colorType: 2, bitDepth: 8)
        png.zlibHeader = [0x08, 0x1D] // a 256-byte window
        let file = png.file(rows: png.noiseRows(seed: 8), filterMode: 5)
        compareBothWays(file, expectFast: false, "256-byte window")
        #expect((try? GrayDecoding.decodePNG(file, allowFastPath: true).result.get()) != nil)
    }

    /// Layouts left to libpng: interlaced, 16 bits, and a tRNS colour key.
    @Test func layoutsLeftToLibpng() throws {
        // An Adam7 file's data is the passes one after another: libpng writes it.
        let interlaced = try PNGEncoding.encode(samples: (0..<300 * 300).map { UInt16($0 % 251) }, width: 300, height: 300,
                                                colorType: .gray, bitDepth: 8, interlaced: true)
        compareBothWays(interlaced, expectFast: false, "interlaced")
        let deep = RawPNG(width: 30, height: 10, colorType: 2, bitDepth: 16)
        compareBothWays(deep.file(rows: deep.noiseRows(seed: 3), filterMode: 5), expectFast: false, "16-bit RGB")
        var keyed = RawPNG(width: 30, height: 10, colorType: 0, bitDepth: 8)
        keyed.transparency = [0, 77]
        compareBothWays(keyed.file(rows: keyed.noiseRows(seed: 4), filterMode: 5), expectFast: false, "gray with tRNS")
    }

    /// Damaged and cut files: whatever the fast path declines, libpng judges as before.
    @Test func damagedFilesGiveLibpngsOutcome() throws {
        var rgb = RawPNG(width: 33, height: 21, colorType: 6, bitDepth: 8)
        rgb.idatSize = 700
        let rows = rgb.noiseRows(seed: 9)
        let original = rgb.file(rows: rows, filterMode: 5)
        compareBothWays(original, expectFast: true, "undamaged")
        let chunks = RawPNG.chunks(original)
        let iend = try #require(chunks.last { $0.type == "IEND" })
        let lastIDAT = try #require(chunks.last { $0.type == "IDAT" })

        // Cut anywhere, including just after the image data and inside IEND.
        for cut in Array(stride(from: 8, to: original.count, by: 97)) + [lastIDAT.end, iend.offset + 6, original.count - 1] {
            compareBothWays(Array(original.prefix(cut)), expectFast: false, "cut at \(cut)")
        }
        #expect(photoKind(Array(original.prefix(lastIDAT.end))) == "truncated")

        // A flipped byte: CRCs left wrong (libpng: corrupt) and recomputed (zlib or filter errors).
        for position in stride(from: 33, to: original.count - 12, by: 61) {
            var damaged = original
            damaged[position] ^= 0x24
            compareBothWays(damaged, expectFast: nil, "byte \(position) flipped")
            compareBothWays(RawPNG.fixingCRCs(damaged), expectFast: nil, "byte \(position) flipped, CRC fixed")
        }
        var badCRC = original
        badCRC[lastIDAT.offset + 10] ^= 1
        #expect(photoKind(badCRC) == "corrupt")

        // A filter type beyond 4 in an otherwise valid file.
        let badFilter = rgb.file(rows: rows, filterMode: 5, filterOverride: (row: 7, type: 5))
        compareBothWays(badFilter, expectFast: false, "filter type 5")

        // Too little and too much image data in a valid stream: IHDR claims one row more or less.
        var taller = rgb
        taller.height += 1
        compareBothWays(taller.file(rows: rows, filterMode: 5), expectFast: false, "a row missing")
        var shorter = rgb
        shorter.height -= 1
        compareBothWays(shorter.file(rows: rows, filterMode: 5), expectFast: false, "a row too many")
    }

    /// Chunks after the image data: ignorable ones are skipped, anything odd goes to libpng.
    @Test func chunksAfterTheImageData() {
        var png = RawPNG(width: 25, height: 12, colorType: 2, bitDepth: 8)
        png.idatSize = 300
        let rows = png.noiseRows(seed: 2)
        let text = RawPNG.chunk("tEXt", Array("Comment\u{0}fast".utf8))
        compareBothWays(png.file(rows: rows, filterMode: 5, afterImage: text), expectFast: true, "tEXt after IDAT")
        var badText = text
        badText[badText.count - 1] ^= 0xFF // libpng only warns about an ancillary chunk's CRC
        compareBothWays(png.file(rows: rows, filterMode: 5, afterImage: badText), expectFast: true, "tEXt with a bad CRC")
        compareBothWays(png.file(rows: rows, filterMode: 5, afterImage: RawPNG.chunk("ABCD", [1, 2])), expectFast: false,
                        "unknown critical chunk")
        compareBothWays(png.file(rows: rows, filterMode: 5, afterImage: RawPNG.chunk("a1cd", [])), expectFast: false,
                        "invalid chunk name")
        compareBothWays(png.file(rows: rows, filterMode: 5, splitIDATsWith: text), expectFast: false, "tEXt between IDATs")
        compareBothWays(png.file(rows: rows, filterMode: 5, iendPayload: [0]), expectFast: false, "IEND with data")
        let trailing = png.file(rows: rows, filterMode: 5) + [1, 2, 3]
        compareBothWays(trailing, expectFast: true, "bytes after IEND")
    }

    /// Every PNG among the real photos, when they are present.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: Self.photoRoot + "/qrcode-1"),
                   "../shared/testimages/zxing-cpp is not present: real-photo comparison skipped"))
    func realPhotos() throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: Self.photoRoot).sorted()
        var compared = 0, fast = 0
        for folder in folders {
            let dir = Self.photoRoot + "/" + folder
            for name in ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
            where name.lowercased().hasSuffix(".png") {
                let bytes = try PhotoLoader.fileBytes(path: dir + "/" + name)
                compareBothWays(bytes, expectFast: nil, "\(folder)/\(name)")
                compared += 1
                if GrayDecoding.decodePNG(bytes, allowFastPath: true).usedFastPath { fast += 1 }
            }
        }
        #expect(compared > 100)
        // Nearly all are 8-bit non-interlaced; require the fast path for most of them.
        #expect(fast * 10 >= compared * 8, "fast path took \(fast) of \(compared)")
    }

    static let photoRoot: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/testimages/zxing-cpp").path

    private func photoKind(_ png: [UInt8]) -> String {
        switch GrayDecoding.decodePNG(png, allowFastPath: true).result {
        case .success: "decoded"
        case .failure(.truncated): "truncated"
        case .failure(.corrupt): "corrupt"
        case .failure(let error): "\(error)"
        }
    }
}

/// PNG files built byte by byte, with chosen row filters, stored (uncompressed) deflate blocks
/// and IDATs of a chosen size: inputs libpng's writer cannot be told to produce.
struct RawPNG {
    var width: Int
    var height: Int
    var colorType: UInt8
    var bitDepth: UInt8
    var palette: [UInt8] = []
    /// The tRNS payload, written when not empty.
    var transparency: [UInt8] = []
    var idatSize = 4096
    /// Puts an empty IDAT after every this many IDATs (0: none).
    var emptyIDATEvery = 0
    /// CMF and FLG: deflate with a 32 KiB window unless changed.
    var zlibHeader: [UInt8] = [0x78, 0x01]

    var channels: Int { [0: 1, 2: 3, 3: 1, 4: 2, 6: 4][Int(colorType)] ?? 1 }
    var rowBytes: Int { (width * channels * Int(bitDepth) + 7) / 8 }
    var filterStride: Int { max(1, channels * Int(bitDepth) / 8) }

    static func somePalette(entries: Int) -> [UInt8] {
        (0..<entries * 3).map { UInt8(truncatingIfNeeded: $0 &* 97 &+ 31) }
    }

    /// Random row bytes; the rows are as long as `rowBytes`, whatever `height` is later set to.
    func noiseRows(seed: UInt32) -> [[UInt8]] {
        var state = seed &* 2_654_435_761 &+ 1
        return (0..<height).map { y in
            (0..<rowBytes).map { x in
                state = state &* 1_664_525 &+ 1_013_904_223
                // Runs of equal bytes and smooth stretches make Paeth's ties and every branch happen.
                return (x / 9 + y) % 4 == 0 ? UInt8(truncatingIfNeeded: x &* 3 &+ y) : UInt8(truncatingIfNeeded: state >> 24)
            }
        }
    }

    /// The file for `rows` (unfiltered). Filter mode 0...4 uses that type on every row, 5 cycles
    /// through all five. `filterOverride` writes a given filter byte on one row.
    /// Row filter types for filter mode 6: runs of Average and Paeth of several lengths, broken
    /// by the other types.
    static let filterRuns: [UInt8] = [3, 3, 3, 3, 4, 4, 4, 4, 4, 3, 3, 0, 4, 4, 4, 4, 4, 4, 4, 4, 1, 3, 3, 3, 3, 3, 3, 2, 4, 4, 4]

    func file(rows: [[UInt8]], filterMode: UInt8, filterOverride: (row: Int, type: UInt8)? = nil,
              afterImage: [UInt8] = [], splitIDATsWith: [UInt8]? = nil, iendPayload: [UInt8] = []) -> [UInt8] {
        var raw: [UInt8] = []
        var above = [UInt8](repeating: 0, count: rowBytes)
        for (y, row) in rows.enumerated() {
            let type = filterMode == 5 ? UInt8(y % 5) : filterMode == 6 ? Self.filterRuns[y % Self.filterRuns.count] : filterMode
            var filtered = Self.filter(row, above: above, type: type, stride: filterStride)
            if let filterOverride, filterOverride.row == y { filtered[0] = filterOverride.type }
            raw += filtered
            above = row
        }
        let stream = zlibHeader + Self.zlibStored(raw).dropFirst(2)
        var ihdr = bigEndianBytes(UInt32(width)) + bigEndianBytes(UInt32(height))
        ihdr += [bitDepth, colorType, 0, 0, 0]
        var file: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Self.chunk("IHDR", ihdr)
        if !palette.isEmpty { file += Self.chunk("PLTE", palette) }
        if !transparency.isEmpty { file += Self.chunk("tRNS", transparency) }
        var written = 0
        for (index, start) in stride(from: 0, to: stream.count, by: idatSize).enumerated() {
            file += Self.chunk("IDAT", Array(stream[start..<min(start + idatSize, stream.count)]))
            written += 1
            if emptyIDATEvery > 0, written % emptyIDATEvery == 0 { file += Self.chunk("IDAT", []) }
            if index == 0, let splitIDATsWith, stream.count > idatSize { file += splitIDATsWith }
        }
        return file + afterImage + Self.chunk("IEND", iendPayload)
    }

    static func filter(_ row: [UInt8], above: [UInt8], type: UInt8, stride: Int) -> [UInt8] {
        var out: [UInt8] = [type]
        for i in row.indices {
            let a = i >= stride ? Int(row[i - stride]) : 0
            let b = Int(above[i])
            let c = i >= stride ? Int(above[i - stride]) : 0
            let predictor = switch type {
            case 1: a
            case 2: b
            case 3: (a + b) / 2
            case 4: paeth(a, b, c)
            default: 0
            }
            out.append(UInt8(truncatingIfNeeded: Int(row[i]) - predictor))
        }
        return out
    }

    static func paeth(_ a: Int, _ b: Int, _ c: Int) -> Int {
        let p = a + b - c
        let (pa, pb, pc) = (abs(p - a), abs(p - b), abs(p - c))
        if pa <= pb && pa <= pc { return a }
        return pb <= pc ? b : c
    }

    /// A zlib stream (32 KiB window) of stored deflate blocks, with its Adler-32.
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var start = 0
        repeat {
            let end = min(start + 65_535, data.count)
            let length = UInt16(end - start)
            out += [end == data.count ? 1 : 0, UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8)]
            out += data[start..<end]
            start = end
        } while start < data.count
        var (s1, s2): (UInt32, UInt32) = (1, 0)
        for byte in data {
            s1 = (s1 + UInt32(byte)) % 65_521
            s2 = (s2 + s1) % 65_521
        }
        return out + bigEndianBytes(s2 << 16 | s1)
    }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typeAndData = Array(type.utf8) + data
        return bigEndianBytes(UInt32(data.count)) + typeAndData + bigEndianBytes(crc32(typeAndData))
    }

    struct Chunk {
        var offset: Int
        var length: Int
        var type: String
        var end: Int { offset + 12 + length }
    }

    /// The chunks of a well-formed file, in order.
    static func chunks(_ file: [UInt8]) -> [Chunk] {
        var result: [Chunk] = []
        var offset = 8
        while offset + 12 <= file.count {
            let length = file[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            guard offset + 12 + length <= file.count else { break }
            result.append(Chunk(offset: offset, length: length, type: String(decoding: file[offset + 4..<offset + 8], as: UTF8.self)))
            offset += 12 + length
        }
        return result
    }

    /// The file with every chunk's CRC made to match its (possibly damaged) contents.
    static func fixingCRCs(_ file: [UInt8]) -> [UInt8] {
        var fixed = file
        for chunk in chunks(file) {
            let crc = crc32(file[chunk.offset + 4..<chunk.offset + 8 + chunk.length])
            fixed.replaceSubrange(chunk.offset + 8 + chunk.length..<chunk.end, with: bigEndianBytes(crc))
        }
        return fixed
    }

    static func firstIDATByte(_ file: [UInt8]) -> UInt8? {
        chunks(file).first { $0.type == "IDAT" && $0.length > 0 }.map { file[$0.offset + 8] }
    }
}
