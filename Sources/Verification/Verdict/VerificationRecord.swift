import Foundation

/// The answer for one input, as printed by `genuine verify --json` and stored with the verdict.
public struct VerificationRecord: Sendable, Equatable, Codable {
    public struct CodeFields: Sendable, Equatable, Codable {
        public var gtin: String
        public var lot: String?
        public var serial: String?
        /// `YYYY-MM-DD`.
        public var expiry: String?
    }

    public struct ProductInfo: Sendable, Equatable, Codable {
        public var gtin: String
        public var name: String
        public var brand: String?
        public var stage: String?
        public var netContent: String?
        public var origin: String?
        public var specifications: [String: String]
    }

    public struct LotInfo: Sendable, Equatable, Codable {
        public var lot: String
        public var productionDate: String
        public var expiry: String
        public var factory: String?
        public var processSteps: [ProcessStep]
        public var status: String
    }

    public struct Claims: Sendable, Equatable, Codable {
        public var firstVerifiedAt: Date?
        public var firstRegion: String?
        /// Distinct consumers who verified this unit, the current one included when counted.
        public var distinctVerifiers: Int
    }

    public struct RecallInfo: Sendable, Equatable, Codable {
        public var reason: String
        public var announcedAt: Date
    }

    public struct MailIn: Sendable, Equatable, Codable {
        public var offered: Bool
        public var caseId: Int64?

        enum CodingKeys: String, CodingKey { case offered, caseId }

        public init(offered: Bool, caseId: Int64?) {
            self.offered = offered
            self.caseId = caseId
        }

        // `caseId` is written as null rather than left out, so clients see the field either way.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(offered, forKey: .offered)
            try container.encode(caseId, forKey: .caseId)
        }
    }

    public var scanId: String
    public var verdict: Verdict
    public var reasons: [ReasonCode]
    public var flags: [Flag]
    public var code: CodeFields?
    public var product: ProductInfo?
    public var lot: LotInfo?
    public var timeline: [TimelineEntry]
    public var claims: Claims?
    public var recall: RecallInfo?
    public var mailIn: MailIn
    /// What the parent should do next, in plain words.
    public var advice: String
    public var diagnosis: ReadDiagnosis?
    public var ruleVersion: String
    public var thresholds: VerificationPolicy?
    public var decidedAt: Date
    /// Whether this check counted as a consumer verification.
    public var counted: Bool
    /// `true` when this is the stored answer to an earlier request with the same idempotency key.
    public var replayed: Bool

    enum CodingKeys: String, CodingKey {
        case scanId, verdict, reasons, flags, code, product, lot, timeline, claims, recall, mailIn, advice, diagnosis
        case ruleVersion, thresholds, decidedAt, counted, replayed
    }

    // Absent parts are written as null, not left out: clients find every field in every answer.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(scanId, forKey: .scanId)
        try container.encode(verdict, forKey: .verdict)
        try container.encode(reasons, forKey: .reasons)
        try container.encode(flags, forKey: .flags)
        try container.encode(code, forKey: .code)
        try container.encode(product, forKey: .product)
        try container.encode(lot, forKey: .lot)
        try container.encode(timeline, forKey: .timeline)
        try container.encode(claims, forKey: .claims)
        try container.encode(recall, forKey: .recall)
        try container.encode(mailIn, forKey: .mailIn)
        try container.encode(advice, forKey: .advice)
        try container.encode(diagnosis, forKey: .diagnosis)
        try container.encode(ruleVersion, forKey: .ruleVersion)
        try container.encode(thresholds, forKey: .thresholds)
        try container.encode(decidedAt, forKey: .decidedAt)
        try container.encode(counted, forKey: .counted)
        try container.encode(replayed, forKey: .replayed)
    }
}

/// One step of a tin's supply-chain history, derived from EPCIS events.
public struct TimelineEntry: Sendable, Equatable, Codable {
    /// ISO 8601 with the event's own time-zone offset.
    public var at: String
    public var step: String
    public var disposition: String?
    public var place: String?
    public var city: String?
    public var province: String?
    public var eventType: String
    public var eventID: String
}
