import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A deliberately small HTTP/1.1 client over a POSIX socket, so tests control every byte sent
/// (a Content-Length larger than the body, chunked bodies, wrong labels) and see every byte answered.
struct LoopbackResponse {
    var status: Int
    var headers: [String: String]
    var body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }

    func header(_ name: String) -> String? { headers[name.lowercased()] }

    func json() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            throw LoopbackError("the body is not a JSON object: \(text.prefix(200))")
        }
        return object
    }
}

struct LoopbackError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

struct LoopbackClient {
    let port: Int

    /// Sends one request and reads the answer until the server closes or the declared length
    /// arrives. The socket calls block, so they run on a Dispatch thread: blocking the test's
    /// concurrency threads would starve the server's handlers, which share that pool.
    func request(_ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8] = [],
                 declaredLength: Int? = nil, chunked: Bool = false) async throws -> LoopbackResponse {
        let result: Result<LoopbackResponse, any Error> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: Result {
                    try requestBlocking(method, path, headers: headers, body: body, declaredLength: declaredLength, chunked: chunked)
                })
            }
        }
        return try result.get()
    }

    func requestBlocking(_ method: String, _ path: String, headers: [(String, String)], body: [UInt8],
                         declaredLength: Int?, chunked: Bool) throws -> LoopbackResponse {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        var payload: [UInt8]
        if chunked {
            head += "Transfer-Encoding: chunked\r\n\r\n"
            payload = Array(head.utf8)
            var offset = 0
            while offset < body.count {
                let end = min(offset + 16_384, body.count)
                payload += Array("\(String(end - offset, radix: 16))\r\n".utf8) + body[offset..<end] + Array("\r\n".utf8)
                offset = end
            }
            payload += Array("0\r\n\r\n".utf8)
        } else {
            if !body.isEmpty || declaredLength != nil || method == "POST" {
                head += "Content-Length: \(declaredLength ?? body.count)\r\n"
            }
            payload = Array((head + "\r\n").utf8) + body
        }
        let socket = try Self.connect(port: port)
        defer { close(socket) }
        try Self.sendAll(socket, payload)
        return try Self.readResponse(socket)
    }

    static func connect(port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw LoopbackError("socket() failed") }
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(fd)
            throw LoopbackError("connect to port \(port) failed: \(String(cString: strerror(errno)))")
        }
        return fd
    }

    static func sendAll(_ fd: Int32, _ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            // The server may answer and close before taking the whole body (413): what it answered still counts.
            if n <= 0 { return }
            sent += n
        }
    }

    static func readResponse(_ fd: Int32) throws -> LoopbackResponse {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var headerEnd: Int?
        var expected: Int?
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            data += buffer[0..<n]
            if headerEnd == nil, let end = data.firstRange(of: Array("\r\n\r\n".utf8))?.upperBound {
                headerEnd = end
                let head = String(decoding: data[..<end], as: UTF8.self).lowercased()
                if let line = head.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }) {
                    expected = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces))
                }
            }
            if let headerEnd, let expected, data.count >= headerEnd + expected { break }
        }
        guard let headerEnd else { throw LoopbackError("no complete response head (\(data.count) bytes)") }
        let lines = String(decoding: data[..<headerEnd], as: UTF8.self).split(separator: "\r\n")
        guard let statusLine = lines.first, statusLine.split(separator: " ").count >= 2,
              let status = Int(statusLine.split(separator: " ")[1]) else { throw LoopbackError("bad status line") }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers[name] = headers[name].map { $0 + ", " + value } ?? value
        }
        return LoopbackResponse(status: status, headers: headers, body: Array(data[headerEnd...]))
    }
}

/// A multipart/form-data body.
struct MultipartBody {
    let boundary = "genuine-test-\(UUID().uuidString)"
    var bytes: [UInt8] = []

    var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    mutating func add(name: String, filename: String? = nil, contentType: String? = nil, content: [UInt8]) {
        var head = "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\""
        if let filename { head += "; filename=\"\(filename)\"" }
        head += "\r\n"
        if let contentType { head += "Content-Type: \(contentType)\r\n" }
        bytes += Array((head + "\r\n").utf8) + content + Array("\r\n".utf8)
    }

    func finished() -> [UInt8] { bytes + Array("--\(boundary)--\r\n".utf8) }

    static func photo(_ content: [UInt8], filename: String = "photo.png", contentType: String = "image/png") -> MultipartBody {
        var body = MultipartBody()
        body.add(name: "photo", filename: filename, contentType: contentType, content: content)
        return body
    }
}
