import Foundation
import Hummingbird
import Verification

/// The HTTP routes. Handlers answer every failure themselves (problem+json for the API, the page
/// with the problem for the form), so `/metrics` sees the real status of every answer.
struct Routes: Sendable {
    let service: VerificationService
    let intake: UploadIntake
    let labToken: String?
    let metrics: ServiceMetrics

    static let idempotencyHeader = "Idempotency-Key"

    func register(on router: Router<BasicRequestContext>) {
        // The page.
        router.get("/") { request, _ in
            var response = Self.html(Pages.home())
            if Self.verifierID(request) == nil { response.setCookie(Self.newVerifierCookie()) }
            return response
        }
        router.post("/check") { request, _ in await checkFromPage(request) }
        router.get("/scans/:id") { request, context in
            await page { () throws(Problem) in try await scanPage(id: try Self.parameter(context, "id"), request: request) }
        }
        router.post("/scans/:id/examination") { _, context in
            await page { () throws(Problem) in
                let scanID = try Self.parameter(context, "id")
                let requested = try await service.requestExamination(scanID: scanID, actor: "consumer")
                return Self.redirect(to: "/scans/\(scanID)?case=\(requested.mailInCase.id)")
            }
        }
        router.get("/01/:gtin/10/:lot/21/:serial") { _, context in
            await page { () throws(Problem) in
                let gtin = try Self.parameter(context, "gtin")
                guard (8...14).contains(gtin.count), gtin.allSatisfy(\.isASCII), gtin.allSatisfy(\.isNumber) else {
                    throw Problem.notFound("\(gtin) is not a GTIN.")
                }
                let record = try await service.landing(gtin: String(repeating: "0", count: 14 - gtin.count) + gtin,
                                                       lot: try Self.parameter(context, "lot"),
                                                       serial: try Self.parameter(context, "serial"))
                return Self.html(Pages.landing(record))
            }
        }

        // The API.
        router.post("/v1/verifications") { request, _ in
            await api { () throws(Problem) in
                let idempotencyKey = try Self.header(request, Self.idempotencyHeader, maxLength: 255)
                let input = try await intake.input(from: request)
                let record = try await service.verify(input, verifierID: try Self.verifierIDChecked(request),
                                                      idempotencyKey: idempotencyKey)
                return JSONBody.response(record, status: record.replayed ? .ok : .created,
                                         headers: [.location: "/v1/verifications/\(record.scanId)"])
            }
        }
        router.get("/v1/verifications/:id") { _, context in
            await api { () throws(Problem) in JSONBody.response(try await service.verification(scanID: try Self.parameter(context, "id"))) }
        }
        router.post("/v1/cases") { request, _ in
            await api { () throws(Problem) in
                let body = try JSONBody.decode(CaseRequest.self, from: try await intake.body(of: request))
                let requested = try await service.requestExamination(scanID: body.scanId, actor: "consumer")
                let document = try await service.mailInCase(id: requested.mailInCase.id)
                return JSONBody.response(document, status: requested.created ? .created : .ok,
                                         headers: [.location: "/v1/cases/\(requested.mailInCase.id)"])
            }
        }
        router.get("/v1/cases/:id") { _, context in
            await api { () throws(Problem) in JSONBody.response(try await service.mailInCase(id: try Self.caseID(context))) }
        }
        router.post("/v1/cases/:id/events") { request, context in
            await api { () throws(Problem) in
                try authorizeLab(request)
                let id = try Self.caseID(context)
                let event = try JSONBody.decode(CaseEventRequest.self, from: try await intake.body(of: request))
                return JSONBody.response(try await service.advanceCase(id: id, event: event), status: .created,
                                         headers: [.location: "/v1/cases/\(id)"])
            }
        }

        // Operations.
        router.get("/healthz") { _, _ in
            await api { () throws(Problem) in JSONBody.response(["status": "ok", "scans": String(try await service.health())]) }
        }
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.exposition())))
        }
    }

    // MARK: Page handlers

    /// The form's upload: on success the browser is sent to the verdict page (so a reload does not
    /// upload again); a problem is shown on the page with its status.
    func checkFromPage(_ request: Request) async -> Response {
        let known = Self.verifierID(request)
        let cookie = known == nil ? Self.newVerifierCookie() : nil
        var response = await page { () throws(Problem) in
            let input = try await intake.input(from: request)
            let record = try await service.verify(input, verifierID: known ?? cookie?.value, idempotencyKey: nil)
            return Self.redirect(to: "/scans/\(record.scanId)")
        }
        if let cookie { response.setCookie(cookie) }
        return response
    }

    func scanPage(id: String, request: Request) async throws(Problem) -> Response {
        let record = try await service.verification(scanID: id)
        var requested: MailInCase?
        if let caseID = request.uri.queryParameters.get("case").flatMap({ Int64($0) }) {
            let document = try await service.mailInCase(id: caseID)
            // Only a case that belongs to this check is shown with it.
            if document.case.openedFromScanID == id || record.mailIn.caseId == caseID { requested = document.case }
        }
        return Self.html(Pages.verdict(record, requestedCase: requested))
    }

    // MARK: Helpers

    func api(_ body: () async throws(Problem) -> Response) async -> Response {
        do {
            return try await body()
        } catch {
            return error.response()
        }
    }

    func page(_ body: () async throws(Problem) -> Response) async -> Response {
        do {
            return try await body()
        } catch {
            var response = Self.html(Pages.problem(error), status: error.status)
            for field in error.extraHeaders { response.headers.append(field) }
            return response
        }
    }

    /// The lab's bearer token, compared in constant time.
    func authorizeLab(_ request: Request) throws(Problem) {
        let unauthorized = Problem(status: .unauthorized, title: "Lab access only",
                                   detail: "Case events need the lab's bearer token in the Authorization header.",
                                   extraHeaders: [.wwwAuthenticate: "Bearer"])
        guard let labToken, !labToken.isEmpty,
              let presented = request.headers[.authorization], presented.hasPrefix("Bearer ") else { throw unauthorized }
        let given = Array(presented.dropFirst("Bearer ".count).utf8)
        let expected = Array(labToken.utf8)
        var difference = given.count == expected.count ? 0 : 1
        for index in 0..<min(given.count, expected.count) { difference |= Int(given[index] ^ expected[index]) }
        if difference != 0 { throw unauthorized }
    }

    static func verifierID(_ request: Request) -> String? {
        if let header = headerValue(request, GenuineServer.verifierHeader), !header.isEmpty { return header }
        return request.cookies[GenuineServer.verifierCookie]?.value
    }

    static func verifierIDChecked(_ request: Request) throws(Problem) -> String? {
        guard let id = verifierID(request) else { return nil }
        guard id.utf8.count <= 200 else { throw Problem.badRequest("The verifier id is longer than 200 bytes.") }
        return id
    }

    /// A header by name, case-insensitively (custom names need no HTTPTypes import this way).
    static func headerValue(_ request: Request, _ name: String) -> String? {
        let lowered = name.lowercased()
        return request.headers.first { $0.name.canonicalName == lowered }?.value
    }

    static func header(_ request: Request, _ name: String, maxLength: Int) throws(Problem) -> String? {
        guard let value = headerValue(request, name) else { return nil }
        guard !value.isEmpty, value.utf8.count <= maxLength else {
            throw Problem.badRequest("The \(name) header must be 1 to \(maxLength) bytes.")
        }
        return value
    }

    static func newVerifierCookie() -> Cookie {
        Cookie(name: GenuineServer.verifierCookie, value: UUID().uuidString.lowercased(), maxAge: 400 * 86_400, path: "/",
               httpOnly: true, sameSite: .lax)
    }

    static func parameter(_ context: BasicRequestContext, _ name: String) throws(Problem) -> String {
        guard let raw = context.parameters.get(name) else { throw Problem.badRequest("The path has no \(name).") }
        return raw.removingPercentEncoding ?? raw
    }

    static func caseID(_ context: BasicRequestContext) throws(Problem) -> Int64 {
        let raw = try parameter(context, "id")
        guard let id = Int64(raw) else { throw Problem.notFound("No case has the id \(raw).") }
        return id
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func redirect(to location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }
}
