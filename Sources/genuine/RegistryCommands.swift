import ArgumentParser
import Foundation
import Verification

/// `genuine import-epcis FILE…`: load supply-chain events for the timelines.
struct ImportEPCISCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-epcis",
        abstract: "Import EPCIS 2.0 JSON-LD documents (ObjectEvent, AggregationEvent); re-imports are skipped by event id."
    )

    @OptionGroup var store: StoreOptions
    @Argument(help: "EPCIS JSON-LD files.") var files: [String]

    func run() throws {
        let registry = try store.open()
        for file in files {
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch { throw CommandFailure("cannot read \(file): \(error.localizedDescription)") }
            do {
                let summary = try EPCISImporter.importDocument(data, into: registry)
                print("\(file): \(summary.inserted) event(s) imported, \(summary.duplicates) already present, \(summary.skipped) unsupported skipped")
            } catch {
                throw CommandFailure("\(file): \(error)")
            }
        }
    }
}

/// `genuine recall add|list`.
struct RecallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "recall", abstract: "Record and list recalls.",
                                                    subcommands: [Add.self, List.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recall one lot, or all lots of a GTIN produced in a date range; matching lots are marked recalled.")
        @OptionGroup var store: StoreOptions
        @Option var gtin: String
        @Option var lot: String?
        @Option(help: "First production date covered, YYYY-MM-DD.") var producedFrom: CalendarDate?
        @Option(help: "Last production date covered, YYYY-MM-DD.") var producedThrough: CalendarDate?
        @Option var reason: String

        func run() throws {
            guard let gtin14 = GTIN.normalised(gtin) else { throw ValidationError("GTIN \(gtin) has a wrong length or check digit") }
            guard lot != nil || producedFrom != nil || producedThrough != nil else {
                throw ValidationError("give --lot or a production-date range: a recall of every lot ever made is not accepted here")
            }
            let recall = try store.open().addRecall(Recall(gtin: gtin14, lot: lot, producedFrom: producedFrom,
                                                           producedThrough: producedThrough, reason: reason, announcedAt: Date()))
            print("recall \(recall.id ?? 0) recorded for GTIN \(gtin14)")
        }
    }

    struct List: ParsableCommand {
        @OptionGroup var store: StoreOptions
        @Option var gtin: String?

        func run() throws {
            for recall in try store.open().recalls(gtin: gtin.flatMap(GTIN.normalised)) {
                let range = [recall.producedFrom?.iso, recall.producedThrough?.iso].map { $0 ?? "…" }.joined(separator: " to ")
                print("\(recall.id ?? 0)\t\(recall.gtin)\t\(recall.lot ?? "produced \(range)")\t\(recall.reason)")
            }
        }
    }
}

/// `genuine key list|create|retire|revoke`: key rotation and revocation.
struct KeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "key", abstract: "Create, list, retire and revoke signing keys.",
                                                    subcommands: [List.self, Create.self, Retire.self, Revoke.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a key pair for a brand; the private key goes to the key folder with mode 0600.")
        @OptionGroup var store: StoreOptions
        @Option var brand: String
        @Option(help: "ed25519 (default) or hmac-sha256-128.") var algorithm: SigningAlgorithm = .ed25519
        func run() throws {
            let key = try Issuer(store: try store.open(), keys: store.keyDirectory).createKey(brandID: brand, algorithm: algorithm)
            print("key \(key.keyID) (\(key.algorithm.rawValue)) created for \(brand); private key: \(key.secretPath ?? "?")")
        }
    }

    struct Retire: KeyStatusChange {
        static let configuration = CommandConfiguration(abstract: "Retire a key after rotation: its codes still verify, it mints no more.")
        static let status = KeyStatus.retired
        @OptionGroup var store: StoreOptions
        @Argument var keyID: String
    }

    struct List: ParsableCommand {
        @OptionGroup var store: StoreOptions
        func run() throws {
            for key in try store.open().signingKeys() {
                print("\(key.keyID)\t\(key.brandID)\t\(key.algorithm.rawValue)\t\(key.status.rawValue)")
            }
        }
    }

    struct Revoke: KeyStatusChange {
        static let configuration = CommandConfiguration(abstract: "Revoke a key: every code signed with it verifies as counterfeit.")
        static let status = KeyStatus.revoked
        @OptionGroup var store: StoreOptions
        @Argument var keyID: String
    }
}

/// A subcommand that moves one key to a fixed status.
protocol KeyStatusChange: ParsableCommand {
    static var status: KeyStatus { get }
    var store: StoreOptions { get }
    var keyID: String { get }
}

extension KeyStatusChange {
    func run() throws {
        try store.open().setKeyStatus(keyID: keyID, to: Self.status, at: Date())
        print("key \(keyID) \(Self.status.rawValue)")
    }
}
