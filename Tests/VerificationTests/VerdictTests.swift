import Foundation
import GRDB
import Testing
@testable import Verification

@Suite("Verdicts, one of each kind")
struct VerdictTests {
    @Test("a first consumer check of a genuine tin is GENUINE with its record and timeline")
    func genuine() throws {
        try Fixture.withDemo { (f: Fixture) throws in
            let record = try f.consumer("alice", f.codes.genuine)
            #expect(record.verdict == .genuine)
            #expect(record.reasons == [.firstVerification, .authenticatorValid, .registryMatch])
            #expect(record.counted && record.flags.isEmpty)
            #expect(record.product?.brand == "Aurora Dairy")
            #expect(record.lot?.factory == "Aurora Plant 1")
            #expect(record.lot?.processSteps.count == 4)
            #expect(record.timeline.map(\.step) == ["commissioning", "packing", "shipping", "receiving", "shipping", "receiving", "unpacking"])
            #expect(record.timeline.last?.place == "E-commerce warehouse Shanghai")
            #expect(record.claims?.distinctVerifiers == 1)
            #expect(record.thresholds == VerificationPolicy())
            #expect(try f.store.verification(scanID: record.scanId) == record)
        }
    }

    @Test("the HMAC-128 brand's codes verify too")
    func genuineSmallSymbol() throws {
        try Fixture.withDemo { (f: Fixture) throws in
            let record = try f.check(f.codes.genuineSmallSymbol)
            #expect(record.verdict == .genuine)
        }
    }

    @Test("the same consumer again is GENUINE_REPEAT; another consumer gets GENUINE_ALREADY_VERIFIED; a third, SUSPECT_COPY")
    func claims() throws {
        try Fixture.withDemo { (f: Fixture) throws in
            let code = f.codes.genuine
            #expect(try f.consumer("alice", code).verdict == .genuine)
            let repeatCheck = try f.consumer("alice", code, at: Fixture.now.addingTimeInterval(3600))
            #expect(repeatCheck.verdict == .genuineRepeat && repeatCheck.claims?.distinctVerifiers == 1)
            let second = try f.consumer("bob", code, at: Fixture.now.addingTimeInterval(7200))
            #expect(second.verdict == .genuineAlreadyVerified && second.mailIn.offered && second.mailIn.caseId == nil)
            let first = try f.consumer("alice", code, at: Fixture.now.addingTimeInterval(9000))
            #expect(first.verdict == .genuineAlreadyVerified && first.flags.contains(.firstClaimant))
            let third = try f.consumer("carol", code, at: Fixture.now.addingTimeInterval(10800))
            #expect(third.verdict == .suspectCopy && third.reasons.first == .tooManyVerifiers)
            #expect(third.mailIn.caseId != nil)
        }
    }

    @Test("the demo's cloned code is SUSPECT_COPY even for a command-line check, with a case open")
    func suspectCopy() throws {
        try Fixture.withDemo { (f: Fixture) throws in
            let record = try f.check(f.codes.cloned)
            #expect(record.verdict == .suspectCopy && !record.counted && record.flags.contains(.notCounted))
            let caseID = try #require(record.mailIn.caseId)
            // A second check attaches to the same open case instead of opening another.
            #expect(try f.check(f.codes.cloned).mailIn.caseId == caseID)
        }
    }

    @Test("two consumers far apart within an hour: SUSPECT_COPY for impossible travel")
    func impossibleTravel() throws {
        try Fixture.withDemo { (f: Fixture) throws in
            var shanghai = VerificationRequest.consumer("alice", code: f.codes.genuine)
            shanghai.coordinates = Coordinates(latitude: 31.23, longitude: 121.47)
            #expect(try f.verifier().verify(shanghai).verdict == .genuine)
            var urumqi = VerificationRequest.consumer("bob", code: f.codes.genuine)
            urumqi.coordinates = Coordinates(latitude: 43.83, longitude: 87.62)
            let record = try f.verifier(at: Fixture.now.addingTimeInterval(1800)).verify(urumqi)
            #expect(record.verdict == .suspectCopy && record.reasons.first == .impossibleTravel)
        }
    }

    @Test("a recalled tin is RECALLED, with the recall's reason")
    func recalled() throws {
        try Fixture.withDemo { (f: Fixture) throws in
            let record = try f.consumer("alice", f.codes.recalled)
            #expect(record.verdict == .recalled)
            #expect(record.recall?.reason == "possible Cronobacter contamination")
            #expect(record.lot?.status == "recalled")
        }
    }

    @Test("a tin past its expiry is EXPIRED, not counterfeit")
    func expired() throws {
        try Fixture.withDemo { (f: Fixture) throws in
            let record = try f.consumer("alice", f.codes.expired)
            #expect(record.verdict == .expired && record.flags.contains(.expired))
        }
    }

    @Test("expiry within the product's window adds expiring_soon")
    func expiringSoon() throws {
        try Fixture.withDemo { (f: Fixture) throws in
            let expiry = try #require(f.parts(of: f.codes.genuine).expiry?.date)
            let late = Fixture.now.addingTimeInterval(Double(CalendarDate(Fixture.now).days(until: expiry) - 10) * 86_400)
            let record = try f.check(f.codes.genuine, at: late)
            #expect(record.verdict == .genuine && record.flags.contains(.expiringSoon))
        }
    }

    @Test("someone else's codes are UNKNOWN", arguments: [
        "https://id.gs1.org/01/09506000134352/10/ABC123/21/XYZ789?17=281231",
        "https://menu.example.org/table/12",
        "(01)09506000134352(21)XYZ",
        "https://other-brand.example/01/09506000134353/21/X",
        "https://t.aurora-dairy.example/about-us",
    ])
    func unknown(text: String) throws {
        try Fixture.withDemo { (f: Fixture) throws in
            let record = try f.check(text)
            #expect(record.verdict == .unknown, "\(text): \(record.reasons)")
            #expect(!record.mailIn.offered)
        }
    }

    @Test("a forged code with a valid-looking authenticator is COUNTERFEIT")
    func forged() throws {
        try Fixture.withDemo { (f: Fixture) throws in
            let record = try f.consumer("alice", f.codes.forged)
            #expect(record.verdict == .counterfeit && record.reasons == [.authenticatorInvalid])
            #expect(record.mailIn.offered && !record.counted)
        }
    }

    @Test("an unreadable photo is INCONCLUSIVE with the diagnosis, retake advice and a mail-in case")
    func unreadablePhoto() throws {
        try Fixture.withDemo { (f: Fixture) throws in
            let photo = PhotoReading(sha256: String(repeating: "ab", count: 32), codes: [],
                                     diagnosis: ReadDiagnosis(reason: "too_blurry", details: ["sharpness": "0.08"]))
            let request = VerificationRequest(input: .photo(photo), channel: .consumer, verifierID: "alice")
            let record = try f.verifier().verify(request)
            #expect(record.verdict == .inconclusive && record.reasons == [.photoUnreadable])
            #expect(record.diagnosis?.reason == "too_blurry")
            #expect(record.advice.contains("steady") && record.advice.contains("mail"))
            let caseID = try #require(record.mailIn.caseId)
            let opened = try #require(try f.store.mailInCase(id: caseID))
            #expect(opened.photoSHA256 == photo.sha256 && opened.reasons.contains("too_blurry") && opened.status == .open)
        }
    }

    @Test("every reason the QR reader gives has its own retake tip")
    func retakeTipPerReaderReason() {
        let reasons = ["no_code_found", "partial_code", "code_too_small", "too_blurry", "glare_over_code", "too_dark",
                       "low_contrast", "damaged_beyond_correction", "unsupported_symbol"]
        let generic = Advice.retake(ReadDiagnosis(reason: "photo_unreadable"))
        let tips = reasons.map { Advice.retake(ReadDiagnosis(reason: $0)) }
        #expect(Set(tips).count == reasons.count)
        #expect(!tips.contains(generic))
        #expect(tips.allSatisfy { $0.contains("mail the tin in") })
    }

    @Test("a photo with two different tins' codes is INCONCLUSIVE; a shop sticker beside one code is ignored")
    func photosWithSeveralCodes() throws {
        try Fixture.withDemo { (f: Fixture) throws in
            let two = PhotoReading(sha256: String(repeating: "cd", count: 32),
                                   codes: [ReadCode(text: f.codes.genuine), ReadCode(text: f.codes.recalled)])
            let several = try f.verifier().verify(VerificationRequest(input: .photo(two)))
            #expect(several.verdict == .inconclusive && several.reasons == [.multipleCodes])
            let sticker = PhotoReading(sha256: String(repeating: "ef", count: 32),
                                       codes: [ReadCode(text: "https://shop.example/promo"), ReadCode(text: f.codes.genuine, symbologyIdentifier: "]Q1")])
            let one = try f.verifier().verify(VerificationRequest(input: .photo(sticker)))
            #expect(one.verdict == .genuine)
        }
    }

    @Test("a tin from a blacklisted seller keeps its verdict and gets the flag and a mail-in offer")
    func blacklistedSeller() throws {
        try Fixture.withDemo { (f: Fixture) throws in
            var request = VerificationRequest.consumer("alice", code: f.codes.genuine)
            request.sellerID = f.codes.blacklistedSellerID
            let record = try f.verifier().verify(request)
            #expect(record.verdict == .genuine && record.flags == [.sellerBlacklisted] && record.mailIn.offered)
        }
    }

    @Test("the other forms of a genuine code verify exactly like the printed one")
    func equivalentForms() throws {
        try Fixture.withDemo { (f: Fixture) throws in
            let code = try f.parts(of: f.codes.genuine)
            let tag = try #require(code.authenticator)
            let expiry = try #require(code.elements["17"])
            let lot = try #require(code.lot), serial = try #require(code.serial)
            let gs = "\u{1D}"
            for variant in [
                "https://id.gs1.org/01/\(code.gtin)/10/\(lot)/21/\(serial)?17=\(expiry)&s=\(tag)",
                "https://\(DemoData.auroraHost)/01/\(code.gtin)/10/\(percentEncodedFirst(lot))/21/\(percentEncodedFirst(serial))?17=\(expiry)&s=\(tag)",
                "]Q301\(code.gtin)17\(expiry)10\(lot)\(gs)21\(serial)\(gs)91\(tag)",
                "(01)\(code.gtin)(17)\(expiry)(10)\(lot)(21)\(serial)(91)\(tag)",
            ] {
                let record = try f.check(variant)
                #expect(record.verdict == .genuine, "\(variant): \(record.reasons)")
            }
        }
    }

    /// Writes the first character as a percent escape, which must not change anything.
    func percentEncodedFirst(_ text: String) -> String {
        guard let first = text.utf8.first else { return text }
        return "%" + String(first, radix: 16, uppercase: true) + text.dropFirst()
    }

    @Test("a registry-only product accepts unsigned codes but still checks the registry")
    func registryOnly() throws {
        try Fixture.withDemo { (f: Fixture) throws in
            let gtin = try #require(GTIN.make(body13: "0690123456800"))
            try f.store.addProduct(Product(gtin: gtin, brandID: "aurora", name: "Partner formula", authenticatorRequired: false))
            let expiry = try #require(CalendarDate(year: 2027, month: 6, day: 30))
            try f.store.addLot(Lot(gtin: gtin, lot: "P1", productionDate: try #require(CalendarDate(year: 2025, month: 6, day: 30)), expiry: expiry))
            let issued = try Issuer(store: f.store, keys: f.keys, clock: { Fixture.now })
                .mint(gtin: gtin, lot: "P1", count: 1, keyID: nil, host: DemoData.auroraHost)
            let uri = try #require(issued.first?.uri)
            let record = try f.check(uri)
            #expect(record.verdict == .genuine && record.reasons.contains(.registryOnlyProduct))
            #expect(try f.check(uri.replacingOccurrences(of: "/21/", with: "/21/X")).verdict == .counterfeit)
        }
    }
}

@Suite("Counting rules")
struct CountingTests {
    @Test("command-line and lab checks never count, even with a verifier id; a consumer's first check after them is GENUINE")
    func nonConsumerChecksDoNotCount() throws {
        try Fixture.withDemo { (f: Fixture) throws in
            for _ in 0..<4 { _ = try f.check(f.codes.genuine) }
            let lab = try f.verifier().verify(VerificationRequest(input: .code(ReadCode(text: f.codes.genuine)), channel: .lab, verifierID: "lab-7"))
            #expect(!lab.counted && lab.flags.contains(.notCounted))
            let record = try f.consumer("alice", f.codes.genuine)
            #expect(record.verdict == .genuine && record.claims?.distinctVerifiers == 1)
        }
    }

    @Test("a consumer verification without a consumer id is refused, not guessed")
    func consumerNeedsID() throws {
        try Fixture.withDemo { (f: Fixture) throws in
            let before = try f.store.scanCount()
            #expect(throws: VerificationError.self) {
                try f.verifier().verify(VerificationRequest(input: .code(ReadCode(text: f.codes.genuine)), channel: .consumer))
            }
            #expect(try f.store.scanCount() == before)
        }
    }

    @Test("thresholds come from the product and are recorded with each verdict")
    func perProductThresholds() throws {
        try Fixture.withDemo { (f: Fixture) throws in
            let gtin = try #require(GTIN.make(body13: "0690123456801"))
            let policy = VerificationPolicy(cautionAt: 3, suspectAt: 5)
            try f.store.addProduct(Product(gtin: gtin, brandID: "aurora", name: "Lenient", authenticatorRequired: false, policy: policy))
            try f.store.addLot(Lot(gtin: gtin, lot: "T1", productionDate: try #require(CalendarDate(year: 2026, month: 1, day: 1)),
                                   expiry: try #require(CalendarDate(year: 2028, month: 1, day: 1))))
            let uri = try #require(try Issuer(store: f.store, keys: f.keys, clock: { Fixture.now })
                .mint(gtin: gtin, lot: "T1", count: 1, keyID: nil, host: DemoData.auroraHost).first?.uri)
            let verdicts = try (1...5).map { try f.consumer("c\($0)", uri, at: Fixture.now.addingTimeInterval(Double($0) * 60)) }
            #expect(verdicts.map(\.verdict) == [.genuine, .genuine, .genuineAlreadyVerified, .genuineAlreadyVerified, .suspectCopy])
            #expect(verdicts.allSatisfy { $0.thresholds == policy })
            let stored = try f.store.queue.read { try String.fetchOne($0, sql: "SELECT thresholds_json FROM verdicts WHERE scan_id = ?", arguments: [verdicts[4].scanId]) }
            #expect(stored?.contains("\"suspectAt\":5") == true)
        }
    }

    @Test("lab batch runs record one item per input")
    func batchRuns() throws {
        try Fixture.withDemo { (f: Fixture) throws in
            let run = try f.store.beginBatchRun(configuration: "{\"input\":\"returns/\"}", at: Fixture.now)
            let scan = try f.verifier().verify(VerificationRequest(input: .code(ReadCode(text: f.codes.forged)), channel: .lab))
            try f.store.recordBatchItem(runID: run, inputPath: "returns/1.jpg", sha256: nil, caseID: nil, scanID: scan.scanId, error: nil)
            try f.store.recordBatchItem(runID: run, inputPath: "returns/2.heic", sha256: nil, caseID: nil, scanID: nil, error: "unsupported format")
            #expect(throws: StoreError.self) {
                try f.store.recordBatchItem(runID: run, inputPath: "returns/1.jpg", sha256: nil, caseID: nil, scanID: nil, error: nil)
            }
            try f.store.finishBatchRun(id: run, at: Fixture.now)
            let statuses = try f.store.queue.read { try String.fetchAll($0, sql: "SELECT status FROM batch_items WHERE run_id = ? ORDER BY input_path", arguments: [run]) }
            #expect(statuses == ["done", "error"])
        }
    }
}
