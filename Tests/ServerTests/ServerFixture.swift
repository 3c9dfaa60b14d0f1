import Foundation
import GRDB
import Photo
import QRCode
import Server
import Verification

/// A seeded demo registry in a fresh folder, and the service started on a free loopback port.
struct ServerFixture: Sendable {
    let directory: URL
    let databasePath: String
    let store: SQLiteStore
    let codes: DemoCodes

    var dataDirectory: URL { directory.appendingPathComponent("data") }
    static let labToken = "lab-secret-for-tests"

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("genuine-server-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        databasePath = directory.appendingPathComponent("genuine.sqlite").path
        store = try SQLiteStore(path: databasePath)
        codes = try DemoData.seed(store: store, keys: KeyDirectory.beside(database: databasePath))
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    /// Runs `body` against the live service on a free loopback port, then stops it and removes the
    /// folder. (HummingbirdTesting's live mode would do the same but pulls in AsyncHTTPClient and
    /// BoringSSL, minutes of build time on CI for nothing these tests need.)
    func serve(maxBodyBytes: Int = 4 * 1024 * 1024, maxPixels: Int = 4_000_000, store: (any VerificationStore)? = nil,
               _ body: @Sendable (LoopbackClient) async throws -> Void) async throws {
        defer { remove() }
        let configuration = ServerConfiguration(host: "127.0.0.1", port: 0, dataDirectory: dataDirectory,
                                                maxBodyBytes: maxBodyBytes, maxPixels: maxPixels, labToken: Self.labToken)
        let (ports, portSink) = AsyncStream<Int>.makeStream()
        let app = GenuineServer.makeApplication(configuration: configuration, store: store ?? self.store,
                                                databaseFile: databasePath, onRunning: { portSink.yield($0) })
        let server = Task { try await app.runService(gracefulShutdownSignals: []) }
        defer { server.cancel() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw LoopbackError("the server stopped before listening") }
        try await body(LoopbackClient(port: port))
        server.cancel()
        _ = await server.result
    }

    /// A small, sharp PNG of `text` as a QR code: quick to upload and parse in a debug build.
    static func codePhoto(_ text: String) throws -> [UInt8] {
        let symbol = try QREncoder.encode(text, options: EncodeOptions(level: .M))
        return try PhotoWriter.pngData(SymbolRenderer.render(symbol.matrix, moduleSize: 4))
    }

    /// A photo with no code on it (a plain grey card): the reader finds nothing.
    static func blankPhoto() throws -> [UInt8] {
        try PhotoWriter.jpegData(GrayImage(width: 320, height: 240, fill: 128), quality: 80)
    }
}

/// Upload helpers shared by the suites.
extension LoopbackClient {
    func upload(_ photo: [UInt8], filename: String = "photo.png", contentType: String = "image/png",
                headers: [(String, String)] = []) async throws -> LoopbackResponse {
        let form = MultipartBody.photo(photo, filename: filename, contentType: contentType)
        return try await request("POST", "/v1/verifications", headers: [("Content-Type", form.contentType)] + headers, body: form.finished())
    }

    func verifyCode(_ code: String, headers: [(String, String)] = []) async throws -> LoopbackResponse {
        let body = try JSONSerialization.data(withJSONObject: ["code": code])
        return try await request("POST", "/v1/verifications", headers: [("Content-Type", "application/json")] + headers, body: Array(body))
    }

    func postJSON(_ path: String, _ object: [String: Any], headers: [(String, String)] = []) async throws -> LoopbackResponse {
        let body = try JSONSerialization.data(withJSONObject: object)
        return try await request("POST", path, headers: [("Content-Type", "application/json")] + headers, body: Array(body))
    }
}

/// Holds SQLite's write lock from another connection, as a second process would, until released.
final class DatabaseLockHolder: Sendable {
    private let locked = DispatchSemaphore(value: 0)
    private let release = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)

    /// Returns once the lock is held.
    init(path: String) async throws {
        let holder = try DatabaseQueue(path: path)
        let (locked, release, done) = (locked, release, done)
        DispatchQueue.global().async {
            try? holder.writeWithoutTransaction { db in
                try db.execute(sql: "BEGIN IMMEDIATE")
                locked.signal()
                release.wait()
                try db.execute(sql: "ROLLBACK")
            }
            done.signal()
        }
        await Self.wait(locked)
    }

    func unlock() async {
        release.signal()
        await Self.wait(done)
    }

    private static func wait(_ semaphore: DispatchSemaphore) async {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                semaphore.wait()
                continuation.resume()
            }
        }
    }
}
