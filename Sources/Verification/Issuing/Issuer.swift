import Foundation

/// One minted code, as written to the printer's CSV.
public struct IssuedCode: Sendable, Equatable {
    public var gtin: String
    public var lot: String
    public var serial: String
    public var expiry: CalendarDate
    public var uri: String
}

/// Issuing failures.
public enum IssueError: Error, Equatable, Sendable, CustomStringConvertible {
    case store(StoreError)
    case signing(SigningError)
    case invalid(String)

    public var description: String {
        switch self {
        case .store(let error): return error.description
        case .signing(let error): return error.description
        case .invalid(let message): return message
        }
    }
}

/// The manufacturer's side: creates signing keys and mints signed unit codes.
public struct Issuer: Sendable {
    public let store: any VerificationStore
    public let keys: KeyDirectory
    let clock: @Sendable () -> Date

    public init(store: any VerificationStore, keys: KeyDirectory, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.keys = keys
        self.clock = clock
    }

    /// Creates a key pair for `brandID`: the secret goes to a 0600 file in the key folder, the
    /// registry gets the public key (Ed25519) and the file's path.
    public func createKey(brandID: String, algorithm: SigningAlgorithm = .ed25519) throws(IssueError) -> SigningKeyRecord {
        let taken: Set<String>
        do { taken = Set(try store.signingKeys().map(\.keyID)) } catch { throw .store(error) }
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        var generator = SystemRandomNumberGenerator()
        var keyID = ""
        for _ in 0..<200 {
            let candidate = String([alphabet.randomElement(using: &generator) ?? "0", alphabet.randomElement(using: &generator) ?? "0"])
            if !taken.contains(candidate) { keyID = candidate; break }
        }
        guard !keyID.isEmpty else { throw .invalid("no free key id left: revoke and archive old keys first") }
        let secret = SigningSecret.generate(keyID: keyID, algorithm: algorithm)
        let path: String
        do { path = try keys.write(secret) } catch { throw .signing(error) }
        let record = SigningKeyRecord(keyID: keyID, brandID: brandID, algorithm: algorithm, publicKey: secret.publicKey,
                                      secretPath: path, status: .active, createdAt: clock())
        do { try store.addSigningKey(record) } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw .store(error)
        }
        return record
    }

    /// Mints `count` units of a registered lot, all registered in one transaction. With a `keyID`
    /// each code is signed; without one the product must be registry-only.
    public func mint(gtin: String, lot lotName: String, count: Int, keyID: String?, host: String) throws(IssueError) -> [IssuedCode] {
        guard count > 0, count <= 1_000_000 else { throw .invalid("count must be between 1 and 1000000") }
        let product: Product, lot: Lot, key: SigningKeyRecord?
        do {
            guard let p = try store.product(gtin: gtin) else { throw IssueError.invalid("GTIN \(gtin) is not registered") }
            guard let l = try store.lot(gtin: gtin, lot: lotName) else { throw IssueError.invalid("lot \(lotName) of GTIN \(gtin) is not registered") }
            (product, lot) = (p, l)
            key = try keyID.map { id in
                guard let k = try store.signingKey(id: id) else { throw IssueError.invalid("signing key \(id) is not registered") }
                return k
            }
        } catch let error as IssueError {
            throw error
        } catch let error as StoreError {
            throw .store(error)
        } catch {
            throw .invalid("\(error)")
        }
        let secret = try signingSecret(key, for: product)
        var generator = SerialGenerator()
        let issuedAt = clock()
        // 65-bit serials make a collision with an existing unit astronomically unlikely; if the
        // registry still rejects the batch as a duplicate, draw again.
        for _ in 0..<3 {
            var serials = Set<String>()
            while serials.count < count { serials.insert(generator.next()) }
            var codes: [IssuedCode] = []
            var units: [Unit] = []
            for serial in serials.sorted() {
                var authenticator: String?
                do {
                    authenticator = try secret?.authenticator(gtin: gtin, lot: lotName, serial: serial, expiry: lot.expiry)
                } catch { throw .signing(error) }
                codes.append(IssuedCode(gtin: gtin, lot: lotName, serial: serial, expiry: lot.expiry,
                                        uri: DigitalLinkBuilder.uri(host: host, gtin: gtin, lot: lotName, serial: serial,
                                                                    expiry: lot.expiry, authenticator: authenticator)))
                units.append(Unit(gtin: gtin, serial: serial, lot: lotName, keyID: key?.keyID, status: .issued, issuedAt: issuedAt))
            }
            do {
                try store.addUnits(units)
                return codes
            } catch .duplicate {
                continue
            } catch {
                throw .store(error)
            }
        }
        throw .invalid("could not draw unique serials; check the random source")
    }

    /// The issuing secret for `key`, checked against the product's brand and policy.
    func signingSecret(_ key: SigningKeyRecord?, for product: Product) throws(IssueError) -> SigningSecret? {
        guard let key else {
            guard !product.authenticatorRequired else { throw .invalid("product \(product.gtin) requires signed codes: give a signing key") }
            return nil
        }
        guard key.brandID == product.brandID else { throw .invalid("key \(key.keyID) belongs to brand \(key.brandID), not \(product.brandID)") }
        guard key.status == .active else { throw .invalid("key \(key.keyID) is \(key.status.rawValue); create a new key to issue codes") }
        guard let path = key.secretPath else { throw .invalid("key \(key.keyID) has no secret file on this machine") }
        do { return try KeyDirectory.read(path: path, keyID: key.keyID, algorithm: key.algorithm) } catch { throw .signing(error) }
    }
}
