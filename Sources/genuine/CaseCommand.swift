import ArgumentParser
import Foundation
import Verification

/// `genuine case list|show|open|advance`: the lab's mail-in workflow.
struct CaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "case", abstract: "Mail-in examination cases: open → received → examining → concluded.",
        subcommands: [List.self, Show.self, Open.self, Advance.self])

    struct List: ParsableCommand {
        @OptionGroup var store: StoreOptions
        @Option(help: "Only cases in this status.") var status: CaseStatus?
        @ArgumentParser.Flag var json = false

        func run() throws {
            let cases = try store.open().cases(status: status)
            for item in cases {
                print(json ? try JSONOutput.line(item)
                      : "\(item.id)\t\(item.status.rawValue)\t\(item.reasons.joined(separator: ","))\t\(item.serial ?? item.photoSHA256 ?? "-")")
            }
        }
    }

    struct Show: ParsableCommand {
        @OptionGroup var store: StoreOptions
        @Argument var id: Int64
        @ArgumentParser.Flag var json = false

        func run() throws {
            let registry = try store.open()
            guard let item = try registry.mailInCase(id: id) else { throw CommandFailure("no case \(id)") }
            let events = try registry.caseEvents(caseID: id)
            if json {
                struct Shown: Encodable { var `case`: MailInCase; var events: [CaseEvent] }
                print(try JSONOutput.line(Shown(case: item, events: events)))
                return
            }
            print("case \(item.id): \(item.status.rawValue)")
            print("  reasons: \(item.reasons.joined(separator: ", "))")
            if let gtin = item.gtin { print("  unit: GTIN \(gtin) serial \(item.serial ?? "-")") }
            if let photo = item.photoSHA256 { print("  photo: \(photo)") }
            if let seller = item.sellerID { print("  seller: \(seller)") }
            if let scan = item.openedFromScanID { print("  opened from scan \(scan)") }
            for event in events {
                print("  \(ISO8601DateFormatter().string(from: event.at))  \(event.actor)  \(event.fromStatus?.rawValue ?? "-") → \(event.toStatus.rawValue)  \(event.note ?? "")")
            }
        }
    }

    struct Open: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open a case on a consumer's request, from one of their scans.")
        @OptionGroup var store: StoreOptions
        @Option(help: "The scan the consumer asks about.") var scan: String
        @Option(help: "Why the case is opened.") var reason = "consumer_request"
        @Option(help: "Seller the tin was bought from.") var seller: String?
        @Option var actor = "support"

        func run() throws {
            let registry = try store.open()
            guard let record = try registry.verification(scanID: scan) else { throw CommandFailure("no scan \(scan)") }
            let opened = try registry.openCase(NewCase(reasons: [reason], scanID: scan, gtin: record.code?.gtin,
                                                       serial: record.code?.serial, sellerID: seller, actor: actor, at: Date()))
            print("case \(opened.id) opened")
        }
    }

    struct Advance: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move a case to its next status. A counterfeit conclusion marks the unit compromised.")
        @OptionGroup var store: StoreOptions
        @Argument var id: Int64
        @Option(help: "received, examining, concluded_genuine, concluded_counterfeit or concluded_inconclusive.") var to: CaseStatus
        @Option var note: String?
        @Option var actor = "lab"
        @ArgumentParser.Flag(help: "With concluded_counterfeit: blacklist the seller named on the case.") var blacklistSeller = false

        func run() throws {
            let updated = try store.open().advanceCase(id: id, to: to, actor: actor, note: note, blacklistSeller: blacklistSeller, at: Date())
            print("case \(updated.id): \(updated.status.rawValue)")
        }
    }
}

extension CaseStatus: ExpressibleByArgument {}
