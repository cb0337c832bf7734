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
