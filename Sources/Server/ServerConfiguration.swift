import Foundation

/// Everything `genuine serve` is told on its command line, with the service's limits.
public struct ServerConfiguration: Sendable {
    public var host: String
    /// 0 picks a free port (tests read the bound port back).
    public var port: Int
    /// Where uploaded photos are kept, content-addressed: `photos/ab/<sha256>.png|jpg`.
    public var dataDirectory: URL
    /// Requests with a larger body get 413 (checked on Content-Length before any byte is read).
    public var maxBodyBytes: Int
    /// Photos whose header claims more pixels get 422, before any pixel memory is allocated.
    public var maxPixels: Int
    /// Bearer token for the lab's case events; `nil` turns those endpoints off (401).
    public var labToken: String?
    /// Photos decoded at once; more wait their turn instead of starving the event loops.
    public var decodeConcurrency: Int

    public init(host: String = "127.0.0.1", port: Int = 8080, dataDirectory: URL,
                maxBodyBytes: Int = 20 * 1024 * 1024, maxPixels: Int = 50_000_000, labToken: String? = nil,
                decodeConcurrency: Int = max(1, ProcessInfo.processInfo.activeProcessorCount)) {
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.maxBodyBytes = maxBodyBytes
        self.maxPixels = maxPixels
        self.labToken = labToken
        self.decodeConcurrency = decodeConcurrency
    }
}
