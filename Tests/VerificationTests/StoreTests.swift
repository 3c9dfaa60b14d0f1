import Foundation
import GRDB
import Testing
@testable import Verification

@Suite("SQLite store, EPCIS import and cases")
struct StoreTests {
    @Test("a lock SQLite would not wait for is waited out; other errors and a lock past the timeout are thrown")
    func lockConflictsAreRetried() throws {
        var calls = 0
        let value = try SQLiteStore.retryingWhileLocked(for: 5) { () throws -> Int in
            calls += 1
            if calls < 3 { throw DatabaseError(resultCode: calls == 1 ? .SQLITE_BUSY : .SQLITE_LOCKED, message: "database is locked") }
            return 42
        }
        #expect(value == 42 && calls == 3)

        calls = 0
        #expect(throws: DatabaseError.self) {
            try SQLiteStore.retryingWhileLocked(for: 5) { () throws -> Int in
                calls += 1
                throw DatabaseError(resultCode: .SQLITE_CONSTRAINT, message: "constraint")
            }
        }
        #expect(calls == 1)

        calls = 0
        let start = Date()
        #expect(throws: DatabaseError.self) {
            try SQLiteStore.retryingWhileLocked(for: 0.2) { () throws -> Int in
                calls += 1
                throw DatabaseError(resultCode: .SQLITE_BUSY, message: "database is locked")
            }
        }
        let waited = Date().timeIntervalSince(start)
        #expect(calls > 2 && waited >= 0.1 && waited < 5, "\(calls) calls in \(waited) s")
    }

    @Test("the database is in WAL mode with foreign keys on and all migrations applied")
    func configuration() throws {
        try Fixture.withDemo { (f: Fixture) throws in
            #expect(try f.store.appliedMigrations() == ["v1-registry", "v1-history", "v1-append-only", "v2-verifier-salt",
                                                       "v3-lab-batch-channel", "v4-landing-views"])
            let (mode, foreignKeys) = try f.store.queue.read { db in
                (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA foreign_keys"))
            }
            #expect(mode == "wal" && foreignKeys == 1)
            let tables = try f.store.queue.read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") }
            for table in ["brands", "products", "lots", "recalls", "units", "signing_keys", "trace_events", "locations", "sellers",
                          "photos", "scans", "verdicts", "mail_in_cases", "case_events", "batch_runs", "batch_items"] {
                #expect(tables.contains(table), "missing table \(table)")
            }
            // Reopening applies nothing twice and keeps the data.
            let reopened = try SQLiteStore(path: f.databasePath)
            #expect(try reopened.brands().count == 2)
        }
    }

    @Test("no secret is stored in the database: Ed25519 rows hold 32-byte public keys, HMAC rows only a path")
    func noSecretsInDatabase() throws {
        try Fixture.withDemo { (f: Fixture) throws in
            for key in try f.store.signingKeys() {
                let secret = try KeyDirectory.read(path: try #require(key.secretPath), keyID: key.keyID, algorithm: key.algorithm)
                // The database file and its write-ahead log, byte for byte.
                var files = try Data(contentsOf: URL(fileURLWithPath: f.databasePath))
                files += (try? Data(contentsOf: URL(fileURLWithPath: f.databasePath + "-wal"))) ?? Data()
                #expect(files.range(of: secret.raw) == nil, "secret of \(key.keyID) found in the database")
                #expect(key.algorithm == .ed25519 ? key.publicKey?.count == 32 : key.publicKey == nil)
            }
        }
    }

    @Test("verifier ids are stored only as hashes keyed by the database's own salt")
    func verifierIDsHashed() throws {
        try Fixture.withDemo { (f: Fixture) throws in
            _ = try f.consumer("alice@example.com", f.codes.genuine)
            let stored = try f.store.queue.read { try String.fetchAll($0, sql: "SELECT verifier_hash FROM scans WHERE verifier_hash IS NOT NULL") }
            #expect(!stored.isEmpty && stored.allSatisfy { !$0.contains("alice") && $0.count == 64 })
            let other = try SQLiteStore(path: ":memory:")
            #expect(try other.verifierSalt() != f.store.verifierSalt())
            #expect(stored.contains(Verifier.verifierHash("alice@example.com", salt: try f.store.verifierSalt())))
        }
    }

    @Test("foreign keys hold: a unit needs a registered lot")
    func foreignKeys() throws {
        try Fixture.withDemo { (f: Fixture) throws in
            let orphan = Unit(gtin: "06901234567892", serial: "X", lot: "NO-SUCH-LOT", keyID: nil, issuedAt: Fixture.now)
            #expect(throws: StoreError.self) { try f.store.addUnits([orphan]) }
        }
    }

    static let document = """
        {"@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"], "type": "EPCISDocument",
         "epcisBody": {"eventList": [
           {"type": "ObjectEvent", "eventTime": "2026-01-05T08:00:00.000+08:00", "eventTimeZoneOffset": "+08:00", "action": "ADD",
            "epcList": ["urn:epc:id:sgtin:0614141.812345.6789"], "bizStep": "urn:epcglobal:cbv:bizstep:commissioning",
            "disposition": "https://ref.gs1.org/cbv/Disp-active", "ilmd": {"cbvmda:lotNumber": "L9"},
            "bizLocation": {"id": "urn:epc:id:sgln:0614141.00001.0"}},
           {"type": "AggregationEvent", "eventTime": "2026-01-05T10:00:00+08:00", "eventTimeZoneOffset": "+08:00", "action": "ADD",
            "parentID": "urn:epc:id:sscc:0614141.1234567890", "childEPCs": ["https://brand.example/01/80614141123458/21/6789"],
            "bizStep": "packing"},
           {"type": "ObjectEvent", "eventTime": "2026-01-06T10:00:00+08:00", "eventTimeZoneOffset": "+08:00", "action": "OBSERVE",
            "epcList": ["urn:epc:id:sscc:0614141.1234567890"], "bizStep": "shipping"},
           {"type": "AggregationEvent", "eventTime": "2026-01-07T10:00:00+08:00", "eventTimeZoneOffset": "+08:00", "action": "DELETE",
            "parentID": "urn:epc:id:sscc:0614141.1234567890", "childEPCs": ["urn:epc:id:sgtin:0614141.812345.6789"], "bizStep": "unpacking"},
           {"type": "ObjectEvent", "eventTime": "2026-01-09T10:00:00+08:00", "eventTimeZoneOffset": "+08:00", "action": "OBSERVE",
            "epcList": ["urn:epc:id:sscc:0614141.1234567890"], "bizStep": "shipping"},
           {"type": "ObjectEvent", "eventTime": "2026-01-08T10:00:00Z", "eventTimeZoneOffset": "+00:00", "action": "OBSERVE",
            "quantityList": [{"epcClass": "urn:epc:class:lgtin:0614141.812345.L9", "quantity": 200, "uom": "EA"}],
            "bizStep": "inspecting"},
           {"type": "TransformationEvent", "eventTime": "2026-01-04T10:00:00Z", "eventTimeZoneOffset": "+00:00"}
         ]}}
        """

    @Test("EPCIS import: URNs and Digital Links meet in one identifier, containers count only while the tin is inside, re-imports are skipped")
    func epcisImport() throws {
        try Fixture.withDemo { (f: Fixture) throws in
            #expect(EPCISImporter.canonicalIdentifier("urn:epc:id:sgtin:0614141.812345.6789") == "https://id.gs1.org/01/80614141123458/21/6789")
            let first = try EPCISImporter.importDocument(Data(Self.document.utf8), into: f.store)
            #expect(first == TraceImportSummary(inserted: 6, duplicates: 0, skipped: 1))
            let again = try EPCISImporter.importDocument(Data(Self.document.utf8), into: f.store)
            #expect(again == TraceImportSummary(inserted: 0, duplicates: 6, skipped: 1))
            let timeline = try f.store.timeline(gtin: "80614141123458", lot: "L9", serial: "6789")
            // The shipping of the case after it was unpacked (Jan 9) is not this tin's history.
            #expect(timeline.map(\.step) == ["commissioning", "packing", "shipping", "unpacking", "inspecting"])
            #expect(timeline.first?.at == "2026-01-05T08:00:00+08:00" && timeline.first?.disposition == "active")
        }
    }

    @Test("a malformed EPCIS document is rejected whole", arguments: [
        "not json", "{\"epcisBody\": {}}",
        "{\"epcisBody\": {\"eventList\": [{\"type\": \"ObjectEvent\", \"action\": \"ADD\", \"epcList\": [\"x\"]}]}}",
        "{\"epcisBody\": {\"eventList\": [{\"type\": \"ObjectEvent\", \"eventTime\": \"2026-01-01T00:00:00Z\", \"action\": \"MOVE\", \"epcList\": [\"x\"]}]}}",
        "{\"epcisBody\": {\"eventList\": [{\"type\": \"AggregationEvent\", \"eventTime\": \"2026-01-01T00:00:00Z\", \"action\": \"ADD\"}]}}",
    ])
    func epcisRejects(text: String) throws {
        #expect(throws: EPCISImportError.self) { try EPCISImporter.parse(Data(text.utf8)) }
    }

    @Test("case workflow: only the next status is allowed; a counterfeit conclusion marks the unit compromised")
    func caseWorkflow() throws {
        try Fixture.withDemo { (f: Fixture) throws in
            let scan = try f.consumer("alice", f.codes.genuine)
            let code = try f.parts(of: f.codes.genuine)
            let opened = try f.store.openCase(NewCase(reasons: ["consumer_request"], scanID: scan.scanId, gtin: code.gtin,
                                                      serial: code.serial, actor: "alice", at: Fixture.now))
            #expect(throws: StoreError.invalidTransition(from: .open, to: .examining)) {
                try f.store.advanceCase(id: opened.id, to: .examining, actor: "lab", note: nil, blacklistSeller: false, at: Fixture.now)
            }
            for status in [CaseStatus.received, .examining, .concludedCounterfeit] {
                let moved = try f.store.advanceCase(id: opened.id, to: status, actor: "lab", note: "step", blacklistSeller: false, at: Fixture.now)
                #expect(moved.status == status)
            }
            #expect(throws: StoreError.self) {
                try f.store.advanceCase(id: opened.id, to: .concludedGenuine, actor: "lab", note: nil, blacklistSeller: false, at: Fixture.now)
            }
            let history = try f.store.caseEvents(caseID: opened.id)
            #expect(history.map(\.toStatus) == [.open, .received, .examining, .concludedCounterfeit])
            #expect(try f.store.unit(gtin: code.gtin, serial: try #require(code.serial))?.status == .compromised)
            let after = try f.check(f.codes.genuine)
            #expect(after.verdict == .counterfeit && after.reasons.first == .knownClonedCode)
        }
    }

    @Test("demo seed: two brands, a blacklisted seller with its concluded case, timelines for every lot")
    func demoSeed() throws {
        try Fixture.withDemo { (f: Fixture) throws in
            #expect(try f.store.brands().map(\.id) == ["aurora", "meadow"])
            let seller = try #require(try f.store.seller(id: f.codes.blacklistedSellerID))
            #expect(seller.status == .blacklisted && seller.evidenceCaseID == f.codes.blacklistCaseID)
            #expect(try f.store.mailInCase(id: f.codes.blacklistCaseID)?.status == .concludedCounterfeit)
            #expect(try f.store.recalls(gtin: nil).count == 1)
            for uri in [f.codes.genuine, f.codes.genuineSmallSymbol, f.codes.recalled, f.codes.expired] {
                let code = try f.parts(of: uri)
                let timeline = try f.store.timeline(gtin: code.gtin, lot: code.lot, serial: code.serial)
                #expect(timeline.count == 7 && timeline.last?.place?.hasPrefix("E-commerce warehouse") == true)
            }
        }
    }
}
