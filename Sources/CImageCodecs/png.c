// libpng behind setjmp: decoding any PNG to 8-bit gray, and encoding.
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

#include "CImageCodecs.h"
#include "png_fast.h"
#include "shared.h"

// MARK: - Reader

struct ic_png_reader {
    png_structp png;
    png_infop info;
    const uint8_t *data;
    size_t size;
    size_t offset;
    int started;
    int channels;
    int passes;
    ic_status status;
    char message[IC_MESSAGE_CAPACITY];
    uint8_t *row;
    uint8_t *image;
    png_bytep *rows;
    int fast_path_disabled;
    int used_fast_path;
    ic_png_fast_layout fast_layout;
};

static void ic_png_escape(png_structp png, png_const_charp text) {
    ic_png_reader *reader = png_get_error_ptr(png);
    if (reader->status == IC_OK) {
        reader->status = IC_CORRUPT;
        ic_copy_message(reader->message, sizeof reader->message, text);
    }
    png_longjmp(png, 1);
}

// Warnings concern ancillary data (profiles, text) that never changes the pixels.
static void ic_png_ignore_warning(png_structp png, png_const_charp text) {
    (void)png;
    (void)text;
}

static void ic_png_fail(ic_png_reader *reader, ic_status status, const char *format, ...) {
    va_list arguments;
    va_start(arguments, format);
    ic_record_failure(&reader->status, reader->message, sizeof reader->message, status, format, arguments);
    va_end(arguments);
    png_longjmp(reader->png, 1);
}

static void ic_png_read_memory(png_structp png, png_bytep destination, size_t length) {
    ic_png_reader *reader = png_get_io_ptr(png);
    if (length > reader->size - reader->offset)
        ic_png_fail(reader, IC_TRUNCATED, "the data stops after %zu bytes", reader->size);
    memcpy(destination, reader->data + reader->offset, length);
    reader->offset += length;
}

ic_png_reader *ic_png_reader_create(const uint8_t *data, size_t size) {
    ic_png_reader *reader = calloc(1, sizeof *reader);
    if (reader == NULL) return NULL;
    reader->data = data;
    reader->size = size;
    reader->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, reader, ic_png_escape, ic_png_ignore_warning);
    if (reader->png != NULL) reader->info = png_create_info_struct(reader->png);
    if (reader->info == NULL) {
        ic_png_reader_destroy(reader);
        return NULL;
    }
    png_set_read_fn(reader->png, reader, ic_png_read_memory);
    return reader;
}

void ic_png_reader_destroy(ic_png_reader *reader) {
    if (reader == NULL) return;
    png_destroy_read_struct(&reader->png, &reader->info, NULL);
    free(reader->row);
    free(reader->image);
    free(reader->rows);
    free(reader);
}

const char *ic_png_reader_message(const ic_png_reader *reader) { return reader->message; }

void ic_png_reader_disable_fast_path(ic_png_reader *reader) { reader->fast_path_disabled = 1; }

int ic_png_reader_used_fast_path(const ic_png_reader *reader) { return reader->used_fast_path; }

/// Ancillary chunks that cannot change a gray rendering (tRNS and PLTE can, so they stay).
/// Skipping them spares the work and the warnings of parsing profiles, text and the like.
static const png_byte ic_png_skipped_chunks[] =
    "bKGD\0cHRM\0eXIf\0gAMA\0hIST\0iCCP\0iTXt\0oFFs\0pCAL\0pHYs\0sBIT\0sCAL\0sPLT\0sRGB\0tEXt\0tIME\0zTXt";

ic_status ic_png_reader_start(ic_png_reader *reader, uint32_t *width, uint32_t *height) {
    png_structp png = reader->png;
    png_infop info = reader->info;
    if (setjmp(png_jmpbuf(png))) return reader->status;
    if (reader->started) ic_png_fail(reader, IC_INVALID_ARGUMENT, "decoder already started");
    reader->started = 1;

    png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_NEVER, ic_png_skipped_chunks,
                                (int)(sizeof ic_png_skipped_chunks / 5));
    png_read_info(png, info);
    ic_png_fast_prepare(png, info, &reader->fast_layout);
    // Palette to RGB, gray below 8 bits to 8, tRNS to an alpha channel; 16 bits rounded to 8.
    png_set_expand(png);
    png_set_scale_16(png);
    reader->passes = png_set_interlace_handling(png);
    png_read_update_info(png, info);

    reader->channels = png_get_channels(png, info);
    png_uint_32 columns = png_get_image_width(png, info);
    if (png_get_bit_depth(png, info) != 8 || reader->channels < 1 || reader->channels > 4 ||
        png_get_rowbytes(png, info) != (size_t)columns * (size_t)reader->channels)
        ic_png_fail(reader, IC_UNSUPPORTED, "unexpected sample layout after conversion");
    *width = columns;
    *height = png_get_image_height(png, info);
    return IC_OK;
}

ic_status ic_png_reader_read_gray(ic_png_reader *reader, uint8_t *pixels, size_t count) {
    png_structp png = reader->png;
    png_infop info = reader->info;
    if (setjmp(png_jmpbuf(png))) return reader->status;
    size_t width = png_get_image_width(png, info);
    size_t height = png_get_image_height(png, info);
    int channels = reader->channels;
    if (!reader->started || count != width * height)
        ic_png_fail(reader, IC_INVALID_ARGUMENT, "buffer does not match the image size");
    // libpng has read up to the first IDAT's data; the fast path reads on from there without
    // touching libpng's state, so when it declines libpng simply carries on.
    if (!reader->fast_path_disabled && reader->passes == 1 &&
        ic_png_fast_decode(&reader->fast_layout, reader->data, reader->size, reader->offset, pixels)) {
        reader->used_fast_path = 1;
        return IC_OK;
    }

    if (reader->passes > 1) {
        // Adam7 revisits every row in each pass, so all rows must exist at once; gray reads
        // straight into the output, everything else into a temporary full-size image.
        size_t stride = width * (size_t)channels;
        uint8_t *target = pixels;
        if (channels > 1) {
            if (height != 0 && stride > SIZE_MAX / height) ic_png_fail(reader, IC_TOO_LARGE, "image too large");
            target = reader->image = malloc(stride * height);
        }
        reader->rows = malloc(height * sizeof(png_bytep));
        if (target == NULL || reader->rows == NULL) ic_png_fail(reader, IC_OUT_OF_MEMORY, "out of memory");
        for (size_t y = 0; y < height; y++) reader->rows[y] = target + y * stride;
        png_read_image(png, reader->rows);
        if (channels > 1)
            for (size_t y = 0; y < height; y++) ic_row_to_gray(reader->rows[y], channels, pixels + y * width, width);
    } else if (channels == 1) {
        for (size_t y = 0; y < height; y++) png_read_row(png, pixels + y * width, NULL);
    } else {
        reader->row = malloc(width * (size_t)channels);
        if (reader->row == NULL) ic_png_fail(reader, IC_OUT_OF_MEMORY, "out of memory");
        for (size_t y = 0; y < height; y++) {
            png_read_row(png, reader->row, NULL);
            ic_row_to_gray(reader->row, channels, pixels + y * width, width);
        }
    }
    // Checks the remaining chunks up to IEND, so a file cut after the image data still fails.
    png_read_end(png, NULL);
    return IC_OK;
}

// MARK: - Writer

typedef struct {
    ic_buffer buffer;
    char message[IC_MESSAGE_CAPACITY];
} ic_png_writer;

static void ic_png_writer_escape(png_structp png, png_const_charp text) {
    ic_png_writer *writer = png_get_error_ptr(png);
    ic_copy_message(writer->message, sizeof writer->message, text);
    png_longjmp(png, 1);
}

static void ic_png_write_memory(png_structp png, png_bytep bytes, size_t length) {
    ic_png_writer *writer = png_get_io_ptr(png);
    if (!ic_buffer_reserve(&writer->buffer, length)) png_error(png, "out of memory");
    memcpy(writer->buffer.bytes + writer->buffer.count, bytes, length);
    writer->buffer.count += length;
}

static void ic_png_flush_nothing(png_structp png) { (void)png; }

ic_status ic_png_encode(const ic_png_description *description, const uint8_t *rows, size_t row_stride,
                        ic_encoded *output, char *message, size_t message_capacity) {
    output->bytes = NULL;
    output->count = 0;
    ic_png_writer *writer = calloc(1, sizeof *writer);
    png_bytep *row_pointers = NULL;
    png_structp png = NULL;
    png_infop info = NULL;
    if (writer != NULL)
        png = png_create_write_struct(PNG_LIBPNG_VER_STRING, writer, ic_png_writer_escape, ic_png_ignore_warning);
    if (png != NULL) info = png_create_info_struct(png);
    if (info != NULL) row_pointers = malloc(((size_t)description->height + 1) * sizeof(png_bytep));
    if (row_pointers == NULL) {
        png_destroy_write_struct(&png, &info);
        free(writer);
        ic_copy_message(message, message_capacity, "out of memory");
        return IC_OUT_OF_MEMORY;
    }
    // png, info and row_pointers are not modified after this point, so they survive longjmp.
    if (setjmp(png_jmpbuf(png))) {
        ic_copy_message(message, message_capacity, writer->message);
        png_destroy_write_struct(&png, &info);
        free(row_pointers);
        free(writer->buffer.bytes);
        free(writer);
        return IC_UNSUPPORTED;
    }
    png_set_write_fn(png, writer, ic_png_write_memory, ic_png_flush_nothing);
    png_set_IHDR(png, info, description->width, description->height, description->bit_depth,
                 description->color_type,
                 description->interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (description->palette_count > 0) {
        png_color palette[PNG_MAX_PALETTE_LENGTH];
        int entries = description->palette_count > PNG_MAX_PALETTE_LENGTH ? PNG_MAX_PALETTE_LENGTH
                                                                           : description->palette_count;
        for (int i = 0; i < entries; i++) {
            palette[i].red = description->palette[3 * i];
            palette[i].green = description->palette[3 * i + 1];
            palette[i].blue = description->palette[3 * i + 2];
        }
        png_set_PLTE(png, info, palette, entries);
    }
    if (description->palette_alpha_count > 0) {
        png_set_tRNS(png, info, description->palette_alpha, description->palette_alpha_count, NULL);
    } else if (description->has_transparent_color) {
        png_color_16 color = {0};
        color.gray = description->transparent_gray;
        color.red = description->transparent_red;
        color.green = description->transparent_green;
        color.blue = description->transparent_blue;
        png_set_tRNS(png, info, NULL, 0, &color);
    }
    for (size_t y = 0; y < description->height; y++) row_pointers[y] = (png_bytep)(rows + y * row_stride);
    png_set_rows(png, info, row_pointers);
    png_write_png(png, info, PNG_TRANSFORM_IDENTITY, NULL);
    png_destroy_write_struct(&png, &info);
    free(row_pointers);

    output->bytes = writer->buffer.bytes;
    output->count = writer->buffer.count;
    free(writer);
    return IC_OK;
}
