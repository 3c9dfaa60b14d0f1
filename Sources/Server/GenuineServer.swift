import Foundation
import Hummingbird
import Verification

/// The upload service: the JSON API, the parent's page and the Digital Link landing pages, all
/// judged by the verification core through the same photo pipeline as `genuine verify`.
public enum GenuineServer {
    /// Header and cookie that carry the verifier's id (an app install, a browser); hashed before storage.
    public static let verifierHeader = "Verifier-Id"
    public static let verifierCookie = "genuine_verifier"

    /// Builds the application; `run()` or `runService()` it. `store` is the registry; give
    /// `databaseFile` (the SQLite file behind it) so a deleted or replaced file answers 503 instead
    /// of recording into nowhere. Port 0 binds a free port; `onRunning` receives the bound port.
    public static func makeApplication(configuration: ServerConfiguration, store: any VerificationStore,
                                       databaseFile: String?, clock: @escaping @Sendable () -> Date = { Date() },
                                       onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let metrics = ServiceMetrics()
        let service = VerificationService(store: store, databaseFile: databaseFile.flatMap(DatabaseFileGuard.init(path:)),
                                          archive: PhotoArchive(dataDirectory: configuration.dataDirectory), metrics: metrics,
                                          decoders: BlockingWork(label: "decode", limit: configuration.decodeConcurrency),
                                          database: BlockingWork(label: "database", limit: 4), clock: clock)
        let routes = Routes(service: service, intake: UploadIntake(maxBodyBytes: configuration.maxBodyBytes,
                                                                   maxPixels: configuration.maxPixels),
                            labToken: configuration.labToken, metrics: metrics)
        let router = Router()
        router.add(middleware: ProblemMiddleware(metrics: metrics))
        routes.register(on: router)
        return Application(router: router,
                           configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port),
                                                                   serverName: "genuine"),
                           onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? configuration.port) })
    }
}

/// Counts every answer for `/metrics` and turns the router's own errors (unknown path, wrong
/// method) into problem documents like the rest.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServiceMetrics

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        let response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPResponseError {
            let title = error.status.reasonPhrase
            response = Problem(status: error.status, title: title, detail: "\(title): \(request.uri.path)").response()
        } catch {
            response = Problem(status: .internalServerError, title: "Internal error", detail: "\(error)").response()
        }
        metrics.countRequest(method: request.method.rawValue, status: Int(response.status.code))
        return response
    }
}
