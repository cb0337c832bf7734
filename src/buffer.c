/* AudioBuffer: channels x length float32 in one channel-major block. */
#include "engine.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

struct ls_buffer {
    atomic_int refcount;
    uint32_t channels;
    uint64_t length;
    double sample_rate;
    float *data;
    size_t mapped;      /* bytes of data's own mapping, or 0 for calloc memory */
    void (*ext_release)(void *user);    /* memory lent by the caller (ls_buffer_wrap), or NULL */
    void *ext_user;
    bool wrapped;       /* data belongs to the caller of ls_buffer_wrap */
};

/* Samples live in calloc memory, or, from 2 MiB up on Linux, in their own
 * anonymous mapping aligned to 2 MiB with transparent huge pages advised:
 * large buffers (offline renders) are written once from start to end, and
 * filling them then takes one page fault per 2 MiB instead of one per 4 KiB.
 * Both come zeroed.
 *
 * The most recently freed mapping (up to LS_KEEP_MAX bytes) is kept for the
 * next offline render target (ls__buffer_create_for_render), which the
 * renderer overwrites frame by frame anyway: a process that renders again and
 * again (a dataset, a benchmark) then neither faults in nor zeroes its output
 * memory each time, as malloc already spares an array library. Only that
 * caller takes the kept mapping, and only one no more than twice its size;
 * the keep slot is guarded by a mutex taken with trylock, so freeing never
 * waits (when the slot is busy the mapping is simply unmapped). */
#define LS_HUGE ((size_t)2 << 20)
#define LS_KEEP_MAX ((size_t)256 << 20)

#if defined(__linux__) && defined(MADV_HUGEPAGE)
static pthread_mutex_t keep_lock = PTHREAD_MUTEX_INITIALIZER;
static void *keep_ptr;      /* guarded by keep_lock */
static size_t keep_len;

static size_t mapping_len(size_t bytes) { return (bytes + LS_HUGE - 1) & ~(LS_HUGE - 1); }

/* The kept mapping if it suits `bytes` (NULL otherwise). Any control thread. */
static float *take_kept(size_t bytes, size_t *mapped)
{
    if (bytes < LS_HUGE || bytes > LS_KEEP_MAX || pthread_mutex_trylock(&keep_lock) != 0)
        return NULL;
    float *got = NULL;
    size_t len = mapping_len(bytes);
    if (keep_ptr && keep_len >= len && keep_len / 2 <= len) {
        got = keep_ptr;
        *mapped = keep_len;
        keep_ptr = NULL;
        keep_len = 0;
    }
    pthread_mutex_unlock(&keep_lock);
    return got;
}
#endif

static float *samples_alloc(size_t bytes, size_t *mapped)
{
    *mapped = 0;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (bytes >= LS_HUGE && bytes <= SIZE_MAX - 2 * LS_HUGE) {
        size_t len = mapping_len(bytes);
        void *m = mmap(NULL, len + LS_HUGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                       -1, 0);
        if (m != MAP_FAILED) {
            uintptr_t start = ((uintptr_t)m + LS_HUGE - 1) & ~(uintptr_t)(LS_HUGE - 1);
            size_t head = start - (uintptr_t)m, tail = LS_HUGE - head;
            if (head)
                munmap(m, head);
            if (tail)
                munmap((void *)(start + len), tail);
            (void)madvise((void *)start, len, MADV_HUGEPAGE);   /* a hint only */
            *mapped = len;
            return (float *)start;
        }
    }
#endif
    return calloc(bytes / sizeof(float), sizeof(float));
}

static void samples_free(float *data, size_t mapped)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (mapped) {
        if (mapped <= LS_KEEP_MAX && pthread_mutex_trylock(&keep_lock) == 0) {
            void *old = keep_ptr;
            size_t old_len = keep_len;
            keep_ptr = data;
            keep_len = mapped;
            pthread_mutex_unlock(&keep_lock);
            if (old)
                munmap(old, old_len);
            return;
        }
        munmap(data, mapped);
        return;
    }
#endif
    free(data);
}

static ls_result buffer_create(uint32_t channels, uint64_t length, double sample_rate,
                               bool for_render, bool *zeroed, ls_buffer **out)
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
    size_t bytes = (size_t)channels * (size_t)length * sizeof(float);
    b->data = NULL;
    if (zeroed)
        *zeroed = true;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (for_render && (b->data = take_kept(bytes, &b->mapped)) != NULL && zeroed)
        *zeroed = false;
#else
    (void)for_render;
#endif
    if (!b->data)
        b->data = samples_alloc(bytes, &b->mapped);
    if (!b->data) {
        free(b);
        return LS_ERROR_NO_MEM;
    }
    atomic_init(&b->refcount, 1);
    b->ext_release = NULL;
    b->ext_user = NULL;
    b->wrapped = false;
    b->channels = channels;
    b->length = length;
    b->sample_rate = sample_rate;
    *out = b;
    return LS_OK;
}

ls_result ls_buffer_create(uint32_t channels, uint64_t length, double sample_rate, ls_buffer **out)
{
    return buffer_create(channels, length, sample_rate, false, NULL, out);
}

ls_result ls__buffer_create_for_render(uint32_t channels, uint64_t length, double sample_rate,
                                       bool *zeroed, ls_buffer **out)
{
    return buffer_create(channels, length, sample_rate, true, zeroed, out);
}

ls_result ls_buffer_wrap(uint32_t channels, uint64_t length, double sample_rate, float *data,
                         void (*release)(void *user), void *user, ls_buffer **out)
{
    if (!out || !data)
        return LS_ERROR_INVALID_ARGUMENT;
    if (channels < 1 || channels > LS_MAX_CHANNELS || length == 0 || !isfinite(sample_rate) ||
        sample_rate < 3000.0 || sample_rate > 768000.0)
        return LS_ERROR_NOT_SUPPORTED;
    if (length > (SIZE_MAX / sizeof(float)) / channels)
        return LS_ERROR_NO_MEM;
    ls_buffer *b = malloc(sizeof *b);
    if (!b)
        return LS_ERROR_NO_MEM;
    atomic_init(&b->refcount, 1);
    b->channels = channels;
    b->length = length;
    b->sample_rate = sample_rate;
    b->data = data;
    b->mapped = 0;
    b->ext_release = release;
    b->ext_user = user;
    b->wrapped = true;
    *out = b;
    return LS_OK;
}

void ls_buffer_retain(ls_buffer *b) { atomic_fetch_add(&b->refcount, 1); }

void ls_buffer_release(ls_buffer *b)
{
    if (b && atomic_fetch_sub(&b->refcount, 1) == 1) {
        if (!b->wrapped)
            samples_free(b->data, b->mapped);
        else if (b->ext_release)
            b->ext_release(b->ext_user);
        free(b);
    }
}

int ls_buffer_is_wrapped(const ls_buffer *b) { return b->wrapped; }

uint32_t ls_buffer_number_of_channels(const ls_buffer *b) { return b->channels; }
uint64_t ls_buffer_length(const ls_buffer *b) { return b->length; }
double ls_buffer_sample_rate(const ls_buffer *b) { return b->sample_rate; }

float *ls_buffer_channel_data(ls_buffer *b, uint32_t c)
{
    return c < b->channels ? b->data + (size_t)c * b->length : NULL;
}

/* WAV reading and writing: wav.c */
