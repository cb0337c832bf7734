/* The planar audio ring of stream sources: see ring.h. */
#include "ring.h"

#include <stdlib.h>
#include <string.h>

bool ls_audio_ring_init(ls_audio_ring *ring, uint32_t channels, uint64_t capacity)
{
    ring->data = calloc((size_t)channels * (size_t)capacity, sizeof(float));
    if (!ring->data)
        return false;
    ring->channels = channels;
    ring->capacity = capacity;
    atomic_init(&ring->write_pos, 0);
    atomic_init(&ring->read_pos, 0);
    return true;
}

void ls_audio_ring_free(ls_audio_ring *ring)
{
    free(ring->data);
    ring->data = NULL;
}

uint64_t ls_audio_ring_writable(ls_audio_ring *ring)
{
    uint64_t w = atomic_load_explicit(&ring->write_pos, memory_order_relaxed);
    uint64_t r = atomic_load_explicit(&ring->read_pos, memory_order_acquire);
    return ring->capacity - (w - r);
}

uint64_t ls_audio_ring_write(ls_audio_ring *ring, const float *src, size_t stride, uint64_t frames)
{
    uint64_t room = ls_audio_ring_writable(ring);
    uint64_t n = frames < room ? frames : room;
    if (!n)
        return 0;
    uint64_t w = atomic_load_explicit(&ring->write_pos, memory_order_relaxed);
    uint64_t at = w % ring->capacity;
    uint64_t first = ring->capacity - at < n ? ring->capacity - at : n;
    for (uint32_t c = 0; c < ring->channels; c++) {
        float *dst = ring->data + (size_t)c * ring->capacity;
        const float *s = src + (size_t)c * stride;
        memcpy(dst + at, s, sizeof(float) * first);
        if (n > first)
            memcpy(dst, s + first, sizeof(float) * (n - first));
    }
    atomic_store_explicit(&ring->write_pos, w + n, memory_order_release);
    return n;
}

/* n interleaved frames from src into dst[c][0 .. n): one pass over the
 * input, the stereo and mono cases written out so that the compiler
 * vectorizes them (a stride-2 load splits into two channels). */
static void deinterleave(float *const *dst, uint32_t ch, const void *src, uint32_t bytes,
                         int is_float, uint64_t n)
{
    if (bytes == 2) {
        const int16_t *s = src;
        const float k = 1.0f / 32768.0f;
        if (ch == 2) {
            float *restrict a = dst[0], *restrict b = dst[1];
            for (uint64_t i = 0; i < n; i++) {
                a[i] = (float)s[2 * i] * k;
                b[i] = (float)s[2 * i + 1] * k;
            }
        } else {
            for (uint32_t c = 0; c < ch; c++) {
                float *restrict d = dst[c];
                for (uint64_t i = 0; i < n; i++)
                    d[i] = (float)s[i * ch + c] * k;
            }
        }
    } else if (!is_float) {
        const int32_t *s = src;
        const float k = 1.0f / 2147483648.0f;
        if (ch == 2) {
            float *restrict a = dst[0], *restrict b = dst[1];
            for (uint64_t i = 0; i < n; i++) {
                a[i] = (float)s[2 * i] * k;
                b[i] = (float)s[2 * i + 1] * k;
            }
        } else {
            for (uint32_t c = 0; c < ch; c++) {
                float *restrict d = dst[c];
                for (uint64_t i = 0; i < n; i++)
                    d[i] = (float)s[i * ch + c] * k;
            }
        }
    } else {
        const float *s = src;
        if (ch == 1) {
            memcpy(dst[0], s, sizeof(float) * n);
        } else if (ch == 2) {
            float *restrict a = dst[0], *restrict b = dst[1];
            for (uint64_t i = 0; i < n; i++) {
                a[i] = s[2 * i];
                b[i] = s[2 * i + 1];
            }
        } else {
            for (uint32_t c = 0; c < ch; c++) {
                float *restrict d = dst[c];
                for (uint64_t i = 0; i < n; i++)
                    d[i] = s[i * ch + c];
            }
        }
    }
}

uint64_t ls_audio_ring_write_interleaved(ls_audio_ring *ring, const void *src, uint32_t bytes,
                                         int is_float, uint64_t frames)
{
    uint64_t room = ls_audio_ring_writable(ring);
    uint64_t n = frames < room ? frames : room;
    if (!n)
        return 0;
    uint64_t w = atomic_load_explicit(&ring->write_pos, memory_order_relaxed);
    uint64_t at = w % ring->capacity;
    uint64_t first = ring->capacity - at < n ? ring->capacity - at : n;
    float *dst[LS_MAX_CHANNELS] = {NULL};
    const uint32_t ch = ring->channels;
    for (uint32_t c = 0; c < ch; c++)
        dst[c] = ring->data + (size_t)c * ring->capacity + at;
    deinterleave(dst, ch, src, bytes, is_float, first);
    if (n > first) {
        for (uint32_t c = 0; c < ch; c++)
            dst[c] = ring->data + (size_t)c * ring->capacity;
        deinterleave(dst, ch, (const unsigned char *)src + first * ch * bytes, bytes, is_float,
                     n - first);
    }
    atomic_store_explicit(&ring->write_pos, w + n, memory_order_release);
    return n;
}

uint64_t ls_audio_ring_readable(ls_audio_ring *ring)
{
    uint64_t w = atomic_load_explicit(&ring->write_pos, memory_order_acquire);
    uint64_t r = atomic_load_explicit(&ring->read_pos, memory_order_relaxed);
    return w - r;
}

uint64_t ls_audio_ring_read(ls_audio_ring *ring, float *const *dst, uint64_t frames)
{
    uint64_t there = ls_audio_ring_readable(ring);
    uint64_t n = frames < there ? frames : there;
    if (!n)
        return 0;
    uint64_t r = atomic_load_explicit(&ring->read_pos, memory_order_relaxed);
    uint64_t at = r % ring->capacity;
    uint64_t first = ring->capacity - at < n ? ring->capacity - at : n;
    for (uint32_t c = 0; c < ring->channels; c++) {
        const float *s = ring->data + (size_t)c * ring->capacity;
        memcpy(dst[c], s + at, sizeof(float) * first);
        if (n > first)
            memcpy(dst[c] + first, s, sizeof(float) * (n - first));
    }
    atomic_store_explicit(&ring->read_pos, r + n, memory_order_release);
    return n;
}

void ls_audio_ring_drop(ls_audio_ring *ring)
{
    uint64_t w = atomic_load_explicit(&ring->write_pos, memory_order_acquire);
    atomic_store_explicit(&ring->read_pos, w, memory_order_release);
}
