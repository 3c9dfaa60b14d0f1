import Foundation
import Glibc
import Testing
@testable import Batch
@testable import Verification

/// The built `genuine` command, run as the lab would run it.
enum GenuineBinary {
    /// The executable in the build folder of the test runner or of the test bundle (SwiftPM
    /// builds the tests and the command into one folder).
    static func url() throws -> URL {
        let folders = [CommandLine.arguments[0], Bundle.main.bundlePath].map {
            URL(fileURLWithPath: $0).resolvingSymlinksInPath().deletingLastPathComponent()
        }
        let executables = folders.map { $0.appendingPathComponent("genuine") }
        return try #require(executables.first { FileManager.default.isExecutableFile(atPath: $0.path) },
                            "no genuine executable in \(folders.map(\.path)); build it with `swift build`")
    }

    /// Starts `genuine` with stdout and stderr going to files (a pipe left unread could block it).
    static func start(_ arguments: [String], logs: String) throws -> Process {
        let process = Process()
        process.executableURL = try url()
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["GENUINE_DB"] = nil
        process.environment = environment
        for log in [logs + ".out", logs + ".err"] { try Data().write(to: URL(fileURLWithPath: log)) }
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: logs + ".out"))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: logs + ".err"))
        try process.run()
        return process
    }

    static func lineCount(_ path: String) -> Int {
        guard let data = FileManager.default.contents(atPath: path) else { return 0 }
        return data.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
    }
}

@Suite("genuine batch killed with SIGKILL and run again")
struct KillResumeTests {
    @Test("a run killed mid-way and re-run with --resume: exactly one record per input, no duplicate scans, counts match")
    func killAndResume() throws {
        try BatchFixture.with { f in
            let folder = f.directory.appendingPathComponent("photos")
            let set = try MixedFolder.make(in: folder, fixture: f, genuine: 150, duplicateEvery: 2)
            let inputCount = set.expected.count
            #expect(inputCount >= 250, "a few hundred inputs")
            let scansBefore = try f.store.scanCount()
            let out = f.path("results.jsonl")
            let arguments = ["batch", "--db", f.databasePath, "--out", out, "--jobs", "2", folder.path]

            // Kill once a few dozen records are in, well before the end.
            let first = try GenuineBinary.start(arguments, logs: f.path("first"))
            let deadline = Date().addingTimeInterval(120)
            while GenuineBinary.lineCount(out) < 40, first.isRunning, Date() < deadline { usleep(2_000) }
            let killedWhileRunning = first.isRunning
            kill(first.processIdentifier, SIGKILL)
            first.waitUntilExit()
            #expect(killedWhileRunning, "the run finished before it could be killed: \(GenuineBinary.lineCount(out)) lines")
            #expect(first.terminationReason == .uncaughtSignal)
            let linesAtKill = GenuineBinary.lineCount(out)
            #expect(linesAtKill < inputCount)

            // A kill inside a write leaves a torn last line; make sure the resume meets one.
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data("{\"input\":\"\(folder.path)/tin-1".utf8))
            try handle.close()

            let second = try GenuineBinary.start(arguments + ["--resume"], logs: f.path("second"))
            second.waitUntilExit()
            let stderr = (try? String(contentsOfFile: f.path("second.err"), encoding: .utf8)) ?? ""
            #expect(second.terminationStatus == 0, "\(stderr)")

            let summaryLine = try String(contentsOfFile: f.path("second.out"), encoding: .utf8)
            let summary = try JSONDecoder().decode(BatchSummary.self, from: Data(summaryLine.utf8))
            #expect(summary.inputs == inputCount && summary.records == inputCount && summary.complete)
            #expect(summary.tornLineDropped && summary.alreadyDone == linesAtKill && summary.otherRecordsInFile == 0)
            #expect(summary.verdicts.values.reduce(0, +) + summary.errors.values.reduce(0, +) == inputCount)

            let records = try ResultsFile.read(path: out)
            #expect(records.count == inputCount)
            #expect(Set(records.map(\.input)).count == inputCount, "one record per input")
            set.check(records, folder: folder.path)

            // One scan per readable photo content, whether its scan was written before or after the kill.
            let contents = Set(records.filter { $0.scanId != nil }.compactMap(\.sha256))
            let lab = try f.labScans()
            #expect(lab.scans == contents.count && lab.keys == contents.count)
            #expect(try f.store.scanCount() - scansBefore == contents.count)
            var scanOfContent: [String: String] = [:]
            for record in records {
                guard let sha = record.sha256, let scan = record.scanId else { continue }
                #expect(scanOfContent[sha, default: scan] == scan, "\(record.input) has a second scan for the same photo")
                scanOfContent[sha] = scan
            }
        }
    }
}
