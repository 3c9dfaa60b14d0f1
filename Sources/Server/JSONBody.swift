import Foundation
import Hummingbird
import Verification

/// JSON bodies in the same form `genuine verify --json` prints (sorted keys, ISO 8601 instants).
enum JSONBody {
    static func bytes(_ value: some Encodable) -> [UInt8] {
        // Every type encoded here is a plain Codable value; a failure would be a programming error,
        // answered as an empty object rather than a crash.
        Array(((try? JSONText.encode(value)) ?? "{}").utf8)
    }

    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes(value))))
    }

    /// Decodes a request body, answering 400 with the decoder's complaint.
    static func decode<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer) throws(Problem) -> T {
        let text = String(buffer: buffer)
        do {
            return try JSONText.decode(type, from: text)
        } catch {
            throw Problem.badRequest("The JSON body could not be read: \(error). Send an object such as {\"code\": \"…\"}.")
        }
    }
}
