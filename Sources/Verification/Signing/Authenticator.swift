import Crypto
import Foundation

/// How a key authenticates codes. Taken from the key's registry record, never from the code, so a
/// forger cannot pick the algorithm.
public enum SigningAlgorithm: String, Codable, Sendable, CaseIterable {
    /// Ed25519 signatures (64 bytes, 86 base64url characters): the verifier holds only public keys.
    case ed25519
    /// HMAC-SHA256 truncated to its left-most 128 bits (22 characters): smallest symbol, but the
    /// verifier must hold the secret.
    case hmacSHA256_128 = "hmac-sha256-128"

    /// The tag length in bytes.
    public var tagLength: Int {
        switch self {
        case .ed25519: return 64
        case .hmacSHA256_128: return 16
        }
    }
}

/// The authenticator printed in a code: a 2-character key id followed by the base64url tag.
///
/// The signed message is built from the parsed, normalised fields, never from the raw text, so
/// percent-encoding, host or element-string form do not change it. Fields are joined with `|`,
/// which GS1 CSET 82 excludes, so no two field combinations give the same message.
public enum Authenticator {
    /// Domain separation: a tag for this scheme can never be valid for another message format.
    public static let domain = "GENUINE-DL1"
    /// Key ids are two characters from `0-9A-Z`.
    public static let keyIDLength = 2

    /// The bytes a key signs for one unit.
    public static func message(keyID: String, gtin: String, lot: String?, serial: String?, expiry: String?) -> Data {
        Data("\(domain)|\(keyID)|01=\(gtin)|10=\(lot ?? "")|21=\(serial ?? "")|17=\(expiry ?? "")".utf8)
    }

    /// The message for a parsed code, as it claims to have been signed with `keyID`.
    public static func message(for code: GS1Code, keyID: String) -> Data {
        message(keyID: keyID, gtin: code.gtin, lot: code.lot, serial: code.serial, expiry: code.elements["17"])
    }

    /// Splits an authenticator into key id and tag; `nil` when it is too short or the tag is not base64url.
    public static func split(_ text: String) -> (keyID: String, tag: Data)? {
        guard text.count > keyIDLength else { return nil }
        let keyID = String(text.prefix(keyIDLength))
        guard isValidKeyID(keyID), let tag = Base64URL.decode(text.dropFirst(keyIDLength)) else { return nil }
        return (keyID, tag)
    }

    /// Joins key id and tag.
    public static func format(keyID: String, tag: Data) -> String {
        keyID + Base64URL.encode(tag)
    }

    /// Whether `keyID` is two characters of `0-9A-Z`.
    public static func isValidKeyID(_ keyID: String) -> Bool {
        keyID.count == keyIDLength && keyID.unicodeScalars.allSatisfy { ("0"..."9").contains($0) || ("A"..."Z").contains($0) }
    }
}

/// The issuing side's secret: an Ed25519 private key or an HMAC key. Lives in a key file, never in the database.
public struct SigningSecret: Sendable {
    public let keyID: String
    public let algorithm: SigningAlgorithm
    /// Raw key bytes (Ed25519 private key seed, or the HMAC key).
    let raw: Data

    public init(keyID: String, algorithm: SigningAlgorithm, raw: Data) throws(SigningError) {
        switch algorithm {
        case .ed25519:
            guard (try? Curve25519.Signing.PrivateKey(rawRepresentation: raw)) != nil else { throw .badKeyMaterial(keyID) }
        case .hmacSHA256_128:
            guard raw.count >= 32 else { throw .badKeyMaterial(keyID) }
        }
        self.keyID = keyID
        self.algorithm = algorithm
        self.raw = raw
    }

    /// A fresh random key.
    public static func generate(keyID: String, algorithm: SigningAlgorithm) -> SigningSecret {
        let raw: Data
        switch algorithm {
        case .ed25519: raw = Curve25519.Signing.PrivateKey().rawRepresentation
        case .hmacSHA256_128: raw = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        }
        // Both branches produce well-formed material, so validation cannot fail here.
        return SigningSecret(unchecked: keyID, algorithm: algorithm, raw: raw)
    }

    private init(unchecked keyID: String, algorithm: SigningAlgorithm, raw: Data) {
        self.keyID = keyID
        self.algorithm = algorithm
        self.raw = raw
    }

    /// What the verifying side stores: the public key for Ed25519; for HMAC, nothing public exists.
    public var publicKey: Data? {
        guard algorithm == .ed25519, let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw) else { return nil }
        return key.publicKey.rawRepresentation
    }

    /// The tag over `message`.
    public func tag(for message: Data) throws(SigningError) -> Data {
        switch algorithm {
        case .ed25519:
            guard let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw),
                  let signature = try? key.signature(for: message) else { throw .signingFailed(keyID) }
            return signature
        case .hmacSHA256_128:
            let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: raw))
            return Data(mac).prefix(SigningAlgorithm.hmacSHA256_128.tagLength)
        }
    }

    /// The authenticator text for one unit.
    public func authenticator(gtin: String, lot: String, serial: String, expiry: CalendarDate) throws(SigningError) -> String {
        let message = Authenticator.message(keyID: keyID, gtin: gtin, lot: lot, serial: serial, expiry: expiry.yymmdd)
        return Authenticator.format(keyID: keyID, tag: try tag(for: message))
    }
}

/// What the verifying side checks a tag with: an Ed25519 public key, or the HMAC secret.
public struct VerificationKey: Sendable {
    public let keyID: String
    public let algorithm: SigningAlgorithm
    let material: Data

    public init(keyID: String, algorithm: SigningAlgorithm, material: Data) {
        self.keyID = keyID
        self.algorithm = algorithm
        self.material = material
    }

    /// Whether `tag` authenticates `message`. HMAC tags are compared in constant time.
    public func isValid(tag: Data, for message: Data) -> Bool {
        guard tag.count == algorithm.tagLength else { return false }
        switch algorithm {
        case .ed25519:
            guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: material) else { return false }
            return key.isValidSignature(tag, for: message)
        case .hmacSHA256_128:
            let expected = Data(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: material)))
                .prefix(SigningAlgorithm.hmacSHA256_128.tagLength)
            var difference: UInt8 = 0
            for (a, b) in zip(expected, tag) { difference |= a ^ b }
            return difference == 0
        }
    }
}

/// Signing and key-handling failures.
public enum SigningError: Error, Equatable, Sendable, CustomStringConvertible {
    case badKeyMaterial(String)
    case signingFailed(String)
    case keyFileUnreadable(path: String, reason: String)
    case keyFileExists(path: String)
    case keyFileNotPrivate(path: String)

    public var description: String {
        switch self {
        case .badKeyMaterial(let id): return "key \(id): the key material is malformed"
        case .signingFailed(let id): return "key \(id): signing failed"
        case .keyFileUnreadable(let path, let reason): return "cannot read key file \(path): \(reason)"
        case .keyFileExists(let path): return "refusing to overwrite existing key file \(path)"
        case .keyFileNotPrivate(let path): return "key file \(path) is readable by others; run chmod 600 on it"
        }
    }
}

/// Base64url without padding (RFC 4648 §5).
public enum Base64URL {
    public static func encode(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Decodes; `nil` for characters outside the alphabet, padding or an impossible length.
    public static func decode(_ text: some StringProtocol) -> Data? {
        guard text.unicodeScalars.allSatisfy({ ApplicationIdentifier.Charset.cset64.contains($0) && $0 != "=" }),
              text.count % 4 != 1 else { return nil }
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        standard += String(repeating: "=", count: (4 - standard.count % 4) % 4)
        guard let data = Data(base64Encoded: standard), encode(data) == String(text) else { return nil }
        return data
    }
}
