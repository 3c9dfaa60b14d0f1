import Foundation
import Testing

@Suite("genuine decode on bad files")
struct DecodeCommandTests {
    @Test("each bad file gets its own error line, the good photo after them is still read, and the exit status is 1")
    func badFilesAreReportedAndTheRunGoesOn() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("genuine-bad-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

        let good = path("label.png")
        let uri = "https://t.example/01/06901234567892/10/L1/21/ABC"
        let encoded = try GenuineCommand.run(["encode", "--output", good, uri])
        #expect(encoded.status == 0, "\(encoded.stderr)")
        let png = try Data(contentsOf: URL(fileURLWithPath: good))

        let bad: [(name: String, bytes: Data, says: String)] = [
            ("empty.png", Data(), "empty"),
            ("notes.jpg", Data("hello, this is text\n".utf8), "not a PNG or JPEG"),
            ("cut.png", png.prefix(png.count / 2), "ends early"),
            ("header.png", Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + Data("GARBAGE".utf8), "ends early"),
        ]
        for file in bad { try file.bytes.write(to: URL(fileURLWithPath: path(file.name))) }

        let out = try GenuineCommand.run(["decode", "--json"] + bad.map { path($0.name) } + [good])
        #expect(out.status == 1)
        let lines = out.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == bad.count + 1, "\(out.stdout)")
        for (line, file) in zip(lines, bad) {
            #expect(line.contains(file.name) && line.contains("\"error\"") && line.contains(file.says), "\(file.name): \(line)")
        }
        #expect(lines.last?.contains(uri) == true, "\(lines.last ?? "")")
    }

    @Test("--time-budget takes positive seconds: a longer budget still reads, zero, negative or NaN is a usage error")
    func timeBudgetIsValidated() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("genuine-budget-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let label = folder.appendingPathComponent("label.png").path
        let uri = "https://t.example/01/06901234567892/10/L1/21/BUDGET"
        #expect(try GenuineCommand.run(["encode", "--output", label, uri]).status == 0)

        let read = try GenuineCommand.run(["decode", "--json", "--time-budget", "60", label])
        #expect(read.status == 0 && read.stdout.contains(uri), "\(read.stdout) \(read.stderr)")
        for bad in ["0", "-1", "nan", "100000"] {
            let out = try GenuineCommand.run(["decode", "--time-budget=\(bad)", label])
            #expect(out.status == 64 && out.stderr.contains("--time-budget must be more than 0"), "\(bad): \(out.stderr)")
        }
    }
}
