import Foundation
import Photo
import QRCode
import Verification

/// Turns a photo file into what the verification core judges: the codes read, or why none was.
enum PhotoReadingBuilder {
    /// Throws only when the file cannot be read at all: a wrong path is the caller's error to
    /// report, not a photo to judge (judging it would open a mail-in case for no photo).
    static func reading(path: String) throws(PhotoError) -> PhotoReading {
        reading(bytes: try PhotoLoader.fileBytes(path: path))
    }

    static func reading(bytes: [UInt8]) -> PhotoReading {
        let sha = PhotoReading.contentHash(of: Data(bytes))
        let image: GrayImage
        do {
            image = try PhotoLoader.decode(bytes)
        } catch {
            // Not a photo we can open: still judged (INCONCLUSIVE) and recorded, never dropped.
            return PhotoReading(sha256: sha, codes: [], diagnosis: ReadDiagnosis(reason: "photo_unreadable", details: ["error": error.description]),
                                byteCount: bytes.count)
        }
        let result = QRReader.read(image)
        let codes = result.symbols.map { ReadCode(text: $0.text, symbologyIdentifier: $0.symbologyIdentifier) }
        let diagnosis = result.diagnosis.map { ReadDiagnosis(reason: $0.reason.rawValue, details: $0.details) }
        return PhotoReading(sha256: sha, codes: codes, diagnosis: diagnosis, byteCount: bytes.count,
                            width: image.width, height: image.height)
    }
}
