#include "shared.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

int ic_buffer_reserve(ic_buffer *buffer, size_t extra) {
    if (extra <= buffer->capacity - buffer->count) return 1;
    if (extra > SIZE_MAX / 2 - buffer->count) return 0;
    size_t wanted = buffer->count + extra;
    size_t capacity = buffer->capacity < 65536 ? 65536 : buffer->capacity;
    while (capacity < wanted) capacity *= 2;
    uint8_t *grown = realloc(buffer->bytes, capacity);
    if (grown == NULL) return 0;
    buffer->bytes = grown;
    buffer->capacity = capacity;
    return 1;
}

void ic_record_failure(ic_status *status, char *message, size_t capacity, ic_status new_status,
                       const char *format, va_list arguments) {
    if (*status != IC_OK) return;
    *status = new_status;
    vsnprintf(message, capacity, format, arguments);
}

void ic_copy_message(char *message, size_t capacity, const char *text) {
    if (message == NULL || capacity == 0) return;
    size_t length = strlen(text);
    if (length >= capacity) length = capacity - 1;
    memcpy(message, text, length);
    message[length] = '\0';
}

void ic_free(void *pointer) { free(pointer); }

void ic_row_to_gray(const uint8_t *source, int channels, uint8_t *gray, size_t width) {
    switch (channels) {
    case 1:
        memcpy(gray, source, width);
        break;
    case 2:
        for (size_t x = 0; x < width; x++, source += 2) gray[x] = ic_over_white(source[0], source[1]);
        break;
    case 3:
        for (size_t x = 0; x < width; x++, source += 3) gray[x] = ic_luma(source[0], source[1], source[2]);
        break;
    default:
        for (size_t x = 0; x < width; x++, source += 4)
            gray[x] = ic_over_white(ic_luma(source[0], source[1], source[2]), source[3]);
        break;
    }
}

// With inverted samples c' = 255 - c the red of "C over white, then K" is c' * k' / 255.
static inline unsigned ic_scale(unsigned a, unsigned b) {
    unsigned t = a * b + 128u;
    return (t + (t >> 8)) >> 8;
}

void ic_cmyk_row_to_gray(const uint8_t *source, int adobe_inverted, uint8_t *gray, size_t width) {
    unsigned flip = adobe_inverted ? 0u : 255u;
    for (size_t x = 0; x < width; x++, source += 4) {
        unsigned k = source[3] ^ flip;
        unsigned r = ic_scale(source[0] ^ flip, k);
        unsigned g = ic_scale(source[1] ^ flip, k);
        unsigned b = ic_scale(source[2] ^ flip, k);
        gray[x] = ic_luma(r, g, b);
    }
}

void ic_keep_freed_memory(size_t mmap_threshold, size_t trim_threshold) {
#if defined(__GLIBC__)
    // mallopt takes an int; larger values would wrap.
    if (mmap_threshold <= INT_MAX) mallopt(M_MMAP_THRESHOLD, (int)mmap_threshold);
    if (trim_threshold <= INT_MAX) mallopt(M_TRIM_THRESHOLD, (int)trim_threshold);
#else
    (void)mmap_threshold;
    (void)trim_threshold;
#endif
}
