import Foundation
import Hummingbird
import MultipartKit
import Photo

/// What a verification request asks about, once its body passed the limits and format checks.
struct VerificationInput: Sendable {
    enum Payload: Sendable {
        /// Photo bytes whose first bytes are PNG or JPEG and whose header is within the pixel limit.
        case photo([UInt8])
        case code(String)
    }

    var payload: Payload
    /// Optional facts the parent or partner adds: the shop it came from, a coarse region.
    var sellerID: String?
    var region: String?
}

/// The JSON form of a verification request.
struct CodeRequestBody: Codable, Sendable {
    var code: String
    var sellerId: String?
    var region: String?
}

/// Reads a request body into a ``VerificationInput``, answering with the problem when it cannot:
/// 413 too large, 400 malformed, 415 not PNG or JPEG (by content, whatever it is labelled), 422
/// too many pixels.
struct UploadIntake: Sendable {
    let maxBodyBytes: Int
    let maxPixels: Int

    /// The body, refused before reading when Content-Length is over the limit and cut off when a
    /// chunked body grows past it.
    func body(of request: Request) async throws(Problem) -> ByteBuffer {
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > maxBodyBytes {
            throw Problem.tooLarge(limit: maxBodyBytes)
        }
        do {
            return try await request.body.collect(upTo: maxBodyBytes)
        } catch let error as HTTPResponseError where error.status == .contentTooLarge {
            throw Problem.tooLarge(limit: maxBodyBytes)
        } catch {
            throw Problem.badRequest("The request body could not be read: \(error).")
        }
    }

    func input(from request: Request) async throws(Problem) -> VerificationInput {
        let mediaType = MediaTypeHeader(request.headers[.contentType] ?? "")
        switch mediaType.type {
        case "multipart/form-data":
            guard let boundary = mediaType.parameters["boundary"], !boundary.isEmpty, boundary.utf8.count <= 70 else {
                throw Problem.badRequest("A multipart/form-data body needs a boundary parameter of 1 to 70 characters.")
            }
            let form = try FormParts.parse(try await body(of: request), boundary: boundary)
            guard let photo = form.parts.first(where: { $0.name == "photo" }) else {
                throw Problem.badRequest("The form has no part named \"photo\". Attach the package photo as the \"photo\" field.")
            }
            try checkPhoto(photo.body)
            return VerificationInput(payload: .photo(photo.body), sellerID: form.text("sellerId"), region: form.text("region"))
        case "application/json":
            let request = try JSONBody.decode(CodeRequestBody.self, from: try await body(of: request))
            guard !request.code.isEmpty else { throw Problem.badRequest("\"code\" is empty: send the text the code holds.") }
            return VerificationInput(payload: .code(request.code), sellerID: request.sellerId, region: request.region)
        default:
            throw Problem(status: .unsupportedMediaType, title: "Unsupported request type",
                          detail: "Send the photo as multipart/form-data (field \"photo\") or a code as application/json {\"code\": \"…\"}.")
        }
    }

    /// PNG or JPEG by the first bytes, and not more pixels than allowed by the header. A photo that
    /// passes but whose data is damaged still gets a verdict (INCONCLUSIVE, with a mail-in case).
    func checkPhoto(_ bytes: [UInt8]) throws(Problem) {
        guard !bytes.isEmpty else {
            throw Problem.badRequest(PhotoError.empty.description)
        }
        let info: PhotoInfo
        do {
            info = try PhotoLoader.info(bytes)
        } catch .unrecognizedFormat(let firstBytes) {
            throw Problem(status: .unsupportedMediaType, title: "Not a PNG or JPEG photo",
                          detail: PhotoError.unrecognizedFormat(firstBytes: firstBytes).description)
        } catch {
            return // a damaged header is for the reader to diagnose
        }
        let (pixels, overflow) = info.width.multipliedReportingOverflow(by: info.height)
        if overflow || pixels > maxPixels {
            throw Problem(status: .unprocessableContent, title: "Photo has too many pixels",
                          detail: PhotoError.tooLarge(width: info.width, height: info.height, limit: maxPixels).description)
        }
    }
}

/// A Content-Type value split into its lower-cased media type and parameters.
struct MediaTypeHeader {
    var type: String
    var parameters: [String: String] = [:]

    init(_ value: String) {
        let pieces = value.split(separator: ";", omittingEmptySubsequences: false)
        type = (pieces.first.map(String.init) ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        for piece in pieces.dropFirst() {
            guard let equals = piece.firstIndex(of: "=") else { continue }
            let name = piece[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            var parameter = piece[piece.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if parameter.count >= 2, parameter.hasPrefix("\""), parameter.hasSuffix("\"") {
                parameter = String(parameter.dropFirst().dropLast())
            }
            parameters[name] = parameter
        }
    }
}

/// The parts of a multipart/form-data body. Part file names are read past, never kept.
struct FormParts {
    struct Part {
        var name: String?
        var body: [UInt8]
    }

    var parts: [Part]

    /// The first part with this name as text (short fields such as the seller id).
    func text(_ name: String) -> String? {
        parts.first { $0.name == name }.map { String(decoding: $0.body, as: UTF8.self) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    static func parse(_ body: ByteBuffer, boundary: String) throws(Problem) -> FormParts {
        let malformed = Problem.badRequest("The multipart/form-data body is malformed or cut off. Send the form again.")
        // The parser does not report a missing closing delimiter, so look for it first.
        let closing = Array("--\(boundary)--".utf8)
        guard body.readableBytesView.firstRange(of: closing) != nil else { throw malformed }
        let parser = MultipartParser(boundary: boundary)
        var parts: [Part] = []
        var current = Part(name: nil, body: [])
        parser.onHeader = { name, value in
            if name.lowercased() == "content-disposition" { current.name = Self.fieldName(value) }
        }
        parser.onBody = { chunk in current.body.append(contentsOf: chunk.readableBytesView) }
        parser.onPartComplete = {
            parts.append(current)
            current = Part(name: nil, body: [])
        }
        do {
            try parser.execute(body)
        } catch {
            throw malformed
        }
        guard !parts.isEmpty else { throw malformed }
        return FormParts(parts: parts)
    }

    /// `form-data; name="photo"; filename="IMG_1.jpg"` → `photo`.
    static func fieldName(_ disposition: String) -> String? {
        MediaTypeHeader(disposition).parameters["name"]
    }
}
