import Foundation
import Photo
import QRCode
import Verification

/// Turns a photo file into what the verification core judges: the codes read, or why none was.
enum PhotoReadingBuilder {
    /// Nil when the file cannot be opened at all: a wrong path is the caller's error to report, not
    /// a photo to judge (judging it would open a mail-in case for a file that does not exist).
    static func reading(path: String) -> PhotoReading? {
        FileManager.default.contents(atPath: path).map { reading(bytes: $0) }
    }

    static func reading(bytes data: Data) -> PhotoReading {
        let sha = PhotoReading.contentHash(of: data)
        let image: GrayImage
        do {
            image = try PhotoLoader.decode([UInt8](data))
        } catch {
            // Not a photo we can open: still judged (INCONCLUSIVE) and recorded, never dropped.
            return PhotoReading(sha256: sha, codes: [], diagnosis: ReadDiagnosis(reason: "photo_unreadable", details: ["error": error.description]),
                                byteCount: data.count)
        }
        let result = QRReader.read(image)
        let codes = result.symbols.map { ReadCode(text: $0.text, symbologyIdentifier: $0.symbologyIdentifier) }
        let diagnosis = result.diagnosis.map { ReadDiagnosis(reason: $0.reason.rawValue, details: $0.details) }
        return PhotoReading(sha256: sha, codes: codes, diagnosis: diagnosis, byteCount: data.count,
                            width: image.width, height: image.height)
    }
}
