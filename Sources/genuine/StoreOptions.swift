import ArgumentParser
import Foundation
import Verification

/// `--db PATH` (or `GENUINE_DB`, default `./genuine.sqlite`) and the key folder beside it.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "SQLite database file (default: $GENUINE_DB or ./genuine.sqlite).")
    var db: String?

    @Option(name: .long, help: "Folder of private key files, mode 0600 (default: the database path + .keys).")
    var keys: String?

    var databasePath: String {
        db ?? ProcessInfo.processInfo.environment["GENUINE_DB"] ?? "./genuine.sqlite"
    }

    var keyDirectory: KeyDirectory {
        keys.map { KeyDirectory(url: URL(fileURLWithPath: $0)) } ?? KeyDirectory.beside(database: databasePath)
    }

    func open() throws -> SQLiteStore {
        try SQLiteStore(path: databasePath)
    }
}

/// JSON for machine output: the same form the store keeps.
enum JSONOutput {
    static func line(_ value: some Encodable) throws -> String {
        try JSONText.encode(value)
    }
}

/// A calendar date argument in `YYYY-MM-DD` form.
extension CalendarDate: ExpressibleByArgument {
    public init?(argument: String) { self.init(iso: argument) }
}

/// Failures of a command that are not argument errors; exit status 1.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
