import Crypto
import Foundation

/// The primary verdict on one input, decided in the fixed order documented on ``VerdictEngine``.
public enum Verdict: String, Sendable, Codable, CaseIterable {
    /// The photo could not be read: retake it, or mail the tin in.
    case inconclusive = "INCONCLUSIVE"
    /// Not a code of ours: we cannot say anything about it (never "fake").
    case unknown = "UNKNOWN"
    /// Fabricated or altered code, or a unit known to be cloned or out of circulation.
    case counterfeit = "COUNTERFEIT"
    /// Genuine tin from a recalled lot: stop using it.
    case recalled = "RECALLED"
    /// Genuine code seen by too many consumers or in impossible places: probably a copy.
    case suspectCopy = "SUSPECT_COPY"
    /// Genuine code that someone else verified first.
    case genuineAlreadyVerified = "GENUINE_ALREADY_VERIFIED"
    /// Genuine tin past its expiry date: do not use.
    case expired = "EXPIRED"
    /// Genuine, verified before by this same consumer.
    case genuineRepeat = "GENUINE_REPEAT"
    /// Genuine, first verification.
    case genuine = "GENUINE"
}

/// Why a verdict was reached; stored in order with the verdict.
public enum ReasonCode: String, Sendable, Codable, CaseIterable {
    case photoUnreadable = "photo_unreadable"
    case multipleCodes = "multiple_codes"
    case notGS1 = "not_gs1"
    case foreignCode = "foreign_code"
    case malformedCode = "malformed_code"
    case productNotRegistered = "product_not_registered"
    case authenticatorMissing = "authenticator_missing"
    case authenticatorMalformed = "authenticator_malformed"
    case unknownKey = "unknown_key"
    case keyRevoked = "key_revoked"
    case keyOfOtherBrand = "key_of_other_brand"
    case keyNotIssuingKey = "key_not_issuing_key"
    case authenticatorInvalid = "authenticator_invalid"
    case unknownSerial = "unknown_serial"
    case lotMismatch = "lot_mismatch"
    case expiryMismatch = "expiry_mismatch"
    case lotNotRegistered = "lot_not_registered"
    case knownClonedCode = "known_cloned_code"
    case unitNotInCirculation = "unit_not_in_circulation"
    case lotRecalled = "lot_recalled"
    case tooManyVerifiers = "too_many_verifiers"
    case impossibleTravel = "impossible_travel"
    case verifiedByOthers = "verified_by_others"
    case pastExpiry = "past_expiry"
    case verifiedBeforeByYou = "verified_before_by_you"
    case registryMatch = "registry_match"
    case authenticatorValid = "authenticator_valid"
    case registryOnlyProduct = "registry_only_product"
    case firstVerification = "first_verification"
}

/// Extra facts shown with a verdict; a flag never turns a genuine verdict into a fake one.
public enum Flag: String, Sendable, Codable, CaseIterable {
    case sellerBlacklisted = "seller_blacklisted"
    case expiringSoon = "expiring_soon"
    case expired
    /// This verifier was the first to claim the unit: theirs may be the original tin.
    case firstClaimant = "first_claimant"
    /// The code is on a host no brand of ours uses (data still checked in full).
    case unexpectedHost = "unexpected_host"
    /// A command-line, lab or partner check: counted toward nothing.
    case notCounted = "not_counted"
}

/// One symbol the QR decoder read from a photo.
public struct ReadCode: Sendable, Equatable, Codable {
    /// The decoded text (element strings carry GS, 0x1D, for FNC1).
    public var text: String
    /// The AIM symbology identifier, e.g. `]Q1` (plain) or `]Q3` (GS1, FNC1 in first position).
    public var symbologyIdentifier: String?

    public init(text: String, symbologyIdentifier: String? = nil) {
        self.text = text
        self.symbologyIdentifier = symbologyIdentifier
    }
}

/// Why the decoder could not read a photo, as it reports it (`too_blurry`, `no_symbol_found`…).
public struct ReadDiagnosis: Sendable, Equatable, Codable {
    public var reason: String
    public var details: [String: String]

    public init(reason: String, details: [String: String] = [:]) {
        self.reason = reason
        self.details = details
    }
}

/// What the QR decoder made of a photo. The verification core never sees pixels.
public struct PhotoReading: Sendable, Equatable, Codable {
    /// SHA-256 of the photo file, lower-case hex: the photo's identity.
    public var sha256: String
    public var codes: [ReadCode]
    /// Present when nothing (or nothing usable) could be read.
    public var diagnosis: ReadDiagnosis?
    public var byteCount: Int?
    public var width: Int?
    public var height: Int?

    /// The lower-case hex SHA-256 of a photo file, the photo's identity in the store.
    public static func contentHash(of bytes: Data) -> String {
        Verifier.hex(SHA256.hash(data: bytes))
    }

    public init(sha256: String, codes: [ReadCode], diagnosis: ReadDiagnosis? = nil,
                byteCount: Int? = nil, width: Int? = nil, height: Int? = nil) {
        self.sha256 = sha256
        self.codes = codes
        self.diagnosis = diagnosis
        self.byteCount = byteCount
        self.width = width
        self.height = height
    }
}
