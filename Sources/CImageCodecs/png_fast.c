// The PNG fast path. libpng reads the signature and the chunks up to the first IDAT (so
// IHDR, PLTE and tRNS are validated as always); for the common layouts this file then walks
// the remaining chunks itself, inflates all the image data at once with libdeflate, undoes
// the row filters and converts straight to gray. It is about twice as fast as libpng's
// row-by-row zlib path on photos. Whatever it is not sure about it declines, and libpng
// decodes the file as it always did, so every failure keeps libpng's error and message.
#include "png_fast.h"

#include <stdlib.h>
#include <string.h>

#include <libdeflate.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "shared.h"

/// Images whose raw (inflated) data is larger go through libpng, which streams rows instead
/// of holding the whole inflated image in memory.
#define IC_PNG_FAST_MAX_RAW_BYTES ((size_t)64 << 20)

/// libpng refuses ancillary chunks above its allocation limit even when it skips them; the
/// fast path leaves anything that large to libpng's judgement.
#define IC_PNG_FAST_MAX_ANCILLARY_BYTES ((uint32_t)1 << 20)

/// SIMD loads read a few bytes past a row's last pixel.
#define IC_PNG_FAST_PADDING 16

void ic_png_fast_prepare(png_structp png, png_infop info, ic_png_fast_layout *layout) {
    memset(layout, 0, sizeof *layout);
    png_uint_32 width, height;
    int bit_depth, color_type, interlace, compression, filter;
    if (!png_get_IHDR(png, info, &width, &height, &bit_depth, &color_type, &interlace, &compression, &filter))
        return;
    if (interlace != PNG_INTERLACE_NONE || compression != PNG_COMPRESSION_TYPE_BASE ||
        filter != PNG_FILTER_TYPE_BASE || width == 0 || height == 0 || bit_depth > 8)
        return;
    // A tRNS colour key on gray or RGB is rare; those images keep the libpng path.
    int has_transparency = png_get_valid(png, info, PNG_INFO_tRNS) != 0;
    int samples_per_pixel = 1;
    switch (color_type) {
    case PNG_COLOR_TYPE_GRAY:
        if (has_transparency) return;
        if (bit_depth == 8) {
            layout->direct_channels = 1;
        } else {
            // libpng stretches 1, 2 and 4 bits to 8 by repeating the bits (×255, ×85, ×17).
            unsigned maximum = (1u << bit_depth) - 1u;
            for (unsigned value = 0; value <= maximum; value++) layout->lut[value] = (uint8_t)(value * (255u / maximum));
            layout->index_bits = bit_depth;
        }
        break;
    case PNG_COLOR_TYPE_PALETTE: {
        png_colorp palette = NULL;
        int palette_count = 0;
        if (!png_get_PLTE(png, info, &palette, &palette_count) || palette == NULL) return;
        png_bytep alpha = NULL;
        int alpha_count = 0;
        png_color_16p unused_colour = NULL;
        if (has_transparency) png_get_tRNS(png, info, &alpha, &alpha_count, &unused_colour);
        if (alpha == NULL) alpha_count = 0;
        // As libpng expands: indices beyond the palette are black (its palette copy is
        // zero-filled to 256 entries) and entries beyond tRNS are opaque. With any tRNS the
        // expansion is RGBA, so ic_row_to_gray composites; without it, RGB.
        for (int index = 0; index < 256; index++) {
            unsigned red = 0, green = 0, blue = 0;
            if (index < palette_count) {
                red = palette[index].red;
                green = palette[index].green;
                blue = palette[index].blue;
            }
            uint8_t gray = ic_luma(red, green, blue);
            if (alpha_count > 0) gray = ic_over_white(gray, index < alpha_count ? alpha[index] : 255u);
            layout->lut[index] = gray;
        }
        layout->index_bits = bit_depth;
        break;
    }
    case PNG_COLOR_TYPE_GRAY_ALPHA:
        if (bit_depth != 8) return;
        layout->direct_channels = samples_per_pixel = 2;
        break;
    case PNG_COLOR_TYPE_RGB:
        if (bit_depth != 8 || has_transparency) return;
        layout->direct_channels = samples_per_pixel = 3;
        break;
    case PNG_COLOR_TYPE_RGB_ALPHA:
        if (bit_depth != 8) return;
        layout->direct_channels = samples_per_pixel = 4;
        break;
    default:
        return;
    }
    layout->width = width;
    layout->height = height;
    size_t bits_per_row = (size_t)width * (size_t)samples_per_pixel * (size_t)bit_depth;
    layout->row_bytes = (bits_per_row + 7) / 8;
    layout->filter_stride = samples_per_pixel * bit_depth >= 8 ? samples_per_pixel * bit_depth / 8 : 1;
    layout->eligible = 1;
}

// MARK: - Chunks

static uint32_t ic_big_endian_32(const uint8_t *bytes) {
    return (uint32_t)bytes[0] << 24 | (uint32_t)bytes[1] << 16 | (uint32_t)bytes[2] << 8 | bytes[3];
}

static int ic_is_chunk_type(const uint8_t *type, const char *name) { return memcmp(type, name, 4) == 0; }

/// An ancillary chunk (lowercase first letter) with a valid name that libpng skips or
/// accepts with at most a warning after the image data; anything else is libpng's to judge.
static int ic_png_fast_ignorable_chunk(const uint8_t *type, uint32_t length) {
    for (int i = 0; i < 4; i++) {
        uint8_t letter = type[i] | 0x20;
        if (letter < 'a' || letter > 'z') return 0;
    }
    return (type[0] & 0x20) != 0 && length <= IC_PNG_FAST_MAX_ANCILLARY_BYTES;
}

/// The image data's chunks from the first IDAT to IEND.
typedef struct {
    /// The first IDAT's data, when it is the only IDAT (no copy needed).
    const uint8_t *single;
    size_t total;
    size_t count;
} ic_png_idat_run;

/// Checks every chunk from the first IDAT (whose 8-byte header starts at `position`) to
/// IEND: IDATs consecutive, each within libpng's size limit and with a correct CRC (libpng fails
/// on a critical chunk's CRC; ancillary CRCs it only warns about, so those are not read),
/// then only ignorable ancillary chunks, then a valid IEND. Returns 0 when anything is off.
static int ic_png_fast_walk(const uint8_t *data, size_t size, size_t position, size_t raw_size,
                            size_t height, ic_png_idat_run *run) {
    int in_idat_run = 1;
    memset(run, 0, sizeof *run);
    // libpng fails on an IDAT longer than the raw data plus zlib's worst-case overhead
    // (its bound is computed per sample row and is never smaller than this one).
    size_t line_bytes = raw_size / height;
    size_t idat_limit = raw_size + 6 + 5 * (raw_size / (line_bytes < 32566 ? line_bytes : 32566) + 1);
    for (;;) {
        if (size - position < 12) return 0;
        uint32_t length = ic_big_endian_32(data + position);
        const uint8_t *type = data + position + 4;
        if (length > PNG_UINT_31_MAX || size - position - 12 < length) return 0;
        uint32_t stored_crc = ic_big_endian_32(type + 4 + length);
        if (ic_is_chunk_type(type, "IDAT")) {
            if (!in_idat_run || length > idat_limit) return 0;
            if (libdeflate_crc32(0, type, 4 + (size_t)length) != stored_crc) return 0;
            if (run->count == 0) run->single = type + 4;
            run->total += length;
            run->count += 1;
        } else if (ic_is_chunk_type(type, "IEND")) {
            return length == 0 && libdeflate_crc32(0, type, 4) == stored_crc;
        } else {
            if (!ic_png_fast_ignorable_chunk(type, length)) return 0;
            in_idat_run = 0;
        }
        position += 12 + (size_t)length;
    }
}

/// The zlib stream of several IDATs, copied end to end.
static uint8_t *ic_png_fast_gather(const uint8_t *data, size_t position, size_t total) {
    uint8_t *stream = malloc(total == 0 ? 1 : total);
    if (stream == NULL) return NULL;
    size_t filled = 0;
    while (ic_is_chunk_type(data + position + 4, "IDAT")) {
        uint32_t length = ic_big_endian_32(data + position);
        memcpy(stream + filled, data + position + 8, length);
        filled += length;
        position += 12 + (size_t)length;
    }
    return stream;
}

// MARK: - Filters

static void ic_unfilter_sub(uint8_t *row, size_t count, size_t stride) {
    for (size_t i = stride; i < count; i++) row[i] = (uint8_t)(row[i] + row[i - stride]);
}

static void ic_unfilter_up(uint8_t *row, const uint8_t *above, size_t count) {
    for (size_t i = 0; i < count; i++) row[i] = (uint8_t)(row[i] + above[i]);
}

static void ic_unfilter_average(uint8_t *row, const uint8_t *above, size_t count, size_t stride) {
    for (size_t i = 0; i < stride && i < count; i++) row[i] = (uint8_t)(row[i] + (above[i] >> 1));
    for (size_t i = stride; i < count; i++) row[i] = (uint8_t)(row[i] + ((row[i - stride] + above[i]) >> 1));
}

static inline uint8_t ic_paeth(unsigned left, unsigned up, unsigned up_left) {
    int pa = abs((int)up - (int)up_left);
    int pb = abs((int)left - (int)up_left);
    int pc = abs((int)up + (int)left - 2 * (int)up_left);
    if (pa <= pb && pa <= pc) return (uint8_t)left;
    return (uint8_t)(pb <= pc ? up : up_left);
}

static void ic_unfilter_paeth(uint8_t *row, const uint8_t *above, size_t count, size_t stride) {
    // The first pixel has no left or upper-left neighbour: Paeth picks the one above.
    for (size_t i = 0; i < stride && i < count; i++) row[i] = (uint8_t)(row[i] + above[i]);
    for (size_t i = stride; i < count; i++)
        row[i] = (uint8_t)(row[i] + ic_paeth(row[i - stride], above[i], above[i - stride]));
}

#if defined(__SSE2__)
// For 3 and 4 bytes per pixel each pixel depends on the one to its left, so the SIMD lanes
// are the pixel's channels: one 4-byte load per pixel, 16-bit lanes, results packed back.
// A 3-byte pixel's fourth lane reads the next byte (rows are padded) and is never stored.

static inline __m128i ic_load_pixel(const uint8_t *bytes) {
    int32_t word;
    memcpy(&word, bytes, 4);
    return _mm_unpacklo_epi8(_mm_cvtsi32_si128(word), _mm_setzero_si128());
}

static inline void ic_store_pixel(uint8_t *bytes, __m128i lanes, size_t stride) {
    int32_t word = _mm_cvtsi128_si32(_mm_packus_epi16(lanes, lanes));
    // Constant sizes, so that the copy is a plain store rather than a call to memcpy.
    if (stride == 4) memcpy(bytes, &word, 4);
    else memcpy(bytes, &word, 3);
}

static inline __m128i ic_abs_epi16(__m128i value) {
    return _mm_max_epi16(value, _mm_sub_epi16(_mm_setzero_si128(), value));
}

static inline __m128i ic_select(__m128i mask, __m128i if_set, __m128i otherwise) {
    return _mm_or_si128(_mm_and_si128(mask, if_set), _mm_andnot_si128(mask, otherwise));
}

static void ic_unfilter_paeth_simd(uint8_t *row, const uint8_t *above, size_t count, size_t stride) {
    __m128i left = _mm_setzero_si128(), up_left = _mm_setzero_si128();
    for (size_t i = 0; i < count; i += stride) {
        __m128i up = ic_load_pixel(above + i);
        __m128i filtered = ic_load_pixel(row + i);
        __m128i from_up = _mm_sub_epi16(up, up_left);
        __m128i from_left = _mm_sub_epi16(left, up_left);
        __m128i pa = ic_abs_epi16(from_up);
        __m128i pb = ic_abs_epi16(from_left);
        __m128i pc = ic_abs_epi16(_mm_add_epi16(from_up, from_left));
        // The specification's order (left if pa is smallest, else up if pb <= pc, else upper
        // left) restated so that each pixel's dependence on its left neighbour is short:
        // upper left when pc is below both, else up when pb is below pa, else left.
        __m128i nearer = ic_select(_mm_cmplt_epi16(pb, pa), up, left);
        __m128i predictor = ic_select(_mm_cmplt_epi16(pc, _mm_min_epi16(pa, pb)), up_left, nearer);
        // Both high bytes are zero, so a byte-wise add is the sum modulo 256 in 16-bit lanes.
        left = _mm_add_epi8(filtered, predictor);
        ic_store_pixel(row + i, left, stride);
        up_left = up;
    }
}

static void ic_unfilter_average_simd(uint8_t *row, const uint8_t *above, size_t count, size_t stride) {
    __m128i left = _mm_setzero_si128();
    for (size_t i = 0; i < count; i += stride) {
        __m128i mean = _mm_srli_epi16(_mm_add_epi16(left, ic_load_pixel(above + i)), 1);
        left = _mm_add_epi8(ic_load_pixel(row + i), mean);
        ic_store_pixel(row + i, left, stride);
    }
}
#endif

// MARK: One-byte pixels, four rows at a time
//
// With one byte per pixel (gray, palette, packed low bit depths) every Average and Paeth byte
// waits on the byte to its left: one long dependency chain per row, a few cycles per byte.
// A byte also needs the row above only at its own column and the one before, so four rows
// with the same filter can run together, each one byte behind the row above it: four
// independent chains that the processor overlaps.

static inline uint8_t ic_average_byte(uint8_t filtered, unsigned left, unsigned up) {
    return (uint8_t)(filtered + ((left + up) >> 1));
}

// The specification's predictor (left if pa is smallest, else up if pb <= pc, else upper
// left), restated so that the choice compiles to conditional moves rather than branches.
static inline uint8_t ic_paeth_byte(uint8_t filtered, int left, int up, int up_left) {
    int pa = abs(up - up_left), pb = abs(left - up_left), pc = abs(up + left - 2 * up_left);
    int nearer = pb < pa ? up : left;
    int predictor = (pc < pa && pc < pb) ? up_left : nearer;
    return (uint8_t)(filtered + predictor);
}

/// One byte at column x (x < count); the bytes to the left and upper left are zero at x = 0.
static inline void ic_average_at(uint8_t *row, const uint8_t *above, size_t x) {
    row[x] = ic_average_byte(row[x], x > 0 ? row[x - 1] : 0u, above[x]);
}

static inline void ic_paeth_at(uint8_t *row, const uint8_t *above, size_t x) {
    row[x] = x > 0 ? ic_paeth_byte(row[x], row[x - 1], above[x], above[x - 1]) : (uint8_t)(row[x] + above[x]);
}

/// Unfilters rows r[0…3] (each the row above the next; `above` is the one above r[0]), all
/// Average (`paeth` 0) or all Paeth (`paeth` 1), one byte per pixel.
static void ic_unfilter_four_rows(uint8_t *const r[4], const uint8_t *above, size_t count, int paeth) {
    const uint8_t *up[4] = {above, r[0], r[1], r[2]};
    // At step s, row k is at column s − k. The staircase's two ends go one byte at a time.
    size_t s = 0;
#define IC_STAIRCASE_STEP(s)                                                      \
    for (size_t k = 0; k < 4; k++) {                                              \
        if ((s) < k || (s) - k >= count) continue;                                \
        if (paeth) ic_paeth_at(r[k], up[k], (s) - k);                             \
        else ic_average_at(r[k], up[k], (s) - k);                                 \
    }
    for (; s < 4; s++) { IC_STAIRCASE_STEP(s) }
    // Each row's left neighbour, the byte above (the row above's left neighbour one step ago)
    // and Paeth's upper-left byte are carried in registers: no chain runs through a store and
    // a reload of a byte just written.
    uint8_t *const r0 = r[0], *const r1 = r[1], *const r2 = r[2], *const r3 = r[3];
    const uint8_t *const u0 = above;
    if (s < count) {
        unsigned left0 = r0[s - 1], left1 = r1[s - 2], left2 = r2[s - 3], left3 = r3[s - 4];
        if (paeth) {
            unsigned corner0 = u0[s - 1], corner1 = r0[s - 2], corner2 = r1[s - 3], corner3 = r2[s - 4];
            for (; s < count; s++) {
                unsigned up0 = u0[s], up1 = left0, up2 = left1, up3 = left2;
                left0 = ic_paeth_byte(r0[s], (int)left0, (int)up0, (int)corner0);
                left1 = ic_paeth_byte(r1[s - 1], (int)left1, (int)up1, (int)corner1);
                left2 = ic_paeth_byte(r2[s - 2], (int)left2, (int)up2, (int)corner2);
                left3 = ic_paeth_byte(r3[s - 3], (int)left3, (int)up3, (int)corner3);
                r0[s] = (uint8_t)left0; r1[s - 1] = (uint8_t)left1; r2[s - 2] = (uint8_t)left2; r3[s - 3] = (uint8_t)left3;
                corner0 = up0; corner1 = up1; corner2 = up2; corner3 = up3;
            }
        } else {
            for (; s < count; s++) {
                unsigned up0 = u0[s], up1 = left0, up2 = left1, up3 = left2;
                left0 = ic_average_byte(r0[s], left0, up0);
                left1 = ic_average_byte(r1[s - 1], left1, up1);
                left2 = ic_average_byte(r2[s - 2], left2, up2);
                left3 = ic_average_byte(r3[s - 3], left3, up3);
                r0[s] = (uint8_t)left0; r1[s - 1] = (uint8_t)left1; r2[s - 2] = (uint8_t)left2; r3[s - 3] = (uint8_t)left3;
            }
        }
    }
    for (; s < count + 3; s++) { IC_STAIRCASE_STEP(s) }
#undef IC_STAIRCASE_STEP
}

typedef void (*ic_unfilter_function)(uint8_t *row, const uint8_t *above, size_t count, size_t stride);

/// Undoes one row's filter in place; `above` is the previous unfiltered row (zeros for the
/// first). Returns 0 for a filter type that does not exist.
static int ic_unfilter_row(int filter, uint8_t *row, const uint8_t *above, size_t count, size_t stride) {
    ic_unfilter_function average = ic_unfilter_average, paeth = ic_unfilter_paeth;
#if defined(__SSE2__)
    if (stride == 3 || stride == 4) {
        average = ic_unfilter_average_simd;
        paeth = ic_unfilter_paeth_simd;
    }
#endif
    switch (filter) {
    case 0: return 1;
    case 1: ic_unfilter_sub(row, count, stride); return 1;
    case 2: ic_unfilter_up(row, above, count); return 1;
    case 3: average(row, above, count, stride); return 1;
    case 4: paeth(row, above, count, stride); return 1;
    default: return 0;
    }
}

// MARK: - Decoding

static void ic_indices_to_gray(const uint8_t *row, int bits, const uint8_t *lut, uint8_t *gray, size_t width) {
    if (bits == 8) {
        for (size_t x = 0; x < width; x++) gray[x] = lut[row[x]];
        return;
    }
    unsigned mask = (1u << bits) - 1u;
    for (size_t x = 0; x < width; x++) {
        size_t bit = x * (size_t)bits;
        unsigned shift = 8u - (unsigned)bits - (unsigned)(bit & 7);
        gray[x] = lut[(row[bit >> 3] >> shift) & mask];
    }
}

/// Unfilters the inflated rows in place and writes gray pixels. Returns 0 for a bad filter type.
static int ic_png_fast_rows_to_gray(const ic_png_fast_layout *layout, uint8_t *raw, const uint8_t *zero_row,
                                    uint8_t *pixels) {
    size_t row_bytes = layout->row_bytes;
    size_t width = layout->width;
    const uint8_t *above = zero_row;
    size_t line_bytes = row_bytes + 1;
    for (size_t y = 0; y < layout->height;) {
        uint8_t *line = raw + y * line_bytes;
        size_t rows = 1;
        // Four rows of one-byte pixels that all use Average or all Paeth: unfiltered together.
        if (layout->filter_stride == 1 && (line[0] == 3 || line[0] == 4) && y + 4 <= layout->height &&
            line[line_bytes] == line[0] && line[2 * line_bytes] == line[0] && line[3 * line_bytes] == line[0]) {
            uint8_t *const four[4] = {line + 1, line + line_bytes + 1, line + 2 * line_bytes + 1, line + 3 * line_bytes + 1};
            ic_unfilter_four_rows(four, above, row_bytes, line[0] == 4);
            rows = 4;
        } else if (!ic_unfilter_row(line[0], line + 1, above, row_bytes, (size_t)layout->filter_stride)) {
            return 0;
        }
        for (size_t k = 0; k < rows; k++, y++) {
            uint8_t *row = raw + y * line_bytes + 1;
            if (layout->direct_channels > 0)
                ic_row_to_gray(row, layout->direct_channels, pixels + y * width, width);
            else
                ic_indices_to_gray(row, layout->index_bits, layout->lut, pixels + y * width, width);
            above = row;
        }
    }
    return 1;
}

int ic_png_fast_decode(const ic_png_fast_layout *layout, const uint8_t *data, size_t size,
                       size_t idat_data_offset, uint8_t *pixels) {
    if (!layout->eligible || idat_data_offset < 8 || idat_data_offset > size) return 0;
    size_t header = idat_data_offset - 8;
    if (!ic_is_chunk_type(data + header + 4, "IDAT")) return 0;
    size_t line_bytes = layout->row_bytes + 1;
    if (line_bytes > IC_PNG_FAST_MAX_RAW_BYTES / layout->height) return 0;
    size_t raw_size = line_bytes * layout->height;

    ic_png_idat_run run;
    if (!ic_png_fast_walk(data, size, header, raw_size, layout->height, &run)) return 0;
    if (run.total < 2) return 0;
    const uint8_t *stream = run.single;
    uint8_t *gathered = NULL;
    if (run.count > 1) {
        stream = gathered = ic_png_fast_gather(data, header, run.total);
        if (gathered == NULL) return 0;
    }
    // zlib's inflate rejects distances beyond the window the header declares; libdeflate
    // does not look. Distances never exceed the output so far, so the check cannot fail
    // when the window is the usual 32 KiB or covers the whole image (encoders such as
    // libpng's shrink it for small images).
    unsigned window_bits = (stream[0] >> 4) + 8u;
    if (window_bits > 15 || (window_bits < 15 && ((size_t)1 << window_bits) < raw_size)) {
        free(gathered);
        return 0;
    }
    uint8_t *raw = malloc(raw_size + IC_PNG_FAST_PADDING);
    uint8_t *zero_row = calloc(1, layout->row_bytes + IC_PNG_FAST_PADDING);
    struct libdeflate_decompressor *inflater = libdeflate_alloc_decompressor();
    int decoded = 0;
    if (raw != NULL && zero_row != NULL && inflater != NULL) {
        memset(raw + raw_size, 0, IC_PNG_FAST_PADDING);
        size_t consumed = 0;
        // No actual-size pointer: anything but exactly raw_size bytes fails. Bytes after the
        // stream's end are left to libpng too (it accepts some with a warning).
        enum libdeflate_result result =
            libdeflate_zlib_decompress_ex(inflater, stream, run.total, raw, raw_size, &consumed, NULL);
        decoded = result == LIBDEFLATE_SUCCESS && consumed == run.total &&
                  ic_png_fast_rows_to_gray(layout, raw, zero_row, pixels);
    }
    libdeflate_free_decompressor(inflater);
    free(zero_row);
    free(raw);
    free(gathered);
    return decoded;
}
