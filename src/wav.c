/*
 * RIFF WAVE files: reading (from memory or a file) and writing.
 *
 * The reader treats its input as untrusted: every offset is checked against
 * the size before it is read, sizes are compared by subtraction (never by
 * adding to an offset), and every way a file can be wrong ends in
 * LS_ERROR_FORMAT with a message naming the problem. Chunks may come in any
 * order; unknown ones are skipped, with the pad byte RIFF puts after an odd
 * sized chunk. A data chunk whose size is 0xFFFFFFFF (a writer that never
 * came back to fill it in) extends to the end of the file; any other size
 * that runs past the end of the file is an error (truncated file), and so is
 * an unknown chunk that does before 'fmt ' and 'data' have both been seen
 * (one after them is trailing metadata cut short, and ends the walk).
 */
#include "engine.h"
#include "dsp/simd.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__unix__) || defined(__APPLE__)
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

#define WAVE_FORMAT_PCM 1u
#define WAVE_FORMAT_IEEE_FLOAT 3u
#define WAVE_FORMAT_EXTENSIBLE 0xFFFEu

/* The GUID tail shared by KSDATAFORMAT_SUBTYPE_PCM and _IEEE_FLOAT (the first
 * two bytes are the format code, the next two zero). */
static const unsigned char ks_guid_tail[14] = {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80,
                                               0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71};

static uint32_t rd16(const unsigned char *p) { return (uint32_t)p[0] | ((uint32_t)p[1] << 8); }
static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* A chunk id for a message: printable ASCII as is, other bytes as \xNN. */
static const char *chunk_id(const unsigned char *p, char out[17])
{
    static const char hex[] = "0123456789ABCDEF";
    char *o = out;
    for (int i = 0; i < 4; i++) {
        if (p[i] >= 0x20 && p[i] < 0x7F && p[i] != '\\' && p[i] != '\'') {
            *o++ = (char)p[i];
        } else {
            *o++ = '\\';
            *o++ = 'x';
            *o++ = hex[p[i] >> 4];
            *o++ = hex[p[i] & 15];
        }
    }
    *o = 0;
    return out;
}

static ls_result fail(char *msg, ls_result r, const char *fmt, ...)
{
    if (msg) {
        va_list va;
        va_start(va, fmt);
        vsnprintf(msg, LS_DECODE_MESSAGE_SIZE, fmt, va);
        va_end(va);
    }
    return r;
}

/* Sample decoders: little-endian bytes at p to a float. */
static inline float dec_u8(const unsigned char *p) { return ((float)p[0] - 128.0f) * (1.0f / 128.0f); }
static inline float dec_s16(const unsigned char *p) { return (float)(int16_t)rd16(p) * (1.0f / 32768.0f); }
static inline float dec_s24(const unsigned char *p)
{
    int32_t v = (int32_t)(((uint32_t)p[0] << 8) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 24)) >> 8;
    return (float)v * (1.0f / 8388608.0f);
}
static inline float dec_s32(const unsigned char *p)
{
    return (float)((double)(int32_t)rd32(p) * (1.0 / 2147483648.0));
}
static inline float dec_f32(const unsigned char *p)
{
    uint32_t u = rd32(p);
    float f;
    memcpy(&f, &u, 4);
    return f;
}
static inline float dec_f64(const unsigned char *p)
{
    uint64_t u = (uint64_t)rd32(p) | ((uint64_t)rd32(p + 4) << 32);
    double d;
    memcpy(&d, &u, 8);
    return (float)d;
}

/* Deinterleave in blocks of frames that stay in cache, one channel at a time,
 * so each inner loop is a plain strided read. */
#define CONVERT_BLOCK 4096
#define CONVERT(DEC, BYTES)                                                             \
    for (uint64_t b0 = 0; b0 < frames; b0 += CONVERT_BLOCK) {                           \
        uint64_t n = frames - b0 < CONVERT_BLOCK ? frames - b0 : CONVERT_BLOCK;         \
        const unsigned char *base = src + b0 * block;                                   \
        for (uint32_t c = 0; c < ch; c++) {                                             \
            float *restrict d = dst[c] + b0;                                            \
            const unsigned char *p = base + (size_t)(BYTES) * c;                        \
            for (uint64_t i = 0; i < n; i++, p += block)                                \
                d[i] = DEC(p);                                                          \
        }                                                                               \
    }

/* Convert `frames` interleaved frames of `ch` channels at `src` into planar b. */
static void convert(const unsigned char *src, uint64_t frames, uint32_t ch, uint32_t bytes,
                    int is_float, uint32_t block, ls_buffer *b)
{
    float *dst[LS_MAX_CHANNELS];
    for (uint32_t c = 0; c < ch; c++)
        dst[c] = ls_buffer_channel_data(b, c);
    if (is_float && bytes == 4) {
        CONVERT(dec_f32, 4)
    } else if (is_float) {
        CONVERT(dec_f64, 8)
    } else if (bytes == 1) {
        CONVERT(dec_u8, 1)
    } else if (bytes == 2) {
        CONVERT(dec_s16, 2)
    } else if (bytes == 3) {
        CONVERT(dec_s24, 3)
    } else {
        CONVERT(dec_s32, 4)
    }
}

ls_result ls_wav_decode(const void *data, size_t size, ls_buffer **out, ls_wav_info *info,
                        char message[LS_DECODE_MESSAGE_SIZE])
{
    const unsigned char *d = data;
    if (message)
        message[0] = 0;
    if (!out || (!data && size))
        return fail(message, LS_ERROR_INVALID_ARGUMENT, "no data or no place for the result");
    if (size < 12)
        return fail(message, LS_ERROR_FORMAT,
                    "not a WAV file: %zu bytes, fewer than a RIFF header's 12", size);
    if (memcmp(d, "RIFF", 4) != 0 || memcmp(d + 8, "WAVE", 4) != 0) {
        if (memcmp(d, "RF64", 4) == 0 || memcmp(d, "RIFX", 4) == 0)
            return fail(message, LS_ERROR_FORMAT, "unsupported WAV variant '%.4s'", (const char *)d);
        return fail(message, LS_ERROR_FORMAT,
                    "not a WAV file: it does not start with a RIFF/WAVE header");
    }

    /* walk the chunks: remember fmt and data */
    const unsigned char *fmt = NULL, *payload = NULL;
    uint32_t fmt_size = 0;
    uint64_t data_size = 0;
    size_t pos = 12;
    while (size - pos >= 8) {
        const unsigned char *h = d + pos;
        uint32_t csize = rd32(h + 4);
        size_t avail = size - pos - 8;
        if (memcmp(h, "fmt ", 4) == 0) {
            if (fmt)
                return fail(message, LS_ERROR_FORMAT, "more than one 'fmt ' chunk");
            if (csize > avail)
                return fail(message, LS_ERROR_FORMAT,
                            "truncated: the 'fmt ' chunk claims %u bytes but %zu remain",
                            csize, avail);
            fmt = h + 8;
            fmt_size = csize;
        } else if (memcmp(h, "data", 4) == 0) {
            if (payload)
                return fail(message, LS_ERROR_FORMAT, "more than one 'data' chunk");
            if (csize == 0xFFFFFFFFu) {
                csize = avail > 0xFFFFFFFEu ? 0xFFFFFFFEu : (uint32_t)avail;
            } else if (csize > avail) {
                return fail(message, LS_ERROR_FORMAT,
                            "truncated: the 'data' chunk claims %u bytes but %zu remain",
                            csize, avail);
            }
            payload = h + 8;
            data_size = csize;
        } else if (csize > avail) {
            /* An unknown chunk that runs past the end: after both 'fmt ' and
             * 'data' it is trailing metadata cut short, harmless, and ends the
             * walk; before them it hides what should follow, so say so. */
            if (fmt && payload)
                break;
            char id[17];
            return fail(message, LS_ERROR_FORMAT,
                        "the '%s' chunk's size (%u bytes) runs past the end of the data "
                        "(%zu bytes remain)",
                        chunk_id(h, id), csize, avail);
        }
        uint64_t step = 8 + (uint64_t)csize + (csize & 1u);
        if (step > size - pos)
            break;
        pos += (size_t)step;
    }
    if (!fmt)
        return fail(message, LS_ERROR_FORMAT, "no 'fmt ' chunk");
    if (!payload)
        return fail(message, LS_ERROR_FORMAT, "no 'data' chunk");
    if (fmt_size < 16)
        return fail(message, LS_ERROR_FORMAT, "the 'fmt ' chunk is %u bytes, fewer than 16",
                    fmt_size);

    uint32_t tag = rd16(fmt), channels = rd16(fmt + 2), rate = rd32(fmt + 4);
    uint32_t block = rd16(fmt + 12), bits = rd16(fmt + 14);
    uint32_t valid = bits, mask = 0, extensible = 0;
    if (tag == WAVE_FORMAT_EXTENSIBLE) {
        if (fmt_size < 40)
            return fail(message, LS_ERROR_FORMAT,
                        "WAVE_FORMAT_EXTENSIBLE needs a 40-byte 'fmt ' chunk, this one has %u",
                        fmt_size);
        uint32_t cb = rd16(fmt + 16);
        if (cb < 22)
            return fail(message, LS_ERROR_FORMAT,
                        "WAVE_FORMAT_EXTENSIBLE with an extension of %u bytes, fewer than 22", cb);
        valid = rd16(fmt + 18);
        mask = rd32(fmt + 20);
        const unsigned char *guid = fmt + 24;
        if (memcmp(guid + 2, ks_guid_tail, 14) != 0)
            return fail(message, LS_ERROR_FORMAT,
                        "unsupported WAVE_FORMAT_EXTENSIBLE sub-format (not PCM or IEEE float)");
        tag = rd16(guid);
        extensible = 1;
        if (valid == 0)
            valid = bits;
        if (valid > bits)
            return fail(message, LS_ERROR_FORMAT, "%u valid bits in a %u-bit container", valid,
                        bits);
    }
    if (tag != WAVE_FORMAT_PCM && tag != WAVE_FORMAT_IEEE_FLOAT)
        return fail(message, LS_ERROR_FORMAT,
                    "unsupported encoding: format tag 0x%04x (only PCM and IEEE float)", tag);
    if (channels == 0)
        return fail(message, LS_ERROR_FORMAT, "the file says it has 0 channels");
    if (channels > LS_MAX_CHANNELS)
        return fail(message, LS_ERROR_FORMAT, "%u channels: at most %d are supported", channels,
                    LS_MAX_CHANNELS);
    int is_float = tag == WAVE_FORMAT_IEEE_FLOAT;
    if (is_float ? (bits != 32 && bits != 64) : (bits == 0 || bits > 32))
        return fail(message, LS_ERROR_FORMAT, "unsupported sample size: %u-bit %s", bits,
                    is_float ? "float" : "PCM");
    uint32_t bytes = (bits + 7) / 8;
    if (block != bytes * channels)
        return fail(message, LS_ERROR_FORMAT,
                    "inconsistent header: block align %u, but %u channels of %u bytes make %u",
                    block, channels, bytes, bytes * channels);
    if (rate == 0)
        return fail(message, LS_ERROR_FORMAT, "the file says its sample rate is 0");
    if (rate < 3000 || rate > 768000)
        return fail(message, LS_ERROR_NOT_SUPPORTED,
                    "sample rate %u Hz is outside the supported 3000 .. 768000", rate);
    uint64_t frames = data_size / block;
    if (frames == 0)
        return fail(message, LS_ERROR_FORMAT, "the 'data' chunk holds no complete frame");

    ls_buffer *b = NULL;
    ls_result r = ls_buffer_create(channels, frames, (double)rate, &b);
    if (r != LS_OK)
        return fail(message, r, "cannot allocate %llu frames of %u channels",
                    (unsigned long long)frames, channels);
    convert(payload, frames, channels, bytes, is_float, block, b);
    if (info) {
        info->format_tag = tag;
        info->extensible = extensible;
        info->bits_per_sample = bits;
        info->valid_bits = valid;
        info->channels = channels;
        info->channel_mask = mask;
        info->sample_rate = rate;
        info->frames = frames;
    }
    *out = b;
    return LS_OK;
}

ls_result ls_wav_load(const char *path, ls_buffer **out, ls_wav_info *info,
                      char message[LS_DECODE_MESSAGE_SIZE])
{
    if (message)
        message[0] = 0;
    if (!path || !out)
        return fail(message, LS_ERROR_INVALID_ARGUMENT, "no path or no place for the result");
#if defined(__unix__) || defined(__APPLE__)
    /* Map the file: decoding reads it once, straight from the page cache. */
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return fail(message, LS_ERROR_IO, "cannot open '%s': %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return fail(message, LS_ERROR_IO, "cannot read '%s': not a regular file", path);
    }
    size_t size = (size_t)st.st_size;
    if (size == 0) {
        close(fd);
        return ls_wav_decode("", 0, out, info, message);
    }
    void *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED)
        return fail(message, LS_ERROR_IO, "cannot map '%s': %s", path, strerror(errno));
    madvise(map, size, MADV_SEQUENTIAL);
    ls_result r = ls_wav_decode(map, size, out, info, message);
    munmap(map, size);
    return r;
#else
    FILE *f = fopen(path, "rb");
    if (!f)
        return fail(message, LS_ERROR_IO, "cannot open '%s': %s", path, strerror(errno));
    unsigned char *data = NULL;
    size_t size = 0;
    ls_result r = LS_OK;
    if (fseek(f, 0, SEEK_END) == 0) {
        long end = ftell(f);
        if (end < 0 || fseek(f, 0, SEEK_SET) != 0) {
            r = fail(message, LS_ERROR_IO, "cannot read '%s': %s", path, strerror(errno));
        } else {
            size = (size_t)end;
            data = malloc(size ? size : 1);
            if (!data)
                r = fail(message, LS_ERROR_NO_MEM, "cannot allocate %zu bytes for '%s'", size, path);
            else if (fread(data, 1, size, f) != size)
                r = fail(message, LS_ERROR_IO, "cannot read '%s'", path);
        }
    } else {
        r = fail(message, LS_ERROR_IO, "cannot read '%s': %s", path, strerror(errno));
    }
    fclose(f);
    if (r == LS_OK)
        r = ls_wav_decode(data, size, out, info, message);
    free(data);
    return r;
#endif
}

/* ------------------------------------------------------------------ */
/* Writing                                                             */
/* ------------------------------------------------------------------ */

static void put_u16(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}
static void put_u32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* lrint(v) for |v| < 2^51, inline: adding and subtracting 1.5 * 2^52 rounds
 * to an integer in the current rounding mode (to nearest, ties to even, as
 * lrint does), with no library call in the per-sample loops. */
static inline int32_t round_pcm(double v)
{
    const double k = 6755399441055744.0;   /* 1.5 * 2^52 */
    return (int32_t)((v + k) - k);
}

/* A sample to an integer of full scale `scale`: clipped to [-1, 1], NaN as
 * 0, rounded as lrint does. Branch-free, so the compiler vectorizes loops of it. */
static inline int32_t pcm_one(float s, double scale)
{
    s = s == s ? s : 0.0f;
    s = s > 1.0f ? 1.0f : s;
    s = s < -1.0f ? -1.0f : s;
    return round_pcm((double)s * scale);
}

/* n samples to integers of full scale `scale` (pcm_one each). */
enum { PCM_RUN = 512 };
static void pcm_ints(const float *x, int32_t *v, size_t n, double scale)
{
    for (size_t k = 0; k < n; k++)
        v[k] = pcm_one(x[k], scale);
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define LS_WAV_NATIVE_LE 1
/* 16-bit PCM, n frames from frame i of the planar data, converted (as
 * pcm_ints) and interleaved in one pass straight into o: the host's int16
 * is the file's little-endian sample. Mono and stereo written out so that
 * the compiler vectorizes them. */
static LS_VEC_FN void pcm16_frames(const float *data, size_t stride, uint32_t ch, uint64_t i,
                                   size_t n, int16_t *restrict o)
{
    if (ch == 1) {
        const float *restrict a = data + i;
        for (size_t k = 0; k < n; k++)
            o[k] = (int16_t)pcm_one(a[k], 32767.0);
    } else if (ch == 2) {
        const float *restrict a = data + i, *restrict b = data + stride + i;
        for (size_t k = 0; k < n; k++) {
            o[2 * k] = (int16_t)pcm_one(a[k], 32767.0);
            o[2 * k + 1] = (int16_t)pcm_one(b[k], 32767.0);
        }
    } else {
        for (uint32_t c = 0; c < ch; c++) {
            const float *restrict a = data + (size_t)c * stride + i;
            for (size_t k = 0; k < n; k++)
                o[k * ch + c] = (int16_t)pcm_one(a[k], 32767.0);
        }
    }
}
#endif

/* Speaker masks for the layouts Web Audio names (mono, stereo, quad, 5.1). */
static uint32_t channel_mask(uint32_t channels)
{
    switch (channels) {
    case 1: return 0x4;
    case 2: return 0x3;
    case 4: return 0x33;
    case 6: return 0x3F;
    default: return 0;
    }
}

struct ls_wav_writer {
    FILE *f;
    ls_wav_format format;
    uint32_t channels, bytes, tag, header;
    double rate;
    uint64_t frames;               /* written so far */
    int failed;                    /* a write failed: close reports IO */
};

static int format_info(ls_wav_format format, uint32_t *bytes, uint32_t *tag)
{
    switch (format) {
    case LS_WAV_PCM8: *bytes = 1; *tag = WAVE_FORMAT_PCM; return 1;
    case LS_WAV_PCM16: *bytes = 2; *tag = WAVE_FORMAT_PCM; return 1;
    case LS_WAV_PCM24: *bytes = 3; *tag = WAVE_FORMAT_PCM; return 1;
    case LS_WAV_PCM32: *bytes = 4; *tag = WAVE_FORMAT_PCM; return 1;
    case LS_WAV_FLOAT32: *bytes = 4; *tag = WAVE_FORMAT_IEEE_FLOAT; return 1;
    case LS_WAV_FLOAT64: *bytes = 8; *tag = WAVE_FORMAT_IEEE_FLOAT; return 1;
    default: return 0;
    }
}

/* The header for `frames` frames (at most 68 bytes); returns its size. */
static uint32_t wav_header(const ls_wav_writer *w, uint64_t frames, unsigned char h[68])
{
    uint32_t ch = w->channels, bytes = w->bytes;
    int ext = ch > 2;
    uint32_t fmt_size = ext ? 40 : 16;
    uint32_t header = 12 + 8 + fmt_size + 8;
    uint64_t data_size = frames * ch * (uint64_t)bytes;
    memset(h, 0, 68);
    memcpy(h, "RIFF", 4);
    put_u32(h + 4, (uint32_t)(header - 8 + data_size + (data_size & 1)));
    memcpy(h + 8, "WAVEfmt ", 8);
    put_u32(h + 16, fmt_size);
    unsigned char *fm = h + 20;
    put_u16(fm, ext ? WAVE_FORMAT_EXTENSIBLE : w->tag);
    put_u16(fm + 2, ch);
    uint32_t rate = (uint32_t)lrint(w->rate);
    put_u32(fm + 4, rate);
    put_u32(fm + 8, rate * ch * bytes);
    put_u16(fm + 12, ch * bytes);
    put_u16(fm + 14, bytes * 8);
    if (ext) {
        put_u16(fm + 16, 22);
        put_u16(fm + 18, bytes * 8);
        put_u32(fm + 20, channel_mask(ch));
        put_u16(fm + 24, w->tag);
        memcpy(fm + 26, ks_guid_tail, 14);
    }
    unsigned char *dh = fm + fmt_size;
    memcpy(dh, "data", 4);
    put_u32(dh + 4, (uint32_t)data_size);
    return header;
}

ls_result ls_wav_writer_open(const char *path, uint32_t channels, double sample_rate,
                             ls_wav_format format, ls_wav_writer **out)
{
    uint32_t bytes, tag;
    if (!path || !out || !format_info(format, &bytes, &tag))
        return LS_ERROR_INVALID_ARGUMENT;
    if (channels < 1 || channels > LS_MAX_CHANNELS || !(sample_rate >= 1.0 && sample_rate < 4.2e9))
        return LS_ERROR_NOT_SUPPORTED;
    ls_wav_writer *w = calloc(1, sizeof *w);
    if (!w)
        return LS_ERROR_NO_MEM;
    w->format = format;
    w->channels = channels;
    w->bytes = bytes;
    w->tag = tag;
    w->rate = sample_rate;
    w->f = fopen(path, "wb");
    if (!w->f) {
        free(w);
        return LS_ERROR_IO;
    }
    unsigned char h[68];
    w->header = wav_header(w, 0, h);
    if (fwrite(h, 1, w->header, w->f) != w->header) {
        fclose(w->f);
        free(w);
        return LS_ERROR_IO;
    }
    *out = w;
    return LS_OK;
}

ls_result ls_wav_writer_write(ls_wav_writer *w, const float *data, size_t stride, uint64_t frames)
{
    if (!w || (!data && frames))
        return LS_ERROR_INVALID_ARGUMENT;
    if (w->failed)
        return LS_ERROR_IO;
    const uint32_t ch = w->channels, bytes = w->bytes;
    if ((w->frames + frames) * ch * (uint64_t)bytes > 0xFFFFFFFFull - w->header)
        return LS_ERROR_NOT_SUPPORTED;
    enum { OUT_BYTES = 65536 };
    union {
        unsigned char b[OUT_BYTES];
        int16_t s16[OUT_BYTES / 2];
    } staging;
    unsigned char *out = staging.b;
    size_t frame_bytes = (size_t)ch * bytes;
    size_t per_chunk = OUT_BYTES / frame_bytes;
    int ok = 1;
    for (uint64_t i = 0; ok && i < frames; i += per_chunk) {
        uint64_t n = frames - i < per_chunk ? frames - i : per_chunk;
        unsigned char *p = out;
        /* one loop per format (the format's switch outside the samples) */
#define WAV_EACH(body)                                                     \
        for (uint64_t k = 0; k < n; k++)                                   \
            for (uint32_t c = 0; c < ch; c++, p += bytes) {                \
                const float x = data[(size_t)c * stride + i + k];          \
                body                                                       \
            }
        switch (w->format) {
#ifdef LS_WAV_NATIVE_LE
        case LS_WAV_PCM16:
            pcm16_frames(data, stride, ch, i, (size_t)n, staging.s16);
            p = out + (size_t)n * frame_bytes;
            break;
#endif
        case LS_WAV_FLOAT32:
            WAV_EACH({
                uint32_t u;
                memcpy(&u, &x, 4);
                put_u32(p, u);
            })
            break;
        case LS_WAV_FLOAT64:
            WAV_EACH({
                double dv = (double)x;
                uint64_t u;
                memcpy(&u, &dv, 8);
                put_u32(p, (uint32_t)u);
                put_u32(p + 4, (uint32_t)(u >> 32));
            })
            break;
        default: {   /* integer PCM: each channel converted in runs, then interleaved */
            const double scale = w->format == LS_WAV_PCM8 ? 127.0 : w->format == LS_WAV_PCM16 ? 32767.0
                               : w->format == LS_WAV_PCM24 ? 8388607.0 : 2147483647.0;
            int32_t v[PCM_RUN];
            for (uint64_t k0 = 0; k0 < n; k0 += PCM_RUN) {
                const size_t m = n - k0 < PCM_RUN ? (size_t)(n - k0) : PCM_RUN;
                for (uint32_t c = 0; c < ch; c++) {
                    pcm_ints(data + (size_t)c * stride + i + k0, v, m, scale);
                    unsigned char *q = out + ((size_t)k0 * ch + c) * bytes;
                    switch (bytes) {
                    case 1:
                        for (size_t k = 0; k < m; k++)
                            q[k * frame_bytes] = (unsigned char)(v[k] + 128);
                        break;
                    case 2:
                        for (size_t k = 0; k < m; k++) {
                            q[k * frame_bytes] = (unsigned char)v[k];
                            q[k * frame_bytes + 1] = (unsigned char)((uint32_t)v[k] >> 8);
                        }
                        break;
                    case 3:
                        for (size_t k = 0; k < m; k++) {
                            q[k * frame_bytes] = (unsigned char)v[k];
                            q[k * frame_bytes + 1] = (unsigned char)((uint32_t)v[k] >> 8);
                            q[k * frame_bytes + 2] = (unsigned char)((uint32_t)v[k] >> 16);
                        }
                        break;
                    default:
                        for (size_t k = 0; k < m; k++)
                            put_u32(q + k * frame_bytes, (uint32_t)v[k]);
                        break;
                    }
                }
            }
            p = out + (size_t)n * frame_bytes;
            break;
        }
        }
#undef WAV_EACH
        ok = fwrite(out, 1, (size_t)(p - out), w->f) == (size_t)(p - out);
    }
    if (!ok) {
        w->failed = 1;
        return LS_ERROR_IO;
    }
    w->frames += frames;
    return LS_OK;
}

ls_result ls_wav_writer_close(ls_wav_writer *w)
{
    if (!w)
        return LS_ERROR_INVALID_ARGUMENT;
    int ok = !w->failed;
    uint64_t data_size = w->frames * w->channels * (uint64_t)w->bytes;
    if (ok && (data_size & 1))
        ok = fputc(0, w->f) != EOF;
    if (ok) {
        unsigned char h[68];
        uint32_t n = wav_header(w, w->frames, h);
        ok = fseek(w->f, 0, SEEK_SET) == 0 && fwrite(h, 1, n, w->f) == n;
    }
    if (fclose(w->f) != 0)
        ok = 0;
    free(w);
    return ok ? LS_OK : LS_ERROR_IO;
}

uint64_t ls_wav_writer_frames(const ls_wav_writer *w)
{
    return w ? w->frames : 0;
}

ls_result ls_buffer_save_wav(const ls_buffer *cb, const char *path, ls_wav_format format)
{
    ls_buffer *b = (ls_buffer *)cb;
    uint32_t bytes, tag;
    if (!b || !path || !format_info(format, &bytes, &tag))
        return LS_ERROR_INVALID_ARGUMENT;
    uint32_t ch = ls_buffer_number_of_channels(b);
    uint64_t len = ls_buffer_length(b);
    uint32_t header = 12 + 8 + (ch > 2 ? 40 : 16) + 8;
    if (len * ch * (uint64_t)bytes > 0xFFFFFFFFull - header)
        return LS_ERROR_NOT_SUPPORTED;
    ls_wav_writer *w;
    ls_result r = ls_wav_writer_open(path, ch, ls_buffer_sample_rate(b), format, &w);
    if (r != LS_OK)
        return r;
    r = ls_wav_writer_write(w, ls_buffer_channel_data(b, 0), (size_t)len, len);
    ls_result rc = ls_wav_writer_close(w);
    return r != LS_OK ? r : rc;
}
