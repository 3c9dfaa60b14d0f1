import Foundation
import Testing
@testable import Verification

/// Runs the built `genuine` command, as a user or a second server process would.
enum GenuineCommand {
    struct Output { var status: Int32; var stdout: String; var stderr: String }

    /// The `genuine` executable next to the test bundle (SwiftPM builds both into one folder).
    static func executable() throws -> URL {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let candidates = [
            beside.appendingPathComponent("genuine"),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("genuine"),
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent(".build/debug/genuine"),
        ]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw CommandFailure(description: "the genuine executable was not found beside the tests: \(candidates.map(\.path))")
        }
        return found
    }

    struct CommandFailure: Error, CustomStringConvertible { var description: String }

    static func start(_ arguments: [String]) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = try executable()
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["GENUINE_DB"] = nil
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return (process, out, err)
    }

    static func finish(_ started: (Process, Pipe, Pipe)) -> Output {
        let (process, out, err) = started
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    static func run(_ arguments: [String]) throws -> Output { finish(try start(arguments)) }

    static func record(_ output: Output) throws -> VerificationRecord {
        try JSONText.decode(VerificationRecord.self, from: output.stdout)
    }
}

@Suite("The genuine command, across processes")
struct ProcessTests {
    @Test("two processes verifying one serial at the same moment: exactly one GENUINE, one GENUINE_ALREADY_VERIFIED")
    func simultaneousFirstVerifications() throws {
        try Fixture.withDemo { (f: Fixture) throws in
            let fresh = try Issuer(store: f.store, keys: f.keys, clock: { Fixture.now })
                .mint(gtin: try f.parts(of: f.codes.genuine).gtin, lot: try #require(f.parts(of: f.codes.genuine).lot), count: 3,
                      keyID: String(try #require(f.parts(of: f.codes.genuine).authenticator).prefix(2)), host: DemoData.auroraHost)
            for (round, code) in fresh.enumerated() {
                let started = try ["first", "second"].map { consumer in
                    try GenuineCommand.start(["verify", "--db", f.databasePath, "--consumer", "\(consumer)-\(round)", "--json", "--code", code.uri])
                }
                let outputs = started.map(GenuineCommand.finish)
                #expect(outputs.allSatisfy { $0.status == 0 }, "\(outputs.map(\.stderr))")
                let verdicts = try outputs.map { try GenuineCommand.record($0).verdict }
                #expect(verdicts.sorted { $0.rawValue < $1.rawValue } == [.genuine, .genuineAlreadyVerified], "round \(round): \(verdicts)")
            }
        }
    }

    @Test("two connections racing in two threads, released together, many times: never two firsts")
    func simultaneousConnections() throws {
        try Fixture.withDemo { (f: Fixture) throws in
            let code = try f.parts(of: f.codes.genuine)
            let fresh = try Issuer(store: f.store, keys: f.keys, clock: { Fixture.now })
                .mint(gtin: code.gtin, lot: try #require(code.lot), count: 8,
                      keyID: String(try #require(code.authenticator).prefix(2)), host: DemoData.auroraHost)
            let stores = [try SQLiteStore(path: f.databasePath), try SQLiteStore(path: f.databasePath)]
            for (round, issued) in fresh.enumerated() {
                let results = Results()
                DispatchQueue.concurrentPerform(iterations: 2) { index in
                    let verifier = Verifier(store: stores[index], clock: { Fixture.now })
                    results.append(Result { () throws(VerificationError) in try verifier.verify(.consumer("thread-\(index)-\(round)", code: issued.uri)).verdict })
                }
                let verdicts = try results.values.map { try $0.get() }.sorted { $0.rawValue < $1.rawValue }
                #expect(verdicts == [.genuine, .genuineAlreadyVerified], "round \(round)")
            }
        }
    }

    /// Collects results from concurrent threads.
    final class Results: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: [Result<Verdict, VerificationError>] = []
        func append(_ result: Result<Verdict, VerificationError>) { lock.withLock { stored.append(result) } }
        var values: [Result<Verdict, VerificationError>] { lock.withLock { stored } }
    }

    @Test("verify prints the issue's JSON fields and exits 0 whatever the verdict")
    func jsonAndExitStatus() throws {
        try Fixture.withDemo { (f: Fixture) throws in
            for code in [f.codes.forged, f.codes.unknown, f.codes.genuine] {
                let output = try GenuineCommand.run(["verify", "--db", f.databasePath, "--json", "--code", code])
                #expect(output.status == 0)
                let object = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
                for field in ["verdict", "reasons", "flags", "code", "product", "timeline", "claims", "mailIn", "scanId"] {
                    #expect(object.keys.contains(field), "missing \(field)")
                }
                let mailIn = try #require(object["mailIn"] as? [String: Any])
                #expect(mailIn.keys.sorted() == ["caseId", "offered"])
            }
            let genuine = try GenuineCommand.record(try GenuineCommand.run(["verify", "--db", f.databasePath, "--json", "--code", f.codes.genuine]))
            #expect(genuine.code?.serial != nil && genuine.product != nil && genuine.claims != nil)
        }
    }

    @Test("processes opening a brand-new database at once all migrate it and answer", arguments: 0..<3)
    func concurrentFirstOpen(round: Int) throws {
        let directory = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("new.sqlite").path
        let started = try (0..<4).map { _ in
            try GenuineCommand.start(["verify", "--db", path, "--json", "--code", "https://id.gs1.org/01/09506000134352/21/X"])
        }
        let outputs = started.map(GenuineCommand.finish)
        #expect(outputs.allSatisfy { $0.status == 0 }, "\(outputs.map(\.stderr))")
        #expect(try outputs.allSatisfy { try GenuineCommand.record($0).verdict == .unknown })
        #expect(try SQLiteStore(path: path).scanCount() == 4)
    }

    @Test("a database that cannot be opened is an error exit with no verdict printed")
    func brokenDatabase() throws {
        let directory = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("broken.sqlite").path
        try Data(repeating: 0x42, count: 4096).write(to: URL(fileURLWithPath: path))
        let output = try GenuineCommand.run(["verify", "--db", path, "--json", "--code", "https://id.gs1.org/01/09506000134352/21/X"])
        #expect(output.status != 0)
        #expect(!output.stdout.contains("verdict"))
        #expect(output.stderr.contains("database"))
    }

    @Test("issue registers brand, product and lot, writes the CSV and a 0600 key; the codes verify")
    func issueCommand() throws {
        let directory = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = directory.appendingPathComponent("g.sqlite").path
        let csv = directory.appendingPathComponent("codes.csv").path
        let output = try GenuineCommand.run([
            "issue", "--db", db, "--brand", "acme", "--brand-name", "Acme Milk", "--host", "t.acme.example",
            "--gtin", "6901234567892", "--product-name", "Acme Stage 1", "--lot", "L1", "--production-date", "2026-01-10",
            "--expiry", "2099-01-09", "--count", "2", "--csv", csv,
        ])
        #expect(output.status == 0, "\(output.stderr)")
        let rows = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\r\n")
        #expect(rows.count == 3 && rows[0] == "gtin,lot,serial,expiry,uri")
        let uri = String(try #require(rows.last?.split(separator: ",").last))
        let keyFiles = try FileManager.default.contentsOfDirectory(atPath: db + ".keys")
        #expect(keyFiles.count == 1)
        let mode = try FileManager.default.attributesOfItem(atPath: db + ".keys/" + keyFiles[0])[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        let verified = try GenuineCommand.record(try GenuineCommand.run(["verify", "--db", db, "--json", "--code", uri]))
        #expect(verified.verdict == .genuine)
        let labelFolder = directory.appendingPathComponent("labels").path
        let labels = try GenuineCommand.run(["issue", "--db", db, "--brand", "acme", "--gtin", "06901234567892", "--lot", "L1",
                                             "--count", "1", "--csv", csv, "--labels", labelFolder])
        #expect(labels.status == 0, "\(labels.stderr)")
        // Each label is a PNG named by serial whose QR symbol reads back as the printed URI.
        let printed = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\r\n").dropFirst()
        let files = try FileManager.default.contentsOfDirectory(atPath: labelFolder)
        #expect(files.count == printed.count)
        for row in printed {
            let fields = row.split(separator: ",")
            let serial = String(fields[2]), printedURI = String(try #require(fields.last))
            let read = try GenuineCommand.run(["decode", labelFolder + "/" + serial + ".png"])
            #expect(read.status == 0 && read.stdout.contains(printedURI), "\(serial): \(read.stdout) \(read.stderr)")
        }
    }
}
