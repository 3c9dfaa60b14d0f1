// Helpers shared by the PNG and JPEG halves of the shim (not part of the public header).
#ifndef CIMAGECODECS_SHARED_H
#define CIMAGECODECS_SHARED_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include "CImageCodecs.h"

/// A growable malloc'ed byte buffer for encoders.
typedef struct {
    uint8_t *bytes;
    size_t count;
    size_t capacity;
} ic_buffer;

/// Makes room for at least `extra` more bytes; returns 0 when memory runs out.
int ic_buffer_reserve(ic_buffer *buffer, size_t extra);

/// Records the first failure of a call: later ones (e.g. cleanup errors) keep the first.
void ic_record_failure(ic_status *status, char *message, size_t capacity, ic_status new_status,
                       const char *format, va_list arguments);

/// Copies `text` into `message` (at most `capacity` bytes, always terminated).
void ic_copy_message(char *message, size_t capacity, const char *text);

/// ITU-R BT.601 luma of 8-bit R'G'B', rounded (weights scaled by 65536 sum to 65536).
static inline uint8_t ic_luma(unsigned r, unsigned g, unsigned b) {
    return (uint8_t)((19595u * r + 38470u * g + 7471u * b + 32768u) >> 16);
}

/// `value` seen through coverage `alpha` over a white background, rounded.
static inline uint8_t ic_over_white(unsigned value, unsigned alpha) {
    unsigned t = value * alpha + 255u * (255u - alpha) + 128u;
    return (uint8_t)((t + (t >> 8)) >> 8);
}

/// Converts one row of `channels` interleaved 8-bit samples (1 gray, 2 gray+alpha, 3 RGB,
/// 4 RGBA) to gray, compositing alpha over white.
void ic_row_to_gray(const uint8_t *source, int channels, uint8_t *gray, size_t width);

/// Converts one row of CMYK to gray. Adobe files store inverted CMYK (255 = no ink).
void ic_cmyk_row_to_gray(const uint8_t *source, int adobe_inverted, uint8_t *gray, size_t width);

#endif
