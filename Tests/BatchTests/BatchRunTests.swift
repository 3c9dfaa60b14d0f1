import Foundation
import Testing
@testable import Batch
@testable import Verification

@Suite("Batch runs: one record per input, one lab scan per photo and case")
struct BatchRunTests {
    @Test("a mixed folder: every input gets one record, unreadable files get error records, duplicates share their scan")
    func mixedFolder() throws {
        try BatchFixture.with { f in
            let folder = f.directory.appendingPathComponent("photos")
            let set = try MixedFolder.make(in: folder, fixture: f, genuine: 24)
            let scansBefore = try f.store.scanCount()
            let (inputs, hidden) = BatchInputs.walk([folder.path])
            #expect(hidden == 1)
            #expect(inputs.count == set.expected.count)
            let out = f.path("results.jsonl"), csv = f.path("results.csv")
            let summary = try BatchRun.run(inputs, store: f.store, options: BatchOptions(outputPath: out, csvPath: csv, jobs: 2))

            let records = try ResultsFile.read(path: out)
            #expect(summary.complete && summary.inputs == inputs.count && summary.records == inputs.count, "\(summary.text)")
            #expect(records.count == inputs.count)
            #expect(Set(records.map(\.input)) == Set(inputs.map(\.label)))
            set.check(records, folder: folder.path)

            // One lab scan per distinct readable photo; duplicates reuse the first one's scan.
            let judged = records.filter { $0.scanId != nil }
            let contents = Set(judged.compactMap(\.sha256))
            #expect(try f.store.scanCount() - scansBefore == contents.count)
            let lab = try f.labScans()
            #expect(lab.scans == contents.count && lab.keys == contents.count)
            #expect(summary.scansRecorded == contents.count && summary.scansReplayed == 0)
            let byInput = Dictionary(uniqueKeysWithValues: records.map { ($0.input, $0) })
            for record in records {
                guard let first = record.duplicateOf else { continue }
                #expect(byInput[first]?.sha256 == record.sha256)
                #expect(byInput[first]?.scanId == record.scanId)
            }

            // The summary adds up.
            let expectedVerdicts = Dictionary(grouping: set.expected.values.filter { $0 != "error" && $0 != "any" }, by: { $0 }).mapValues(\.count)
            for (verdict, count) in expectedVerdicts { #expect(summary.verdicts[verdict, default: 0] >= count, "\(verdict)") }
            #expect(summary.verdicts.values.reduce(0, +) + summary.errors.values.reduce(0, +) == inputs.count)
            #expect(summary.inconclusiveReasons.values.reduce(0, +) == summary.verdicts["INCONCLUSIVE", default: 0])
            #expect(summary.errors["empty_file"] == 4 && summary.errors["not_an_image", default: 0] >= 11 && summary.errors["truncated", default: 0] + summary.errors["corrupt", default: 0] >= 8,
                    "\(summary.errors)")
            #expect(summary.duplicates == set.duplicates.count)

            // Lab scans count toward nothing: a parent checking a lab-scanned tin afterwards is its first verifier.
            #expect(judged.allSatisfy { $0.flags?.contains("not_counted") == true })
            let tin = try #require(records.first { $0.verdict == .genuine }?.decode?.symbols.first?.text)
            let parent = try Verifier(store: f.store).verify(.consumer("parent-1", code: tin))
            #expect(parent.verdict == .genuine && parent.claims?.distinctVerifiers == 1)

            // The CSV holds the same records in input order.
            let rows = try CSVTable.parse(String(contentsOfFile: csv, encoding: .utf8))
            #expect(rows.count == inputs.count + 1 && rows[0].cells == BatchRecord.csvHeader)
            #expect(rows.dropFirst().map { $0.cells[0] } == inputs.map(\.label))

            // Running again changes nothing: every input is done, no scan is added.
            let file = try Data(contentsOf: URL(fileURLWithPath: out))
            let again = try BatchRun.run(inputs, store: f.store, options: BatchOptions(outputPath: out, jobs: 2))
            #expect(again.complete && again.alreadyDone == inputs.count && again.writtenThisRun == 0 && again.scansRecorded == 0)
            #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == file)
            #expect(try f.labScans().scans == contents.count)
        }
    }

    @Test("a manifest attaches scans to its cases: same photo and case once, same photo in another case again")
    func manifestCases() throws {
        try BatchFixture.with { f in
            let caseA = try f.openCase(), caseB = try f.openCase()
            let casesBefore = try f.store.cases(status: nil).count
            let codes = try f.freshGenuineCodes(2)
            try TestPhotos.write(try TestPhotos.render(codes[0], seed: 1), to: f.path("one.png"), jpeg: false)
            try FileManager.default.copyItem(atPath: f.path("one.png"), toPath: f.path("one again.png"))
            try TestPhotos.write(try TestPhotos.render(codes[1], seed: 2), to: f.path("odd, name.jpg"), jpeg: true)
            try TestPhotos.write(try TestPhotos.render(codes[1], seed: 3, blurred: true), to: f.path("blurred.png"), jpeg: false)
            let manifest = """
                path,case_id,order_ref,seller,notes\r
                one.png,\(caseA),JD-1001,\(f.codes.blacklistedSellerID),first photo\r
                one again.png,\(caseA),JD-1001,,same bytes\r
                one.png,\(caseB),JD-2002,,same photo for another case\r
                "odd, name.jpg",\(caseB),,,"quoted, with comma"\r
                blurred.png,\(caseA),,,\r
                missing.jpg,\(caseA),,,not there\r
                ,,,,\r

                """
            try manifest.write(toFile: f.path("manifest.csv"), atomically: true, encoding: .utf8)
            let inputs = try BatchInputs.manifest(path: f.path("manifest.csv"))
            #expect(inputs.map(\.label) == ["one.png", "one again.png", "one.png", "odd, name.jpg", "blurred.png", "missing.jpg"])
            #expect(inputs[0].path == f.path("one.png") && inputs[0].orderRef == "JD-1001" && inputs[0].seller == f.codes.blacklistedSellerID)

            let out = f.path("results.jsonl")
            let summary = try BatchRun.run(inputs, store: f.store, options: BatchOptions(outputPath: out, jobs: 2))
            #expect(summary.complete && summary.records == 6 && summary.errors == ["unreadable_file": 1], "\(summary.text)")
            let records = try ResultsFile.read(path: out)
            func record(_ label: String, _ caseID: Int64) throws -> BatchRecord {
                let found = records.first { $0.input == label && $0.caseId == caseID }
                return try #require(found, "no record for \(label) in case \(caseID)")
            }
            #expect(try record("one.png", caseA).scanId == record("one again.png", caseA).scanId)
            #expect(try record("one again.png", caseA).duplicateOf == "one.png")
            #expect(try record("one.png", caseB).scanId != record("one.png", caseA).scanId)
            #expect(try record("one.png", caseA).seller == f.codes.blacklistedSellerID)
            #expect(try record("one.png", caseA).flags?.contains("seller_blacklisted") == true)
            #expect(try record("blurred.png", caseA).verdict == .inconclusive)
            #expect(try record("missing.jpg", caseA).errorKind == "unreadable_file")
            #expect(summary.scansRecorded == 4)

            // Each scan is on its case's history; the unreadable lab photo opened no new case.
            let attachedA = try f.store.caseEvents(caseID: caseA).filter { $0.actor == "lab_batch" }
            let attachedB = try f.store.caseEvents(caseID: caseB).filter { $0.actor == "lab_batch" }
            #expect(attachedA.count == 2 && attachedB.count == 2)
            let scanA = try #require(try record("one.png", caseA).scanId)
            #expect(attachedA.contains { $0.note?.contains(scanA) == true })
            #expect(try f.store.cases(status: nil).count == casesBefore)
            let scanB = try #require(try record("one.png", caseB).scanId)
            let stored = try #require(try f.store.verification(scanID: scanB))
            #expect(stored.mailIn.caseId == caseB && !stored.counted)
        }
    }

    @Test("a manifest naming an unknown case stops before judging anything")
    func unknownCase() throws {
        try BatchFixture.with { f in
            try "path,case_id\nphoto.png,999\n".write(toFile: f.path("manifest.csv"), atomically: true, encoding: .utf8)
            let inputs = try BatchInputs.manifest(path: f.path("manifest.csv"))
            #expect(throws: BatchError.unknownCases([999])) {
                try BatchRun.run(inputs, store: f.store, options: BatchOptions(outputPath: f.path("results.jsonl")))
            }
            #expect(!FileManager.default.fileExists(atPath: f.path("results.jsonl")))
        }
    }

    @Test("cut off after the database write and mid-line: the re-run replays the scans and writes the same lines")
    func crashBetweenScanAndLine() throws {
        try BatchFixture.with { f in
            let folder = f.directory.appendingPathComponent("photos")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for (index, uri) in try f.freshGenuineCodes(5).enumerated() {
                try TestPhotos.write(try TestPhotos.render(uri, seed: UInt64(index)), to: folder.appendingPathComponent("p\(index).png").path, jpeg: false)
            }
            let inputs = BatchInputs.walk([folder.path]).inputs
            let complete = f.path("complete.jsonl")
            _ = try BatchRun.run(inputs, store: f.store, options: BatchOptions(outputPath: complete, jobs: 1))
            let lines = try String(contentsOfFile: complete, encoding: .utf8).split(separator: "\n").map(String.init)
            #expect(lines.count == 5)

            // The state a SIGKILL can leave: all five scans committed, two lines written, the third half written.
            let killed = f.path("killed.jsonl")
            try (lines[0] + "\n" + lines[1] + "\n" + lines[2].prefix(lines[2].count / 2)).write(toFile: killed, atomically: true, encoding: .utf8)
            let scans = try f.labScans().scans
            let resumed = try BatchRun.run(inputs, store: f.store, options: BatchOptions(outputPath: killed, jobs: 2))
            #expect(resumed.complete && resumed.tornLineDropped && resumed.alreadyDone == 2 && resumed.writtenThisRun == 3)
            #expect(resumed.scansRecorded == 0 && resumed.scansReplayed == 3)
            #expect(try f.labScans().scans == scans)
            let after = try String(contentsOfFile: killed, encoding: .utf8).split(separator: "\n").map(String.init)
            #expect(after.sorted() == lines.sorted())
        }
    }

    @Test("a results file that is not a batch ledger is refused before anything is judged")
    func foreignResultsFile() throws {
        try BatchFixture.with { f in
            try "not json\n".write(toFile: f.path("results.jsonl"), atomically: true, encoding: .utf8)
            #expect(throws: BatchError.results(.foreignLine(path: f.path("results.jsonl"), line: 1))) {
                try BatchRun.run([BatchInput(label: "x", path: f.path("x"))], store: f.store,
                                 options: BatchOptions(outputPath: f.path("results.jsonl")))
            }
        }
    }
}
