import Foundation
import GRDB

/// The embedded store: one SQLite file in WAL mode with foreign keys, busy timeout and versioned
/// migrations. Each process opens its own connection; SQLite's locks serialise writers across
/// processes, and verifications run in `BEGIN IMMEDIATE` transactions.
public final class SQLiteStore: VerificationStore {
    let queue: DatabaseQueue
    public let path: String

    /// Opens (creating if needed) the database at `path` and applies pending migrations.
    /// `busyTimeout` is how long a writer waits for another process's write lock.
    public init(path: String, busyTimeout: TimeInterval = 10) throws(StoreError) {
        self.path = path
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(busyTimeout)
        configuration.prepareDatabase { db in
            // WAL lets readers proceed while a verification holds the write lock.
            if !db.configuration.readonly, path != ":memory:" {
                try db.execute(sql: "PRAGMA journal_mode = WAL")
            }
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            // Switching a brand-new file to WAL needs its exclusive lock, and SQLite reports
            // another process's lock there at once instead of waiting out the busy timeout.
            queue = try Self.retryingWhileLocked(for: busyTimeout) {
                path == ":memory:" ? try DatabaseQueue(configuration: configuration)
                    : try DatabaseQueue(path: path, configuration: configuration)
            }
        } catch {
            throw Self.storeError(error)
        }
        try Self.migrate(queue, busyTimeout: busyTimeout)
    }

    /// Applies pending migrations. GRDB reads the applied list before taking the write lock, so
    /// processes opening a brand-new file together can race: the loser's migration fails whole
    /// (each runs in its own transaction, and a read that went stale cannot wait for the lock)
    /// and a retry then sees it applied. Lock conflicts are retried for `busyTimeout`; any other
    /// failure a few times.
    static func migrate(_ queue: DatabaseQueue, busyTimeout: TimeInterval = 10) throws(StoreError) {
        var attempt = 0
        while true {
            do {
                try retryingWhileLocked(for: busyTimeout) { try Schema.migrator().migrate(queue) }
                return
            } catch {
                attempt += 1
                // A lock conflict has already been waited out for the whole timeout.
                if attempt >= 5 || isLockConflict(error) { throw storeError(error) }
                Thread.sleep(forTimeInterval: 0.02 * Double(attempt))
            }
        }
    }

    /// Runs `body` again while it fails because another connection holds a lock SQLite would
    /// not wait for (SQLITE_BUSY, SQLITE_LOCKED), for up to `timeout` seconds, pausing a little
    /// longer each time; other errors, and the last lock error, are thrown.
    static func retryingWhileLocked<T>(for timeout: TimeInterval, _ body: () throws -> T) throws -> T {
        let deadline = Date().addingTimeInterval(timeout)
        var pause = 0.005
        while true {
            do {
                return try body()
            } catch where isLockConflict(error) {
                if Date().addingTimeInterval(pause) > deadline { throw error }
                Thread.sleep(forTimeInterval: pause)
                pause = min(0.1, pause * 2)
            }
        }
    }

    /// Whether `error` is SQLite's report of another connection's lock (SQLITE_BUSY, SQLITE_LOCKED).
    static func isLockConflict(_ error: any Error) -> Bool {
        guard let error = error as? DatabaseError else { return false }
        return error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED
    }

    /// The applied migration identifiers, oldest first.
    public func appliedMigrations() throws(StoreError) -> [String] {
        try read { db in try Schema.migrator().appliedMigrations(db) }
    }

    // MARK: Transactions

    /// Runs `body` in one immediate write transaction: it takes SQLite's write lock up front, so two
    /// processes cannot both read the same state and then both write conclusions from it.
    func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try queue.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                guard let result else { throw StoreError.database("transaction produced no result") }
                return result
            }
        } catch {
            throw Self.storeError(error)
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try queue.read(body)
        } catch {
            throw Self.storeError(error)
        }
    }

    static func storeError(_ error: any Error) -> StoreError {
        if let storeError = error as? StoreError { return storeError }
        if let databaseError = error as? DatabaseError {
            if databaseError.resultCode == .SQLITE_CONSTRAINT,
               databaseError.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE || databaseError.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY {
                return .duplicate(databaseError.message ?? "\(databaseError)")
            }
            return .database(databaseError.message ?? "\(databaseError)")
        }
        return .database("\(error)")
    }

    // MARK: Registry writes

    public func addBrand(_ brand: Brand) throws(StoreError) {
        try write { db in
            try db.execute(sql: "INSERT INTO brands (id, name, hosts_json) VALUES (?, ?, ?)",
                           arguments: [brand.id, brand.name, try JSONText.encode(brand.hosts)])
        }
    }

    public func addProduct(_ product: Product) throws(StoreError) {
        try write { db in
            try db.execute(sql: """
                INSERT INTO products (gtin, brand_id, name, stage, net_content, origin, specifications_json,
                    authenticator_required, caution_at, suspect_at, max_travel_kmh, expiring_soon_days)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [product.gtin, product.brandID, product.name, product.stage, product.netContent,
                                 product.origin, try JSONText.encode(product.specifications),
                                 product.authenticatorRequired, product.policy.cautionAt, product.policy.suspectAt,
                                 product.policy.maxTravelKilometresPerHour, product.policy.expiringSoonDays])
        }
    }

    public func addLot(_ lot: Lot) throws(StoreError) {
        try write { db in
            try db.execute(sql: """
                INSERT INTO lots (gtin, lot, production_date, expiry_date, factory_location_id, process_json, status)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [lot.gtin, lot.lot, lot.productionDate.iso, lot.expiry.iso, lot.factoryLocationID,
                                 try JSONText.encode(lot.processSteps), lot.status.rawValue])
        }
    }

    public func setLotStatus(gtin: String, lot: String, to status: LotStatus, reason: String?, at: Date) throws(StoreError) {
        try write { db in
            try db.execute(sql: "UPDATE lots SET status = ?, status_reason = ?, status_changed_at = ? WHERE gtin = ? AND lot = ?",
                           arguments: [status.rawValue, reason, at.epochMilliseconds, gtin, lot])
            if db.changesCount == 0 { throw StoreError.notFound("lot \(lot) of GTIN \(gtin)") }
        }
    }

    public func addLocation(_ location: Location) throws(StoreError) {
        try write { db in
            try db.execute(sql: """
                INSERT INTO locations (id, name, role, city, province, country, latitude, longitude)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [location.id, location.name, location.role, location.city, location.province,
                                 location.country, location.latitude, location.longitude])
        }
    }

    public func addSeller(_ seller: Seller) throws(StoreError) {
        try write { db in
            try db.execute(sql: "INSERT INTO sellers (id, platform, name, status, reason, evidence_case_id) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [seller.id, seller.platform, seller.name, seller.status.rawValue, seller.reason, seller.evidenceCaseID])
        }
    }

    public func addSigningKey(_ key: SigningKeyRecord) throws(StoreError) {
        try write { db in
            try db.execute(sql: """
                INSERT INTO signing_keys (key_id, brand_id, algorithm, public_key, secret_path, status, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [key.keyID, key.brandID, key.algorithm.rawValue, key.publicKey, key.secretPath,
                                 key.status.rawValue, key.createdAt.epochMilliseconds])
        }
    }

    public func setKeyStatus(keyID: String, to status: KeyStatus, at: Date) throws(StoreError) {
        try write { db in
            try db.execute(sql: "UPDATE signing_keys SET status = ?, status_changed_at = ? WHERE key_id = ?",
                           arguments: [status.rawValue, at.epochMilliseconds, keyID])
            if db.changesCount == 0 { throw StoreError.notFound("signing key \(keyID)") }
        }
    }

    public func addUnits(_ units: [Unit]) throws(StoreError) {
        try write { db in
            var lotIDs: [String: Int64] = [:]
            let insert = try db.makeStatement(sql: """
                INSERT INTO units (gtin, serial, lot_id, key_id, status, issued_at) VALUES (?, ?, ?, ?, ?, ?)
                """)
            for unit in units {
                let lotKey = unit.gtin + "|" + unit.lot
                let lotID: Int64
                if let known = lotIDs[lotKey] {
                    lotID = known
                } else {
                    guard let found = try Int64.fetchOne(db, sql: "SELECT id FROM lots WHERE gtin = ? AND lot = ?",
                                                         arguments: [unit.gtin, unit.lot]) else {
                        throw StoreError.notFound("lot \(unit.lot) of GTIN \(unit.gtin)")
                    }
                    lotIDs[lotKey] = found
                    lotID = found
                }
                try insert.execute(arguments: [unit.gtin, unit.serial, lotID, unit.keyID, unit.status.rawValue,
                                               unit.issuedAt.epochMilliseconds])
            }
        }
    }

    public func setUnitStatus(gtin: String, serial: String, to status: UnitStatus) throws(StoreError) {
        try write { db in
            try db.execute(sql: "UPDATE units SET status = ? WHERE gtin = ? AND serial = ?",
                           arguments: [status.rawValue, gtin, serial])
            if db.changesCount == 0 { throw StoreError.notFound("unit \(serial) of GTIN \(gtin)") }
        }
    }

    public func addRecall(_ recall: Recall) throws(StoreError) -> Recall {
        try write { db in
            try db.execute(sql: """
                INSERT INTO recalls (gtin, lot, produced_from, produced_through, reason, announced_at) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [recall.gtin, recall.lot, recall.producedFrom?.iso, recall.producedThrough?.iso,
                                 recall.reason, recall.announcedAt.epochMilliseconds])
            var stored = recall
            stored.id = db.lastInsertedRowID
            for lot in try Rows.lots(db, gtin: recall.gtin) where recall.covers(lot) {
                try db.execute(sql: "UPDATE lots SET status = 'recalled', status_reason = ?, status_changed_at = ? WHERE gtin = ? AND lot = ?",
                               arguments: [recall.reason, recall.announcedAt.epochMilliseconds, lot.gtin, lot.lot])
            }
            return stored
        }
    }

    public func importTraceEvents(_ events: [TraceEvent], skipped: Int) throws(StoreError) -> TraceImportSummary {
        try write { db in
            var summary = TraceImportSummary(inserted: 0, duplicates: 0, skipped: skipped)
            let now = Date().epochMilliseconds
            for event in events {
                if try Bool.fetchOne(db, sql: "SELECT 1 FROM trace_events WHERE event_id = ?", arguments: [event.eventID]) == true {
                    summary.duplicates += 1
                    continue
                }
                try db.execute(sql: """
                    INSERT INTO trace_events (event_id, event_type, action, biz_step, disposition, event_time, tz_offset,
                        record_time, read_point, biz_location, ilmd_json, raw_json, imported_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [event.eventID, event.type.rawValue, event.action.rawValue, event.bizStep, event.disposition,
                                     event.eventTime.epochMilliseconds, event.timeZoneOffset, event.recordTime?.epochMilliseconds,
                                     event.readPoint, event.bizLocation, try JSONText.encode(event.ilmd), event.rawJSON, now])
                for object in event.objects {
                    try db.execute(sql: "INSERT INTO trace_event_objects (event_id, role, object_uri, quantity, uom) VALUES (?, ?, ?, ?, ?)",
                                   arguments: [event.eventID, object.role.rawValue, object.uri, object.quantity, object.unitOfMeasure])
                }
                for party in event.parties {
                    try db.execute(sql: "INSERT INTO trace_event_parties (event_id, kind, type, value) VALUES (?, ?, ?, ?)",
                                   arguments: [event.eventID, party.kind, party.type, party.value])
                }
                summary.inserted += 1
            }
            return summary
        }
    }

    // MARK: Registry reads

    public func brands() throws(StoreError) -> [Brand] { try read(Rows.brands) }
    public func product(gtin: String) throws(StoreError) -> Product? { try read { try Rows.product($0, gtin: gtin) } }
    public func lot(gtin: String, lot: String) throws(StoreError) -> Lot? { try read { try Rows.lot($0, gtin: gtin, lot: lot) } }
    public func unit(gtin: String, serial: String) throws(StoreError) -> Unit? { try read { try Rows.unit($0, gtin: gtin, serial: serial) } }
    public func signingKey(id: String) throws(StoreError) -> SigningKeyRecord? { try read { try Rows.signingKey($0, id: id) } }
    public func signingKeys() throws(StoreError) -> [SigningKeyRecord] { try read(Rows.signingKeys) }
    public func location(id: String) throws(StoreError) -> Location? { try read { try Rows.location($0, id: id) } }
    public func seller(id: String) throws(StoreError) -> Seller? { try read { try Rows.seller($0, id: id) } }
    public func recalls(gtin: String?) throws(StoreError) -> [Recall] { try read { try Rows.recalls($0, gtin: gtin) } }

    public func timeline(gtin: String, lot: String?, serial: String?) throws(StoreError) -> [TimelineEntry] {
        try read { try TimelineQuery.entries($0, gtin: gtin, lot: lot, serial: serial) }
    }

    // MARK: Verification

    public func recordVerification(_ draft: ScanDraft,
                                   decide: (RegistrySnapshot) throws -> Judgement) throws(StoreError) -> VerificationRecord {
        try write { db in
            if let key = draft.idempotencyKey,
               let row = try Row.fetchOne(db, sql: """
                   SELECT s.id, s.fingerprint, v.response_json FROM scans s JOIN verdicts v ON v.scan_id = s.id
                   WHERE s.idempotency_key = ?
                   """, arguments: [key]) {
                guard row["fingerprint"] as String == draft.fingerprint else { throw StoreError.idempotencyKeyReused(key) }
                var record = try JSONText.decode(VerificationRecord.self, from: row["response_json"])
                record.replayed = true
                return record
            }
            let snapshot = try VerificationRows.snapshot(db, for: draft)
            var judgement: Judgement
            do {
                judgement = try decide(snapshot)
            } catch {
                throw StoreError.judgementFailed("\(error)")
            }
            try VerificationRows.insert(db, draft: draft, judgement: &judgement, unitID: snapshot.unit?.id)
            return judgement.record
        }
    }

    public func verification(scanID: String) throws(StoreError) -> VerificationRecord? {
        try read { db in
            guard let json = try String.fetchOne(db, sql: "SELECT response_json FROM verdicts WHERE scan_id = ?", arguments: [scanID]) else {
                return nil
            }
            return try JSONText.decode(VerificationRecord.self, from: json)
        }
    }

    public func scanCount() throws(StoreError) -> Int {
        try read { try Int.fetchOne($0, sql: "SELECT count(*) FROM scans") ?? 0 }
    }

    public func verifierSalt() throws(StoreError) -> Data {
        try read { db in
            guard let salt = try Data.fetchOne(db, sql: "SELECT value FROM settings WHERE key = 'verifier_salt'"), salt.count >= 16 else {
                throw StoreError.invalidData("the database has no verifier salt")
            }
            return salt
        }
    }

    public func recordLandingView(gtin: String, lot: String, serial: String, at: Date) throws(StoreError) -> Int {
        try write { db in
            try db.execute(sql: "INSERT INTO landing_views (at, gtin, lot, serial) VALUES (?, ?, ?, ?)",
                           arguments: [at.epochMilliseconds, gtin, lot, serial])
            return try Int.fetchOne(db, sql: "SELECT count(*) FROM landing_views WHERE gtin = ? AND serial = ? AND lot = ?",
                                    arguments: [gtin, serial, lot]) ?? 0
        }
    }

    // MARK: Cases

    public func openCase(_ newCase: NewCase) throws(StoreError) -> MailInCase {
        try write { db in
            let id = try CaseRows.insert(db, newCase)
            guard let stored = try CaseRows.fetch(db, id: id) else { throw StoreError.notFound("case \(id)") }
            return stored
        }
    }

    public func advanceCase(id: Int64, to status: CaseStatus, actor: String, note: String?,
                            blacklistSeller: Bool, at: Date) throws(StoreError) -> MailInCase {
        try write { db in
            try CaseRows.advance(db, id: id, to: status, actor: actor, note: note, blacklistSeller: blacklistSeller, at: at)
        }
    }

    public func mailInCase(id: Int64) throws(StoreError) -> MailInCase? { try read { try CaseRows.fetch($0, id: id) } }
    public func cases(status: CaseStatus?) throws(StoreError) -> [MailInCase] { try read { try CaseRows.list($0, status: status) } }
    public func caseEvents(caseID: Int64) throws(StoreError) -> [CaseEvent] { try read { try CaseRows.events($0, caseID: caseID) } }

    // MARK: Batch runs

    public func beginBatchRun(configuration: String, at: Date) throws(StoreError) -> Int64 {
        try write { db in
            try db.execute(sql: "INSERT INTO batch_runs (configuration, started_at) VALUES (?, ?)",
                           arguments: [configuration, at.epochMilliseconds])
            return db.lastInsertedRowID
        }
    }

    public func recordBatchItem(runID: Int64, inputPath: String, sha256: String?, caseID: Int64?,
                                scanID: String?, error: String?) throws(StoreError) {
        try write { db in
            try db.execute(sql: """
                INSERT INTO batch_items (run_id, input_path, sha256, case_id, scan_id, status, error) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [runID, inputPath, sha256, caseID, scanID, error == nil ? "done" : "error", error])
        }
    }

    public func finishBatchRun(id: Int64, at: Date) throws(StoreError) {
        try write { db in
            try db.execute(sql: "UPDATE batch_runs SET finished_at = ? WHERE id = ?", arguments: [at.epochMilliseconds, id])
            if db.changesCount == 0 { throw StoreError.notFound("batch run \(id)") }
        }
    }
}

extension Date {
    var epochMilliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }
    init(epochMilliseconds: Int64) { self.init(timeIntervalSince1970: Double(epochMilliseconds) / 1000) }
}

/// JSON columns: stable key order so stored text is reproducible.
/// The JSON form of records, stored and printed alike: sorted keys, instants in UTC ISO 8601 with
/// milliseconds (so a replayed answer equals the original).
public enum JSONText {
    /// One line of JSON.
    public static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(ISOTime.formatWithMilliseconds(date))
        }
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Reads what ``encode(_:)`` wrote (instants with or without fractional seconds).
    public static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = ISOTime.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an ISO 8601 instant: \(text)")
            }
            return date
        }
        return try decoder.decode(type, from: Data(text.utf8))
    }
}
