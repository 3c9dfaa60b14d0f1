import Foundation
import Photo

/// Uploaded photos on disk, named by their SHA-256 only: a client's file name never reaches the
/// file system, and the same photo uploaded twice is stored once.
struct PhotoArchive: Sendable {
    let root: URL

    init(dataDirectory: URL) {
        root = dataDirectory.appendingPathComponent("photos", isDirectory: true)
    }

    /// Where a photo with this hash and format lives: `photos/ab/<sha256>.png`.
    func url(sha256: String, format: ImageFormat) -> URL {
        root.appendingPathComponent(String(sha256.prefix(2)), isDirectory: true)
            .appendingPathComponent("\(sha256).\(format == .png ? "png" : "jpg")")
    }

    /// Writes the photo unless it is already there. The bytes go to a temporary file first and
    /// are renamed into place, so a reader never sees half a photo.
    func store(_ bytes: [UInt8], sha256: String, format: ImageFormat) throws -> URL {
        // The hash is ours (hex), but check anyway: it becomes a path.
        guard sha256.count == 64, sha256.allSatisfy(\.isHexDigit) else {
            throw CocoaError(.fileWriteInvalidFileName)
        }
        let target = url(sha256: sha256, format: format)
        if FileManager.default.fileExists(atPath: target.path) { return target }
        let folder = target.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let temporary = folder.appendingPathComponent(".\(UUID().uuidString).part")
        try Data(bytes).write(to: temporary)
        if rename(temporary.path, target.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: reason])
        }
        return target
    }
}
