import Foundation
import Glibc

/// Why the results file cannot be used.
public enum ResultsFileError: Error, Equatable, Sendable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case unwritable(path: String, reason: String)
    case foreignLine(path: String, line: Int)
    case inUse(path: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason): return "cannot read \(path): \(reason)"
        case let .unwritable(path, reason): return "cannot write \(path): \(reason); check the folder exists, is writable and the disk is not full"
        case let .foreignLine(path, line):
            return "\(path) line \(line) is not a batch record; give a new --out file or move this one away (nothing was processed)"
        case let .inUse(path):
            return "another genuine batch is writing \(path); wait for it to finish or give another --out file"
        }
    }
}

/// The JSON Lines results file, which is also the run's ledger: one complete line per finished
/// input, appended with a single `write` each, so a killed run leaves whole lines plus at most one
/// torn last line. Opening drops that torn line, so its input is simply judged again (and its scan
/// replayed through its idempotency key).
final class ResultsFile {
    let path: String
    private let descriptor: Int32
    /// The records already in the file when it was opened.
    let existing: [BatchRecord]
    /// Whether an unfinished last line was cut off on opening.
    let droppedTornLine: Bool

    init(path: String) throws(ResultsFileError) {
        self.path = path
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .unwritable(path: path, reason: Self.systemReason()) }
        // Two runs appending to one file would each write the lines the other is writing.
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw .inUse(path: path)
        }
        var bytes: [UInt8] = []
        do throws(ResultsFileError) {
            bytes = try Self.readAll(descriptor, path: path)
            var complete = bytes.count
            while complete > 0, bytes[complete - 1] != UInt8(ascii: "\n") { complete -= 1 }
            droppedTornLine = complete < bytes.count
            if droppedTornLine {
                guard ftruncate(descriptor, off_t(complete)) == 0 else { throw ResultsFileError.unwritable(path: path, reason: Self.systemReason()) }
                bytes.removeSubrange(complete...)
            }
            existing = try Self.records(in: bytes, path: path)
            guard lseek(descriptor, 0, SEEK_END) >= 0 else { throw ResultsFileError.unwritable(path: path, reason: Self.systemReason()) }
        } catch {
            close(descriptor)
            throw error
        }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Appends one line with a single write (retried only for the part not yet written), so the
    /// kernel has it as soon as this returns; a SIGKILL afterwards cannot lose it.
    func append(_ line: String) throws(ResultsFileError) {
        let bytes = Array((line + "\n").utf8)
        var written = 0
        while written < bytes.count {
            let put = bytes.withUnsafeBufferPointer { Glibc.write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if put >= 0 {
                written += put
            } else if errno != EINTR {
                throw .unwritable(path: path, reason: Self.systemReason())
            }
        }
    }

    /// Pushes the file to the disk (end of run), so a power loss cannot lose finished lines.
    func synchronize() { _ = fsync(descriptor) }

    /// The records in a results file as it is on disk now.
    static func read(path: String) throws(ResultsFileError) -> [BatchRecord] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .unreadable(path: path, reason: systemReason()) }
        defer { close(descriptor) }
        var bytes = try readAll(descriptor, path: path)
        while let last = bytes.last, last != UInt8(ascii: "\n") { bytes.removeLast() }
        return try records(in: bytes, path: path)
    }

    private static func records(in bytes: [UInt8], path: String) throws(ResultsFileError) -> [BatchRecord] {
        let decoder = JSONDecoder()
        var records: [BatchRecord] = []
        for (index, line) in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            guard let record = try? decoder.decode(BatchRecord.self, from: Data(line)) else {
                throw .foreignLine(path: path, line: index + 1)
            }
            records.append(record)
        }
        return records
    }

    private static func readAll(_ descriptor: Int32, path: String) throws(ResultsFileError) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let got = chunk.withUnsafeMutableBufferPointer { Glibc.read(descriptor, $0.baseAddress!, $0.count) }
            if got > 0 {
                bytes.append(contentsOf: chunk[0..<got])
            } else if got == 0 {
                return bytes
            } else if errno != EINTR {
                throw .unreadable(path: path, reason: systemReason())
            }
        }
    }

    private static func systemReason() -> String { String(cString: strerror(errno)) }
}
