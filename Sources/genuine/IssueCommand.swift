import ArgumentParser
import Foundation
import Photo
import QRCode
import Verification

/// `genuine issue`: register brand, product and lot as needed, create a key, mint signed codes.
struct IssueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "issue",
        abstract: "Register a brand, product and lot, create a key pair, and mint signed unit codes.",
        discussion: """
            Brand, product and lot are registered when they are new (their details are then required) and reused \
            otherwise. New keys are Ed25519 unless --algorithm says otherwise; the private key is written to the key \
            folder with mode 0600 and never to the database. The codes are written as CSV for the printer \
            (gtin,lot,serial,expiry,uri); with --labels, one PNG label per code (its QR symbol, named by serial).
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(help: "Brand id, e.g. aurora.") var brand: String
    @Option(help: "Brand name (for a new brand).") var brandName: String?
    @Option(help: "Host of the brand's code URIs, e.g. t.brand.example (for a new brand; default: its first host).") var host: String?

    @Option(help: "GTIN (8, 12, 13 or 14 digits with check digit).") var gtin: String
    @Option(help: "Product name (for a new product).") var productName: String?
    @Option(help: "Formula stage, e.g. 1.") var stage: String?
    @Option(help: "Net content, e.g. \"800 g\".") var netContent: String?
    @Option(help: "Country of origin, ISO 3166 numeric, e.g. 156.") var origin: String?
    @ArgumentParser.Flag(help: "Register the product as registry-only: codes carry no authenticator.") var registryOnly = false
    @Option(help: "Distinct consumers from which a new product's code shows a caution.") var cautionAt = VerificationPolicy().cautionAt
    @Option(help: "Distinct consumers from which a new product's code is a suspected copy.") var suspectAt = VerificationPolicy().suspectAt

    @Option(help: "Lot (batch) number.") var lot: String
    @Option(help: "Production date YYYY-MM-DD (for a new lot).") var productionDate: CalendarDate?
    @Option(help: "Expiry date YYYY-MM-DD (for a new lot).") var expiry: CalendarDate?
    @Option(help: "Factory location id (registered location).") var factory: String?

    @Option(help: "How many unit codes to mint.") var count = 1
    @Option(help: "Sign with this existing key id instead of the brand's active key.") var keyId: String?
    @Option(help: "Algorithm for a new key: ed25519 or hmac-sha256-128.") var algorithm: SigningAlgorithm = .ed25519
    @ArgumentParser.Flag(help: "Create a new key even if the brand has an active one.") var newKey = false

    @Option(help: "CSV output path (default: codes-<lot>.csv).") var csv: String?
    @Option(help: "Folder for one PNG label per code (created when missing).") var labels: String?

    func run() throws {
        guard let gtin14 = GTIN.normalised(gtin) else { throw ValidationError("GTIN \(gtin) has a wrong length or check digit") }
        let registry = try store.open()
        let issuer = Issuer(store: registry, keys: store.keyDirectory)

        let brandRecord: Brand
        if let existing = try registry.brands().first(where: { $0.id == brand }) {
            brandRecord = existing
        } else {
            guard let brandName, let host else { throw ValidationError("new brand \(brand): give --brand-name and --host") }
            brandRecord = Brand(id: brand, name: brandName, hosts: [host])
            try registry.addBrand(brandRecord)
        }
        guard let codeHost = host ?? brandRecord.hosts.first else { throw ValidationError("brand \(brand) has no host: give --host") }

        if let product = try registry.product(gtin: gtin14) {
            guard product.brandID == brand else { throw ValidationError("GTIN \(gtin14) belongs to brand \(product.brandID)") }
        } else {
            guard let productName else { throw ValidationError("new product \(gtin14): give --product-name") }
            guard cautionAt >= 2, suspectAt >= cautionAt else { throw ValidationError("need 2 ≤ --caution-at ≤ --suspect-at") }
            try registry.addProduct(Product(gtin: gtin14, brandID: brand, name: productName, stage: stage, netContent: netContent,
                                            origin: origin, authenticatorRequired: !registryOnly,
                                            policy: VerificationPolicy(cautionAt: cautionAt, suspectAt: suspectAt)))
        }
        if try registry.lot(gtin: gtin14, lot: lot) == nil {
            guard let productionDate, let expiry else { throw ValidationError("new lot \(lot): give --production-date and --expiry") }
            guard expiry > productionDate else { throw ValidationError("expiry must be after the production date") }
            try registry.addLot(Lot(gtin: gtin14, lot: lot, productionDate: productionDate, expiry: expiry, factoryLocationID: factory))
        }

        let signingKeyID: String?
        let signed = try registry.product(gtin: gtin14)?.authenticatorRequired ?? true
        if registryOnly || !signed {
            signingKeyID = nil
        } else if let keyId {
            signingKeyID = keyId
        } else if !newKey, let active = try registry.signingKeys().last(where: { $0.brandID == brand && $0.status == .active }) {
            signingKeyID = active.keyID
        } else {
            let created = try issuer.createKey(brandID: brand, algorithm: algorithm)
            FileHandle.standardError.write(Data("created \(created.algorithm.rawValue) key \(created.keyID); private key: \(created.secretPath ?? "?")\n".utf8))
            signingKeyID = created.keyID
        }

        let codes = try issuer.mint(gtin: gtin14, lot: lot, count: count, keyID: signingKeyID, host: codeHost)
        let csvPath = csv ?? "codes-\(lot).csv"
        try PrinterCSV.write(codes, to: csvPath)
        print("minted \(codes.count) code(s) for GTIN \(gtin14) lot \(lot); CSV: \(csvPath)")
        if let labels {
            try FileManager.default.createDirectory(atPath: labels, withIntermediateDirectories: true)
            for code in codes {
                try LabelRendering.renderLabelPNG(uri: code.uri, to: URL(fileURLWithPath: labels).appendingPathComponent("\(code.serial).png"))
            }
            print("labels: \(codes.count) PNG file(s) in \(labels)")
        }
    }
}

extension SigningAlgorithm: ExpressibleByArgument {}

/// The printer's CSV (RFC 4180): one row per code.
enum PrinterCSV {
    static func write(_ codes: [IssuedCode], to path: String) throws {
        var text = "gtin,lot,serial,expiry,uri\r\n"
        for code in codes {
            text += [code.gtin, code.lot, code.serial, code.expiry.iso, code.uri].map(field).joined(separator: ",") + "\r\n"
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    static func field(_ value: String) -> String {
        value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" })
            ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value
    }
}

/// PNG labels for issued codes: the code's URI as a QR symbol (level M, 8 px per module).
enum LabelRendering {
    /// Renders the QR label for `uri` as a PNG at `path`.
    static func renderLabelPNG(uri: String, to path: URL) throws {
        let symbol = try QREncoder.encode(uri, options: EncodeOptions(level: .M))
        let image = SymbolRenderer.render(symbol.matrix, moduleSize: 8, quietZone: 4)
        try PhotoWriter.writePNG(image, to: path.path)
    }
}
