/*
 * A bounded lock-free single-producer single-consumer ring of planar float
 * audio: `channels` channels of `capacity` frames. One thread writes (a
 * control thread feeding a stream source), one reads (the render thread).
 * Neither ever waits: the writer writes what fits, the reader reads what is
 * there. Positions are frame counters that only grow (64 bits: they never
 * wrap in practice); each side publishes its own with release order and
 * reads the other's with acquire order.
 */
#ifndef LS_RING_H
#define LS_RING_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "labsound/labsound.h"   /* LS_MAX_CHANNELS */

typedef struct ls_audio_ring {
    /* set once */
    float *data;                   /* channels x capacity, channel-major */
    uint32_t channels;
    uint64_t capacity;
    /* shared */
    atomic_uint_fast64_t write_pos;    /* frames written (the writer's) */
    atomic_uint_fast64_t read_pos;     /* frames read (the reader's) */
} ls_audio_ring;

/* Control: allocate. false when out of memory. */
bool ls_audio_ring_init(ls_audio_ring *ring, uint32_t channels, uint64_t capacity);
/* Control: free the memory (neither side may use the ring any more). */
void ls_audio_ring_free(ls_audio_ring *ring);

/* Writer: frames that fit now. */
uint64_t ls_audio_ring_writable(ls_audio_ring *ring);
/* Writer: copy up to `frames` frames (channel c at src + c * stride) and
 * publish them; returns how many fitted. */
uint64_t ls_audio_ring_write(ls_audio_ring *ring, const float *src, size_t stride, uint64_t frames);
/* Writer: the same from interleaved frames (sample i of channel c at
 * src[i * channels + c]) of 16-bit or 32-bit integer PCM (scaled by 2^-15
 * or 2^-31, exactly as the integer divided by 32768 or 2^31 rounds to float)
 * or float32 (copied), converted and split into the channels in one pass.
 * `bytes` is 2 (int16), 4 with `is_float` 0 (int32) or 4 with 1 (float). */
uint64_t ls_audio_ring_write_interleaved(ls_audio_ring *ring, const void *src, uint32_t bytes,
                                         int is_float, uint64_t frames);

/* Reader: frames there now. */
uint64_t ls_audio_ring_readable(ls_audio_ring *ring);
/* Reader: copy up to `frames` frames into dst[c] (one pointer per channel)
 * and release their room; returns how many there were. */
uint64_t ls_audio_ring_read(ls_audio_ring *ring, float *const *dst, uint64_t frames);
/* Reader: drop everything there now. */
void ls_audio_ring_drop(ls_audio_ring *ring);

#endif
