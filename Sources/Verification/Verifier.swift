import Crypto
import Foundation

/// One verification request: a code text or what the decoder read from a photo, and who asks.
public struct VerificationRequest: Sendable {
    public enum Input: Sendable {
        case code(ReadCode)
        case photo(PhotoReading)
    }

    public var input: Input
    public var channel: Channel
    /// The consumer's id (app account, install id). Hashed before storage.
    public var verifierID: String?
    /// Retries with the same key return the first answer and count once.
    public var idempotencyKey: String?
    public var region: String?
    public var coordinates: Coordinates?
    /// The shop the tin was bought from, if the consumer says.
    public var sellerID: String?
    public var orderRef: String?
    /// The verifier's UTC offset, so "expired" uses their local date.
    public var utcOffsetSeconds: Int
    /// The mail-in case to record the scan on (a lab examining a returned tin).
    public var caseID: Int64?

    public init(input: Input, channel: Channel = .cli, verifierID: String? = nil, idempotencyKey: String? = nil,
                region: String? = nil, coordinates: Coordinates? = nil, sellerID: String? = nil, orderRef: String? = nil,
                utcOffsetSeconds: Int = 0, caseID: Int64? = nil) {
        self.caseID = caseID
        self.input = input
        self.channel = channel
        self.verifierID = verifierID
        self.idempotencyKey = idempotencyKey
        self.region = region
        self.coordinates = coordinates
        self.sellerID = sellerID
        self.orderRef = orderRef
        self.utcOffsetSeconds = utcOffsetSeconds
    }

    /// A consumer's check of a code text (counts as that consumer's verification).
    public static func consumer(_ id: String, code: String) -> VerificationRequest {
        VerificationRequest(input: .code(ReadCode(text: code)), channel: .consumer, verifierID: id)
    }

    /// A command-line check of a code text (counts toward nothing).
    public static func commandLine(code: String) -> VerificationRequest {
        VerificationRequest(input: .code(ReadCode(text: code)), channel: .cli)
    }
}

/// Why a verification produced no verdict. Never shown as a verdict.
public enum VerificationError: Error, Equatable, Sendable, CustomStringConvertible {
    case store(StoreError)
    case invalidRequest(String)

    public var description: String {
        switch self {
        case .store(let error): return error.description
        case .invalidRequest(let message): return "invalid request: \(message)"
        }
    }
}

/// Verifies codes and photo readings against a store: parse, judge, record — the answer is returned
/// only after its scan and verdict are committed.
public struct Verifier: Sendable {
    public let store: any VerificationStore
    let clock: @Sendable () -> Date

    public init(store: any VerificationStore, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.clock = clock
    }

    /// Verifies one input and records it. Throws when anything could not be checked or stored.
    public func verify(_ request: VerificationRequest) throws(VerificationError) -> VerificationRecord {
        if request.channel == .consumer, (request.verifierID ?? "").isEmpty {
            throw .invalidRequest("a consumer verification needs the consumer's id")
        }
        let now = clock()
        let today = CalendarDate(now, secondsFromGMT: request.utcOffsetSeconds)
        let reading = Self.reading(of: request.input, referenceYear: today.year)
        var verifierHash: String?
        if let verifierID = request.verifierID {
            do { verifierHash = Self.verifierHash(verifierID, salt: try store.verifierSalt()) } catch { throw .store(error) }
        }
        var draft = ScanDraft(scanID: UUID().uuidString.lowercased(), receivedAt: now, channel: request.channel,
                              verifierHash: verifierHash, idempotencyKey: request.idempotencyKey,
                              fingerprint: Self.fingerprint(request.input, verifierHash: verifierHash),
                              photo: nil, symbologyIdentifier: nil, rawPayload: nil,
                              sellerID: request.sellerID, orderRef: request.orderRef, region: request.region,
                              coordinates: request.coordinates, caseID: request.caseID)
        if case .photo(let photo) = request.input { draft.photo = photo }
        if case .code(let read, let parsed) = reading {
            draft.rawPayload = read.text
            draft.symbologyIdentifier = read.symbologyIdentifier
            if case .success(let code) = parsed {
                draft.gtin = code.gtin
                draft.lot = code.lot
                draft.serial = code.serial
                draft.expiry = code.expiry?.date.iso
                draft.keyID = code.authenticator.flatMap(Authenticator.split)?.keyID
            }
        }
        let context = JudgementContext(now: now, today: today, channel: request.channel, verifierHash: verifierHash,
                                       coordinates: request.coordinates, ruleVersion: VerdictEngine.ruleVersion)
        do {
            return try store.recordVerification(draft) { snapshot in
                // Revoked keys fail on their status alone; their secret files may be gone.
                let key = try snapshot.key.flatMap { record throws(SigningError) in
                    record.status == .revoked ? nil : try Self.verificationKey(record)
                }
                return VerdictEngine.judge(reading, snapshot: snapshot, key: key, context: context)
            }
        } catch {
            throw .store(error)
        }
    }

    /// The key a registry record verifies with: the stored public key, or the HMAC secret read from its file.
    static func verificationKey(_ record: SigningKeyRecord) throws(SigningError) -> VerificationKey {
        switch record.algorithm {
        case .ed25519:
            guard let publicKey = record.publicKey else { throw .badKeyMaterial(record.keyID) }
            return VerificationKey(keyID: record.keyID, algorithm: .ed25519, material: publicKey)
        case .hmacSHA256_128:
            guard let path = record.secretPath else { throw .keyFileUnreadable(path: "(none)", reason: "no secret file registered") }
            let secret = try KeyDirectory.read(path: path, keyID: record.keyID, algorithm: .hmacSHA256_128)
            return VerificationKey(keyID: record.keyID, algorithm: .hmacSHA256_128, material: secret.raw)
        }
    }

    /// Turns the raw input into one reading. Several codes in one photo: identical texts collapse;
    /// a non-product code beside one product code (a shop sticker) is ignored; two different
    /// product codes make the photo inconclusive.
    static func reading(of input: VerificationRequest.Input, referenceYear: Int) -> Reading {
        switch input {
        case .code(let read):
            return .code(read, Result { () throws(CodeParseError) in
                try CodeParser.parse(read.text, symbologyIdentifier: read.symbologyIdentifier, referenceYear: referenceYear)
            })
        case .photo(let photo):
            var seen = Set<String>()
            let codes = photo.codes.filter { seen.insert($0.text).inserted }
            guard !codes.isEmpty else { return .unreadable(photo.diagnosis) }
            let parsed = codes.map { read in
                (read, Result { () throws(CodeParseError) in
                    try CodeParser.parse(read.text, symbologyIdentifier: read.symbologyIdentifier, referenceYear: referenceYear)
                })
            }
            let products = parsed.filter { (try? $0.1.get()) != nil }
            let identities = Set(products.compactMap { try? $0.1.get() }.map { "\($0.gtin)|\($0.serial ?? "")" })
            if identities.count > 1 { return .multipleCodes(products.map(\.0.text)) }
            if let product = products.first { return .code(product.0, product.1) }
            // No product code: judge the one most likely ours (a malformed web address), else the first.
            let best = parsed.first { $0.1.failureHost != nil } ?? parsed[0]
            return .code(best.0, best.1)
        }
    }

    /// Verifier ids are stored only as HMAC-SHA256 under the database's own random salt.
    static func verifierHash(_ id: String, salt: Data) -> String {
        hex(HMAC<SHA256>.authenticationCode(for: Data(id.utf8), using: SymmetricKey(data: salt)))
    }

    static func fingerprint(_ input: VerificationRequest.Input, verifierHash: String?) -> String {
        let subject: String
        switch input {
        case .code(let read): subject = "code|\(read.symbologyIdentifier ?? "")|\(read.text)"
        case .photo(let photo): subject = "photo|\(photo.sha256)"
        }
        return hex(SHA256.hash(data: Data("\(subject)|\(verifierHash ?? "")".utf8)))
    }

    static func hex(_ digest: some Sequence<UInt8>) -> String {
        digest.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }
}

extension Result where Failure == CodeParseError {
    var failureHost: String? {
        if case .failure(let error) = self { return error.host }
        return nil
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
