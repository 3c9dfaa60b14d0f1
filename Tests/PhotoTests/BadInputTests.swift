import Foundation
import Testing
import QRCode
@testable import Photo

/// Hostile and broken inputs: each fails with its own specific error, never a crash or an image.
@Suite struct BadInputTests {
    private func expectTruncated(_ bytes: [UInt8], _ format: ImageFormat, sourceLocation: SourceLocation = #_sourceLocation) {
        let error = photoError { _ = try PhotoLoader.decode(bytes) }
        guard case .truncated(format, _) = error else {
            Issue.record("expected truncated \(format), got \(String(describing: error))", sourceLocation: sourceLocation)
            return
        }
    }

    private func expectCorrupt(_ bytes: [UInt8], _ format: ImageFormat, sourceLocation: SourceLocation = #_sourceLocation) {
        let error = photoError { _ = try PhotoLoader.decode(bytes) }
        guard case .corrupt(format, _) = error else {
            Issue.record("expected corrupt \(format), got \(String(describing: error))", sourceLocation: sourceLocation)
            return
        }
    }

    @Test func zeroBytes() {
        #expect(photoError { _ = try PhotoLoader.decode([]) } == .empty)
        #expect(photoError { _ = try PhotoLoader.info([]) } == .empty)
        #expect(PhotoLoader.detectFormat([]) == nil)
    }

    @Test func truncatedPNG() throws {
        let png = try PhotoWriter.pngData(noiseGray(width: 40, height: 30))
        expectTruncated(Array(png.prefix(png.count / 2)), .png)
        expectTruncated(Array(png.prefix(20)), .png) // inside the header
        expectTruncated(Array(png.prefix(5)), .png)  // inside the signature
        expectTruncated(Array(png.dropLast(12)), .png) // all pixels present, IEND missing
    }

    @Test(arguments: [false, true])
    func truncatedJPEGInScanData(progressive: Bool) throws {
        let jpeg = try PhotoWriter.jpegData(noiseGray(width: 64, height: 64), quality: 90, progressive: progressive)
        let scan = try #require(markerOffset(jpeg, marker: 0xDA))
        expectTruncated(Array(jpeg.prefix((scan + jpeg.count) / 2)), .jpeg)
        expectTruncated(Array(jpeg.dropLast(2)), .jpeg) // only the end-of-image marker missing
        expectTruncated(Array(jpeg.prefix(scan / 2)), .jpeg) // inside the headers
    }

    @Test func jpegWithEndMarkerInsideScanDataIsCorrupt() throws {
        var jpeg = try PhotoWriter.jpegData(noiseGray(width: 64, height: 64), quality: 90)
        let scan = try #require(markerOffset(jpeg, marker: 0xDA))
        let middle = (scan + jpeg.count) / 2
        jpeg.replaceSubrange(middle..<middle + 2, with: [0xFF, 0xD9])
        expectCorrupt(jpeg, .jpeg)
    }

    @Test func garbageAfterPNGSignature() {
        var state: UInt32 = 7
        let garbage = (0..<500).map { _ in
            state = state &* 1_103_515_245 &+ 12345
            return UInt8(truncatingIfNeeded: state >> 16)
        }
        expectCorrupt(ImageHeader.pngSignature + garbage, .png)
    }

    @Test func damagedPNGImageData() throws {
        var png = try PhotoWriter.pngData(noiseGray(width: 40, height: 30))
        for i in stride(from: 60, to: png.count - 30, by: 37) { png[i] ^= 0x5A }
        expectCorrupt(png, .png)
    }

    /// A real PNG whose IHDR is rewritten to claim 100000×100000, with a correct CRC.
    @Test func pngClaimingTenGigapixels() throws {
        var png = try PhotoWriter.pngData(smoothGray(width: 8, height: 8))
        png.replaceSubrange(16..<24, with: bigEndianBytes(100_000) + bigEndianBytes(100_000))
        png.replaceSubrange(29..<33, with: bigEndianBytes(crc32(png[12..<29])))
        #expect(try PhotoLoader.info(png) == PhotoInfo(width: 100_000, height: 100_000, format: .png))
        #expect(photoError { _ = try PhotoLoader.decode(png) } == .tooLarge(width: 100_000, height: 100_000, limit: 100_000_000))
        // The header alone (nothing after IHDR) is refused for its size too, not as truncated.
        #expect(photoError { _ = try PhotoLoader.decode(Array(png.prefix(33))) }
                == .tooLarge(width: 100_000, height: 100_000, limit: 100_000_000))
    }

    /// JPEG sides are 16-bit, so the largest claim is 65535×65535; a real frame header is patched.
    @Test func jpegClaimingHugeSize() throws {
        var jpeg = try PhotoWriter.jpegData(smoothGray(width: 8, height: 8), quality: 80)
        let frame = try #require(markerOffset(jpeg, marker: 0xC0))
        jpeg.replaceSubrange(frame + 5..<frame + 9, with: [0xEA, 0x60, 0xFF, 0xFF]) // height 60000, width 65535
        #expect(try PhotoLoader.info(jpeg) == PhotoInfo(width: 65535, height: 60000, format: .jpeg))
        #expect(photoError { _ = try PhotoLoader.decode(jpeg) } == .tooLarge(width: 65535, height: 60000, limit: 100_000_000))
    }

    @Test func limitIsTheCallersChoice() throws {
        let jpeg = try PhotoWriter.jpegData(smoothGray(width: 40, height: 30), quality: 80)
        #expect(photoError { _ = try PhotoLoader.decode(jpeg, options: .init(maxPixels: 1199)) }
                == .tooLarge(width: 40, height: 30, limit: 1199))
        #expect(try PhotoLoader.decode(jpeg, options: .init(maxPixels: 1200)).pixelCount == 1200)
    }

    @Test func jpegBeyondLibjpegLimitIsUnsupported() throws {
        var jpeg = try PhotoWriter.jpegData(smoothGray(width: 8, height: 8), quality: 80)
        let frame = try #require(markerOffset(jpeg, marker: 0xC0))
        jpeg.replaceSubrange(frame + 5..<frame + 9, with: [0x00, 0x02, 0xFF, 0xFF]) // 65535 × 2
        let error = photoError { _ = try PhotoLoader.decode(jpeg) }
        guard case .unsupported(.jpeg, _) = error else {
            Issue.record("expected unsupported, got \(String(describing: error))")
            return
        }
    }

    /// Valid JPEG variants libjpeg-turbo 2.1 cannot decode: lossless (SOF3) and 12-bit samples.
    @Test(arguments: [(offset: 1, value: UInt8(0xC3)), (offset: 4, value: UInt8(12))])
    func jpegProcessNotSupported(patch: (offset: Int, value: UInt8)) throws {
        var jpeg = try PhotoWriter.jpegData(smoothGray(width: 8, height: 8), quality: 80)
        let frame = try #require(markerOffset(jpeg, marker: 0xC0))
        jpeg[frame + patch.offset] = patch.value
        let error = photoError { _ = try PhotoLoader.decode(jpeg) }
        guard case .unsupported(.jpeg, _) = error else {
            Issue.record("expected unsupported, got \(String(describing: error))")
            return
        }
    }

    @Test func unrecognisedBytes() {
        let gif = Array("GIF89a".utf8) + [1, 0, 1, 0]
        #expect(photoError { _ = try PhotoLoader.decode(gif) }
                == .unrecognizedFormat(firstBytes: "47 49 46 38 39 61 01 00 01 00"))
        #expect(PhotoError.unrecognizedFormat(firstBytes: PhotoError.hexPrefix(gif)).description.contains("GIF"))
    }

    @Test func writerRefusesWhatItCannotEncode() {
        let empty = GrayImage(width: 0, height: 0)
        guard case .unsupported(.png, _) = photoError({ _ = try PhotoWriter.pngData(empty) }),
              case .unsupported(.jpeg, _) = photoError({ _ = try PhotoWriter.jpegData(empty, quality: 90) }),
              case .unsupported(.jpeg, _) = photoError({ _ = try PhotoWriter.jpegData(smoothGray(width: 4, height: 4), quality: 0) })
        else {
            Issue.record("empty images and quality 0 must be refused")
            return
        }
    }

    /// Failures inside libpng and libjpeg while encoding come back as errors too.
    @Test func encoderLibraryErrors() {
        let paletteless = photoError {
            _ = try PNGEncoding.encode(samples: [0, 1, 2, 3], width: 2, height: 2, colorType: .palette, bitDepth: 2)
        }
        guard case .unsupported(.png, let detail) = paletteless else {
            Issue.record("a palette image without a palette must be refused, got \(String(describing: paletteless))")
            return
        }
        #expect(detail.localizedStandardContains("palette"))
        let tooWide = photoError { _ = try PhotoWriter.jpegData(GrayImage(width: 65_501, height: 1), quality: 90) }
        guard case .unsupported(.jpeg, let jpegDetail) = tooWide else {
            Issue.record("JPEG cannot be wider than 65500 pixels, got \(String(describing: tooWide))")
            return
        }
        #expect(jpegDetail.contains("65500"))
    }
}

/// Loading from and writing to files.
///
/// A class so that `deinit` removes each test's folder: as a struct it left one folder per test
/// behind on every run (56 in /tmp after two days).
@Suite final class PhotoFileTests {
    private let folder: String

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("PhotoTests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }

    @Test func writeAndLoadBothFormats() throws {
        let original = smoothGray(width: 24, height: 16)
        let pngPath = folder + "/a.png", jpegPath = folder + "/a.jpg"
        try PhotoWriter.writePNG(original, to: pngPath)
        try PhotoWriter.writeJPEG(original, to: jpegPath, quality: 95)
        #expect(try PhotoLoader.load(path: pngPath) == original)
        let jpeg = try PhotoLoader.load(path: jpegPath)
        #expect(maxDifference(jpeg, original.pixels.map(Double.init)) <= 4)
        // The name does not matter: a PNG called .jpg is still read as PNG.
        let misnamed = folder + "/really-a-png.jpg"
        try FileManager.default.copyItem(atPath: pngPath, toPath: misnamed)
        #expect(try PhotoLoader.load(path: misnamed) == original)
    }

    @Test func textFileNamedJPG() throws {
        let path = folder + "/notes.jpg"
        try "serial: 1234\nbatch: 7\n".write(toFile: path, atomically: true, encoding: .utf8)
        let error = photoError { _ = try PhotoLoader.load(path: path) }
        #expect(error == .unrecognizedFormat(firstBytes: "73 65 72 69 61 6c 3a 20 31 32 33 34 0a 62 61 74"))
        #expect(error?.description.contains("text") == true)
    }

    @Test func emptyFile() throws {
        let path = folder + "/empty.png"
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        #expect(photoError { _ = try PhotoLoader.load(path: path) } == .empty)
    }

    @Test func missingFileAndFolder() {
        let missing = folder + "/nope.jpg"
        #expect(photoError { _ = try PhotoLoader.load(path: missing) }
                == .fileUnreadable(path: missing, reason: "No such file or directory"))
        #expect(photoError { _ = try PhotoLoader.load(path: folder) } == .fileUnreadable(path: folder, reason: "it is a folder"))
        let unwritable = folder + "/no/such/folder/out.png"
        #expect(photoError { try PhotoWriter.writePNG(GrayImage(width: 2, height: 2), to: unwritable) }
                == .fileUnwritable(path: unwritable, reason: "No such file or directory"))
    }
}

@Suite struct PhotoErrorTextTests {
    @Test func descriptionsTellTheUserWhatToDo() {
        #expect(PhotoError.truncated(format: .jpeg, detail: "Premature end of JPEG file").description
                    .contains("export it again"))
        let tooLarge = PhotoError.tooLarge(width: 100_000, height: 100_000, limit: 100_000_000).description
        #expect(tooLarge.contains("Resize") && tooLarge.contains("100,000,000 pixels"))
        #expect(PhotoError.grouped(1234) == "1,234" && PhotoError.grouped(999) == "999" && PhotoError.grouped(-12345) == "-12,345")
        #expect(PhotoError.unrecognizedFormat(firstBytes: "00 00 00 18 66 74 79 70 68 65 69 63").description.contains("HEIC"))
    }
}
