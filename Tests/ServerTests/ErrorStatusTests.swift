import Foundation
import Testing
import Verification

@Suite("Upload service limits and errors on loopback")
struct ErrorStatusTests {
    @Test("a body over the limit is refused with 413 from its Content-Length, before the body is sent")
    func tooLargeDeclared() async throws {
        let fixture = try ServerFixture()
        try await fixture.serve(maxBodyBytes: 100_000) { client in
            let form = MultipartBody.photo(Array(repeating: 0x89, count: 1_000))
            // Declares 30 MB but sends 1 kB and waits: the answer must come without the rest.
            let answer = try await client.request("POST", "/v1/verifications", headers: [("Content-Type", form.contentType)],
                                            body: form.finished(), declaredLength: 30_000_000)
            #expect(answer.status == 413)
            #expect(answer.header("content-type") == "application/problem+json")
            #expect(try answer.json()["status"] as? Int == 413)
        }
    }

    @Test("a chunked body that grows past the limit is cut off with 413")
    func tooLargeChunked() async throws {
        let fixture = try ServerFixture()
        try await fixture.serve(maxBodyBytes: 100_000) { client in
            let form = MultipartBody.photo(Array(repeating: 0x41, count: 300_000))
            let answer = try await client.request("POST", "/v1/verifications", headers: [("Content-Type", form.contentType)],
                                            body: form.finished(), chunked: true)
            #expect(answer.status == 413)
        }
    }

    @Test("bytes that are not PNG or JPEG get 415 whatever their label says; so does a body that is neither form nor JSON")
    func notAnImage() async throws {
        let fixture = try ServerFixture()
        let scans = try fixture.store.scanCount()
        try await fixture.serve { client in
            let text = try await client.upload(Array("hello, this is text".utf8), filename: "tin.png", contentType: "image/png")
            #expect(text.status == 415)
            #expect(text.header("content-type") == "application/problem+json")
            #expect((try text.json()["detail"] as? String)?.contains("not a PNG or JPEG") == true)
            var heic: [UInt8] = [0, 0, 0, 0x18] + Array("ftypheic".utf8)
            heic += Array(repeating: 0, count: 64)
            let iphone = try await client.upload(heic, filename: "IMG_0001.jpg", contentType: "image/jpeg")
            #expect(iphone.status == 415)
            #expect((try iphone.json()["detail"] as? String)?.contains("HEIC") == true)
            let plain = try await client.request("POST", "/v1/verifications", headers: [("Content-Type", "text/plain")],
                                           body: Array("code".utf8))
            #expect(plain.status == 415)
        }
        #expect(try fixture.store.scanCount() == scans)
    }

    @Test("a photo whose header claims more pixels than allowed gets 422")
    func tooManyPixels() async throws {
        let fixture = try ServerFixture()
        try await fixture.serve(maxPixels: 4_000_000) { client in
            // A PNG signature and IHDR claiming 20000×20000; no pixel data is needed to refuse it.
            var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8)
            for dimension in [20_000, 20_000] { png += withUnsafeBytes(of: UInt32(dimension).bigEndian, Array.init) }
            png += [8, 0, 0, 0, 0, 0, 0, 0, 0]
            let answer = try await client.upload(png)
            #expect(answer.status == 422)
            #expect((try answer.json()["detail"] as? String)?.contains("20000×20000") == true)
        }
    }

    @Test("malformed multipart, a form without a photo, malformed JSON and an empty photo are 400")
    func malformed() async throws {
        let fixture = try ServerFixture()
        try await fixture.serve { client in
            let form = MultipartBody.photo(try ServerFixture.codePhoto(fixture.codes.genuine))
            let cut = Array(form.finished().dropLast(40))
            #expect(try await client.request("POST", "/v1/verifications", headers: [("Content-Type", form.contentType)], body: cut).status == 400)
            #expect(try await client.request("POST", "/v1/verifications", headers: [("Content-Type", "multipart/form-data")],
                                       body: form.finished()).status == 400)
            var other = MultipartBody()
            other.add(name: "picture", content: [1, 2, 3])
            #expect(try await client.request("POST", "/v1/verifications", headers: [("Content-Type", other.contentType)],
                                       body: other.finished()).status == 400)
            #expect(try await client.request("POST", "/v1/verifications", headers: [("Content-Type", "application/json")],
                                       body: Array("{\"code\": ".utf8)).status == 400)
            #expect(try await client.upload([]).status == 400)
        }
    }

    @Test("a damaged photo that starts like a JPEG is judged INCONCLUSIVE, not refused")
    func damagedPhotoIsInconclusive() async throws {
        let fixture = try ServerFixture()
        try await fixture.serve { client in
            let answer = try await client.upload([0xFF, 0xD8, 0xFF, 0xE0, 0, 16] + Array(repeating: 0x20, count: 40), contentType: "image/jpeg")
            #expect(answer.status == 201)
            #expect(try answer.json()["verdict"] as? String == "INCONCLUSIVE")
        }
    }

    @Test("a deleted database file answers 503 with Retry-After, never a verdict; healthz says so too")
    func databaseFileGone() async throws {
        let fixture = try ServerFixture()
        let photo = try ServerFixture.codePhoto(fixture.codes.genuine)
        try await fixture.serve { client in
            #expect(try await client.request("GET", "/healthz").status == 200)
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: fixture.databasePath + suffix) }
            let answer = try await client.upload(photo)
            #expect(answer.status == 503)
            #expect(answer.header("retry-after") == "30")
            #expect(try answer.json()["verdict"] == nil)
            #expect(try await client.verifyCode(fixture.codes.genuine).status == 503)
            #expect(try await client.request("GET", "/healthz").status == 503)
        }
    }

    @Test("a database locked by another writer answers 503, and verifies again once the lock is gone")
    func databaseLocked() async throws {
        let fixture = try ServerFixture()
        let impatient = try SQLiteStore(path: fixture.databasePath, busyTimeout: 0.2)
        try await fixture.serve(store: impatient) { client in
            let lock = try await DatabaseLockHolder(path: fixture.databasePath)
            let answer = try await client.verifyCode(fixture.codes.genuine, headers: [("Verifier-Id", "parent-5")])
            await lock.unlock()
            #expect(answer.status == 503)
            #expect(answer.header("content-type") == "application/problem+json")
            let after = try await client.verifyCode(fixture.codes.genuine, headers: [("Verifier-Id", "parent-5")])
            #expect(after.status == 201)
            #expect(try after.json()["verdict"] as? String == "GENUINE")
        }
    }

    @Test("an unknown path is a 404 problem document")
    func unknownPath() async throws {
        let fixture = try ServerFixture()
        try await fixture.serve { client in
            let answer = try await client.request("GET", "/v2/anything")
            #expect(answer.status == 404)
            #expect(answer.header("content-type") == "application/problem+json")
        }
    }
}
