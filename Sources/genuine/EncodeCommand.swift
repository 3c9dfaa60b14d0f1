import ArgumentParser
import Photo
import QRCode

extension ErrorCorrectionLevel: ExpressibleByArgument {}

/// `genuine encode`: make a QR code image.
struct EncodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode",
        abstract: "Encode text as a QR code and write it as a PNG image."
    )

    @Argument(help: "The text to encode.")
    var text: String

    @Option(name: .shortAndLong, help: "Output PNG file.")
    var output: String

    @Option(name: .long, help: "Error-correction level: L, M, Q or H.")
    var ec: ErrorCorrectionLevel = .M

    @Option(name: .long, help: "Pixels per module.")
    var px: Int = 8

    @Option(name: .long, help: "Quiet zone in modules.")
    var quietZone: Int = 4

    @Flag(name: .long, help: "GS1 data: FNC1 in first position; write the group separator as ASCII 29.")
    var gs1 = false

    func validate() throws {
        guard (1...100).contains(px) else { throw ValidationError("--px must be between 1 and 100.") }
        guard (0...40).contains(quietZone) else { throw ValidationError("--quiet-zone must be between 0 and 40.") }
    }

    func run() throws {
        var options = EncodeOptions()
        options.level = ec
        options.gs1 = gs1
        let symbol: QRSymbol
        do {
            symbol = try QREncoder.encode(text, options: options)
        } catch {
            throw ValidationError(error.description)
        }
        let image = SymbolRenderer.render(symbol.matrix, moduleSize: px, quietZone: quietZone)
        try PhotoWriter.writePNG(image, to: output)
        print("\(output): version \(symbol.version.number)-\(symbol.level.rawValue), mask \(symbol.mask), \(image.width)×\(image.height) px")
    }
}
