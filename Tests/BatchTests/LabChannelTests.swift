import Foundation
import GRDB
import Testing
@testable import Verification

@Suite("The lab_batch channel in the verification core")
struct LabChannelTests {
    @Test("lab scans are stored on lab_batch, never counted, and replayed by their key")
    func notCountedAndReplayed() throws {
        try BatchFixture.with { f in
            #expect(try f.store.appliedMigrations().contains("v3-lab-batch-channel"))
            let verifier = Verifier(store: f.store)
            let tin = try f.freshGenuineCodes(1)[0]
            let request = VerificationRequest(input: .code(ReadCode(text: tin)), channel: .labBatch, idempotencyKey: "batch:test:none")
            let first = try verifier.verify(request)
            let again = try verifier.verify(request)
            #expect(first.verdict == .genuine && !first.counted && first.flags.contains(.notCounted))
            #expect(again.replayed && again.scanId == first.scanId)
            let channel = try f.store.queue.read { try String.fetchOne($0, sql: "SELECT channel FROM scans WHERE id = ?", arguments: [first.scanId]) }
            #expect(channel == "lab_batch")
            #expect(try verifier.verify(.consumer("parent", code: tin)).claims?.distinctVerifiers == 1)
        }
    }

    @Test("an unreadable lab photo opens no case; with a case it is recorded on that case")
    func casesOfLabScans() throws {
        try BatchFixture.with { f in
            let verifier = Verifier(store: f.store)
            let before = try f.store.cases(status: nil).count
            let photo = PhotoReading(sha256: String(repeating: "a", count: 64), codes: [], diagnosis: ReadDiagnosis(reason: "too_blurry"))
            let loose = try verifier.verify(VerificationRequest(input: .photo(photo), channel: .labBatch))
            #expect(loose.verdict == .inconclusive && loose.mailIn.caseId == nil)
            #expect(try f.store.cases(status: nil).count == before)

            let caseID = try f.openCase()
            let attached = try verifier.verify(VerificationRequest(input: .photo(photo), channel: .labBatch, caseID: caseID))
            #expect(attached.mailIn.caseId == caseID)
            let events = try f.store.caseEvents(caseID: caseID)
            #expect(events.last?.actor == "lab_batch" && events.last?.note == "scan \(attached.scanId) attached: INCONCLUSIVE")
            #expect(events.last?.fromStatus == .open && events.last?.toStatus == .open)
            #expect(try f.store.cases(status: nil).count == before + 1)

            // A case that does not exist fails the scan: nothing is stored.
            let scans = try f.store.scanCount()
            #expect(throws: VerificationError.store(.notFound("case 999"))) {
                try verifier.verify(VerificationRequest(input: .photo(photo), channel: .labBatch, caseID: 999))
            }
            #expect(try f.store.scanCount() == scans)
        }
    }

    @Test("the channel migration keeps earlier scans, their verdicts and the append-only rule")
    func migrationKeepsScans() throws {
        try inTemporaryFolder { folder in
            let path = folder.appendingPathComponent("old.sqlite").path
            do {
                let old = try DatabaseQueue(path: path)
                try Schema.migrator().migrate(old, upTo: "v2-verifier-salt")
                try old.write { db in
                    try db.execute(sql: """
                        INSERT INTO scans (id, received_at, channel, counted, fingerprint, decode_status) VALUES ('s1', 1, 'consumer', 0, 'f', 'code_text');
                        INSERT INTO verdicts (scan_id, verdict, reasons_json, flags_json, rule_version, decided_at, response_json)
                            VALUES ('s1', 'UNKNOWN', '[]', '[]', 'r', 1, '{}');
                        """)
                    #expect(throws: (any Error).self) {
                        try db.execute(sql: "INSERT INTO scans (id, received_at, channel, counted, fingerprint, decode_status) VALUES ('s2', 1, 'lab_batch', 0, 'f', 'code_text')")
                    }
                }
            }
            let store = try SQLiteStore(path: path)
            try store.queue.write { db in
                #expect(try String.fetchAll(db, sql: "SELECT s.id || ':' || v.verdict FROM scans s JOIN verdicts v ON v.scan_id = s.id") == ["s1:UNKNOWN"])
                try db.execute(sql: "INSERT INTO scans (id, received_at, channel, counted, fingerprint, decode_status) VALUES ('s2', 1, 'lab_batch', 0, 'f', 'code_text')")
                #expect(throws: (any Error).self) { try db.execute(sql: "DELETE FROM scans WHERE id = 's1'") }
                #expect(throws: (any Error).self) { try db.execute(sql: "UPDATE scans SET channel = 'cli' WHERE id = 's1'") }
                #expect(try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").isEmpty)
                #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE name = 'scans_counted_by_unit'") == 1)
            }
        }
    }
}
