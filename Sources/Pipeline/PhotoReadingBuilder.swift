import Foundation
import Photo
import QRCode
import Verification

/// One photo taken through the reader: what the verification core judges, plus the decoder's
/// details that reports show beside the verdict (version, EC level, corrections, timings).
public struct PhotoAnalysis: Sendable {
    /// The codes read, or why none was: the verification core's input.
    public var reading: PhotoReading
    /// Every symbol decoded, in the reader's order (same order as `reading.codes`).
    public var symbols: [DecodedSymbol]
    /// Time spent decoding the file into luminance; zero when it could not be decoded.
    public var loadTime: Duration
    /// Time per reader stage; empty when the file could not be decoded.
    public var stageTimings: StageTimings
    /// The loader's error when the bytes are not a photo that can be opened.
    public var loadError: PhotoError?
}

/// Turns a photo file into what the verification core judges: the codes read, or why none was.
/// Shared by `genuine verify`, `genuine batch` and the upload service so every channel reads a
/// photo the same way.
public enum PhotoReadingBuilder {
    /// Throws only when the file cannot be read at all: a wrong path is the caller's error to
    /// report, not a photo to judge (judging it would open a mail-in case for no photo).
    public static func reading(path: String) throws(PhotoError) -> PhotoReading {
        reading(bytes: try PhotoLoader.fileBytes(path: path))
    }

    public static func reading(bytes: [UInt8]) -> PhotoReading {
        analyse(bytes: bytes).reading
    }

    /// Reads the photo in `bytes` and keeps the decoder's details. Bytes that are not an image
    /// still give a reading (diagnosis `photo_unreadable`): judged INCONCLUSIVE, never dropped.
    public static func analyse(bytes: [UInt8], options: ReaderOptions = ReaderOptions()) -> PhotoAnalysis {
        let sha = PhotoReading.contentHash(of: Data(bytes))
        let clock = ContinuousClock()
        let start = clock.now
        let image: GrayImage
        do {
            image = try PhotoLoader.decode(bytes)
        } catch {
            let reading = PhotoReading(sha256: sha, codes: [],
                                       diagnosis: ReadDiagnosis(reason: "photo_unreadable", details: ["error": error.description]),
                                       byteCount: bytes.count)
            return PhotoAnalysis(reading: reading, symbols: [], loadTime: .zero, stageTimings: StageTimings(), loadError: error)
        }
        let loadTime = clock.now - start
        let result = QRReader.read(image, options: options)
        let codes = result.symbols.map { ReadCode(text: $0.text, symbologyIdentifier: $0.symbologyIdentifier) }
        let diagnosis = result.diagnosis.map { ReadDiagnosis(reason: $0.reason.rawValue, details: $0.details) }
        let reading = PhotoReading(sha256: sha, codes: codes, diagnosis: diagnosis, byteCount: bytes.count,
                                   width: image.width, height: image.height)
        return PhotoAnalysis(reading: reading, symbols: result.symbols, loadTime: loadTime,
                             stageTimings: result.statistics.timings, loadError: nil)
    }
}
