/// Why a photo could not be read or written. Each description tells the user what to do next.
public enum PhotoError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Opening or reading the file failed; `reason` is the system's explanation.
    case fileUnreadable(path: String, reason: String)
    /// The file or data has no bytes at all.
    case empty
    /// Neither PNG nor JPEG, judged by the first bytes (never by the file name);
    /// `firstBytes` lists them in hex.
    case unrecognizedFormat(firstBytes: String)
    /// The header claims more pixels than allowed; found before any pixel memory is allocated.
    case tooLarge(width: Int, height: Int, limit: Int)
    /// The data stops before the image is complete.
    case truncated(format: ImageFormat, detail: String)
    /// The data is damaged.
    case corrupt(format: ImageFormat, detail: String)
    /// A valid file using a feature this program does not handle, or an image that cannot be
    /// encoded as asked.
    case unsupported(format: ImageFormat, detail: String)
    /// Creating or writing the output file failed; `reason` is the system's explanation.
    case fileUnwritable(path: String, reason: String)

    public var description: String {
        switch self {
        case let .fileUnreadable(path, reason):
            "Cannot read \"\(path)\": \(reason). Check the path and that the file is readable."
        case .empty:
            "The file is empty (0 bytes): it may still be uploading or the copy failed; copy or export it again."
        case let .unrecognizedFormat(firstBytes):
            "This is not a PNG or JPEG image\(Self.formatGuess(firstBytes)) (it starts with \(firstBytes)). "
                + "Export or convert it to JPEG or PNG; renaming the file does not change its format."
        case let .tooLarge(width, height, limit):
            "The image is \(width)×\(height) pixels, more than the limit of \(Self.grouped(limit)) pixels. "
                + "Resize it: a few megapixels are plenty to read a QR code."
        case let .truncated(format, detail):
            "The \(format.displayName) file ends early (\(detail)): it may still be uploading or was cut off; export it again."
        case let .corrupt(format, detail):
            "The \(format.displayName) file is damaged (\(detail)); export it again or take a new photo."
        case let .unsupported(format, detail):
            "The \(format.displayName) image uses something this program cannot handle (\(detail)); "
                + "save it as an ordinary 8-bit JPEG or PNG."
        case let .fileUnwritable(path, reason):
            "Cannot write \"\(path)\": \(reason). Check that the folder exists, is writable and the disk is not full."
        }
    }

    /// 100000000 as "100,000,000".
    static func grouped(_ number: Int) -> String {
        let digits = Array(String(number.magnitude))
        let groups = stride(from: digits.count, to: 0, by: -3).reversed().map { end in
            String(digits[max(0, end - 3)..<end])
        }
        return (number < 0 ? "-" : "") + groups.joined(separator: ",")
    }

    /// The first bytes in the form `unrecognizedFormat` carries: up to 16, as hex pairs.
    static func hexPrefix(_ bytes: [UInt8]) -> String {
        let digits: [Character] = Array("0123456789abcdef")
        return bytes.prefix(16).map { String([digits[Int($0 >> 4)], digits[Int($0 & 15)]]) }
            .joined(separator: " ")
    }

    /// Names common formats people mistake for photos the loader reads, from the hex prefix.
    static func formatGuess(_ hexPrefix: String) -> String {
        let bytes = hexPrefix.split(separator: " ").compactMap { UInt8($0, radix: 16) }
        func starts(_ ascii: String, at offset: Int = 0) -> Bool {
            let magic = Array(ascii.utf8)
            return bytes.count >= offset + magic.count && Array(bytes[offset..<offset + magic.count]) == magic
        }
        if starts("ftypheic", at: 4) || starts("ftypheix", at: 4) || starts("ftypmif1", at: 4) {
            return "; it looks like a HEIC photo (the iPhone default)"
        }
        if starts("ftypavif", at: 4) { return "; it looks like an AVIF image" }
        if starts("RIFF") && starts("WEBP", at: 8) { return "; it looks like a WebP image" }
        if starts("GIF8") { return "; it looks like a GIF image" }
        if starts("BM") { return "; it looks like a BMP image" }
        if starts("II*\u{0}") || starts("MM\u{0}*") { return "; it looks like a TIFF image" }
        if starts("%PDF") { return "; it looks like a PDF document" }
        if !bytes.isEmpty && bytes.allSatisfy({ $0 == 9 || $0 == 10 || $0 == 13 || (32..<127).contains($0) }) {
            return "; it looks like text"
        }
        return ""
    }
}
