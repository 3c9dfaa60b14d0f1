import Foundation
import GRDB

/// The mail-in case tables: current state in `mail_in_cases`, history in append-only `case_events`.
enum CaseRows {
    static func insert(_ db: Database, _ newCase: NewCase, unitID knownUnitID: Int64? = nil) throws -> Int64 {
        var unitID = knownUnitID
        if unitID == nil, let gtin = newCase.gtin, let serial = newCase.serial {
            unitID = try Rows.unit(db, gtin: gtin, serial: serial)?.id
        }
        let at = newCase.at.epochMilliseconds
        try db.execute(sql: """
            INSERT INTO mail_in_cases (opened_from_scan_id, unit_id, gtin, serial, photo_sha256, seller_id, reasons_json,
                status, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)
            """, arguments: [newCase.scanID, unitID, newCase.gtin, newCase.serial, newCase.photoSHA256,
                             try VerificationRows.sellerReference(db, newCase.sellerID),
                             try JSONText.encode(newCase.reasons), at, at])
        let id = db.lastInsertedRowID
        try db.execute(sql: "INSERT INTO case_events (case_id, at, actor, from_status, to_status, note) VALUES (?, ?, ?, NULL, 'open', ?)",
                       arguments: [id, at, newCase.actor, "opened: " + newCase.reasons.joined(separator: ", ")])
        return id
    }

    /// Opens a case for a verification, or attaches the scan to a still-open case about the same
    /// unit or the same photo, so repeated checks of one tin do not pile up cases.
    static func openOrAttach(_ db: Database, reasons: [String], draft: ScanDraft, unitID: Int64?) throws -> Int64 {
        let existing: Int64?
        if let unitID {
            existing = try Int64.fetchOne(db, sql: """
                SELECT id FROM mail_in_cases WHERE unit_id = ? AND status IN ('open', 'received', 'examining') ORDER BY id LIMIT 1
                """, arguments: [unitID])
        } else if let photo = draft.photo?.sha256 {
            existing = try Int64.fetchOne(db, sql: """
                SELECT id FROM mail_in_cases WHERE photo_sha256 = ? AND status IN ('open', 'received', 'examining') ORDER BY id LIMIT 1
                """, arguments: [photo])
        } else {
            existing = nil
        }
        if let existing, let current = try fetch(db, id: existing) {
            try db.execute(sql: "INSERT INTO case_events (case_id, at, actor, from_status, to_status, note) VALUES (?, ?, 'verifier', ?, ?, ?)",
                           arguments: [existing, draft.receivedAt.epochMilliseconds, current.status.rawValue, current.status.rawValue,
                                       "scan \(draft.scanID) attached: " + reasons.joined(separator: ", ")])
            return existing
        }
        return try insert(db, NewCase(reasons: reasons, scanID: draft.scanID, gtin: draft.gtin, serial: draft.serial,
                                      photoSHA256: draft.photo?.sha256, sellerID: draft.sellerID, actor: "verifier",
                                      at: draft.receivedAt), unitID: unitID)
    }

    /// Records a scan on the case the lab named, as a case event; an unknown case fails the scan.
    static func attachLabScan(_ db: Database, caseID: Int64, draft: ScanDraft, verdict: Verdict) throws {
        guard let current = try fetch(db, id: caseID) else { throw StoreError.notFound("case \(caseID)") }
        try db.execute(sql: "INSERT INTO case_events (case_id, at, actor, from_status, to_status, note) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [caseID, draft.receivedAt.epochMilliseconds, draft.channel.rawValue, current.status.rawValue,
                                   current.status.rawValue, "scan \(draft.scanID) attached: \(verdict.rawValue)"])
    }

    static func advance(_ db: Database, id: Int64, to status: CaseStatus, actor: String, note: String?,
                        blacklistSeller: Bool, at: Date) throws -> MailInCase {
        guard let current = try fetch(db, id: id) else { throw StoreError.notFound("case \(id)") }
        guard current.status.next.contains(status) else { throw StoreError.invalidTransition(from: current.status, to: status) }
        if blacklistSeller {
            guard status == .concludedCounterfeit else {
                throw StoreError.invalidData("only a counterfeit conclusion can blacklist a seller")
            }
            guard current.sellerID != nil else { throw StoreError.invalidData("case \(id) names no known seller to blacklist") }
        }
        let millis = at.epochMilliseconds
        try db.execute(sql: "UPDATE mail_in_cases SET status = ?, updated_at = ? WHERE id = ?", arguments: [status.rawValue, millis, id])
        try db.execute(sql: "INSERT INTO case_events (case_id, at, actor, from_status, to_status, note) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [id, millis, actor, current.status.rawValue, status.rawValue, note])
        if status == .concludedCounterfeit {
            try db.execute(sql: "UPDATE units SET status = 'compromised' WHERE id = (SELECT unit_id FROM mail_in_cases WHERE id = ?)",
                           arguments: [id])
            if blacklistSeller, let sellerID = current.sellerID {
                try db.execute(sql: "UPDATE sellers SET status = 'blacklisted', evidence_case_id = ?, reason = ?, changed_at = ? WHERE id = ?",
                               arguments: [id, note ?? "counterfeit confirmed by case \(id)", millis, sellerID])
            }
        }
        guard let updated = try fetch(db, id: id) else { throw StoreError.notFound("case \(id)") }
        return updated
    }

    static func fetch(_ db: Database, id: Int64) throws -> MailInCase? {
        try Row.fetchOne(db, sql: "SELECT * FROM mail_in_cases WHERE id = ?", arguments: [id]).map(mailInCase)
    }

    static func list(_ db: Database, status: CaseStatus?) throws -> [MailInCase] {
        let rows = try status.map { try Row.fetchAll(db, sql: "SELECT * FROM mail_in_cases WHERE status = ? ORDER BY id", arguments: [$0.rawValue]) }
            ?? Row.fetchAll(db, sql: "SELECT * FROM mail_in_cases ORDER BY id")
        return try rows.map(mailInCase)
    }

    static func mailInCase(_ row: Row) throws -> MailInCase {
        guard let status = CaseStatus(rawValue: row["status"]) else { throw StoreError.invalidData("case \(row["id"] as Int64? ?? 0) has an unknown status") }
        return MailInCase(id: row["id"], status: status, reasons: try JSONText.decode([String].self, from: row["reasons_json"]),
                          openedFromScanID: row["opened_from_scan_id"], gtin: row["gtin"], serial: row["serial"],
                          photoSHA256: row["photo_sha256"], sellerID: row["seller_id"],
                          createdAt: Date(epochMilliseconds: row["created_at"]), updatedAt: Date(epochMilliseconds: row["updated_at"]))
    }

    static func events(_ db: Database, caseID: Int64) throws -> [CaseEvent] {
        try Row.fetchAll(db, sql: "SELECT * FROM case_events WHERE case_id = ? ORDER BY id", arguments: [caseID]).map { row in
            guard let to = CaseStatus(rawValue: row["to_status"]) else { throw StoreError.invalidData("case event with unknown status") }
            return CaseEvent(id: row["id"], caseID: row["case_id"], at: Date(epochMilliseconds: row["at"]), actor: row["actor"],
                             fromStatus: (row["from_status"] as String?).flatMap(CaseStatus.init(rawValue:)), toStatus: to, note: row["note"])
        }
    }
}
