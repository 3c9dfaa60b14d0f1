import Foundation
import Photo
import Pipeline
import Verification

/// The service behind both the JSON API and the page: every store and decoder call runs off the
/// event loops, and every store failure becomes a problem answer, never a verdict.
struct VerificationService: Sendable {
    let store: any VerificationStore
    let databaseFile: DatabaseFileGuard?
    let archive: PhotoArchive
    let metrics: ServiceMetrics
    let decoders: BlockingWork
    let database: BlockingWork
    let clock: @Sendable () -> Date

    /// A verification as answered: the record and whether it replays an earlier answer.
    func verify(_ input: VerificationInput, verifierID: String?, idempotencyKey: String?) async throws(Problem) -> VerificationRecord {
        let readingInput: VerificationRequest.Input
        switch input.payload {
        case .code(let text):
            readingInput = .code(ReadCode(text: text))
        case .photo(let bytes):
            let archive = archive
            let metrics = metrics
            let analysis = try await decoders.run { () throws(Problem) -> PhotoAnalysis in
                let clock = ContinuousClock()
                let start = clock.now
                let analysis = PhotoReadingBuilder.analyse(bytes: bytes)
                metrics.observeDecode(clock.now - start)
                // Stored before the verdict, so every recorded scan has its photo on disk.
                if let format = PhotoLoader.detectFormat(bytes) {
                    do {
                        _ = try archive.store(bytes, sha256: analysis.reading.sha256, format: format)
                    } catch {
                        throw Problem.unavailable("the photo could not be stored: \(error.localizedDescription)")
                    }
                }
                return analysis
            }
            readingInput = .photo(analysis.reading)
        }
        let request = VerificationRequest(input: readingInput, channel: verifierID == nil ? .partner : .consumer,
                                          verifierID: verifierID, idempotencyKey: idempotencyKey, region: input.region,
                                          sellerID: input.sellerID)
        let verifier = Verifier(store: store, clock: clock)
        let record = try await storeCall { () throws(Problem) in try Self.verified(verifier, request) }
        if !record.replayed { metrics.countVerdict(record.verdict) }
        return record
    }

    static func verified(_ verifier: Verifier, _ request: VerificationRequest) throws(Problem) -> VerificationRecord {
        do throws(VerificationError) {
            return try verifier.verify(request)
        } catch {
            switch error {
            case .store(let storeError): throw problem(storeError)
            case .invalidRequest(let message): throw Problem.badRequest(message)
            }
        }
    }

    func verification(scanID: String) async throws(Problem) -> VerificationRecord {
        let store = store
        guard let record = try await storeCall({ () throws(StoreError) in try store.verification(scanID: scanID) }) else {
            throw Problem.notFound("No verification has the id \(scanID).")
        }
        return record
    }

    /// The mail-in case for a verification: the one the verification already opened (not created
    /// again), or a new one when the verdict offers the examination.
    func requestExamination(scanID: String, actor: String) async throws(Problem) -> (mailInCase: MailInCase, created: Bool) {
        let record = try await verification(scanID: scanID)
        let store = store
        if let caseID = record.mailIn.caseId,
           let existing = try await storeCall({ () throws(StoreError) in try store.mailInCase(id: caseID) }) {
            return (existing, false)
        }
        // A repeated request (a double tap) gets the case the first one opened.
        if let earlier = try await storeCall({ () throws(StoreError) in
            try store.cases(status: nil).first { $0.openedFromScanID == scanID }
        }) {
            return (earlier, false)
        }
        guard record.mailIn.offered else {
            throw Problem(status: .conflict, title: "Examination not offered",
                          detail: "A \(record.verdict.rawValue) verdict does not need a mail-in examination.")
        }
        let newCase = NewCase(reasons: ["consumer_request"], scanID: record.scanId, gtin: record.code?.gtin,
                              serial: record.code?.serial, actor: actor, at: clock())
        let opened = try await storeCall { () throws(StoreError) in try store.openCase(newCase) }
        return (opened, true)
    }

    func mailInCase(id: Int64) async throws(Problem) -> CaseDocument {
        let store = store
        return try await storeCall { () throws(Problem) in
            do {
                guard let found = try store.mailInCase(id: id) else { throw Problem.notFound("No case has the id \(id).") }
                return CaseDocument(case: found, events: try store.caseEvents(caseID: id))
            } catch let error as StoreError {
                throw Self.problem(error)
            } catch let problem as Problem {
                throw problem
            } catch {
                throw Problem.unavailable("\(error)")
            }
        }
    }

    func advanceCase(id: Int64, event: CaseEventRequest) async throws(Problem) -> CaseDocument {
        let store = store
        let at = clock()
        _ = try await storeCall { () throws(StoreError) in
            try store.advanceCase(id: id, to: event.status, actor: event.actor ?? "lab", note: event.note,
                                  blacklistSeller: event.blacklistSeller ?? false, at: at)
        }
        return try await mailInCase(id: id)
    }

    /// What the landing page shows for a tin's Digital Link, after recording the view.
    func landing(gtin: String, lot: String, serial: String) async throws(Problem) -> LandingRecord {
        let store = store
        let at = clock()
        return try await storeCall { () throws(StoreError) in
            let views = try store.recordLandingView(gtin: gtin, lot: lot, serial: serial, at: at)
            let unit = try store.unit(gtin: gtin, serial: serial)
            let product = try store.product(gtin: gtin)
            let registeredLot = try store.lot(gtin: gtin, lot: unit?.lot ?? lot)
            var factory: Location?
            if let factoryID = registeredLot?.factoryLocationID { factory = try store.location(id: factoryID) }
            let timeline = unit == nil ? [] : try store.timeline(gtin: gtin, lot: registeredLot?.lot, serial: serial)
            let recall = try store.recalls(gtin: gtin).first { registeredLot.map($0.covers) ?? false }
            return LandingRecord(gtin: gtin, codeLot: lot, serial: serial, views: views, unit: unit, product: product,
                                 registeredLot: registeredLot, factory: factory, timeline: timeline, recall: recall)
        }
    }

    /// Healthy when the database file is in place and answers a query.
    func health() async throws(Problem) -> Int {
        let store = store
        return try await storeCall { () throws(StoreError) in try store.scanCount() }
    }

    /// Runs a store call on the database threads, after checking that the database file is
    /// still the one opened (a deleted or replaced file would swallow verdicts silently).
    func storeCall<T: Sendable, E: Error>(_ body: @escaping @Sendable () throws(E) -> T) async throws(Problem) -> T {
        let guardFile = databaseFile
        return try await database.run { () throws(Problem) -> T in
            if let problem = guardFile?.problem() { throw problem }
            do {
                return try body()
            } catch let problem as Problem {
                throw problem
            } catch let error as StoreError {
                throw Self.problem(error)
            } catch {
                throw Problem.unavailable("\(error)")
            }
        }
    }

    static func problem(_ error: StoreError) -> Problem {
        switch error {
        case .database(let message):
            return .unavailable(message)
        case .notFound(let what):
            return .notFound("Not found: \(what).")
        case .duplicate, .invalidTransition:
            return Problem(status: .conflict, title: "Conflict", detail: error.description)
        case .idempotencyKeyReused:
            return Problem(status: .unprocessableContent, title: "Idempotency key reused", detail: error.description)
        case .invalidData:
            return Problem(status: .unprocessableContent, title: "Invalid data", detail: error.description)
        case .judgementFailed:
            return Problem(status: .internalServerError, title: "Verification failed",
                           detail: "\(error.description). Nothing was recorded; try again later.")
        }
    }
}

/// A case with its history, as `GET /v1/cases/{id}` answers.
struct CaseDocument: Codable, Sendable {
    var `case`: MailInCase
    var events: [CaseEvent]
}

/// `POST /v1/cases/{id}/events`: the lab moves a case along.
struct CaseEventRequest: Codable, Sendable {
    var status: CaseStatus
    var note: String?
    var actor: String?
    var blacklistSeller: Bool?
}

/// `POST /v1/cases`: a verification whose tin the parent will mail in.
struct CaseRequest: Codable, Sendable {
    var scanId: String
}

/// What the registry knows about the tin a Digital Link names (nothing is judged here).
struct LandingRecord: Sendable {
    var gtin: String
    /// The lot the link names (a forged link may name another lot than the registry's).
    var codeLot: String
    var serial: String
    var views: Int
    var unit: Verification.Unit?
    var product: Product?
    var registeredLot: Lot?
    var factory: Location?
    var timeline: [TimelineEntry]
    var recall: Recall?
}

/// Notices when the database file was deleted or replaced under the running service: SQLite
/// would go on writing to the deleted file and every verdict after that would be lost.
struct DatabaseFileGuard: Sendable {
    let path: String
    let device: UInt64
    let inode: UInt64

    init?(path: String) {
        guard let identity = Self.identity(path) else { return nil }
        self.path = path
        (device, inode) = identity
    }

    func problem() -> Problem? {
        guard let identity = Self.identity(path) else { return .unavailable("the database file \(path) is gone") }
        return identity == (device, inode) ? nil : .unavailable("the database file \(path) was replaced")
    }

    static func identity(_ path: String) -> (UInt64, UInt64)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return (UInt64(info.st_dev), UInt64(info.st_ino))
    }
}
