import Foundation
import Hummingbird

/// An error answer in RFC 9457 form (`application/problem+json`): what went wrong and what to do.
struct Problem: Error, Sendable {
    var status: HTTPResponse.Status
    /// Short, stable summary of the problem type.
    var title: String
    /// This occurrence, in words a user can act on.
    var detail: String
    var extraHeaders: HTTPFields = [:]

    static func badRequest(_ detail: String) -> Problem {
        Problem(status: .badRequest, title: "Malformed request", detail: detail)
    }

    static func notFound(_ detail: String) -> Problem {
        Problem(status: .notFound, title: "Not found", detail: detail)
    }

    static func tooLarge(limit: Int) -> Problem {
        // Closing tells the client to stop sending the rest of the body.
        Problem(status: .contentTooLarge, title: "Upload too large",
                detail: "The upload is larger than \(limit / (1024 * 1024)) MB. Send a smaller photo: a few megapixels are plenty.",
                extraHeaders: [.connection: "close"])
    }

    static func unavailable(_ detail: String) -> Problem {
        Problem(status: .serviceUnavailable, title: "Verification temporarily unavailable",
                detail: "The registry cannot be reached right now (\(detail)). Nothing was recorded; try again in a minute.",
                extraHeaders: [.retryAfter: "30"])
    }

    /// The problem document; `type` stays `about:blank` since the status code says it all.
    func response(instance: String? = nil) -> Response {
        let document = ProblemDocument(type: "about:blank", title: title, status: Int(status.code), detail: detail, instance: instance)
        var headers = extraHeaders
        headers[.contentType] = "application/problem+json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: JSONBody.bytes(document))))
    }
}

/// RFC 9457 members used here.
struct ProblemDocument: Codable, Sendable {
    var type: String
    var title: String
    var status: Int
    var detail: String
    var instance: String?
}
