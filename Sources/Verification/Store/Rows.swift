import Foundation
import GRDB

/// Row ↔ record mapping for the registry tables.
enum Rows {
    static func brands(_ db: Database) throws -> [Brand] {
        try Row.fetchAll(db, sql: "SELECT * FROM brands ORDER BY id").map(brand)
    }

    static func brand(_ row: Row) throws -> Brand {
        Brand(id: row["id"], name: row["name"], hosts: try JSONText.decode([String].self, from: row["hosts_json"]))
    }

    static func product(_ db: Database, gtin: String) throws -> Product? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM products WHERE gtin = ?", arguments: [gtin]) else { return nil }
        return Product(
            gtin: row["gtin"], brandID: row["brand_id"], name: row["name"], stage: row["stage"],
            netContent: row["net_content"], origin: row["origin"],
            specifications: try JSONText.decode([String: String].self, from: row["specifications_json"]),
            authenticatorRequired: row["authenticator_required"],
            policy: VerificationPolicy(cautionAt: row["caution_at"], suspectAt: row["suspect_at"],
                                       maxTravelKilometresPerHour: row["max_travel_kmh"],
                                       expiringSoonDays: row["expiring_soon_days"]))
    }

    static func lot(_ db: Database, gtin: String, lot: String) throws -> Lot? {
        try Row.fetchOne(db, sql: "SELECT * FROM lots WHERE gtin = ? AND lot = ?", arguments: [gtin, lot]).map(lotRecord)
    }

    static func lot(_ db: Database, id: Int64) throws -> Lot? {
        try Row.fetchOne(db, sql: "SELECT * FROM lots WHERE id = ?", arguments: [id]).map(lotRecord)
    }

    static func lots(_ db: Database, gtin: String) throws -> [Lot] {
        try Row.fetchAll(db, sql: "SELECT * FROM lots WHERE gtin = ? ORDER BY lot", arguments: [gtin]).map(lotRecord)
    }

    static func lotRecord(_ row: Row) throws -> Lot {
        guard let produced = CalendarDate(iso: row["production_date"]), let expiry = CalendarDate(iso: row["expiry_date"]),
              let status = LotStatus(rawValue: row["status"]) else {
            throw StoreError.invalidData("lot \(row["lot"] as String? ?? "?") has a malformed date or status")
        }
        return Lot(gtin: row["gtin"], lot: row["lot"], productionDate: produced, expiry: expiry,
                   factoryLocationID: row["factory_location_id"],
                   processSteps: try JSONText.decode([ProcessStep].self, from: row["process_json"]), status: status)
    }

    static func unit(_ db: Database, gtin: String, serial: String) throws -> Unit? {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT u.*, l.lot AS lot FROM units u JOIN lots l ON l.id = u.lot_id WHERE u.gtin = ? AND u.serial = ?
            """, arguments: [gtin, serial]) else { return nil }
        guard let status = UnitStatus(rawValue: row["status"]) else { throw StoreError.invalidData("unit \(serial) has status \(row["status"] as String? ?? "?")") }
        return Unit(id: row["id"], gtin: row["gtin"], serial: row["serial"], lot: row["lot"], keyID: row["key_id"],
                    status: status, issuedAt: Date(epochMilliseconds: row["issued_at"]))
    }

    static func signingKey(_ db: Database, id: String) throws -> SigningKeyRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM signing_keys WHERE key_id = ?", arguments: [id]).map(signingKey)
    }

    static func signingKeys(_ db: Database) throws -> [SigningKeyRecord] {
        try Row.fetchAll(db, sql: "SELECT * FROM signing_keys ORDER BY key_id").map(signingKey)
    }

    static func signingKey(_ row: Row) throws -> SigningKeyRecord {
        guard let algorithm = SigningAlgorithm(rawValue: row["algorithm"]), let status = KeyStatus(rawValue: row["status"]) else {
            throw StoreError.invalidData("signing key \(row["key_id"] as String? ?? "?") has an unknown algorithm or status")
        }
        return SigningKeyRecord(keyID: row["key_id"], brandID: row["brand_id"], algorithm: algorithm,
                                publicKey: row["public_key"], secretPath: row["secret_path"], status: status,
                                createdAt: Date(epochMilliseconds: row["created_at"]))
    }

    static func location(_ db: Database, id: String) throws -> Location? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM locations WHERE id = ?", arguments: [id]) else { return nil }
        return Location(id: row["id"], name: row["name"], role: row["role"], city: row["city"], province: row["province"],
                        country: row["country"], latitude: row["latitude"], longitude: row["longitude"])
    }

    static func seller(_ db: Database, id: String) throws -> Seller? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM sellers WHERE id = ?", arguments: [id]) else { return nil }
        return Seller(id: row["id"], platform: row["platform"], name: row["name"],
                      status: SellerStatus(rawValue: row["status"]) ?? .watch, reason: row["reason"],
                      evidenceCaseID: row["evidence_case_id"])
    }

    static func recalls(_ db: Database, gtin: String?) throws -> [Recall] {
        let rows = try gtin.map { try Row.fetchAll(db, sql: "SELECT * FROM recalls WHERE gtin = ? ORDER BY id", arguments: [$0]) }
            ?? Row.fetchAll(db, sql: "SELECT * FROM recalls ORDER BY id")
        return rows.map { row in
            Recall(id: row["id"], gtin: row["gtin"], lot: row["lot"],
                   producedFrom: (row["produced_from"] as String?).flatMap(CalendarDate.init(iso:)),
                   producedThrough: (row["produced_through"] as String?).flatMap(CalendarDate.init(iso:)),
                   reason: row["reason"], announcedAt: Date(epochMilliseconds: row["announced_at"]))
        }
    }
}

/// The rows a verification reads and writes.
enum VerificationRows {
    static func snapshot(_ db: Database, for draft: ScanDraft) throws -> RegistrySnapshot {
        let brands = try Rows.brands(db)
        var snapshot = RegistrySnapshot(scanID: draft.scanID, ourHosts: Set(brands.flatMap(\.hosts)), product: nil, brand: nil,
                                        unit: nil, lot: nil, factory: nil, key: nil, recalls: [], priorVerifications: [],
                                        seller: nil, timeline: [])
        if let sellerID = draft.sellerID { snapshot.seller = try Rows.seller(db, id: sellerID) }
        if let keyID = draft.keyID { snapshot.key = try Rows.signingKey(db, id: keyID) }
        guard let gtin = draft.gtin, let product = try Rows.product(db, gtin: gtin) else { return snapshot }
        snapshot.product = product
        snapshot.brand = brands.first { $0.id == product.brandID }
        snapshot.recalls = try Rows.recalls(db, gtin: gtin)
        if let serial = draft.serial, let unit = try Rows.unit(db, gtin: gtin, serial: serial) {
            snapshot.unit = unit
            snapshot.lot = try Rows.lot(db, gtin: gtin, lot: unit.lot)
            if let unitID = unit.id {
                snapshot.priorVerifications = try Row.fetchAll(db, sql: """
                    SELECT verifier_hash, received_at, region, latitude, longitude FROM scans
                    WHERE unit_id = ? AND counted = 1 ORDER BY received_at, rowid
                    """, arguments: [unitID]).map { row in
                    let latitude: Double? = row["latitude"], longitude: Double? = row["longitude"]
                    return PriorVerification(
                        verifierHash: row["verifier_hash"], at: Date(epochMilliseconds: row["received_at"]), region: row["region"],
                        coordinates: latitude.flatMap { lat in longitude.map { Coordinates(latitude: lat, longitude: $0) } })
                }
            }
        } else if let lot = draft.lot {
            snapshot.lot = try Rows.lot(db, gtin: gtin, lot: lot)
        }
        if let factoryID = snapshot.lot?.factoryLocationID { snapshot.factory = try Rows.location(db, id: factoryID) }
        if snapshot.unit != nil || snapshot.lot != nil {
            snapshot.timeline = try TimelineQuery.entries(db, gtin: gtin, lot: snapshot.lot?.lot, serial: snapshot.unit?.serial)
        }
        return snapshot
    }

    static func insert(_ db: Database, draft: ScanDraft, judgement: inout Judgement, unitID: Int64?) throws {
        if let photo = draft.photo {
            try db.execute(sql: """
                INSERT INTO photos (sha256, size_bytes, width, height, received_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (sha256) DO NOTHING
                """, arguments: [photo.sha256, photo.byteCount, photo.width, photo.height, draft.receivedAt.epochMilliseconds])
        }
        let decodeStatus = draft.photo.map { $0.codes.isEmpty ? "unreadable" : "decoded" } ?? "code_text"
        try db.execute(sql: """
            INSERT INTO scans (id, received_at, channel, verifier_hash, counted, idempotency_key, fingerprint, photo_sha256,
                decode_status, symbology_id, raw_payload, gtin, lot, serial, expiry, unit_id, seller_id, seller_ref, order_ref,
                region, latitude, longitude)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [draft.scanID, draft.receivedAt.epochMilliseconds, draft.channel.rawValue, draft.verifierHash,
                             judgement.counted, draft.idempotencyKey, draft.fingerprint, draft.photo?.sha256, decodeStatus,
                             draft.symbologyIdentifier, draft.rawPayload, draft.gtin, draft.lot, draft.serial, draft.expiry,
                             unitID, try sellerReference(db, draft.sellerID), draft.sellerID, draft.orderRef, draft.region,
                             draft.coordinates?.latitude, draft.coordinates?.longitude])
        if let caseID = draft.caseID {
            try CaseRows.attachLabScan(db, caseID: caseID, draft: draft, verdict: judgement.record.verdict)
            judgement.record.mailIn.caseId = caseID
        } else if let reasons = judgement.caseToOpen, draft.channel != .labBatch {
            // A lab photo is of a tin already in the lab: it never opens a mail-in case.
            judgement.record.mailIn.caseId = try CaseRows.openOrAttach(db, reasons: reasons, draft: draft, unitID: unitID)
        }
        let record = judgement.record
        try db.execute(sql: """
            INSERT INTO verdicts (scan_id, verdict, reasons_json, flags_json, rule_version, thresholds_json, decided_at, response_json)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [draft.scanID, record.verdict.rawValue, try JSONText.encode(record.reasons.map(\.rawValue)),
                             try JSONText.encode(record.flags.map(\.rawValue)), record.ruleVersion,
                             try record.thresholds.map(JSONText.encode), record.decidedAt.epochMilliseconds,
                             try JSONText.encode(record)])
    }

    /// The seller foreign key is set only when the registry knows the shop; the id as given is
    /// always kept in `seller_ref`, so a report about an unregistered shop is not lost.
    static func sellerReference(_ db: Database, _ sellerID: String?) throws -> String? {
        guard let sellerID else { return nil }
        return try Rows.seller(db, id: sellerID) == nil ? nil : sellerID
    }
}
