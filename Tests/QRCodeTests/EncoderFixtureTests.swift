import Foundation
import Testing
@testable import QRCode

/// Symbols produced by segno (an independent encoder, see
/// Scripts/generate-encoder-fixtures.py) with version, level, mask and segments fixed: our
/// encoder must reproduce them module for module.
@Suite struct EncoderFixtureTests {
    struct Case {
        var name = ""
        var version = 0
        var level = ErrorCorrectionLevel.L
        var mask = 0
        var segments: [SegmentSpec] = []
        var rows: [[Bool]] = []
    }

    struct Fixture {
        var tables: [(version: Int, level: ErrorCorrectionLevel, blocks: ErrorCorrectionBlocks)] = []
        var cases: [Case] = []
    }

    static let fixture: Fixture = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/segno-matrices.txt")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return Fixture() }
        return parse(text)
    }()

    static func hexBytes<S: StringProtocol>(_ hex: S) -> [UInt8] {
        let digits = Array(hex.utf8)
        return stride(from: 0, to: digits.count - 1, by: 2).compactMap {
            UInt8(String(decoding: digits[$0...$0 + 1], as: UTF8.self), radix: 16)
        }
    }

    static func parse(_ text: String) -> Fixture {
        var fixture = Fixture()
        var current = Case()
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: " ")
            guard let key = fields.first else { continue }
            switch key {
            case "table":
                guard fields.count == 5, let v = Int(fields[1]), let level = ErrorCorrectionLevel(rawValue: String(fields[2])),
                      let ec = Int(fields[3]) else { continue }
                let data = fields[4].split(separator: ",").compactMap { Int($0) }
                fixture.tables.append((v, level, ErrorCorrectionBlocks(ecCodewordsPerBlock: ec, dataCodewordsPerBlock: data)))
            case "case":
                current = Case(name: String(fields.dropFirst().joined(separator: " ")))
            case "symbol":
                current.version = Int(fields[1]) ?? 0
                current.level = ErrorCorrectionLevel(rawValue: String(fields[2])) ?? .L
                current.mask = Int(fields[3]) ?? 0
            case "segment":
                let value = fields.count > 2 ? fields[2] : ""
                let bytes = hexBytes(value)
                switch fields[1] {
                case "numeric": current.segments.append(.numeric(String(decoding: bytes, as: UTF8.self)))
                case "alphanumeric": current.segments.append(.alphanumeric(String(decoding: bytes, as: UTF8.self)))
                case "byte": current.segments.append(.byte(bytes))
                case "kanji": current.segments.append(.kanji(bytes))
                case "eci": current.segments.append(.eci(Int(value) ?? -1))
                default: break
                }
            case "row":
                let bits = fields[1].flatMap { c -> [Bool] in
                    let v = Int(String(c), radix: 16) ?? 0
                    return [v & 8 != 0, v & 4 != 0, v & 2 != 0, v & 1 != 0]
                }
                current.rows.append(bits)
            case "end":
                fixture.cases.append(current)
            default:
                break
            }
        }
        return fixture
    }

    @Test func fixtureIsPresent() {
        #expect(Self.fixture.tables.count == 160)
        #expect(Self.fixture.cases.count >= 20)
    }

    @Test func blockTableMatchesSegno() throws {
        for entry in Self.fixture.tables {
            let version = try #require(QRVersion(entry.version))
            #expect(version.blocks(entry.level) == entry.blocks, "\(entry.version)-\(entry.level)")
        }
    }

    @Test(arguments: fixture.cases.map(\.name))
    func matchesSegnoModuleForModule(_ name: String) throws {
        let fixtureCase = try #require(Self.fixture.cases.first { $0.name == name })
        let symbol = try QREncoder.encode(
            segments: fixtureCase.segments, version: fixtureCase.version,
            options: EncodeOptions(level: fixtureCase.level, mask: fixtureCase.mask))
        #expect(symbol.version.number == fixtureCase.version)
        let dim = symbol.matrix.width
        #expect(fixtureCase.rows.count == dim)
        var differences = 0
        for (y, row) in fixtureCase.rows.enumerated() where y < dim {
            for x in 0..<dim where x >= row.count || row[x] != symbol.matrix[x, y] { differences += 1 }
        }
        #expect(differences == 0, "\(name): \(differences) modules differ")
    }
}
