import Foundation
import Testing
@testable import Batch

@Suite("Batch inputs: manifests, folder walks and the results ledger")
struct InputTests {
    @Test("CSV: quoted cells with commas, quotes and line breaks; CRLF; a byte-order mark")
    func csvParsing() throws {
        let rows = try CSVTable.parse("\u{FEFF}path,note\r\n\"a, b.jpg\",\"say \"\"hi\"\"\"\r\nc.png,\"two\nlines\"\nd.png,\n")
        #expect(rows.map(\.cells) == [["path", "note"], ["a, b.jpg", "say \"hi\""], ["c.png", "two\nlines"], ["d.png", ""]])
        #expect(rows.map(\.line) == [1, 2, 3, 5])
        #expect(try CSVTable.parse("a,b") .map(\.cells) == [["a", "b"]])
        #expect(throws: CSVTable.ParseError(line: 2, reason: "a quoted cell is never closed")) { try CSVTable.parse("path\n\"open") }
        #expect(throws: CSVTable.ParseError(line: 1, reason: "a quote inside an unquoted cell")) { try CSVTable.parse("pa\"th") }
        #expect(CSVTable.line(["plain", "with,comma", "with \"quote\""]) == "plain,\"with,comma\",\"with \"\"quote\"\"\"")
        #expect(try CSVTable.parse(CSVTable.line(["x,y", "\"z\""])).map(\.cells) == [["x,y", "\"z\""]])
    }

    @Test("manifest errors name the line and what to fix")
    func manifestErrors() throws {
        try inTemporaryFolder { folder in
            let file = folder.appendingPathComponent("m.csv").path
            try "file,case\na.png,1\n".write(toFile: file, atomically: true, encoding: .utf8)
            #expect(throws: BatchInputError.manifestWithoutPathColumn(path: file, header: ["file", "case"])) { try BatchInputs.manifest(path: file) }
            try "Path,Case_ID\na.png,C-12\n".write(toFile: file, atomically: true, encoding: .utf8)
            #expect(throws: BatchInputError.invalidCaseID(path: file, line: 2, value: "C-12")) { try BatchInputs.manifest(path: file) }
            try "path,case_id\n,3\n".write(toFile: file, atomically: true, encoding: .utf8)
            #expect(throws: BatchInputError.manifestMalformed(path: file, line: 2, reason: "the path cell is empty")) { try BatchInputs.manifest(path: file) }
            try "path\n/abs/a.png\nsub/b.png\n".write(toFile: file, atomically: true, encoding: .utf8)
            let inputs = try BatchInputs.manifest(path: file)
            #expect(inputs.map(\.path) == ["/abs/a.png", folder.appendingPathComponent("sub/b.png").path])
            #expect(inputs.map(\.label) == ["/abs/a.png", "sub/b.png"])
            #expect(throws: BatchInputError.self) { try BatchInputs.manifest(path: folder.appendingPathComponent("none.csv").path) }
        }
    }

    @Test("a folder walk takes every file recursively in path order, leaves out hidden ones and the run's own files")
    func folderWalk() throws {
        try inTemporaryFolder { folder in
            for name in ["b/2.jpg", "b/10.jpg", "a.png", ".hidden/x.png", "b/.DS_Store", "results.jsonl", "c/notes.txt", "db.keys/k1.key"] {
                let url = folder.appendingPathComponent(name)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data([1]).write(to: url)
            }
            let (inputs, hidden) = BatchInputs.walk([folder.path, folder.appendingPathComponent("missing.png").path],
                                                    excluding: [folder.appendingPathComponent("results.jsonl").path,
                                                            folder.appendingPathComponent("db.keys").path])
            #expect(inputs.map(\.label) == ["a.png", "b/10.jpg", "b/2.jpg", "c/notes.txt"].map { folder.path + "/" + $0 }
                    + [folder.appendingPathComponent("missing.png").path])
            #expect(hidden == 2)
        }
    }

    @Test("the results file drops a torn last line and refuses lines that are not records")
    func resultsLedger() throws {
        try inTemporaryFolder { folder in
            let path = folder.appendingPathComponent("r.jsonl").path
            var record = BatchRecord(input: "a.png", sha256: String(repeating: "0", count: 64), caseId: 7)
            record.error = "damaged"
            record.errorKind = "corrupt"
            let line = try record.jsonLine()
            #expect(line.hasPrefix("{\"input\":\"a.png\",\"sha256\":\"000"))
            #expect(line.contains("\"caseId\":7,\"scanId\":null,"))
            try (line + "\n" + line.prefix(10)).write(toFile: path, atomically: true, encoding: .utf8)
            let file = try ResultsFile(path: path)
            #expect(file.droppedTornLine && file.existing == [record])
            try file.append(line)
            #expect(try ResultsFile.read(path: path) == [record, record])
            #expect(try String(contentsOfFile: path, encoding: .utf8) == line + "\n" + line + "\n")
        // A second run on the same file while this one holds it is refused.
        #expect(throws: ResultsFileError.inUse(path: path)) { _ = try ResultsFile(path: path) }
        withExtendedLifetime(file) {}
        }
    }

    @Test("progress: a quiet line per tenth when stderr is not a terminal")
    func progressLines() {
        let lines = LinesSink()
        let progress = BatchProgress(style: .lines, total: 20, write: { lines.add($0) })
        for _ in 0..<20 { progress.advance() }
        #expect(lines.all.count == 10)
        #expect(lines.all.last?.hasPrefix("batch: 20/20 (100%)") == true)
        #expect(BatchProgress.clock(75) == "1:15" && BatchProgress.clock(3725) == "1:02:05")
    }
}

final class LinesSink: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func add(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}
