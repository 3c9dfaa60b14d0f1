import ArgumentParser
import Glibc
import Photo
import QRCode
import Scenes

/// `genuine stress-set`: write the project's synthetic stress images and their manifest.
struct StressSetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stress-set",
        abstract: "Render the reproducible stress set (PNG or JPEG per case) and DIR/manifest.json.",
        discussion: """
        The images are the same bytes on every run. manifest.json lists, per case, its category, \
        grade, what the grade varies, the file name (relative to DIR) and the texts a reader \
        should find (none for the no-code category).
        """
    )

    @Option(name: .long, help: "Output directory (created when missing).")
    var out: String

    @Option(name: .long, help: "Only these categories (comma-separated).")
    var category: String?

    @Option(name: .long, help: "Render the size ladder instead: one scene at each of these megapixel counts (comma-separated, e.g. 0.3,1,3,12,24,48; JPEG q90).")
    var sizeLadder: String?

    @Option(name: .long, help: "Render photos without a code at these megapixel counts (comma-separated, e.g. 3,12; finder-like clutter scaled with the frame, JPEG q90), after the size ladder's when both are given.")
    var clutterLadder: String?

    func run() throws {
        var cases = StressSet.cases()
        if sizeLadder != nil || clutterLadder != nil {
            cases = try StressSet.sizeLadder(megapixels: Self.megapixels(sizeLadder, option: "--size-ladder"))
                + StressSet.clutterLadder(megapixels: Self.megapixels(clutterLadder, option: "--clutter-ladder"))
        }
        if let category {
            let wanted = Set(category.split(separator: ",").map(String.init))
            let known = Set(cases.map(\.category))
            let unknown = wanted.subtracting(known)
            guard unknown.isEmpty else {
                throw ValidationError("unknown categories \(unknown.sorted()); known: \(known.sorted().joined(separator: ", "))")
            }
            cases = cases.filter { wanted.contains($0.category) }
        }
        if mkdir(out, 0o755) != 0 && errno != EEXIST {
            throw ValidationError("cannot create \(out): \(String(cString: strerror(errno)))")
        }
        var entries: [JSON] = []
        for stressCase in cases {
            let image = SceneRenderer.render(stressCase.spec)
            let file: String
            if let quality = stressCase.jpegQuality {
                file = stressCase.name + ".jpg"
                try PhotoWriter.writeJPEG(image, to: out + "/" + file, quality: quality)
            } else {
                file = stressCase.name + ".png"
                try PhotoWriter.writePNG(image, to: out + "/" + file)
            }
            entries.append(.object([
                ("category", .string(stressCase.category)),
                ("grade", .int(stressCase.grade)),
                ("parameter", .string(stressCase.parameter)),
                ("file", .string(file)),
                ("expected", .array(stressCase.expectedTexts.map { .string($0) })),
            ]))
        }
        try PhotoWriter.write(bytes: Array((JSON.array(entries).serialized + "\n").utf8), to: out + "/manifest.json")
        print("\(cases.count) images in \(out)")
    }

    /// The megapixel counts of a ladder option ("0.3,1,12"); none when the option is not given.
    static func megapixels(_ list: String?, option: String) throws -> [Double] {
        guard let list else { return [] }
        let sizes = list.split(separator: ",").map { Double(String($0.filter { $0 != " " })) }
        guard !sizes.isEmpty, sizes.allSatisfy({ $0 != nil && $0! > 0 && $0! <= 100 }) else {
            throw ValidationError("\(option) wants megapixel counts between 0 and 100, comma-separated, e.g. 0.3,1,3,12,24,48")
        }
        return sizes.compactMap { $0 }
    }
}
