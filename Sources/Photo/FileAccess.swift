import Glibc

/// Whole-file reads and writes with errors that name the path and the system's reason.
enum FileAccess {
    static func read(path: String) throws(PhotoError) -> [UInt8] {
        // O_NONBLOCK keeps a FIFO from blocking the open; regular files ignore it.
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { throw .fileUnreadable(path: path, reason: systemReason()) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .fileUnreadable(path: path, reason: systemReason()) }
        guard status.st_mode & S_IFMT == S_IFREG else {
            let kind = status.st_mode & S_IFMT == S_IFDIR ? "it is a folder" : "it is not a regular file"
            throw .fileUnreadable(path: path, reason: kind)
        }
        let size = Int(status.st_size)
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            while initialized < size {
                let got = Glibc.read(descriptor, buffer.baseAddress! + initialized, size - initialized)
                if got > 0 {
                    initialized += got
                } else if got == 0 {
                    break // the file shrank while being read; what was read is decoded (and judged)
                } else if errno != EINTR {
                    failure = errno
                    break
                }
            }
        }
        guard failure == 0 else { throw .fileUnreadable(path: path, reason: systemReason(failure)) }
        return bytes
    }

    static func write(_ bytes: [UInt8], to path: String) throws(PhotoError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .fileUnwritable(path: path, reason: systemReason()) }
        var failure: Int32 = 0
        bytes.withUnsafeBufferPointer { buffer in
            var written = 0
            while written < buffer.count {
                let put = Glibc.write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if put >= 0 {
                    written += put
                } else if errno != EINTR {
                    failure = errno
                    return
                }
            }
        }
        // close reports delayed write errors (e.g. a full disk on network file systems).
        if close(descriptor) != 0 && failure == 0 { failure = errno }
        guard failure == 0 else { throw .fileUnwritable(path: path, reason: systemReason(failure)) }
    }

    private static func systemReason(_ code: Int32 = errno) -> String {
        String(cString: strerror(code))
    }
}
