/// Format detection and header parsing, done in Swift so that the size of an image is known
/// (and refused if too large) before libpng or libjpeg allocate anything.
enum ImageHeader {
    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    static let jpegStart: [UInt8] = [0xFF, 0xD8, 0xFF]

    /// PNG or JPEG by the first bytes. A prefix of a signature counts, so that a file cut off
    /// inside its signature is reported as truncated rather than unrecognised.
    static func format(of bytes: [UInt8]) -> ImageFormat? {
        if matchesPrefix(bytes, of: pngSignature) { return .png }
        if matchesPrefix(bytes, of: jpegStart) { return .jpeg }
        return nil
    }

    private static func matchesPrefix(_ bytes: [UInt8], of signature: [UInt8]) -> Bool {
        !bytes.isEmpty && zip(bytes, signature).allSatisfy { $0 == $1 }
    }

    static func info(_ bytes: [UInt8]) throws(PhotoError) -> PhotoInfo {
        guard !bytes.isEmpty else { throw .empty }
        switch format(of: bytes) {
        case .png: return try pngInfo(bytes)
        case .jpeg: return try jpegInfo(bytes)
        case nil: throw .unrecognizedFormat(firstBytes: PhotoError.hexPrefix(bytes))
        }
    }

    private static func bigEndian32(_ bytes: [UInt8], at offset: Int) -> Int {
        bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
    }

    private static func bigEndian16(_ bytes: [UInt8], at offset: Int) -> Int {
        Int(bytes[offset]) << 8 | Int(bytes[offset + 1])
    }

    /// The PNG signature is followed by the IHDR chunk: length 13, "IHDR", width, height, ...
    private static func pngInfo(_ bytes: [UInt8]) throws(PhotoError) -> PhotoInfo {
        let dataStart = 16
        guard bytes.count >= dataStart + 8 else {
            throw .truncated(format: .png, detail: "only \(bytes.count) bytes, the header is incomplete")
        }
        let chunkType = bytes[12..<16]
        guard chunkType.elementsEqual("IHDR".utf8), bigEndian32(bytes, at: 8) == 13 else {
            throw .corrupt(format: .png, detail: "the file does not start with a valid IHDR header chunk")
        }
        let width = bigEndian32(bytes, at: dataStart)
        let height = bigEndian32(bytes, at: dataStart + 4)
        // The PNG specification limits both to 2^31 - 1.
        guard (1...Int(Int32.max)).contains(width), (1...Int(Int32.max)).contains(height) else {
            throw .corrupt(format: .png, detail: "the header gives an impossible size \(width)×\(height)")
        }
        return PhotoInfo(width: width, height: height, format: .png)
    }

    /// Walks the marker segments after SOI up to the first frame header (SOFn).
    private static func jpegInfo(_ bytes: [UInt8]) throws(PhotoError) -> PhotoInfo {
        let endsEarly = PhotoError.truncated(format: .jpeg, detail: "the data ends before the frame header")
        var index = 2
        while true {
            guard index < bytes.count else { throw endsEarly }
            guard bytes[index] == 0xFF else {
                throw .corrupt(format: .jpeg, detail: "no marker where one belongs, at byte \(index)")
            }
            while index < bytes.count && bytes[index] == 0xFF { index += 1 } // fill bytes
            guard index < bytes.count else { throw endsEarly }
            let marker = bytes[index]
            index += 1
            switch marker {
            case 0x01, 0xD0...0xD7:
                continue // markers without a length field
            case 0x00, 0xD8, 0xD9, 0xDA:
                throw .corrupt(format: .jpeg, detail: "no frame header before the image data")
            default:
                break
            }
            guard index + 2 <= bytes.count else { throw endsEarly }
            let length = bigEndian16(bytes, at: index)
            guard length >= 2 else {
                throw .corrupt(format: .jpeg, detail: "a marker segment has the impossible length \(length)")
            }
            if isFrameHeader(marker) {
                guard index + 7 <= bytes.count else { throw endsEarly }
                let height = bigEndian16(bytes, at: index + 3)
                let width = bigEndian16(bytes, at: index + 5)
                guard height > 0 else {
                    throw .unsupported(format: .jpeg, detail: "the height is only given after the image data (DNL)")
                }
                guard width > 0 else { throw .corrupt(format: .jpeg, detail: "the frame header gives width 0") }
                return PhotoInfo(width: width, height: height, format: .jpeg)
            }
            index += length
        }
    }

    /// SOF0...SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range.
    private static func isFrameHeader(_ marker: UInt8) -> Bool {
        (0xC0...0xCF).contains(marker) && marker != 0xC4 && marker != 0xC8 && marker != 0xCC
    }
}
