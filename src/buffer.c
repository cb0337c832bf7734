/* AudioBuffer: channels x length float32 in one channel-major block. */
#include "engine.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

struct ls_buffer {
    atomic_int refcount;
    uint32_t channels;
    uint64_t length;
    double sample_rate;
    float *data;
};

/* Large buffers (offline renders) are written once from start to end: ask
 * for transparent huge pages so that filling them takes one page fault per
 * 2 MiB instead of one per 4 KiB. Fresh calloc memory of this size is an
 * untouched mapping, so the advice applies to all of it. A hint only. */
static void advise_huge_pages(void *data, size_t bytes)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    const uintptr_t page = 4096, huge = (uintptr_t)2 << 20;
    if (bytes < 2 * huge)
        return;
    uintptr_t lo = ((uintptr_t)data + page - 1) & ~(page - 1);
    uintptr_t hi = ((uintptr_t)data + bytes) & ~(page - 1);
    (void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
#else
    (void)data;
    (void)bytes;
#endif
}

ls_result ls_buffer_create(uint32_t channels, uint64_t length, double sample_rate, ls_buffer **out)
{
    if (!out)
        return LS_ERROR_INVALID_ARGUMENT;
    if (channels < 1 || channels > LS_MAX_CHANNELS || length == 0 || !isfinite(sample_rate) ||
        sample_rate < 3000.0 || sample_rate > 768000.0)
        return LS_ERROR_NOT_SUPPORTED;
    if (length > (SIZE_MAX / sizeof(float)) / channels)
        return LS_ERROR_NO_MEM;
    ls_buffer *b = malloc(sizeof *b);
    if (!b)
        return LS_ERROR_NO_MEM;
    b->data = calloc((size_t)channels * (size_t)length, sizeof(float));
    if (!b->data) {
        free(b);
        return LS_ERROR_NO_MEM;
    }
    advise_huge_pages(b->data, (size_t)channels * (size_t)length * sizeof(float));
    atomic_init(&b->refcount, 1);
    b->channels = channels;
    b->length = length;
    b->sample_rate = sample_rate;
    *out = b;
    return LS_OK;
}

void ls_buffer_retain(ls_buffer *b) { atomic_fetch_add(&b->refcount, 1); }

void ls_buffer_release(ls_buffer *b)
{
    if (b && atomic_fetch_sub(&b->refcount, 1) == 1) {
        free(b->data);
        free(b);
    }
}

uint32_t ls_buffer_number_of_channels(const ls_buffer *b) { return b->channels; }
uint64_t ls_buffer_length(const ls_buffer *b) { return b->length; }
double ls_buffer_sample_rate(const ls_buffer *b) { return b->sample_rate; }

float *ls_buffer_channel_data(ls_buffer *b, uint32_t c)
{
    return c < b->channels ? b->data + (size_t)c * b->length : NULL;
}

/* ------------------------------------------------------------------ */
/* WAV writing                                                         */
/* ------------------------------------------------------------------ */

static void put_u16(unsigned char *p, uint32_t v) { p[0] = (unsigned char)v; p[1] = (unsigned char)(v >> 8); }
static void put_u32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static int32_t to_pcm(float x, int bits)
{
    if (!(x == x))
        x = 0.0f;
    if (x > 1.0f)
        x = 1.0f;
    if (x < -1.0f)
        x = -1.0f;
    double scale = bits == 16 ? 32767.0 : 8388607.0;
    return (int32_t)lrint((double)x * scale);
}

ls_result ls_buffer_save_wav(const ls_buffer *b, const char *path, ls_wav_format format)
{
    if (!b || !path)
        return LS_ERROR_INVALID_ARGUMENT;
    int bytes;
    switch (format) {
    case LS_WAV_PCM16: bytes = 2; break;
    case LS_WAV_PCM24: bytes = 3; break;
    case LS_WAV_FLOAT32: bytes = 4; break;
    default: return LS_ERROR_INVALID_ARGUMENT;
    }
    uint64_t data_size = b->length * b->channels * (uint64_t)bytes;
    if (data_size > 0xFFFFFFFFull - 36)
        return LS_ERROR_NOT_SUPPORTED;
    FILE *f = fopen(path, "wb");
    if (!f)
        return LS_ERROR_IO;
    unsigned char h[44];
    memcpy(h, "RIFF", 4);
    put_u32(h + 4, (uint32_t)(36 + data_size));
    memcpy(h + 8, "WAVEfmt ", 8);
    put_u32(h + 16, 16);
    put_u16(h + 20, format == LS_WAV_FLOAT32 ? 3 : 1);
    put_u16(h + 22, b->channels);
    uint32_t rate = (uint32_t)lrint(b->sample_rate);
    put_u32(h + 24, rate);
    put_u32(h + 28, rate * b->channels * (uint32_t)bytes);
    put_u16(h + 32, b->channels * (uint32_t)bytes);
    put_u16(h + 34, (uint32_t)bytes * 8);
    memcpy(h + 36, "data", 4);
    put_u32(h + 40, (uint32_t)data_size);
    int ok = fwrite(h, 1, 44, f) == 44;
    enum { CHUNK = 4096 };
    unsigned char out[CHUNK * 4 * 2];
    size_t frame_bytes = (size_t)b->channels * (size_t)bytes;
    size_t frames_per_chunk = sizeof out / frame_bytes;
    for (uint64_t i = 0; ok && i < b->length; i += frames_per_chunk) {
        uint64_t n = b->length - i < frames_per_chunk ? b->length - i : frames_per_chunk;
        unsigned char *p = out;
        for (uint64_t k = 0; k < n; k++) {
            for (uint32_t c = 0; c < b->channels; c++) {
                float x = b->data[(size_t)c * b->length + i + k];
                if (format == LS_WAV_FLOAT32) {
                    uint32_t u;
                    memcpy(&u, &x, 4);
                    put_u32(p, u);
                } else {
                    int32_t v = to_pcm(x, bytes * 8);
                    for (int j = 0; j < bytes; j++)
                        p[j] = (unsigned char)((uint32_t)v >> (8 * j));
                }
                p += bytes;
            }
        }
        ok = fwrite(out, 1, (size_t)(p - out), f) == (size_t)(p - out);
    }
    if (fclose(f) != 0)
        ok = 0;
    return ok ? LS_OK : LS_ERROR_IO;
}
