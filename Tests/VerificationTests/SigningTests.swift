import Foundation
import Testing
@testable import Verification

@Suite("Signing and key files")
struct SigningTests {
    static let expiry = CalendarDate(year: 2027, month: 3, day: 31)!

    @Test("Ed25519 and HMAC-128 authenticators verify, and fail on any other message", arguments: SigningAlgorithm.allCases)
    func roundTrip(algorithm: SigningAlgorithm) throws {
        let secret = SigningSecret.generate(keyID: "K1", algorithm: algorithm)
        let text = try secret.authenticator(gtin: "06901234567892", lot: "L1", serial: "S1", expiry: Self.expiry)
        let (keyID, tag) = try #require(Authenticator.split(text))
        #expect(keyID == "K1")
        #expect(text.count == 2 + (algorithm == .ed25519 ? 86 : 22))
        let material = algorithm == .ed25519 ? try #require(secret.publicKey) : secret.raw
        let key = VerificationKey(keyID: "K1", algorithm: algorithm, material: material)
        #expect(key.isValid(tag: tag, for: Authenticator.message(keyID: "K1", gtin: "06901234567892", lot: "L1", serial: "S1", expiry: "270331")))
        #expect(!key.isValid(tag: tag, for: Authenticator.message(keyID: "K1", gtin: "06901234567892", lot: "L1", serial: "S2", expiry: "270331")))
        #expect(!key.isValid(tag: tag, for: Authenticator.message(keyID: "K2", gtin: "06901234567892", lot: "L1", serial: "S1", expiry: "270331")))
        let other = SigningSecret.generate(keyID: "K1", algorithm: algorithm)
        let otherMaterial = algorithm == .ed25519 ? try #require(other.publicKey) : other.raw
        #expect(!VerificationKey(keyID: "K1", algorithm: algorithm, material: otherMaterial)
            .isValid(tag: tag, for: Authenticator.message(keyID: "K1", gtin: "06901234567892", lot: "L1", serial: "S1", expiry: "270331")))
    }

    @Test("the signed message separates fields unambiguously")
    func messageIsInjective() {
        let a = Authenticator.message(keyID: "K1", gtin: "06901234567892", lot: "AB", serial: "C", expiry: "270331")
        let b = Authenticator.message(keyID: "K1", gtin: "06901234567892", lot: "A", serial: "BC", expiry: "270331")
        #expect(a != b)
    }

    @Test("key files are created 0600, never overwritten, and refused when others can read them")
    func keyFiles() throws {
        let directory = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let keys = KeyDirectory(url: directory.appendingPathComponent("keys"))
        let secret = SigningSecret.generate(keyID: "K1", algorithm: .ed25519)
        let path = try keys.write(secret)
        let mode = try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)
        #expect(mode.intValue & 0o777 == 0o600)
        #expect(try keys.read(keyID: "K1", algorithm: .ed25519).publicKey == secret.publicKey)
        #expect(throws: SigningError.keyFileExists(path: path)) { try keys.write(secret) }
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        #expect(throws: SigningError.keyFileNotPrivate(path: path)) { try keys.read(keyID: "K1", algorithm: .ed25519) }
    }

    @Test("photo content hashes are lower-case hex SHA-256")
    func photoHash() {
        #expect(PhotoReading.contentHash(of: Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
