import Foundation
import Testing
@testable import Verification

@Suite("The demo story, photo to verdict")
struct DemoFlowTests {
    @Test("genuine demo renders package photos whose verdicts are the ones it announces; the blurred one opens a case")
    func demoPhotosVerifyAsAnnounced() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("genuine-demo-\(UInt64.random(in: 0...UInt64.max))")
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("demo.sqlite").path
        let photos = folder.appendingPathComponent("photos").path
        let made = try GenuineCommand.run(["demo", "--db", db, "--photos", photos])
        #expect(made.status == 0, "\(made.stderr)")

        let expected: [(String, Verdict)] = [
            ("genuine.png", .genuine), ("forged.png", .counterfeit), ("cloned.png", .suspectCopy),
            ("recalled.png", .recalled), ("unknown.png", .unknown), ("unreadable.jpg", .inconclusive),
        ]
        for (file, verdict) in expected {
            let out = try GenuineCommand.run(["verify", "--db", db, "--consumer", "demo-parent", "--json",
                                              (photos as NSString).appendingPathComponent(file)])
            let record = try GenuineCommand.record(out)
            #expect(record.verdict == verdict, "\(file): \(record.verdict) \(out.stderr)")
            if verdict == .inconclusive { #expect(record.mailIn.caseId != nil, "\(file): no mail-in case opened") }
        }
        // A path that does not exist is an error exit with an error record, not a photo judged INCONCLUSIVE.
        let missing = try GenuineCommand.run(["verify", "--db", db, "--json", (photos as NSString).appendingPathComponent("absent.png")])
        #expect(missing.status != 0 && missing.stderr.contains("absent.png") && missing.stderr.contains("No such file"), "\(missing.stderr)")
        #expect(missing.stdout.contains("\"error\"") && missing.stdout.contains("absent.png") && !missing.stdout.contains("verdict"),
                "\(missing.stdout)")
        // A second run refuses to overwrite the database unless asked.
        let again = try GenuineCommand.run(["demo", "--db", db, "--photos", photos])
        #expect(again.status != 0)
    }
}
