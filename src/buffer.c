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

/* WAV reading and writing: wav.c */
