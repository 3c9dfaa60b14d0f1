import Foundation
@testable import Verification

/// A seeded demo database in a fresh temporary folder, removed when the test ends.
struct Fixture {
    /// 2026-05-28T20:26:40Z: every test sees the same "now".
    static let now = Date(timeIntervalSince1970: 1_780_000_000)

    let directory: URL
    let store: SQLiteStore
    let keys: KeyDirectory
    let codes: DemoCodes

    var databasePath: String { directory.appendingPathComponent("genuine.sqlite").path }

    /// Runs `body` with a seeded demo database (a private copy) and removes it afterwards.
    static func withDemo<T>(_ body: (Fixture) throws -> T) throws -> T {
        let template = try Template.shared.get()
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("genuine.sqlite").path
        try FileManager.default.copyItem(atPath: template.databasePath, toPath: path)
        let store = try SQLiteStore(path: path)
        return try body(Fixture(directory: directory, store: store, keys: template.keys, codes: template.codes))
    }

    /// Seeding takes a third of a second in a debug build, so it happens once per test run and
    /// each test copies the file. The key folder is shared: tests must not change key files.
    struct Template: Sendable {
        let databasePath: String
        let keys: KeyDirectory
        let codes: DemoCodes

        static let shared: Result<Template, any Error> = Result {
            removeStaleTemplates()
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("\(prefix)\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let path = directory.appendingPathComponent("template.sqlite").path
            let keys = KeyDirectory(url: directory.appendingPathComponent("keys"))
            let codes = try seed(path: path, keys: keys)
            return Template(databasePath: path, keys: keys, codes: codes)
        }

        static let prefix = "genuine-tests-template-"

        /// The template outlives its test run (nothing runs at exit), so each run removes the
        /// templates of runs that ended more than ten minutes ago.
        static func removeStaleTemplates() {
            let folder = FileManager.default.temporaryDirectory
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            for name in names where name.hasPrefix(prefix) {
                let url = folder.appendingPathComponent(name)
                let modified = (try? FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate]) as? Date
                if let modified, modified < Date().addingTimeInterval(-600) { try? FileManager.default.removeItem(at: url) }
            }
        }

        /// Seeds and closes the store, so the file holds everything (SQLite checkpoints the WAL on the last close).
        static func seed(path: String, keys: KeyDirectory) throws -> DemoCodes {
            let store = try SQLiteStore(path: path)
            return try DemoData.seed(store: store, keys: keys, now: now)
        }
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("genuine-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func verifier(at date: Date = Fixture.now) -> Verifier {
        Verifier(store: store, clock: { date })
    }

    /// A command-line check (counts toward nothing).
    func check(_ code: String, at date: Date = Fixture.now) throws -> VerificationRecord {
        try verifier(at: date).verify(.commandLine(code: code))
    }

    /// A consumer's verification.
    func consumer(_ id: String, _ code: String, at date: Date = Fixture.now) throws -> VerificationRecord {
        try verifier(at: date).verify(.consumer(id, code: code))
    }

    /// The parsed parts of a demo URI.
    func parts(of uri: String) throws -> GS1Code {
        try CodeParser.parse(uri, referenceYear: 2026)
    }
}

/// Verdicts that tell the parent the tin's data is genuine.
let genuineFamily: Set<Verdict> = [.genuine, .genuineRepeat, .genuineAlreadyVerified, .expired, .recalled, .suspectCopy]
