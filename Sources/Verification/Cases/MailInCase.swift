import Foundation

/// Where a mail-in case stands. The lab moves it received → examining → one of the conclusions.
public enum CaseStatus: String, Sendable, Codable, CaseIterable {
    case open
    case received
    case examining
    case concludedGenuine = "concluded_genuine"
    case concludedCounterfeit = "concluded_counterfeit"
    case concludedInconclusive = "concluded_inconclusive"

    /// The statuses a case in this status may move to.
    public var next: [CaseStatus] {
        switch self {
        case .open: return [.received]
        case .received: return [.examining]
        case .examining: return [.concludedGenuine, .concludedCounterfeit, .concludedInconclusive]
        case .concludedGenuine, .concludedCounterfeit, .concludedInconclusive: return []
        }
    }

    public var isConcluded: Bool { next.isEmpty }
}

/// A mail-in examination case.
public struct MailInCase: Sendable, Equatable, Codable {
    public var id: Int64
    public var status: CaseStatus
    /// Why it was opened, e.g. `photo_unreadable`, `too_many_verifiers`, `consumer_request`.
    public var reasons: [String]
    public var openedFromScanID: String?
    public var gtin: String?
    public var serial: String?
    public var photoSHA256: String?
    public var sellerID: String?
    public var createdAt: Date
    public var updatedAt: Date
}

/// What opens a case.
public struct NewCase: Sendable, Equatable {
    public var reasons: [String]
    public var scanID: String?
    public var gtin: String?
    public var serial: String?
    public var photoSHA256: String?
    public var sellerID: String?
    public var actor: String
    public var at: Date

    public init(reasons: [String], scanID: String? = nil, gtin: String? = nil, serial: String? = nil,
                photoSHA256: String? = nil, sellerID: String? = nil, actor: String, at: Date) {
        self.reasons = reasons
        self.scanID = scanID
        self.gtin = gtin
        self.serial = serial
        self.photoSHA256 = photoSHA256
        self.sellerID = sellerID
        self.actor = actor
        self.at = at
    }
}

/// One entry of a case's append-only history.
public struct CaseEvent: Sendable, Equatable, Codable {
    public var id: Int64
    public var caseID: Int64
    public var at: Date
    public var actor: String
    public var fromStatus: CaseStatus?
    public var toStatus: CaseStatus
    public var note: String?
}
