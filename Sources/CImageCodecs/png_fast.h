// The PNG fast path: common non-interlaced PNGs decoded without libpng's row machinery
// (not part of the public header).
#ifndef CIMAGECODECS_PNG_FAST_H
#define CIMAGECODECS_PNG_FAST_H

#include <stddef.h>
#include <stdint.h>

#include <png.h>

/// What the fast path needs to know of an image, taken from libpng's info before
/// png_read_update_info rewrites the colour type and drops tRNS.
typedef struct {
    /// 0 when the image is not one the fast path takes; the rest is then unset.
    int eligible;
    uint32_t width;
    uint32_t height;
    /// Bytes per row as stored, without the filter byte.
    size_t row_bytes;
    /// Bytes per complete pixel (at least 1), the distance the filters look back.
    int filter_stride;
    /// 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA at 8 bits; 0 when samples go through `lut`.
    int direct_channels;
    /// Bits per index (1, 2, 4, 8) when `direct_channels` is 0.
    int index_bits;
    /// Index or low-bit gray sample → gray, exactly as libpng's expansion plus ic_row_to_gray.
    uint8_t lut[256];
} ic_png_fast_layout;

/// Fills `layout` from the chunks png_read_info has read. Call before png_read_update_info.
void ic_png_fast_prepare(png_structp png, png_infop info, ic_png_fast_layout *layout);

/// Decodes the image whose first IDAT chunk's data starts at `data + idat_data_offset` into
/// `pixels` (width × height gray). Returns 1 on success. Returns 0 ("declined") for anything
/// it does not take or that is not exactly well-formed — truncation, bad CRCs, zlib errors,
/// too little or too much data, unusual chunks after the image data — without changing any
/// libpng state, so the caller decodes the same bytes with libpng, which then reports the
/// failure (or accepts the oddity) exactly as it would have alone. `pixels` may have been
/// partly written when it declines.
int ic_png_fast_decode(const ic_png_fast_layout *layout, const uint8_t *data, size_t size,
                       size_t idat_data_offset, uint8_t *pixels);

#endif
