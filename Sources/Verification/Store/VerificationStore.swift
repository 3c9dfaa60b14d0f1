import Foundation

/// The registry and the verification history, behind one interface so a PostgreSQL backend can
/// follow the embedded SQLite one (``SQLiteStore``).
///
/// Every method is one atomic business operation: a backend runs it in one transaction, and
/// either all of its rows are committed or the method throws ``StoreError``. A store error is
/// never turned into a verdict by callers.
public protocol VerificationStore: Sendable {
    // MARK: Registry writes
    func addBrand(_ brand: Brand) throws(StoreError)
    func addProduct(_ product: Product) throws(StoreError)
    func addLot(_ lot: Lot) throws(StoreError)
    func setLotStatus(gtin: String, lot: String, to status: LotStatus, reason: String?, at: Date) throws(StoreError)
    func addLocation(_ location: Location) throws(StoreError)
    func addSeller(_ seller: Seller) throws(StoreError)
    func addSigningKey(_ key: SigningKeyRecord) throws(StoreError)
    func setKeyStatus(keyID: String, to status: KeyStatus, at: Date) throws(StoreError)
    /// Inserts all units or none (a duplicate serial fails the whole batch).
    func addUnits(_ units: [Unit]) throws(StoreError)
    func setUnitStatus(gtin: String, serial: String, to status: UnitStatus) throws(StoreError)
    /// Records a recall and marks the lots it covers `recalled`.
    func addRecall(_ recall: Recall) throws(StoreError) -> Recall
    /// Stores events not yet present (by event id); never changes stored ones.
    func importTraceEvents(_ events: [TraceEvent], skipped: Int) throws(StoreError) -> TraceImportSummary

    // MARK: Registry reads
    func brands() throws(StoreError) -> [Brand]
    func product(gtin: String) throws(StoreError) -> Product?
    func lot(gtin: String, lot: String) throws(StoreError) -> Lot?
    func unit(gtin: String, serial: String) throws(StoreError) -> Unit?
    func signingKey(id: String) throws(StoreError) -> SigningKeyRecord?
    func signingKeys() throws(StoreError) -> [SigningKeyRecord]
    func location(id: String) throws(StoreError) -> Location?
    func seller(id: String) throws(StoreError) -> Seller?
    func recalls(gtin: String?) throws(StoreError) -> [Recall]
    /// The unit's supply-chain history: events naming it, its lot class, and the containers it was packed into.
    func timeline(gtin: String, lot: String?, serial: String?) throws(StoreError) -> [TimelineEntry]

    // MARK: Verification
    /// Records one verification atomically, serialised against every other writer (SQLite:
    /// `BEGIN IMMEDIATE`): gathers the ``RegistrySnapshot`` for `draft`, lets `decide` judge it,
    /// then inserts the photo, the scan, the verdict and any case it opens, and commits. The record
    /// is returned only after the commit; on any failure nothing is stored and this throws.
    ///
    /// A draft whose idempotency key was already used returns the stored record (marked
    /// `replayed`) without counting again; with a different input it throws ``StoreError/idempotencyKeyReused``.
    func recordVerification(_ draft: ScanDraft,
                            decide: (RegistrySnapshot) throws -> Judgement) throws(StoreError) -> VerificationRecord
    /// The stored answer for a scan.
    func verification(scanID: String) throws(StoreError) -> VerificationRecord?
    /// How many scans are stored (every input leaves exactly one).
    func scanCount() throws(StoreError) -> Int
    /// The random key verifier ids are hashed with (created with the database, never shown).
    func verifierSalt() throws(StoreError) -> Data
    /// Records that a tin's Digital Link landing page was opened and returns how many times that
    /// code's page has been opened. A view is not a scan: it never counts as a verification.
    func recordLandingView(gtin: String, lot: String, serial: String, at: Date) throws(StoreError) -> Int

    // MARK: Mail-in cases
    func openCase(_ newCase: NewCase) throws(StoreError) -> MailInCase
    /// Moves a case along its workflow. A counterfeit conclusion marks the unit compromised and,
    /// with `blacklistSeller`, blacklists the seller named on the case with the case as evidence.
    func advanceCase(id: Int64, to status: CaseStatus, actor: String, note: String?,
                     blacklistSeller: Bool, at: Date) throws(StoreError) -> MailInCase
    func mailInCase(id: Int64) throws(StoreError) -> MailInCase?
    func cases(status: CaseStatus?) throws(StoreError) -> [MailInCase]
    func caseEvents(caseID: Int64) throws(StoreError) -> [CaseEvent]

    // MARK: Batch runs (lab photo batches)
    func beginBatchRun(configuration: String, at: Date) throws(StoreError) -> Int64
    func recordBatchItem(runID: Int64, inputPath: String, sha256: String?, caseID: Int64?,
                         scanID: String?, error: String?) throws(StoreError)
    func finishBatchRun(id: Int64, at: Date) throws(StoreError)
}

/// A scan about to be recorded: the request as received plus what the parser extracted.
public struct ScanDraft: Sendable {
    public var scanID: String
    public var receivedAt: Date
    public var channel: Channel
    /// Salted hash of the verifier's id; `nil` for anonymous, CLI and lab checks.
    public var verifierHash: String?
    public var idempotencyKey: String?
    /// Identifies the input (code text or photo hash plus verifier) to detect a reused idempotency key.
    public var fingerprint: String
    public var photo: PhotoReading?
    public var symbologyIdentifier: String?
    public var rawPayload: String?
    /// What to look up: parsed fields (possibly invalid ones, so mismatches can be explained).
    public var gtin: String?
    public var lot: String?
    public var serial: String?
    public var expiry: String?
    public var keyID: String?
    public var sellerID: String?
    public var orderRef: String?
    public var region: String?
    public var coordinates: Coordinates?
    /// The mail-in case the scan is recorded on (lab batches); it must exist.
    public var caseID: Int64? = nil
}

/// Everything the verdict engine needs, read inside the verification transaction.
public struct RegistrySnapshot: Sendable {
    public var scanID: String
    /// Hosts of all our brands.
    public var ourHosts: Set<String>
    public var product: Product?
    public var brand: Brand?
    public var unit: Unit?
    /// The unit's registry lot when the unit is known, otherwise the lot the code names.
    public var lot: Lot?
    public var factory: Location?
    public var key: SigningKeyRecord?
    public var recalls: [Recall]
    /// Earlier consumer verifications of the unit (counted scans only), oldest first.
    public var priorVerifications: [PriorVerification]
    public var seller: Seller?
    public var timeline: [TimelineEntry]
}

/// An earlier counted verification of the same unit.
public struct PriorVerification: Sendable, Equatable {
    public var verifierHash: String
    public var at: Date
    public var region: String?
    public var coordinates: Coordinates?
}

/// What the engine decided, ready to store.
public struct Judgement: Sendable {
    public var record: VerificationRecord
    /// Whether the scan counts as a consumer verification of the unit.
    public var counted: Bool
    /// A case to open with the scan (or an open case for the same unit or photo to attach to).
    public var caseToOpen: [String]?
}

/// A coarse position (city level is enough) for the impossible-travel rule.
public struct Coordinates: Sendable, Equatable, Codable {
    public var latitude: Double
    public var longitude: Double

    public init(latitude: Double, longitude: Double) {
        self.latitude = latitude
        self.longitude = longitude
    }

    /// Great-circle distance in kilometres (haversine, mean Earth radius).
    public func kilometres(to other: Coordinates) -> Double {
        let radians = Double.pi / 180
        let dLat = (other.latitude - latitude) * radians
        let dLon = (other.longitude - longitude) * radians
        let a = sin(dLat / 2) * sin(dLat / 2)
            + cos(latitude * radians) * cos(other.latitude * radians) * sin(dLon / 2) * sin(dLon / 2)
        return 6371.0 * 2 * atan2(a.squareRoot(), (1 - a).squareRoot())
    }
}

/// Through which door a check came in. Only consumer checks with a verifier id count.
public enum Channel: String, Sendable, Codable, CaseIterable {
    /// A consumer's app, mini-program or `genuine verify --consumer`.
    case consumer
    /// A command-line check without a consumer: counts toward nothing.
    case cli
    /// Lab photos of mailed-in tins.
    case lab
    /// A partner system's lookup.
    case partner
    /// A lab's batch of photos of returned tins (`genuine batch`): never counted, never opens a
    /// case, attached to the mail-in case the lab names.
    case labBatch = "lab_batch"
}

/// Store failures. Never a verdict: callers report them as errors.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The database could not be opened, read or written (locked, disk full, corrupt, injected fault…).
    case database(String)
    case notFound(String)
    case duplicate(String)
    case invalidTransition(from: CaseStatus, to: CaseStatus)
    case idempotencyKeyReused(String)
    /// The `decide` step failed (e.g. a key file could not be read): nothing was recorded.
    case judgementFailed(String)
    case invalidData(String)

    public var description: String {
        switch self {
        case .database(let message): return "database error: \(message)"
        case .notFound(let what): return "not found: \(what)"
        case .duplicate(let what): return "already exists: \(what)"
        case .invalidTransition(let from, let to):
            return "a case in status \(from.rawValue) cannot move to \(to.rawValue) (allowed: \(from.next.map(\.rawValue).joined(separator: ", ")))"
        case .idempotencyKeyReused(let key): return "idempotency key \(key) was already used for a different input"
        case .judgementFailed(let message): return "verification could not be completed: \(message)"
        case .invalidData(let message): return "invalid data: \(message)"
        }
    }
}
