import Foundation
import Photo
import QRCode
import Scenes
import Testing
@testable import Batch
@testable import Verification

/// A seeded demo database and a folder for photos, in a fresh temporary directory removed at the end.
struct BatchFixture {
    let directory: URL
    let store: SQLiteStore
    let keys: KeyDirectory
    let codes: DemoCodes

    var databasePath: String { directory.appendingPathComponent("genuine.sqlite").path }
    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    static func with<T>(_ body: (BatchFixture) throws -> T) throws -> T {
        try inTemporaryFolder { directory in try with(directory: directory, body) }
    }

    private static func with<T>(directory: URL, _ body: (BatchFixture) throws -> T) throws -> T {
        let store = try SQLiteStore(path: directory.appendingPathComponent("genuine.sqlite").path)
        let keys = KeyDirectory(url: directory.appendingPathComponent("keys"))
        let codes = try DemoData.seed(store: store, keys: keys)
        return try body(BatchFixture(directory: directory, store: store, keys: keys, codes: codes))
    }

    /// `count` new genuine tins of the demo's first brand, never verified.
    func freshGenuineCodes(_ count: Int) throws -> [String] {
        let code = try CodeParser.parse(codes.genuine, referenceYear: 2026)
        let keyID = String(try #require(code.authenticator).prefix(2))
        return try Issuer(store: store, keys: keys)
            .mint(gtin: code.gtin, lot: try #require(code.lot), count: count, keyID: keyID, host: DemoData.auroraHost)
            .map(\.uri)
    }

    /// Opens a mail-in case as the lab's intake would, and returns its number.
    func openCase() throws -> Int64 {
        try store.openCase(NewCase(reasons: ["consumer_request"], actor: "intake", at: Date())).id
    }

    /// How many scans the lab recorded (channel `lab_batch`) and how many distinct keys they carry.
    func labScans() throws -> (scans: Int, keys: Int) {
        try store.queue.read { db in
            let scans = try Int.fetchOne(db, sql: "SELECT count(*) FROM scans WHERE channel = 'lab_batch'") ?? 0
            let keys = try Int.fetchOne(db, sql: "SELECT count(DISTINCT idempotency_key) FROM scans WHERE channel = 'lab_batch'") ?? 0
            return (scans, keys)
        }
    }
}

/// Runs `body` with a new empty folder, removed afterwards.
func inTemporaryFolder<T>(_ body: (URL) throws -> T) throws -> T {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("genuine-batch-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    return try body(folder)
}

/// Small package photos rendered with the project's scene renderer (a few hundred pixels, so a
/// debug build reads them quickly).
enum TestPhotos {
    /// A tin label photographed flat with a slight turn; `blurred` makes it unreadable.
    static func render(_ text: String, seed: UInt64, blurred: Bool = false) throws -> GrayImage {
        let symbol = try QREncoder.encode(text, options: EncodeOptions(level: .M))
        let code = PlacedCode(symbol: symbol.matrix, center: Point(x: 170, y: 170), moduleSize: 4,
                              rotation: Double(seed % 7) * 4 - 12, dark: 30, light: 225)
        let spec = SceneSpec(width: 340, height: 340, background: Background(level: 170, gradient: 30, texture: 6),
                             codes: [code], blurSigma: blurred ? 1.2 : 0.1, noise: 2, seed: seed)
        return SceneRenderer.render(spec)
    }

    static func write(_ image: GrayImage, to path: String, jpeg: Bool) throws {
        if jpeg { try PhotoWriter.writeJPEG(image, to: path, quality: 92) } else { try PhotoWriter.writePNG(image, to: path) }
    }

    static func write(bytes: [UInt8], to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// Up to `limit` real photos from ../shared/testimages (PNG and JPEG), or none when absent.
    static func realPhotos(limit: Int) -> [URL] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/testimages/zxing-cpp/qrcode-2")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: root.path) else { return [] }
        return names.filter { $0.hasSuffix(".jpg") || $0.hasSuffix(".png") }.sorted().prefix(limit).map { root.appendingPathComponent($0) }
    }
}

/// A folder of mixed inputs, as a lab's export might hold: readable renders of genuine and other
/// codes (some as JPEG, some without or with a wrong extension), blurred ones, exact duplicates,
/// truncated, random, empty and text files, and a few real photos when the shared set is present.
struct MixedFolder {
    /// Expected outcome per file name (relative to the folder): a verdict or an error kind.
    var expected: [String: String] = [:]
    /// Names of files that repeat another file's bytes.
    var duplicates: Set<String> = []
    var realPhotos = 0

    static func make(in folder: URL, fixture: BatchFixture, genuine: Int, duplicateEvery: Int = 2) throws -> MixedFolder {
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("nested/deeper"), withIntermediateDirectories: true)
        var set = MixedFolder()
        func put(_ name: String, _ image: GrayImage, jpeg: Bool, expect: String) throws {
            try TestPhotos.write(image, to: folder.appendingPathComponent(name).path, jpeg: jpeg)
            set.expected[name] = expect
        }
        let fresh = try fixture.freshGenuineCodes(genuine)
        var firstPNG: String?
        for (index, uri) in fresh.enumerated() {
            let jpeg = index % 3 == 0
            let name = (index % 4 == 0 ? "nested/" : index % 4 == 1 ? "nested/deeper/" : "") + "tin-\(index)" + (jpeg ? ".jpg" : ".png")
            try put(name, try TestPhotos.render(uri, seed: UInt64(index + 1)), jpeg: jpeg, expect: "GENUINE")
            if !jpeg, firstPNG == nil { firstPNG = name }
            if index % duplicateEvery == 0 {
                let copy = "zz-copy-of-tin-\(index)" + (jpeg ? ".jpg" : ".png")
                try FileManager.default.copyItem(at: folder.appendingPathComponent(name), to: folder.appendingPathComponent(copy))
                set.expected[copy] = "GENUINE"
                set.duplicates.insert(copy)
            }
        }
        let others: [(String, String)] = [(fixture.codes.forged, "COUNTERFEIT"), (fixture.codes.recalled, "RECALLED"),
                                          (fixture.codes.unknown, "UNKNOWN")]
        for (index, (uri, verdict)) in others.enumerated() {
            try put("other-\(index).png", try TestPhotos.render(uri, seed: UInt64(500 + index)), jpeg: false, expect: verdict)
        }
        // Recognised by content: a PNG without an extension and a JPEG named .dat.
        try put("IMG_NOEXT", try TestPhotos.render(try fixture.freshGenuineCodes(1)[0], seed: 600), jpeg: false, expect: "GENUINE")
        try put("export.dat", try TestPhotos.render(try fixture.freshGenuineCodes(1)[0], seed: 601), jpeg: true, expect: "GENUINE")
        for index in 0..<6 {
            try put("blurred-\(index).png", try TestPhotos.render(fresh[index % fresh.count], seed: UInt64(700 + index), blurred: true),
                    jpeg: false, expect: "INCONCLUSIVE")
        }
        let png = try Data(contentsOf: folder.appendingPathComponent(try #require(firstPNG)))
        var generator = SplitMix64(seed: 99)
        for index in 0..<8 {
            let name = "broken/truncated-\(index).png"
            try FileManager.default.createDirectory(at: folder.appendingPathComponent("broken"), withIntermediateDirectories: true)
            try TestPhotos.write(bytes: Array(png.prefix(png.count * (index + 2) / 12)), to: folder.appendingPathComponent(name).path)
            set.expected[name] = "error"
        }
        for index in 0..<8 {
            let name = "broken/random-\(index).jpg"
            try TestPhotos.write(bytes: (0..<(200 + index * 50)).map { _ in UInt8(truncatingIfNeeded: generator.next()) },
                                 to: folder.appendingPathComponent(name).path)
            set.expected[name] = "error"
        }
        for index in 0..<4 {
            let name = "broken/empty-\(index).png"
            try TestPhotos.write(bytes: [], to: folder.appendingPathComponent(name).path)
            set.expected[name] = "error"
            if index > 0 { set.duplicates.insert(name) }
        }
        for index in 0..<3 {
            let name = "notes-\(index).txt"
            try TestPhotos.write(bytes: Array("case notes \(index): tin dented\n".utf8), to: folder.appendingPathComponent(name).path)
            set.expected[name] = "error"
        }
        for (index, photo) in TestPhotos.realPhotos(limit: 12).enumerated() {
            let name = "real/\(index)-\(photo.lastPathComponent)"
            try FileManager.default.createDirectory(at: folder.appendingPathComponent("real"), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: photo, to: folder.appendingPathComponent(name))
            set.expected[name] = "any"
            set.realPhotos += 1
        }
        if set.realPhotos == 0 { print("note: ../shared/testimages is absent: the batch runs only on rendered photos") }
        // Hidden files are left out of a folder walk.
        try TestPhotos.write(bytes: Array("junk".utf8), to: folder.appendingPathComponent(".DS_Store").path)
        return set
    }

    /// Checks each record against what its file should give.
    func check(_ records: [BatchRecord], folder: String) {
        let prefix = folder.hasSuffix("/") ? folder : folder + "/"
        for record in records {
            let name = String(record.input.dropFirst(prefix.count))
            guard let want = expected[name] else {
                Issue.record("a record for an unexpected input \(record.input)")
                continue
            }
            switch want {
            case "error":
                #expect(record.error != nil && record.errorKind != nil && record.verdict == nil && record.scanId == nil, "\(name): \(record)")
            case "any":
                #expect((record.verdict != nil) != (record.error != nil), "\(name): \(record)")
            default:
                #expect(record.verdict?.rawValue == want, "\(name): \(record)")
                #expect(record.scanId != nil && record.decode != nil, "\(name)")
            }
            #expect((record.duplicateOf != nil) == duplicates.contains(name), "\(name): duplicateOf \(record.duplicateOf ?? "nil")")
        }
    }
}
