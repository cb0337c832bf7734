/*
 * The render side of device backends: the capture ring and the pump that
 * turns device callbacks of any size into render quanta. See device.h.
 */
#include "device.h"

#include <sched.h>
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
    atomic_init(&p->render_thread_known, 0);
    atomic_init(&p->realtime_priority, 0);
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
    if (!atomic_load_explicit(&p->render_thread_known, memory_order_relaxed)) {
        p->render_thread = pthread_self();   /* for the monitor's priority boost */
        atomic_store_explicit(&p->render_thread_known, 1, memory_order_release);
    }
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

    double took = budget_ns > 0 ? now_ns() - t0 : 0.0;
    /* the context's timing (every backend): a callback that ran over its
     * budget is late; one the device flagged lost about its length */
    ls__timing_period(ctx, took, budget_ns, late || took > budget_ns, late ? budget_ns : 0.0);
    if (budget_ns > 0) {
        double load = took / budget_ns;
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
    out->realtime_priority = atomic_load(&p->realtime_priority);
}

/* ------------------------------------------------------------------ */
/* The shared part of device backends                                  */
/* ------------------------------------------------------------------ */

#include <stdarg.h>
#include <stdio.h>

static _Thread_local char last_error[512];

void ls__device_set_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_error, sizeof last_error, fmt, ap);
    va_end(ap);
}

const char *ls_devices_last_error(void)
{
    return last_error;
}

bool ls__device_base_init(ls_device_base *b, ls_context *ctx)
{
    b->fifo = calloc((size_t)ctx->channels * LS_Q, sizeof(float));
    if (!b->fifo)
        return false;
    ls__pump_init(&b->pump, ctx, ctx->channels, b->fifo);
    b->in_device = -1;
    atomic_init(&b->failed, 0);
    atomic_init(&b->lost, 0);
    atomic_init(&b->monitor_stop, 0);
    return true;
}

bool ls__device_input_setup(ls_device_base *b, ls_context *ctx, uint32_t channels)
{
    if (!ls__ring_init(&b->ring, (uint32_t)(ctx->sample_rate * 1.0), channels))
        return false;
    b->pump.input_quantum = calloc((size_t)channels * LS_Q, sizeof(float));
    if (!b->pump.input_quantum) {
        ls__ring_destroy(&b->ring);
        return false;
    }
    return true;
}

void ls__device_input_teardown(ls_device_base *b)
{
    ls__ring_destroy(&b->ring);
    free(b->pump.input_quantum);
    b->pump.input_quantum = NULL;
}

void ls__device_input_publish(ls_device_base *b, int32_t device, uint32_t channels)
{
    b->input_open = 1;
    b->in_device = device;
    b->in_channels = channels;
    atomic_store_explicit(&b->pump.input, &b->ring, memory_order_release);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* The device went away: the context becomes closed and says so with a
 * statechange event. The control lock is only tried: close() holds it
 * while it joins this thread. */
static void device_lost(ls_context *ctx, ls_device_base *b)
{
    while (!atomic_load(&b->monitor_stop)) {
        if (pthread_mutex_trylock(&ctx->lock) == 0) {
            atomic_store(&b->lost, 1);
            if (!ctx->closed && atomic_load(&ctx->state) != LS_CONTEXT_STATE_CLOSED) {
                atomic_store(&ctx->state, LS_CONTEXT_STATE_CLOSED);
                ls__queue_event(ctx, LS_EVENT_STATECHANGE, NULL,
                                ls_context_current_time(ctx));
            }
            pthread_mutex_unlock(&ctx->lock);
            return;
        }
        sleep_ms(2);
    }
}

/* Give the thread that runs the callbacks a real-time priority (SCHED_FIFO),
 * so that other processes cannot hold it off: what CoreAudio and JACK do for
 * their clients and what PulseAudio's client library does not. Allowed for
 * root, for members of a group with an rtprio limit, or under rtkit; where
 * it is refused the callback keeps its normal priority.
 * LABSOUND_RT_PRIORITY picks the priority (0 turns the boost off). */
static void boost_render_thread(ls_device_pump *p)
{
    const char *env = getenv("LABSOUND_RT_PRIORITY");
    int prio = env ? atoi(env) : 20;
    if (prio <= 0)
        return;
    int hi = sched_get_priority_max(SCHED_FIFO);
    if (hi > 0 && prio > hi)
        prio = hi;
    struct sched_param sp;
    memset(&sp, 0, sizeof sp);
    sp.sched_priority = prio;
    if (pthread_setschedparam(p->render_thread, SCHED_FIFO, &sp) == 0)
        atomic_store(&p->realtime_priority, prio);
}

static void *monitor_thread(void *arg)
{
    ls_context *ctx = arg;
    ls_device_base *b = ctx->device;
    uint64_t last = atomic_load(&b->pump.callbacks);
    int stalled_ms = 0;
    bool boosted = false;
    while (!atomic_load(&b->monitor_stop)) {
        sleep_ms(20);
        if (!boosted && atomic_load_explicit(&b->pump.render_thread_known, memory_order_acquire)) {
            boost_render_thread(&b->pump);
            boosted = true;
        }
        uint64_t now = atomic_load(&b->pump.callbacks);
        stalled_ms = now == last ? stalled_ms + 20 : 0;
        last = now;
        /* callbacks run while suspended too: two silent seconds mean a dead device */
        if (atomic_load(&b->failed) || stalled_ms >= 2000 || (b->alive && !b->alive(ctx))) {
            device_lost(ctx, b);
            return NULL;
        }
    }
    return NULL;
}

void ls__device_monitor_start(ls_context *ctx)
{
    ls_device_base *b = ctx->device;
    atomic_store(&b->monitor_stop, 0);
    if (pthread_create(&b->monitor, NULL, monitor_thread, ctx) == 0)
        b->monitor_running = 1;
}

void ls__device_monitor_stop(ls_context *ctx)
{
    ls_device_base *b = ctx->device;
    atomic_store(&b->monitor_stop, 1);
    if (b->monitor_running)
        pthread_join(b->monitor, NULL);
    b->monitor_running = 0;
}

void ls__device_detach(ls_context *ctx)
{
    ls_device_base *b = ctx->device;
    ls__pump_stats(&b->pump, &ctx->device_final_stats);
    ctx->device_final_stats.device_lost = atomic_load(&b->lost);
    ctx->had_device = 1;
    ctx->thread_running = 0;
    ctx->pump = NULL;
    ctx->device = NULL;
    ls__device_input_teardown(b);
    free(b->fifo);
    b->fifo = NULL;
}

/* ------------------------------------------------------------------ */
/* Public calls common to device backends                              */
/* ------------------------------------------------------------------ */

ls_result ls_context_open_input(ls_context *ctx, int32_t device, uint32_t channels)
{
    if (!ctx)
        return LS_ERROR_INVALID_ARGUMENT;
    last_error[0] = 0;
    ls__lock(ctx);
    ls_device_base *b = ctx->device;
    ls_result r = LS_OK;
    if (!b) {
        if (ctx->had_device)
            ls__device_set_error("the context is closed");
        else
            ls__device_set_error("audio input needs a context on an audio device (this one runs on "
                                 "the %s backend)", ls_context_backend_name(ctx));
        r = LS_ERROR_INVALID_STATE;
    } else if (ctx->closed || atomic_load(&ctx->state) == LS_CONTEXT_STATE_CLOSED) {
        ls__device_set_error("the context is closed");
        r = LS_ERROR_INVALID_STATE;
    } else if (channels < 1 || channels > LS_MAX_CHANNELS) {
        ls__device_set_error("input channels must be between 1 and %d, got %u", LS_MAX_CHANNELS,
                             channels);
        r = LS_ERROR_NOT_SUPPORTED;
    } else if (b->input_open) {
        if (!((device < 0 || device == b->in_device) && channels == b->in_channels)) {
            ls__device_set_error("the context already captures %u channels from device %d",
                                 b->in_channels, b->in_device);
            r = LS_ERROR_NOT_SUPPORTED;
        }
    } else {
        r = b->open_input(ctx, device, channels);
    }
    ls__unlock(ctx);
    return r;
}

uint32_t ls_context_input_channels(const ls_context *ctx)
{
    ls_context *c = (ls_context *)ctx;
    ls__lock(c);
    ls_device_base *b = c->device;
    uint32_t n = b && b->input_open ? b->in_channels : 0;
    ls__unlock(c);
    return n;
}

const char *ls_context_backend_name(const ls_context *ctx)
{
    return ctx->offline ? "offline" : ctx->backend ? ctx->backend->name : "none";
}

void ls_context_latency(ls_context *ctx, double *base, double *output)
{
    ls__lock(ctx);
    ls_device_base *b = ctx->device;
    double bl = (double)ctx->buffer_size / ctx->sample_rate, ol = bl;
    if (b) {
        bl = b->base_latency;
        ol = b->output_latency;
    }
    ls__unlock(ctx);
    if (base)
        *base = bl;
    if (output)
        *output = ol;
}

void ls_context_device_stats(ls_context *ctx, ls_device_stats *out)
{
    memset(out, 0, sizeof *out);
    ls__lock(ctx);
    ls_device_base *b = ctx->device;
    if (b) {
        ls__pump_stats(&b->pump, out);
        out->device_lost = atomic_load(&b->lost);
    } else if (ctx->had_device) {
        *out = ctx->device_final_stats;
    }
    ls__unlock(ctx);
}

/* ------------------------------------------------------------------ */
/* Choosing a device backend                                           */
/* ------------------------------------------------------------------ */

int ls__pulse_available(void);
ls_result ls__pulse_open(ls_context *ctx, const ls_device_options *o);
int ls__portaudio_available(void);
const char *ls__portaudio_why(void);
ls_result ls__portaudio_open(ls_context *ctx, const ls_device_options *o);

int ls_devices_available(void)
{
    return ls__portaudio_available() || ls__pulse_available();
}

ls_device_options ls_device_options_default(void)
{
    ls_device_options o;
    o.output_device = -1;
    o.latency_hint = LS_LATENCY_INTERACTIVE;
    o.latency = 0.0;
    o.frames_per_buffer = 0;
    return o;
}

/* The default output goes to a PulseAudio (or PipeWire) server when one
 * answers, else through PortAudio; a device chosen by index is PortAudio's.
 * LABSOUND_AUDIO_API=pulseaudio or =portaudio restricts the choice. */
ls_result ls_device_context_create(const ls_context_options *options, const ls_device_options *device,
                                   ls_context **out)
{
    if (!out)
        return LS_ERROR_INVALID_ARGUMENT;
    last_error[0] = 0;
    ls_device_options d = device ? *device : ls_device_options_default();
    if (d.latency_hint < LS_LATENCY_INTERACTIVE || d.latency_hint > LS_LATENCY_SECONDS ||
        (d.latency_hint == LS_LATENCY_SECONDS && !(d.latency >= 0.0 && d.latency <= 10.0)) ||
        (d.frames_per_buffer != LS_DEVICE_FRAMES_ANY && d.frames_per_buffer > 65536)) {
        ls__device_set_error("device options out of range");
        return LS_ERROR_RANGE;
    }
    ls_context_options o = options ? *options : ls_context_options_default();
    o.backend = LS_BACKEND_NULL;
    ls_context *ctx;
    ls_result r = ls__context_alloc_realtime(&o, &ctx);
    if (r != LS_OK)
        return r;

    const char *api = getenv("LABSOUND_AUDIO_API");
    bool try_pulse = d.output_device < 0 && (!api || !strcmp(api, "pulseaudio"));
    bool try_pa = !api || !strcmp(api, "portaudio");
    char why_pulse[512] = "";
    r = LS_ERROR_NOT_SUPPORTED;
    if (try_pulse) {
        r = ls__pulse_open(ctx, &d);
        if (r != LS_OK)
            snprintf(why_pulse, sizeof why_pulse, "%s", last_error);
    }
    if (r != LS_OK && try_pa) {
        if (!ls__portaudio_available()) {
            ls__device_set_error("%s", ls__portaudio_why());
            r = LS_ERROR_NOT_SUPPORTED;
        } else {
            r = ls__portaudio_open(ctx, &d);
        }
        if (r != LS_OK && why_pulse[0]) {
            char both[1024];
            snprintf(both, sizeof both, "%s; PulseAudio: %s", last_error, why_pulse);
            ls__device_set_error("%s", both);
        }
    } else if (r != LS_OK && !try_pulse) {
        ls__device_set_error("LABSOUND_AUDIO_API=%s names no device backend (pulseaudio, portaudio)",
                             api);
    }
    if (r != LS_OK) {
        ls_context_release(ctx);
        return r;
    }
    *out = ctx;
    return LS_OK;
}
