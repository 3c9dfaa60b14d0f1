import CImageCodecs

extension PhotoError {
    /// The error for a failed shim call; `detail` is libpng's or libjpeg's message.
    init(status: ic_status, format: ImageFormat, detail: String) {
        switch status {
        case IC_TRUNCATED:
            self = .truncated(format: format, detail: detail)
        case IC_CORRUPT:
            self = .corrupt(format: format, detail: detail)
        case IC_OUT_OF_MEMORY:
            self = .unsupported(format: format, detail: "not enough memory: \(detail)")
        default:
            // IC_TOO_LARGE means a library's own hard limit (e.g. 65500 pixels per JPEG side),
            // above which it cannot work at all, so it is "unsupported" rather than our limit.
            self = .unsupported(format: format, detail: detail)
        }
    }
}
