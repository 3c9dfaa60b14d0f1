import Foundation

/// A brand owning products and signing keys. `hosts` are the resolver domains its codes use;
/// a code on one of them that fails to parse is ours and malformed (so counterfeit), not unknown.
public struct Brand: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    public var hosts: [String]

    public init(id: String, name: String, hosts: [String]) {
        self.id = id
        self.name = name
        self.hosts = hosts.map { $0.lowercased() }
    }
}

/// Per-product verification policy. Snapshotted into every verdict so old verdicts stay explainable.
public struct VerificationPolicy: Sendable, Equatable, Codable {
    /// Distinct consumer verifiers (including the current one) from which a caution is shown.
    public var cautionAt: Int
    /// Distinct consumer verifiers from which the unit is a suspected copy.
    public var suspectAt: Int
    /// Faster implied travel between two different verifiers' scans is impossible.
    public var maxTravelKilometresPerHour: Double
    /// Expiry closer than this many days adds the `expiring_soon` flag.
    public var expiringSoonDays: Int

    public init(cautionAt: Int = 2, suspectAt: Int = 3, maxTravelKilometresPerHour: Double = 900, expiringSoonDays: Int = 30) {
        self.cautionAt = cautionAt
        self.suspectAt = suspectAt
        self.maxTravelKilometresPerHour = maxTravelKilometresPerHour
        self.expiringSoonDays = expiringSoonDays
    }
}

/// Product master data.
public struct Product: Sendable, Equatable, Codable {
    public var gtin: String
    public var brandID: String
    public var name: String
    /// Infant-formula stage, e.g. "1" (0–6 months).
    public var stage: String?
    public var netContent: String?
    /// Country of origin, ISO 3166-1 numeric (as GS1 AI 422 writes it).
    public var origin: String?
    /// Free-form specifications shown to the parent (protein per 100 g, standard, licence…).
    public var specifications: [String: String]
    /// Whether codes must carry a valid authenticator; `false` for registry-only partner products.
    public var authenticatorRequired: Bool
    public var policy: VerificationPolicy

    public init(gtin: String, brandID: String, name: String, stage: String? = nil, netContent: String? = nil,
                origin: String? = nil, specifications: [String: String] = [:], authenticatorRequired: Bool = true,
                policy: VerificationPolicy = VerificationPolicy()) {
        self.gtin = gtin
        self.brandID = brandID
        self.name = name
        self.stage = stage
        self.netContent = netContent
        self.origin = origin
        self.specifications = specifications
        self.authenticatorRequired = authenticatorRequired
        self.policy = policy
    }
}

/// One step of the manufacturing process of a lot, shown on the tin's record.
public struct ProcessStep: Sendable, Equatable, Codable {
    public var name: String
    public var at: String?
    public var detail: String?

    public init(name: String, at: String? = nil, detail: String? = nil) {
        self.name = name
        self.at = at
        self.detail = detail
    }
}

/// Lot status in the registry.
public enum LotStatus: String, Sendable, Codable, CaseIterable {
    case active, onHold = "on_hold", recalled, withdrawn
}

/// A production lot.
public struct Lot: Sendable, Equatable, Codable {
    public var gtin: String
    public var lot: String
    public var productionDate: CalendarDate
    public var expiry: CalendarDate
    /// Location id of the factory (see ``Location``).
    public var factoryLocationID: String?
    public var processSteps: [ProcessStep]
    public var status: LotStatus

    public init(gtin: String, lot: String, productionDate: CalendarDate, expiry: CalendarDate,
                factoryLocationID: String? = nil, processSteps: [ProcessStep] = [], status: LotStatus = .active) {
        self.gtin = gtin
        self.lot = lot
        self.productionDate = productionDate
        self.expiry = expiry
        self.factoryLocationID = factoryLocationID
        self.processSteps = processSteps
        self.status = status
    }
}

/// A recall: a set of lots of one GTIN, given as an exact lot and/or production-date range
/// (real recalls are often announced as date ranges, not lot lists).
public struct Recall: Sendable, Equatable, Codable {
    public var id: Int64?
    public var gtin: String
    public var lot: String?
    public var producedFrom: CalendarDate?
    public var producedThrough: CalendarDate?
    public var reason: String
    public var announcedAt: Date

    public init(id: Int64? = nil, gtin: String, lot: String? = nil, producedFrom: CalendarDate? = nil,
                producedThrough: CalendarDate? = nil, reason: String, announcedAt: Date) {
        self.id = id
        self.gtin = gtin
        self.lot = lot
        self.producedFrom = producedFrom
        self.producedThrough = producedThrough
        self.reason = reason
        self.announcedAt = announcedAt
    }

    /// Whether this recall covers `lot`. A recall naming neither a lot nor dates covers the whole GTIN.
    public func covers(_ lot: Lot) -> Bool {
        guard lot.gtin == gtin else { return false }
        if let recalled = self.lot, recalled != lot.lot { return false }
        if let from = producedFrom, lot.productionDate < from { return false }
        if let through = producedThrough, lot.productionDate > through { return false }
        return true
    }
}

/// Life-cycle status of one printed unit.
public enum UnitStatus: String, Sendable, Codable, CaseIterable {
    case issued, commissioned, shipped, sold, decommissioned, destroyed
    /// A lab confirmed clones of this code exist.
    case compromised

    /// Whether a tin in this state may be on a shelf or in a kitchen.
    public var isInCirculation: Bool {
        switch self {
        case .issued, .commissioned, .shipped, .sold: return true
        case .decommissioned, .destroyed, .compromised: return false
        }
    }
}

/// One printed code.
public struct Unit: Sendable, Equatable, Codable {
    public var id: Int64?
    public var gtin: String
    public var serial: String
    public var lot: String
    public var keyID: String?
    public var status: UnitStatus
    public var issuedAt: Date

    public init(id: Int64? = nil, gtin: String, serial: String, lot: String, keyID: String?, status: UnitStatus = .issued, issuedAt: Date) {
        self.id = id
        self.gtin = gtin
        self.serial = serial
        self.lot = lot
        self.keyID = keyID
        self.status = status
        self.issuedAt = issuedAt
    }
}

/// Key status: `active` signs and verifies, `retired` only verifies, `revoked` verifies nothing.
public enum KeyStatus: String, Sendable, Codable, CaseIterable {
    case active, retired, revoked
}

/// A signing key as the registry knows it: public key (Ed25519) or the path of the secret file
/// (HMAC; and, on the issuing side, Ed25519 private keys). Secrets are never in the database.
public struct SigningKeyRecord: Sendable, Equatable, Codable {
    public var keyID: String
    public var brandID: String
    public var algorithm: SigningAlgorithm
    public var publicKey: Data?
    public var secretPath: String?
    public var status: KeyStatus
    public var createdAt: Date

    public init(keyID: String, brandID: String, algorithm: SigningAlgorithm, publicKey: Data?, secretPath: String?,
                status: KeyStatus = .active, createdAt: Date) {
        self.keyID = keyID
        self.brandID = brandID
        self.algorithm = algorithm
        self.publicKey = publicKey
        self.secretPath = secretPath
        self.status = status
        self.createdAt = createdAt
    }
}

/// A place in the supply chain (factory, distribution centre, warehouse), keyed by GLN/SGLN URI or name.
public struct Location: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    public var role: String?
    public var city: String?
    public var province: String?
    public var country: String?
    public var latitude: Double?
    public var longitude: Double?

    public init(id: String, name: String, role: String? = nil, city: String? = nil, province: String? = nil,
                country: String? = nil, latitude: Double? = nil, longitude: Double? = nil) {
        self.id = id
        self.name = name
        self.role = role
        self.city = city
        self.province = province
        self.country = country
        self.latitude = latitude
        self.longitude = longitude
    }
}

/// Seller status. `blacklisted` needs a concluded counterfeit case as evidence (enforced by a trigger).
public enum SellerStatus: String, Sendable, Codable, CaseIterable {
    case ok, watch, blacklisted
}

/// A shop on a platform.
public struct Seller: Sendable, Equatable, Codable {
    public var id: String
    public var platform: String
    public var name: String
    public var status: SellerStatus
    public var reason: String?
    public var evidenceCaseID: Int64?

    public init(id: String, platform: String, name: String, status: SellerStatus = .ok, reason: String? = nil, evidenceCaseID: Int64? = nil) {
        self.id = id
        self.platform = platform
        self.name = name
        self.status = status
        self.reason = reason
        self.evidenceCaseID = evidenceCaseID
    }
}
