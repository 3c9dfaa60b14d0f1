import CImageCodecs
import QRCode

/// Runs libpng or libjpeg (through the C shim) over bytes already known to be PNG or JPEG
/// and whose header passed the size check.
enum GrayDecoding {
    static func decode(_ bytes: [UInt8], format: ImageFormat, jpegScaleDenominator: Int) throws(PhotoError) -> GrayImage {
        let result = bytes.withUnsafeBufferPointer { buffer -> Result<GrayImage, PhotoError> in
            switch format {
            case .jpeg: decodeJPEG(buffer, scaleDenominator: jpegScaleDenominator)
            case .png: decodePNG(buffer).result
            }
        }
        return try result.get()
    }

    private static func decodeJPEG(_ buffer: UnsafeBufferPointer<UInt8>, scaleDenominator: Int) -> Result<GrayImage, PhotoError> {
        guard let reader = ic_jpeg_reader_create(buffer.baseAddress, buffer.count) else {
            return .failure(.unsupported(format: .jpeg, detail: "not enough memory to start decoding"))
        }
        defer { ic_jpeg_reader_destroy(reader) }
        return readGray(
            format: .jpeg,
            start: { ic_jpeg_reader_start(reader, UInt32(scaleDenominator), &$0, &$1) },
            read: { ic_jpeg_reader_read_gray(reader, $0, $1) },
            message: { String(cString: ic_jpeg_reader_message(reader)) }
        )
    }

    /// PNG bytes through libpng alone (`allowFastPath` false) or with the fast path for common
    /// images, and whether the fast path made the pixels: the tests compare the two.
    static func decodePNG(_ bytes: [UInt8], allowFastPath: Bool) -> (result: Result<GrayImage, PhotoError>, usedFastPath: Bool) {
        bytes.withUnsafeBufferPointer { decodePNG($0, allowFastPath: allowFastPath) }
    }

    private static func decodePNG(_ buffer: UnsafeBufferPointer<UInt8>, allowFastPath: Bool = true)
        -> (result: Result<GrayImage, PhotoError>, usedFastPath: Bool) {
        guard let reader = ic_png_reader_create(buffer.baseAddress, buffer.count) else {
            return (.failure(.unsupported(format: .png, detail: "not enough memory to start decoding")), false)
        }
        defer { ic_png_reader_destroy(reader) }
        if !allowFastPath { ic_png_reader_disable_fast_path(reader) }
        let result = readGray(
            format: .png,
            start: { ic_png_reader_start(reader, &$0, &$1) },
            read: { ic_png_reader_read_gray(reader, $0, $1) },
            message: { String(cString: ic_png_reader_message(reader)) }
        )
        return (result, ic_png_reader_used_fast_path(reader) != 0)
    }

    /// The two-step protocol both readers share: learn the output size, then fill a buffer
    /// of exactly that size. A failure at any point discards the partial pixels.
    private static func readGray(
        format: ImageFormat,
        start: (inout UInt32, inout UInt32) -> ic_status,
        read: (UnsafeMutablePointer<UInt8>?, Int) -> ic_status,
        message: () -> String
    ) -> Result<GrayImage, PhotoError> {
        var width: UInt32 = 0
        var height: UInt32 = 0
        var status = start(&width, &height)
        guard status == IC_OK else {
            return .failure(PhotoError(status: status, format: format, detail: message()))
        }
        let count = Int(width) * Int(height)
        let pixels = [UInt8](unsafeUninitializedCapacity: count) { output, initialized in
            status = read(output.baseAddress, count)
            initialized = status == IC_OK ? count : 0
        }
        guard status == IC_OK else {
            return .failure(PhotoError(status: status, format: format, detail: message()))
        }
        return .success(GrayImage(width: Int(width), height: Int(height), pixels: pixels))
    }
}
