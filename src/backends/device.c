/*
 * The render side of device backends: the capture ring and the pump that
 * turns device callbacks of any size into render quanta. See device.h.
 */
#include "device.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------------ */
/* Frame ring                                                          */
/* ------------------------------------------------------------------ */

bool ls__ring_init(ls_frame_ring *ring, uint32_t frames, uint32_t channels)
{
    uint32_t cap = 1;
    while (cap < frames)
        cap <<= 1;
    ring->data = calloc((size_t)cap * channels, sizeof(float));
    if (!ring->data)
        return false;
    ring->capacity = cap;
    ring->channels = channels;
    atomic_init(&ring->write_pos, 0);
    atomic_init(&ring->read_pos, 0);
    return true;
}

void ls__ring_destroy(ls_frame_ring *ring)
{
    free(ring->data);
    ring->data = NULL;
}

uint32_t ls__ring_write(ls_frame_ring *ring, const float *in, uint32_t frames)
{
    uint64_t w = atomic_load_explicit(&ring->write_pos, memory_order_relaxed);
    uint64_t r = atomic_load_explicit(&ring->read_pos, memory_order_acquire);
    uint32_t space = ring->capacity - (uint32_t)(w - r);
    if (frames > space)
        frames = space;
    uint32_t ch = ring->channels, mask = ring->capacity - 1;
    for (uint32_t i = 0; i < frames; i++) {
        float *dst = ring->data + (size_t)((w + i) & mask) * ch;
        if (in)
            memcpy(dst, in + (size_t)i * ch, sizeof(float) * ch);
        else
            memset(dst, 0, sizeof(float) * ch);
    }
    atomic_store_explicit(&ring->write_pos, w + frames, memory_order_release);
    return frames;
}

uint32_t ls__ring_fill(ls_frame_ring *ring)
{
    uint64_t w = atomic_load_explicit(&ring->write_pos, memory_order_acquire);
    uint64_t r = atomic_load_explicit(&ring->read_pos, memory_order_relaxed);
    return (uint32_t)(w - r);
}

void ls__ring_read_planar(ls_frame_ring *ring, float *planar, uint32_t frames, size_t stride)
{
    uint64_t r = atomic_load_explicit(&ring->read_pos, memory_order_relaxed);
    uint32_t ch = ring->channels, mask = ring->capacity - 1;
    for (uint32_t i = 0; i < frames; i++) {
        const float *src = ring->data + (size_t)((r + i) & mask) * ch;
        for (uint32_t c = 0; c < ch; c++)
            planar[(size_t)c * stride + i] = src[c];
    }
    atomic_store_explicit(&ring->read_pos, r + frames, memory_order_release);
}

void ls__ring_skip(ls_frame_ring *ring, uint32_t frames)
{
    uint64_t r = atomic_load_explicit(&ring->read_pos, memory_order_relaxed);
    atomic_store_explicit(&ring->read_pos, r + frames, memory_order_release);
}

/* ------------------------------------------------------------------ */
/* Pump                                                                */
/* ------------------------------------------------------------------ */

void ls__pump_init(ls_device_pump *p, ls_context *ctx, uint32_t channels, float *fifo_memory)
{
    memset(p, 0, sizeof *p);
    p->ctx = ctx;
    p->channels = channels;
    p->fifo = fifo_memory;
    p->pos = LS_Q;
    atomic_init(&p->input, NULL);
    atomic_init(&p->callbacks, 0);
    atomic_init(&p->underruns, 0);
    atomic_init(&p->overloads, 0);
    atomic_init(&p->input_dropouts, 0);
    atomic_init(&p->load_ppm, 0);
    atomic_init(&p->max_load_ppm, 0);
    atomic_init(&p->last_frames, 0);
    atomic_init(&p->input_frames_hint, 0);
}

/* Take this quantum's captured input from the ring. A jitter margin of one
 * capture callback plus one quantum is kept: reading starts once that much
 * is queued (and again after the ring ran dry), and frames beyond three
 * margins are dropped so the input's latency stays bounded when the two
 * devices' clocks drift apart. */
static void take_input(ls_device_pump *p)
{
    ls_frame_ring *ring = atomic_load_explicit(&p->input, memory_order_acquire);
    p->input_valid = false;
    if (!ring)
        return;
    uint32_t hint = atomic_load_explicit(&p->input_frames_hint, memory_order_relaxed);
    uint32_t margin = (hint > LS_Q ? hint : LS_Q) + LS_Q;
    uint32_t fill = ls__ring_fill(ring);
    if (fill > 3 * margin && fill - margin < ring->capacity) {
        ls__ring_skip(ring, fill - margin);
        fill = margin;
    }
    if (!p->input_primed && fill >= margin)
        p->input_primed = true;
    if (p->input_primed && fill >= LS_Q) {
        ls__ring_read_planar(ring, p->input_quantum, LS_Q, LS_Q);
        p->input_valid = true;
    } else {
        if (p->input_primed)
            atomic_fetch_add_explicit(&p->input_dropouts, 1, memory_order_relaxed);
        p->input_primed = false;
        memset(p->input_quantum, 0, sizeof(float) * LS_Q * ring->channels);
        p->input_valid = true;  /* silence while (re)filling */
    }
}

const float *ls__device_input(ls_context *ctx, uint32_t *channels)
{
    ls_device_pump *p = ctx->pump;
    if (!p || !p->input_valid)
        return NULL;
    ls_frame_ring *ring = atomic_load_explicit(&p->input, memory_order_relaxed);
    if (!ring)
        return NULL;
    *channels = ring->channels;
    return p->input_quantum;
}

static double now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

void ls__pump_render(ls_device_pump *p, float *out, uint32_t frames, bool late, double budget_ns)
{
    double t0 = budget_ns > 0 ? now_ns() : 0.0;
    ls_context *ctx = p->ctx;
    const uint32_t ch = p->channels;
    atomic_fetch_add_explicit(&p->callbacks, 1, memory_order_relaxed);
    atomic_store_explicit(&p->last_frames, frames, memory_order_relaxed);
    if (late)
        atomic_fetch_add_explicit(&p->underruns, 1, memory_order_relaxed);

    if (atomic_load_explicit(&ctx->state, memory_order_acquire) != LS_CONTEXT_STATE_RUNNING) {
        /* suspended (or closing): silence, but keep graph edits flowing */
        ls__render_apply_messages(ctx);
        memset(out, 0, sizeof(float) * (size_t)frames * ch);
        return;
    }

    uint32_t done = 0;
    while (done < frames) {
        if (p->pos == LS_Q) {
            take_input(p);
            ls__render_quanta(ctx, p->fifo, 1, LS_Q);
            p->pos = 0;
        }
        uint32_t n = LS_Q - p->pos;
        if (n > frames - done)
            n = frames - done;
        float *o = out + (size_t)done * ch;
        if (ch == 2) {
            const float *l = p->fifo + p->pos, *r = p->fifo + LS_Q + p->pos;
            for (uint32_t i = 0; i < n; i++) {
                o[2 * i] = l[i];
                o[2 * i + 1] = r[i];
            }
        } else {
            for (uint32_t c = 0; c < ch; c++) {
                const float *src = p->fifo + (size_t)c * LS_Q + p->pos;
                for (uint32_t i = 0; i < n; i++)
                    o[(size_t)i * ch + c] = src[i];
            }
        }
        p->pos += n;
        done += n;
    }

    if (budget_ns > 0) {
        double load = (now_ns() - t0) / budget_ns;
        if (load > 1.0)
            atomic_fetch_add_explicit(&p->overloads, 1, memory_order_relaxed);
        /* smoothed over about a second of 256-frame callbacks */
        p->load_smoothed += (load - p->load_smoothed) * 0.01;
        unsigned ppm = (unsigned)(load * 1e6 < 4e9 ? load * 1e6 : 4e9);
        atomic_store_explicit(&p->load_ppm, (unsigned)(p->load_smoothed * 1e6), memory_order_relaxed);
        if (ppm > atomic_load_explicit(&p->max_load_ppm, memory_order_relaxed))
            atomic_store_explicit(&p->max_load_ppm, ppm, memory_order_relaxed);
    }
}

void ls__pump_stats(ls_device_pump *p, ls_device_stats *out)
{
    out->callbacks = atomic_load(&p->callbacks);
    out->underruns = atomic_load(&p->underruns);
    out->overloads = atomic_load(&p->overloads);
    out->input_dropouts = atomic_load(&p->input_dropouts);
    out->render_load = atomic_load(&p->load_ppm) * 1e-6;
    out->max_render_load = atomic_load(&p->max_load_ppm) * 1e-6;
    out->frames_per_buffer = atomic_load(&p->last_frames);
}
