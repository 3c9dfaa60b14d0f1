// CImageCodecs: a small C layer over libpng and libjpeg.
//
// Both libraries report errors by longjmp. Swift must never be unwound by longjmp, so every
// setjmp lives in these C functions and each call returns a status instead. Nothing here
// prints: libjpeg warnings and libpng errors become statuses with a message.
#ifndef CIMAGECODECS_H
#define CIMAGECODECS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// How a call ended.
typedef enum {
    IC_OK = 0,
    /// The data ends before the image does.
    IC_TRUNCATED = 1,
    /// The data is damaged or not a valid file of its format.
    IC_CORRUPT = 2,
    /// Valid, but uses a feature this build cannot decode or encode.
    IC_UNSUPPORTED = 3,
    /// The image claims dimensions beyond what the library accepts.
    IC_TOO_LARGE = 4,
    /// malloc failed.
    IC_OUT_OF_MEMORY = 5,
    /// The caller passed inconsistent arguments (a bug on the Swift side).
    IC_INVALID_ARGUMENT = 6
} ic_status;

/// Room for any libpng or libjpeg message.
#define IC_MESSAGE_CAPACITY 200

// MARK: - Decoding to 8-bit gray

/// A JPEG decoder over bytes the caller keeps alive until `ic_jpeg_reader_destroy`.
typedef struct ic_jpeg_reader ic_jpeg_reader;

/// Returns NULL only when memory runs out.
ic_jpeg_reader *ic_jpeg_reader_create(const uint8_t *data, size_t size);
void ic_jpeg_reader_destroy(ic_jpeg_reader *reader);
/// The message of the last failure ("" when none).
const char *ic_jpeg_reader_message(const ic_jpeg_reader *reader);

/// Reads the headers and prepares gray output scaled by 1/`scale_denominator` (1, 2, 4 or 8).
/// `width`/`height` receive the output size. Call once.
ic_status ic_jpeg_reader_start(ic_jpeg_reader *reader, unsigned scale_denominator,
                               uint32_t *width, uint32_t *height);
/// Decodes the whole image into `pixels` (`width * height` bytes, row-major), then reads on
/// to the end-of-image marker. Every libjpeg warning (corrupt data, premature end) fails.
ic_status ic_jpeg_reader_read_gray(ic_jpeg_reader *reader, uint8_t *pixels, size_t count);

/// A PNG decoder over bytes the caller keeps alive until `ic_png_reader_destroy`.
typedef struct ic_png_reader ic_png_reader;

ic_png_reader *ic_png_reader_create(const uint8_t *data, size_t size);
void ic_png_reader_destroy(ic_png_reader *reader);
const char *ic_png_reader_message(const ic_png_reader *reader);

/// Reads the chunks before the image data and sets up conversion to 8-bit gray.
ic_status ic_png_reader_start(ic_png_reader *reader, uint32_t *width, uint32_t *height);
/// Decodes every pass and composites any transparency over white, then reads on to IEND.
ic_status ic_png_reader_read_gray(ic_png_reader *reader, uint8_t *pixels, size_t count);
/// Makes `ic_png_reader_read_gray` use libpng for every row, for comparing the fast path
/// (common non-interlaced PNGs inflated at once with libdeflate) against it. Call before reading.
void ic_png_reader_disable_fast_path(ic_png_reader *reader);
/// Non-zero when the last `ic_png_reader_read_gray` produced its pixels by the fast path.
int ic_png_reader_used_fast_path(const ic_png_reader *reader);

// MARK: - Encoding

/// Encoded bytes allocated with malloc; release with `ic_free`.
typedef struct {
    uint8_t *bytes;
    size_t count;
} ic_encoded;

void ic_free(void *pointer);

/// A PNG to write. `rows` hold samples exactly as PNG stores them: packed most significant bit
/// first below 8 bits, big-endian at 16 bits, `row_stride` bytes apart.
typedef struct {
    uint32_t width;
    uint32_t height;
    /// 0 gray, 2 RGB, 3 palette, 4 gray+alpha, 6 RGBA (the PNG colour type codes).
    int color_type;
    /// 1, 2, 4, 8 or 16, as the colour type allows.
    int bit_depth;
    /// Adam7 when non-zero.
    int interlaced;
    /// Palette as RGB triples (`palette_count` entries) for colour type 3.
    const uint8_t *palette;
    int palette_count;
    /// tRNS alpha per palette entry (`palette_alpha_count` entries) for colour type 3.
    const uint8_t *palette_alpha;
    int palette_alpha_count;
    /// tRNS single transparent colour for colour types 0 and 2, when non-zero.
    int has_transparent_color;
    uint16_t transparent_gray;
    uint16_t transparent_red;
    uint16_t transparent_green;
    uint16_t transparent_blue;
} ic_png_description;

ic_status ic_png_encode(const ic_png_description *description, const uint8_t *rows, size_t row_stride,
                        ic_encoded *output, char *message, size_t message_capacity);

/// A JPEG to write from interleaved 8-bit samples.
typedef struct {
    uint32_t width;
    uint32_t height;
    /// 1 gray, 3 RGB, 4 CMYK (stored as given, with an Adobe marker).
    int components;
    /// 1...100.
    int quality;
    int progressive;
    /// For 4 components: store as YCCK instead of plain CMYK.
    int cmyk_as_ycck;
} ic_jpeg_description;

ic_status ic_jpeg_encode(const ic_jpeg_description *description, const uint8_t *pixels,
                         ic_encoded *output, char *message, size_t message_capacity);

// MARK: - Memory between photos

/// Keeps freed memory in the process for the next photo instead of returning it to the system
/// (glibc: blocks below `mmap_threshold` come from the heap, and up to `trim_threshold` bytes
/// of free heap are kept). No effect with other C libraries.
void ic_keep_freed_memory(size_t mmap_threshold, size_t trim_threshold);

#ifdef __cplusplus
}
#endif

#endif
