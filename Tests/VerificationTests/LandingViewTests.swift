import Foundation
import Testing
@testable import Verification

@Suite("Landing-page views")
struct LandingViewTests {
    @Test("a landing-page view is counted per code and never becomes a scan or a consumer verification")
    func viewsAreNotScans() throws {
        try Fixture.withDemo { (f: Fixture) throws in
            let code = try CodeParser.parse(f.codes.genuine, referenceYear: 2026)
            let lot = try #require(code.lot)
            let serial = try #require(code.serial)
            let scansBefore = try f.store.scanCount()
            #expect(try f.store.recordLandingView(gtin: code.gtin, lot: lot, serial: serial, at: Fixture.now) == 1)
            #expect(try f.store.recordLandingView(gtin: code.gtin, lot: lot, serial: serial, at: Fixture.now) == 2)
            #expect(try f.store.recordLandingView(gtin: code.gtin, lot: lot, serial: "OTHER", at: Fixture.now) == 1)
            #expect(try f.store.scanCount() == scansBefore)
            // The first consumer check after two views is still the tin's first verification.
            #expect(try f.consumer("alice", f.codes.genuine).verdict == .genuine)
        }
    }
}
