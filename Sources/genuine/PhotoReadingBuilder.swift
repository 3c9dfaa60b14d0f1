import Foundation
import Photo
import QRCode
import Verification

/// Turns a photo file into what the verification core judges: the codes read, or why none was.
enum PhotoReadingBuilder {
    static func reading(path: String) -> PhotoReading {
        guard let data = FileManager.default.contents(atPath: path) else {
            return PhotoReading(sha256: PhotoReading.contentHash(of: Data(path.utf8)), codes: [],
                                diagnosis: ReadDiagnosis(reason: "photo_unreadable", details: ["error": "the file could not be opened"]))
        }
        return reading(bytes: data)
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
