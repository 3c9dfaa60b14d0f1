import Foundation
import QRCode
import Testing
@testable import Photo

/// The sample photos bundled in testimages/ (what `make run` decodes first) read back to exactly
/// the texts listed in testimages/expected.json, and the photo without a code reads nothing.
@Suite struct SamplePhotoTests {
    struct Entry: Decodable {
        var expected: [String]
        var scene: String
    }

    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("testimages")

    static func entries() throws -> [(name: String, entry: Entry)] {
        let data = try Data(contentsOf: folder.appendingPathComponent("expected.json"))
        return try JSONDecoder().decode([String: Entry].self, from: data).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    @Test func everyBundledPhotoIsListed() throws {
        let listed = Set(try Self.entries().map(\.name))
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path)
            .filter { $0.hasSuffix(".png") || $0.hasSuffix(".jpg") }
        #expect(Set(files) == listed)
        #expect(listed.count >= 6)
    }

    @Test(arguments: try SamplePhotoTests.entries().map(\.name))
    func samplePhotoReadsBack(name: String) throws {
        let entry = try #require(try Self.entries().first { $0.name == name }?.entry)
        let image = try PhotoLoader.load(path: Self.folder.appendingPathComponent(name).path)
        let result = QRReader.read(image)
        #expect(result.symbols.map(\.text).sorted() == entry.expected.sorted(), "\(name): \(entry.scene)")
        if entry.expected.isEmpty { #expect(result.diagnosis?.reason == .noCodeFound, "\(name): \(String(describing: result.diagnosis))") }
    }
}
