import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The folder holding secret key files, outside the database: one `{keyID}.key` file per key,
/// base64 of the raw key, mode 0600 in a 0700 folder.
public struct KeyDirectory: Sendable {
    public let url: URL

    public init(url: URL) { self.url = url }

    /// The conventional key folder beside a database file: `genuine.sqlite` → `genuine.sqlite.keys`.
    public static func beside(database path: String) -> KeyDirectory {
        KeyDirectory(url: URL(fileURLWithPath: path + ".keys"))
    }

    public func path(for keyID: String) -> String {
        url.appendingPathComponent("\(keyID).key").path
    }

    /// Writes a new key file with mode 0600 (created so, never widened then narrowed); refuses to overwrite.
    @discardableResult
    public func write(_ secret: SigningSecret) throws(SigningError) -> String {
        let path = path(for: secret.keyID)
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw .keyFileUnreadable(path: url.path, reason: error.localizedDescription)
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            if errno == EEXIST { throw .keyFileExists(path: path) }
            throw .keyFileUnreadable(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        let bytes = Array((secret.raw.base64EncodedString() + "\n").utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw .keyFileUnreadable(path: path, reason: "short write") }
        return path
    }

    /// Reads a key file, refusing one that group or others can read.
    public static func read(path: String, keyID: String, algorithm: SigningAlgorithm) throws(SigningError) -> SigningSecret {
        let attributes: [FileAttributeKey: Any]
        let contents: String
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
            contents = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .keyFileUnreadable(path: path, reason: error.localizedDescription)
        }
        if let mode = attributes[.posixPermissions] as? NSNumber, mode.intValue & 0o077 != 0 {
            throw .keyFileNotPrivate(path: path)
        }
        guard let raw = Data(base64Encoded: contents.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw .badKeyMaterial(keyID)
        }
        return try SigningSecret(keyID: keyID, algorithm: algorithm, raw: raw)
    }

    /// Reads the key file for `keyID` in this folder.
    public func read(keyID: String, algorithm: SigningAlgorithm) throws(SigningError) -> SigningSecret {
        try Self.read(path: path(for: keyID), keyID: keyID, algorithm: algorithm)
    }
}
