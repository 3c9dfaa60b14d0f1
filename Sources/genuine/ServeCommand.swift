import ArgumentParser
import Foundation
import Server
import Verification

/// `genuine serve`: the upload service, its page and the Digital Link landing pages.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the verification page and JSON API over HTTP.",
        discussion: """
            Parents open http://HOST:PORT/ on a phone, photograph a tin's code and see the verdict with the tin's \
            record. Partners POST /v1/verifications (multipart field "photo", or JSON {"code": "..."}). Photos are \
            kept content-addressed under --data. The lab's case events need the bearer token in \
            $GENUINE_LAB_TOKEN (kept out of the command line, where other users could read it).
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port = 8080

    @Option(help: "Folder for uploaded photos (default: the database path + .data).")
    var data: String?

    @Option(help: "Largest request body in MB (413 above).")
    var maxUploadMb = 20

    @Option(help: "Largest photo in megapixels, from its header (422 above).")
    var maxMegapixels = 50

    func validate() throws {
        if !(0...65_535).contains(port) { throw ValidationError("--port must be 0…65535") }
        if maxUploadMb < 1 || maxUploadMb > 1024 { throw ValidationError("--max-upload-mb must be 1…1024") }
        if maxMegapixels < 1 || maxMegapixels > 1000 { throw ValidationError("--max-megapixels must be 1…1000") }
    }

    func run() throws {
        let path = store.databasePath
        guard FileManager.default.fileExists(atPath: path) else {
            throw CommandFailure("no database at \(path): create one (e.g. genuine demo --db \(path) --photos DIR) or pass --db")
        }
        let registry = try store.open()
        let dataDirectory = URL(fileURLWithPath: data ?? path + ".data")
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        let configuration = ServerConfiguration(host: host, port: port, dataDirectory: dataDirectory,
                                                maxBodyBytes: maxUploadMb * 1024 * 1024, maxPixels: maxMegapixels * 1_000_000,
                                                labToken: ProcessInfo.processInfo.environment["GENUINE_LAB_TOKEN"])
        let host = host
        let announce: @Sendable (Int) async -> Void = { bound in
            // Written unbuffered: scripts wait for this line to know the port.
            FileHandle.standardOutput.write(Data(
                "genuine serve: listening on http://\(host):\(bound)/ (database \(path), photos \(dataDirectory.path))\n".utf8))
        }
        let app = GenuineServer.makeApplication(configuration: configuration, store: registry, databaseFile: path,
                                                onRunning: announce)
        // The root command is synchronous; the server runs on the concurrency pool until SIGINT or
        // SIGTERM, which the application handles by shutting down gracefully.
        let finished = DispatchSemaphore(value: 0)
        let outcome = ServeOutcome()
        Task {
            do { try await app.runService() } catch { outcome.error = "\(error)" }
            finished.signal()
        }
        finished.wait()
        if let error = outcome.error { throw CommandFailure("the server stopped: \(error)") }
    }
}

/// Carries the server task's failure back to the waiting command.
private final class ServeOutcome: @unchecked Sendable {
    // Written by the server task before it signals, read after the wait: never concurrently.
    var error: String?
}
