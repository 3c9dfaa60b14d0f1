import Foundation
import Testing
import Verification

@Suite("Upload service API on loopback")
struct VerificationAPITests {
    @Test("a photo upload answers 201 with Location and the verdict document, and the photo is stored by its hash only")
    func photoUpload() async throws {
        let fixture = try ServerFixture()
        let photo = try ServerFixture.codePhoto(fixture.codes.genuine)
        let scansBefore = try fixture.store.scanCount()
        try await fixture.serve { client in
            let answer = try await client.upload(photo, filename: "../../escape;rm -rf.png", headers: [("Verifier-Id", "parent-1")])
            #expect(answer.status == 201)
            #expect(answer.header("content-type") == "application/json")
            let document = try answer.json()
            #expect(document["verdict"] as? String == "GENUINE")
            for field in ["reasons", "flags", "code", "product", "timeline", "claims", "mailIn", "scanId"] {
                #expect(document.keys.contains(field), "missing \(field)")
            }
            #expect((document["timeline"] as? [Any])?.isEmpty == false)
            let scanID = try #require(document["scanId"] as? String)
            #expect(answer.header("location") == "/v1/verifications/\(scanID)")

            let again = try await client.request("GET", "/v1/verifications/\(scanID)")
            #expect(again.status == 200)
            #expect(try again.json()["scanId"] as? String == scanID)
            #expect(try await client.request("GET", "/v1/verifications/no-such-scan").status == 404)

            #expect(try fixture.store.scanCount() == scansBefore + 1)
            let sha = PhotoReading.contentHash(of: Data(photo))
            let stored = fixture.dataDirectory.appendingPathComponent("photos/\(sha.prefix(2))/\(sha).png")
            #expect(FileManager.default.contents(atPath: stored.path) == Data(photo))
            let everything = FileManager.default.enumerator(atPath: fixture.directory.path)?.allObjects as? [String] ?? []
            #expect(!everything.contains { $0.contains("escape") }, "a client file name reached the file system: \(everything)")
        }
    }

    @Test("every verdict is a 201, COUNTERFEIT and UNKNOWN included; a consumer's id makes the check count")
    func everyVerdictIsCreated() async throws {
        let fixture = try ServerFixture()
        let codes = fixture.codes
        try await fixture.serve { client in
            let expected = [(codes.forged, "COUNTERFEIT"), (codes.unknown, "UNKNOWN"), (codes.recalled, "RECALLED"),
                            (codes.cloned, "SUSPECT_COPY"), (codes.genuine, "GENUINE")]
            for (code, verdict) in expected {
                let answer = try await client.verifyCode(code, headers: [("Verifier-Id", "parent-2")])
                #expect(answer.status == 201)
                #expect(try answer.json()["verdict"] as? String == verdict)
            }
            // Without an id it is a partner lookup: the same tin again is not "already verified" by anyone new.
            let partner = try await client.verifyCode(codes.genuine)
            #expect(try partner.json()["counted"] as? Bool == false)
            let repeatCheck = try await client.verifyCode(codes.genuine, headers: [("Cookie", "genuine_verifier=parent-2")])
            #expect(try repeatCheck.json()["verdict"] as? String == "GENUINE_REPEAT")
        }
    }

    @Test("a replay with the same Idempotency-Key answers 200 with the first answer and records nothing; another input with it is 422")
    func idempotency() async throws {
        let fixture = try ServerFixture()
        let photo = try ServerFixture.codePhoto(fixture.codes.genuine)
        try await fixture.serve { client in
            let headers = [("Idempotency-Key", "retry-7"), ("Verifier-Id", "parent-3")]
            let first = try await client.upload(photo, headers: headers)
            #expect(first.status == 201)
            let scans = try fixture.store.scanCount()
            let replay = try await client.upload(photo, headers: headers)
            #expect(replay.status == 200)
            #expect(try replay.json()["scanId"] as? String == first.json()["scanId"] as? String)
            #expect(try replay.json()["verdict"] as? String == "GENUINE")
            #expect(try fixture.store.scanCount() == scans)
            let reused = try await client.verifyCode(fixture.codes.forged, headers: headers)
            #expect(reused.status == 422)
            #expect(reused.header("content-type") == "application/problem+json")
            let metrics = try await client.request("GET", "/metrics").text
            #expect(metrics.contains("genuine_verdicts_total{verdict=\"GENUINE\"} 1\n"))
        }
    }

    @Test("cases: the unreadable photo's case is returned, an offered examination opens one, lab events need the token")
    func cases() async throws {
        let fixture = try ServerFixture()
        try await fixture.serve { client in
            let unreadable = try await client.upload(try ServerFixture.blankPhoto(), contentType: "image/jpeg",
                                               headers: [("Verifier-Id", "parent-4")])
            #expect(unreadable.status == 201)
            let unread = try unreadable.json()
            #expect(unread["verdict"] as? String == "INCONCLUSIVE")
            let autoCase = try #require((unread["mailIn"] as? [String: Any])?["caseId"] as? Int)
            let requested = try await client.postJSON("/v1/cases", ["scanId": try #require(unread["scanId"] as? String)])
            #expect(requested.status == 200)
            #expect(requested.header("location") == "/v1/cases/\(autoCase)")

            let forged = try await client.verifyCode(fixture.codes.forged, headers: [("Verifier-Id", "parent-4")]).json()
            let forgedScan = try #require(forged["scanId"] as? String)
            let opened = try await client.postJSON("/v1/cases", ["scanId": forgedScan])
            #expect(opened.status == 201)
            let caseID = try #require((try opened.json()["case"] as? [String: Any])?["id"] as? Int)
            #expect(try await client.postJSON("/v1/cases", ["scanId": forgedScan]).status == 200, "a double tap opens no second case")

            let genuine = try await client.verifyCode(fixture.codes.genuine, headers: [("Verifier-Id", "parent-4")]).json()
            #expect(try await client.postJSON("/v1/cases", ["scanId": try #require(genuine["scanId"] as? String)]).status == 409)
            #expect(try await client.postJSON("/v1/cases", ["scanId": "nothing"]).status == 404)

            let shown = try await client.request("GET", "/v1/cases/\(caseID)")
            #expect(shown.status == 200)
            #expect((try shown.json()["events"] as? [Any])?.count == 1)
            #expect(try await client.request("GET", "/v1/cases/999999").status == 404)

            let event = ["status": "received", "note": "parcel arrived"]
            let anonymous = try await client.postJSON("/v1/cases/\(caseID)/events", event)
            #expect(anonymous.status == 401)
            #expect(anonymous.header("www-authenticate") == "Bearer")
            #expect(try await client.postJSON("/v1/cases/\(caseID)/events", event, headers: [("Authorization", "Bearer wrong")]).status == 401)
            let lab = [("Authorization", "Bearer \(ServerFixture.labToken)")]
            let moved = try await client.postJSON("/v1/cases/\(caseID)/events", event, headers: lab)
            #expect(moved.status == 201)
            #expect((try moved.json()["case"] as? [String: Any])?["status"] as? String == "received")
            #expect(try await client.postJSON("/v1/cases/\(caseID)/events", ["status": "open"], headers: lab).status == 409)
            #expect(try await client.postJSON("/v1/cases/\(caseID)/events", ["status": "lost"], headers: lab).status == 400)
        }
    }

    @Test("the Digital Link landing page shows the tin's record, records a view and never a verification")
    func landingPage() async throws {
        let fixture = try ServerFixture()
        let code = try CodeParser.parse(fixture.codes.genuine, referenceYear: 2026)
        let lot = try #require(code.lot)
        let serial = try #require(code.serial)
        let scans = try fixture.store.scanCount()
        try await fixture.serve { client in
            let page = try await client.request("GET", "/01/\(code.gtin)/10/\(lot)/21/\(serial)?17=991231")
            #expect(page.status == 200)
            #expect(page.header("content-type")?.hasPrefix("text/html") == true)
            #expect(page.text.contains("Aurora Stage 1 infant formula 800 g"))
            #expect(page.text.contains("id=\"timeline\""))
            #expect(page.text.contains("Hohhot"))
            #expect(try await client.request("GET", "/01/not-a-gtin/10/x/21/y").status == 404)
            // The recalled lot's page says so without any photo.
            let recalled = try CodeParser.parse(fixture.codes.recalled, referenceYear: 2026)
            let warning = try await client.request("GET", "/01/\(recalled.gtin)/10/\(recalled.lot ?? "")/21/\(recalled.serial ?? "")")
            #expect(warning.text.contains("data-verdict=\"RECALLED\""))
        }
        #expect(try fixture.store.scanCount() == scans)
        #expect(try fixture.store.recordLandingView(gtin: code.gtin, lot: lot, serial: serial, at: Date()) == 2)
        // Views counted nobody: the first parent to check the tin still gets GENUINE.
        #expect(try Verifier(store: fixture.store).verify(.consumer("first-parent", code: fixture.codes.genuine)).verdict == .genuine)
    }

    @Test("healthz answers 200 and metrics are Prometheus text with requests, verdicts and the decode histogram")
    func operations() async throws {
        let fixture = try ServerFixture()
        try await fixture.serve { client in
            _ = try await client.upload(try ServerFixture.codePhoto(fixture.codes.forged))
            let health = try await client.request("GET", "/healthz")
            #expect(health.status == 200)
            #expect(try health.json()["status"] as? String == "ok")
            let metrics = try await client.request("GET", "/metrics")
            #expect(metrics.header("content-type")?.hasPrefix("text/plain; version=0.0.4") == true)
            #expect(metrics.text.contains("genuine_http_requests_total{method=\"POST\",code=\"201\"} 1"))
            #expect(metrics.text.contains("genuine_verdicts_total{verdict=\"COUNTERFEIT\"} 1"))
            #expect(metrics.text.contains("genuine_decode_seconds_count 1"))
            #expect(metrics.text.contains("# TYPE genuine_decode_seconds histogram"))
        }
    }
}

