// libjpeg (6.2 ABI, libjpeg-turbo) behind setjmp: decoding to gray and encoding.
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>

#include "CImageCodecs.h"
#include "shared.h"

/// A progressive file may carry thousands of tiny scans, each costing a pass over the whole
/// coefficient buffer: a few kilobytes could then keep the decoder busy for minutes. Real
/// encoders use about ten; libjpeg-turbo's own tools suggest capping at a few hundred.
#define IC_JPEG_MAX_SCANS 500

/// Error state shared by reader and writer; `escape` is armed by every entry point.
typedef struct {
    struct jpeg_error_mgr manager; // first, so a j_common_ptr's err leads back here
    jmp_buf escape;
    ic_status status;
    char message[IC_MESSAGE_CAPACITY];
} ic_jpeg_errors;

static ic_status ic_jpeg_classify(int code) {
    switch (code) {
    case JWRN_JPEG_EOF:
    case JERR_INPUT_EOF:
    case JERR_INPUT_EMPTY:
        return IC_TRUNCATED;
    case JERR_IMAGE_TOO_BIG:
        return IC_TOO_LARGE;
    case JERR_OUT_OF_MEMORY:
        return IC_OUT_OF_MEMORY;
    case JERR_CONVERSION_NOTIMPL:
    case JERR_BAD_PRECISION:
    case JERR_NOT_COMPILED:
    case JERR_NOTIMPL:
    case JERR_ARITH_NOTIMPL:
    case JERR_EMPTY_IMAGE:
    case JERR_BAD_IN_COLORSPACE:
    case JERR_SOF_UNSUPPORTED:
        return IC_UNSUPPORTED;
    default:
        return IC_CORRUPT;
    }
}

static void ic_jpeg_escape(j_common_ptr cinfo) {
    ic_jpeg_errors *errors = (ic_jpeg_errors *)cinfo->err;
    if (errors->status == IC_OK) {
        errors->status = ic_jpeg_classify(cinfo->err->msg_code);
        char text[JMSG_LENGTH_MAX];
        (*cinfo->err->format_message)(cinfo, text);
        ic_copy_message(errors->message, sizeof errors->message, text);
    }
    longjmp(errors->escape, 1);
}

/// Warnings about damaged data would otherwise let libjpeg hand back a gray-filled image;
/// only warnings about metadata we do not use are let through.
static void ic_jpeg_emit(j_common_ptr cinfo, int level) {
    if (level >= 0) return; // trace output
    switch (cinfo->err->msg_code) {
    case JWRN_JFIF_MAJOR:  // unknown JFIF version: the pixels are unaffected
    case JWRN_ADOBE_XFORM: // unknown Adobe transform: libjpeg guesses from the components
    case JWRN_BOGUS_ICC:   // broken ICC profile: we ignore colour profiles anyway
        cinfo->err->num_warnings++;
        return;
    default:
        ic_jpeg_escape(cinfo);
    }
}

static void ic_jpeg_silent(j_common_ptr cinfo) { (void)cinfo; }

static void ic_jpeg_errors_init(ic_jpeg_errors *errors) {
    jpeg_std_error(&errors->manager);
    errors->manager.error_exit = ic_jpeg_escape;
    errors->manager.emit_message = ic_jpeg_emit;
    errors->manager.output_message = ic_jpeg_silent;
    errors->status = IC_OK;
    errors->message[0] = '\0';
}

/// Fails with our own status and message from inside an armed entry point.
static void ic_jpeg_fail(ic_jpeg_errors *errors, ic_status status, const char *format, ...) {
    va_list arguments;
    va_start(arguments, format);
    ic_record_failure(&errors->status, errors->message, sizeof errors->message, status, format, arguments);
    va_end(arguments);
    longjmp(errors->escape, 1);
}

// MARK: - Reader

struct ic_jpeg_reader {
    struct jpeg_decompress_struct cinfo;
    ic_jpeg_errors errors;
    struct jpeg_progress_mgr progress;
    const uint8_t *data;
    size_t size;
    int started;
    int cmyk;
    int adobe_inverted;
    uint8_t *cmyk_row;
};

static void ic_jpeg_watch_scans(j_common_ptr cinfo) {
    j_decompress_ptr decompress = (j_decompress_ptr)cinfo;
    if (decompress->input_scan_number > IC_JPEG_MAX_SCANS) {
        ic_jpeg_reader *reader = (ic_jpeg_reader *)decompress; // cinfo is the first member
        ic_jpeg_fail(&reader->errors, IC_CORRUPT, "more than %d progressive scans", IC_JPEG_MAX_SCANS);
    }
}

ic_jpeg_reader *ic_jpeg_reader_create(const uint8_t *data, size_t size) {
    // volatile: it must survive the longjmp back into this frame.
    ic_jpeg_reader *volatile reader = calloc(1, sizeof(ic_jpeg_reader));
    if (reader == NULL) return NULL;
    ic_jpeg_errors_init(&reader->errors);
    reader->cinfo.err = &reader->errors.manager;
    if (setjmp(reader->errors.escape)) {
        jpeg_destroy_decompress(&reader->cinfo);
        free(reader);
        return NULL;
    }
    jpeg_create_decompress(&reader->cinfo);
    reader->progress.progress_monitor = ic_jpeg_watch_scans;
    reader->cinfo.progress = &reader->progress;
    reader->data = data;
    reader->size = size;
    return reader;
}

void ic_jpeg_reader_destroy(ic_jpeg_reader *reader) {
    if (reader == NULL) return;
    jpeg_destroy_decompress(&reader->cinfo);
    free(reader->cmyk_row);
    free(reader);
}

const char *ic_jpeg_reader_message(const ic_jpeg_reader *reader) { return reader->errors.message; }

ic_status ic_jpeg_reader_start(ic_jpeg_reader *reader, unsigned scale_denominator,
                               uint32_t *width, uint32_t *height) {
    if (setjmp(reader->errors.escape)) return reader->errors.status;
    if (reader->started) ic_jpeg_fail(&reader->errors, IC_INVALID_ARGUMENT, "decoder already started");
    reader->started = 1;
    j_decompress_ptr cinfo = &reader->cinfo;
    jpeg_mem_src(cinfo, reader->data, (unsigned long)reader->size);
    jpeg_read_header(cinfo, TRUE);

    switch (cinfo->jpeg_color_space) {
    case JCS_GRAYSCALE:
    case JCS_YCbCr:
    case JCS_RGB:
        // libjpeg's own gray conversion: the Y channel, or BT.601 luma of RGB.
        cinfo->out_color_space = JCS_GRAYSCALE;
        break;
    case JCS_CMYK:
    case JCS_YCCK:
        // libjpeg turns YCCK back into CMYK; the luma is computed from CMYK here.
        cinfo->out_color_space = JCS_CMYK;
        reader->cmyk = 1;
        reader->adobe_inverted = cinfo->saw_Adobe_marker;
        break;
    default:
        ic_jpeg_fail(&reader->errors, IC_UNSUPPORTED, "%d-component colour space is not supported",
                     cinfo->num_components);
    }
    cinfo->scale_num = 1;
    cinfo->scale_denom = scale_denominator;
    jpeg_start_decompress(cinfo);

    if (reader->cmyk) {
        reader->cmyk_row = malloc((size_t)cinfo->output_width * 4);
        if (reader->cmyk_row == NULL) ic_jpeg_fail(&reader->errors, IC_OUT_OF_MEMORY, "out of memory");
    }
    *width = cinfo->output_width;
    *height = cinfo->output_height;
    return IC_OK;
}

ic_status ic_jpeg_reader_read_gray(ic_jpeg_reader *reader, uint8_t *pixels, size_t count) {
    if (setjmp(reader->errors.escape)) return reader->errors.status;
    j_decompress_ptr cinfo = &reader->cinfo;
    size_t width = cinfo->output_width;
    if (!reader->started || cinfo->output_scanline != 0 || count != width * cinfo->output_height)
        ic_jpeg_fail(&reader->errors, IC_INVALID_ARGUMENT, "buffer does not match the output size");

    enum { batch = 16 };
    JSAMPROW rows[batch];
    while (cinfo->output_scanline < cinfo->output_height) {
        size_t y = cinfo->output_scanline;
        JDIMENSION read;
        if (reader->cmyk) {
            rows[0] = reader->cmyk_row;
            read = jpeg_read_scanlines(cinfo, rows, 1);
            if (read == 1) ic_cmyk_row_to_gray(reader->cmyk_row, reader->adobe_inverted, pixels + y * width, width);
        } else {
            JDIMENSION wanted = cinfo->output_height - (JDIMENSION)y;
            if (wanted > batch) wanted = batch;
            for (JDIMENSION i = 0; i < wanted; i++) rows[i] = pixels + (y + i) * width;
            read = jpeg_read_scanlines(cinfo, rows, wanted);
        }
        // The memory source never suspends, so no progress means something is wrong.
        if (read == 0) ic_jpeg_fail(&reader->errors, IC_CORRUPT, "decoder stopped producing rows");
    }
    // Reads the rest of the file up to EOI, so a file cut short after the last row still fails.
    jpeg_finish_decompress(cinfo);
    return IC_OK;
}

// MARK: - Writer

typedef struct {
    struct jpeg_compress_struct cinfo;
    ic_jpeg_errors errors;
    struct jpeg_destination_mgr destination;
    ic_buffer buffer;
} ic_jpeg_writer;

static void ic_jpeg_destination_init(j_compress_ptr cinfo) {
    ic_jpeg_writer *writer = (ic_jpeg_writer *)cinfo;
    if (!ic_buffer_reserve(&writer->buffer, 65536)) ERREXIT1(cinfo, JERR_OUT_OF_MEMORY, 0);
    writer->destination.next_output_byte = writer->buffer.bytes;
    writer->destination.free_in_buffer = writer->buffer.capacity;
}

/// libjpeg calls this when the whole buffer is full.
static boolean ic_jpeg_destination_grow(j_compress_ptr cinfo) {
    ic_jpeg_writer *writer = (ic_jpeg_writer *)cinfo;
    writer->buffer.count = writer->buffer.capacity;
    if (!ic_buffer_reserve(&writer->buffer, writer->buffer.capacity)) ERREXIT1(cinfo, JERR_OUT_OF_MEMORY, 0);
    writer->destination.next_output_byte = writer->buffer.bytes + writer->buffer.count;
    writer->destination.free_in_buffer = writer->buffer.capacity - writer->buffer.count;
    return TRUE;
}

static void ic_jpeg_destination_finish(j_compress_ptr cinfo) {
    ic_jpeg_writer *writer = (ic_jpeg_writer *)cinfo;
    writer->buffer.count = writer->buffer.capacity - writer->destination.free_in_buffer;
}

ic_status ic_jpeg_encode(const ic_jpeg_description *description, const uint8_t *pixels,
                         ic_encoded *output, char *message, size_t message_capacity) {
    output->bytes = NULL;
    output->count = 0;
    ic_jpeg_writer *writer = calloc(1, sizeof *writer);
    if (writer == NULL) {
        ic_copy_message(message, message_capacity, "out of memory");
        return IC_OUT_OF_MEMORY;
    }
    ic_jpeg_errors_init(&writer->errors);
    writer->cinfo.err = &writer->errors.manager;
    if (setjmp(writer->errors.escape)) {
        ic_status status = writer->errors.status;
        ic_copy_message(message, message_capacity, writer->errors.message);
        jpeg_destroy_compress(&writer->cinfo);
        free(writer->buffer.bytes);
        free(writer);
        return status == IC_TOO_LARGE ? IC_UNSUPPORTED : status;
    }
    jpeg_create_compress(&writer->cinfo);
    j_compress_ptr cinfo = &writer->cinfo;
    writer->destination.init_destination = ic_jpeg_destination_init;
    writer->destination.empty_output_buffer = ic_jpeg_destination_grow;
    writer->destination.term_destination = ic_jpeg_destination_finish;
    cinfo->dest = &writer->destination;

    int components = description->components;
    cinfo->image_width = description->width;
    cinfo->image_height = description->height;
    cinfo->input_components = components;
    switch (components) {
    case 1: cinfo->in_color_space = JCS_GRAYSCALE; break;
    case 3: cinfo->in_color_space = JCS_RGB; break;
    case 4: cinfo->in_color_space = JCS_CMYK; break;
    default: ic_jpeg_fail(&writer->errors, IC_INVALID_ARGUMENT, "%d components", components);
    }
    jpeg_set_defaults(cinfo);
    if (components == 4 && description->cmyk_as_ycck) jpeg_set_colorspace(cinfo, JCS_YCCK);
    jpeg_set_quality(cinfo, description->quality, TRUE);
    if (description->progressive) jpeg_simple_progression(cinfo);
    jpeg_start_compress(cinfo, TRUE);

    size_t stride = (size_t)description->width * (size_t)components;
    while (cinfo->next_scanline < cinfo->image_height) {
        JSAMPROW row = (JSAMPROW)(pixels + (size_t)cinfo->next_scanline * stride);
        jpeg_write_scanlines(cinfo, &row, 1);
    }
    jpeg_finish_compress(cinfo);
    jpeg_destroy_compress(cinfo);

    output->bytes = writer->buffer.bytes;
    output->count = writer->buffer.count;
    free(writer);
    return IC_OK;
}
