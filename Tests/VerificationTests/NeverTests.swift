import Foundation
import GRDB
import Testing
@testable import Verification

/// The issue's "What must never happen", one test (or more) each.
@Suite("What must never happen")
struct NeverTests {
    /// Replaces the character at `offset` with another one of the same kind (digit, upper, lower, other).
    static func flipped(_ text: String, at offset: Int) -> String {
        var characters = Array(text)
        let original = characters[offset]
        let replacement: Character
        switch original {
        case "0"..."8": replacement = Character(UnicodeScalar(original.asciiValue! + 1))
        case "9": replacement = "0"
        case "A"..."Y", "a"..."y": replacement = Character(UnicodeScalar(original.asciiValue! + 1))
        case "Z": replacement = "A"
        case "z": replacement = "a"
        case "-": replacement = "_"
        default: replacement = "-"
        }
        characters[offset] = replacement
        return String(characters)
    }

    @Test("flipping any character of GTIN, lot, serial, expiry or authenticator never gives a genuine verdict",
          arguments: [SigningAlgorithm.ed25519, .hmacSHA256_128])
    func alteredCodes(algorithm: SigningAlgorithm) throws {
        try Fixture.withDemo { (f: Fixture) throws in
            let uri = algorithm == .ed25519 ? f.codes.genuine : f.codes.genuineSmallSymbol
            let code = try f.parts(of: uri)
            let tag = try #require(code.authenticator)
            // Offsets of each field's value inside the URI text.
            var ranges: [(String, Range<Int>)] = []
            for (name, value, marker) in [("gtin", code.gtin, "/01/"), ("lot", code.lot ?? "", "/10/"), ("serial", code.serial ?? "", "/21/"),
                                          ("expiry", code.elements["17"] ?? "", "17="), ("authenticator", tag, "s=")] {
                let start = try #require(uri.range(of: marker + value)).lowerBound
                let offset = uri.distance(from: uri.startIndex, to: start) + marker.count
                ranges.append((name, offset..<(offset + value.count)))
            }
            var checked = 0
            for (name, range) in ranges {
                for offset in range {
                    let altered = Self.flipped(uri, at: offset)
                    let record = try f.check(altered)
                    #expect(!genuineFamily.contains(record.verdict), "\(name) flipped at \(offset): \(record.verdict)")
                    #expect(record.verdict == .counterfeit, "\(name) flipped at \(offset): \(record.verdict) \(record.reasons)")
                    checked += 1
                }
            }
            #expect(checked == 14 + (code.lot?.count ?? 0) + 13 + 6 + 2 + (algorithm == .ed25519 ? 86 : 22))
            // The unaltered code is still genuine: the flips, not the fixture, made the difference.
            #expect(try f.check(uri).verdict == .genuine)
        }
    }

    @Test("an expiry written with DD=00 instead of the issued day is not genuine")
    func dayZeroExpiry() throws {
        try Fixture.withDemo { (f: Fixture) throws in
            let code = try f.parts(of: f.codes.genuine)
            let expiry = try #require(code.elements["17"])
            let altered = f.codes.genuine.replacingOccurrences(of: "17=\(expiry)", with: "17=\(expiry.prefix(4))00")
            let record = try f.check(altered)
            #expect(record.verdict == .counterfeit)
        }
    }

    @Test("an unknown key id, a revoked key, another brand's key, or a tag from another unit is COUNTERFEIT")
    func keyProblems() throws {
        try Fixture.withDemo { (f: Fixture) throws in
            let genuine = try f.parts(of: f.codes.genuine)
            let tag = try #require(genuine.authenticator)
            let keyID = String(tag.prefix(2))
            let unusedID = keyID == "ZZ" ? "ZY" : "ZZ"
            let unknownKey = f.codes.genuine.replacingOccurrences(of: "s=\(keyID)", with: "s=\(unusedID)")
            #expect(try f.check(unknownKey).reasons.first == .unknownKey)

            // Tag of the recalled unit pasted onto the genuine unit's data.
            let otherTag = try #require(f.parts(of: f.codes.recalled).authenticator)
            let swapped = f.codes.genuine.replacingOccurrences(of: tag, with: otherTag)
            let swappedRecord = try f.check(swapped)
            #expect(swappedRecord.verdict == .counterfeit && swappedRecord.reasons.first == .authenticatorInvalid)

            // Meadow's key id on an Aurora code.
            let meadowKey = String(try #require(f.parts(of: f.codes.genuineSmallSymbol).authenticator).prefix(2))
            let foreignKey = f.codes.genuine.replacingOccurrences(of: "s=\(keyID)", with: "s=\(meadowKey)")
            #expect(try f.check(foreignKey).reasons.first == .keyOfOtherBrand)

            // A retired key (rotated out) still verifies the codes it signed, but mints nothing more.
            try f.store.setKeyStatus(keyID: keyID, to: .retired, at: Fixture.now)
            #expect(try f.check(f.codes.genuine).verdict == .genuine)
            #expect(throws: IssueError.self) {
                try Issuer(store: f.store, keys: f.keys, clock: { Fixture.now })
                    .mint(gtin: genuine.gtin, lot: try #require(genuine.lot), count: 1, keyID: keyID, host: DemoData.auroraHost)
            }
            try f.store.setKeyStatus(keyID: keyID, to: .revoked, at: Fixture.now)
            let revoked = try f.consumer("alice", f.codes.genuine)
            #expect(revoked.verdict == .counterfeit && revoked.reasons == [.keyRevoked] && !revoked.counted)
        }
    }

    @Test("a write failure inside the verification is an error, and nothing of it is stored")
    func injectedWriteFailure() throws {
        try Fixture.withDemo { (f: Fixture) throws in
            let before = try f.store.scanCount()
            try f.store.queue.write { db in
                try db.execute(sql: "CREATE TRIGGER injected_failure BEFORE INSERT ON verdicts BEGIN SELECT RAISE(ABORT, 'injected disk failure'); END")
            }
            #expect(throws: VerificationError.self) { try f.consumer("alice", f.codes.genuine) }
            do {
                _ = try f.consumer("alice", f.codes.genuine)
                Issue.record("a verdict was returned although its verdict row could not be written")
            } catch let error as VerificationError {
                #expect(error.description.contains("injected disk failure"))
            }
            // The scan inserted before the failing verdict was rolled back with it.
            #expect(try f.store.scanCount() == before)
            try f.store.queue.write { try $0.execute(sql: "DROP TRIGGER injected_failure") }
            // The consumer's failed attempts did not claim the unit: the next check is their first.
            #expect(try f.consumer("alice", f.codes.genuine).verdict == .genuine)
        }
    }

    @Test("a failing judgement (unreadable HMAC key file) is an error, not a verdict")
    func missingKeyMaterial() throws {
        try Fixture.withDemo { (f: Fixture) throws in
            let keyID = String(try #require(f.parts(of: f.codes.genuineSmallSymbol).authenticator).prefix(2))
            try f.store.queue.write { db in
                try db.execute(sql: "UPDATE signing_keys SET secret_path = ? WHERE key_id = ?",
                               arguments: [f.directory.appendingPathComponent("gone.key").path, keyID])
            }
            let before = try f.store.scanCount()
            #expect(throws: VerificationError.self) { try f.check(f.codes.genuineSmallSymbol) }
            #expect(try f.store.scanCount() == before)
        }
    }

    @Test("a locked database is an error, never a verdict")
    func lockedDatabase() throws {
        try Fixture.withDemo { (f: Fixture) throws in
            let impatient = try SQLiteStore(path: f.databasePath, busyTimeout: 0.1)
            let holder = try DatabaseQueue(path: f.databasePath)
            try holder.writeWithoutTransaction { db in
                try db.execute(sql: "BEGIN IMMEDIATE")
                defer { try? db.execute(sql: "ROLLBACK") }
                #expect(throws: VerificationError.self) {
                    try Verifier(store: impatient, clock: { Fixture.now }).verify(.consumer("alice", code: f.codes.genuine))
                }
            }
        }
    }

    @Test("every input leaves exactly one scan record, readable or not")
    func everyInputRecorded() throws {
        try Fixture.withDemo { (f: Fixture) throws in
            let inputs: [VerificationRequest.Input] = [
                .code(ReadCode(text: f.codes.genuine)), .code(ReadCode(text: "not a code")), .code(ReadCode(text: "")),
                .code(ReadCode(text: "https://t.aurora-dairy.example/garbage")), .code(ReadCode(text: f.codes.unknown)),
                .photo(PhotoReading(sha256: String(repeating: "0", count: 64), codes: [], diagnosis: nil)),
                .photo(PhotoReading(sha256: String(repeating: "1", count: 64), codes: [ReadCode(text: f.codes.forged)])),
            ]
            var count = try f.store.scanCount()
            for input in inputs {
                let record = try f.verifier().verify(VerificationRequest(input: input))
                count += 1
                #expect(try f.store.scanCount() == count)
                #expect(try f.store.verification(scanID: record.scanId)?.verdict == record.verdict)
            }
        }
    }

    @Test("a retry with the same idempotency key is answered from the record and counted once")
    func idempotentRetry() throws {
        try Fixture.withDemo { (f: Fixture) throws in
            var request = VerificationRequest.consumer("alice", code: f.codes.genuine)
            request.idempotencyKey = "req-1"
            let first = try f.verifier(at: Fixture.now.addingTimeInterval(0.125)).verify(request)
            let retry = try f.verifier(at: Fixture.now.addingTimeInterval(5.25)).verify(request)
            #expect(first.verdict == .genuine && !first.replayed)
            var original = first
            original.replayed = true
            #expect(retry == original)
            #expect(retry.scanId == first.scanId && retry.verdict == .genuine && retry.replayed)
            let bob = try f.consumer("bob", f.codes.genuine)
            #expect(bob.claims?.distinctVerifiers == 2)
            var reused = VerificationRequest.consumer("alice", code: f.codes.recalled)
            reused.idempotencyKey = "req-1"
            #expect(throws: VerificationError.store(.idempotencyKeyReused("req-1"))) { try f.verifier().verify(reused) }
        }
    }

    @Test("history cannot be edited: scans, verdicts, trace events and case events reject UPDATE and DELETE", arguments: [
        "UPDATE scans SET verifier_hash = 'x'", "DELETE FROM scans",
        "UPDATE verdicts SET verdict = 'GENUINE'", "DELETE FROM verdicts",
        "UPDATE trace_events SET biz_step = 'x'", "DELETE FROM trace_events",
        "UPDATE trace_event_objects SET object_uri = 'x'", "DELETE FROM case_events",
        "UPDATE case_events SET note = 'rewritten'",
    ])
    func appendOnly(statement: String) throws {
        try Fixture.withDemo { (f: Fixture) throws in
            #expect(throws: DatabaseError.self) { try f.store.queue.write { try $0.execute(sql: statement) } }
        }
    }

    @Test("a seller is never blacklisted without a concluded counterfeit case")
    func blacklistNeedsConcludedCase() throws {
        try Fixture.withDemo { (f: Fixture) throws in
            #expect(throws: StoreError.self) {
                try f.store.addSeller(Seller(id: "rumour", platform: "m", name: "Rumoured shop", status: .blacklisted))
            }
            let opened = try f.store.openCase(NewCase(reasons: ["consumer_request"], sellerID: "shop-honest", actor: "t", at: Fixture.now))
            #expect(throws: DatabaseError.self) {
                try f.store.queue.write { db in
                    try db.execute(sql: "UPDATE sellers SET status = 'blacklisted', evidence_case_id = ? WHERE id = 'shop-honest'", arguments: [opened.id])
                }
            }
            for status in [CaseStatus.received, .examining] {
                _ = try f.store.advanceCase(id: opened.id, to: status, actor: "lab", note: nil, blacklistSeller: false, at: Fixture.now)
            }
            #expect(throws: StoreError.self) {
                try f.store.advanceCase(id: opened.id, to: .concludedGenuine, actor: "lab", note: nil, blacklistSeller: true, at: Fixture.now)
            }
            #expect(try f.store.seller(id: "shop-honest")?.status == .ok)
        }
    }

    @Test("a recalled tin is never plain GENUINE, whoever checks it")
    func recalledNeverGenuine() throws {
        try Fixture.withDemo { (f: Fixture) throws in
            for record in [try f.check(f.codes.recalled), try f.consumer("alice", f.codes.recalled), try f.consumer("alice", f.codes.recalled)] {
                #expect(record.verdict == .recalled)
            }
        }
    }

    @Test("an expired tin or another brand's code is never COUNTERFEIT")
    func expiredAndForeignNeverCounterfeit() throws {
        try Fixture.withDemo { (f: Fixture) throws in
            #expect(try f.check(f.codes.expired).verdict == .expired)
            #expect(try f.check(f.codes.unknown).verdict == .unknown)
            #expect(try f.check("https://id.gs1.org/01/09506000134352/21/X?17=200101").verdict == .unknown)
            #expect(try f.check("]Q30109506000134352" + "17991231" + "21ANY").verdict == .unknown)
            #expect(try f.check("https://other.example/01/09506000134353/21/X").verdict == .unknown)
        }
    }
}
