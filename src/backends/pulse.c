/*
 * The PulseAudio backend (also PipeWire's PulseAudio server), through
 * libpulse loaded at run time: no headers needed to build, no library needed
 * to run; the few types and functions used are declared below (the stable
 * libpulse 0.9+ ABI).
 *
 * Why next to PortAudio: PortAudio releases packaged today (19.6, 19.7)
 * reach PulseAudio only through ALSA's pulse plugin, whose poll wake-ups
 * PortAudio's ALSA host API misses, so its callbacks fall behind real time.
 * Talking to the server directly gives a callback that the server's timing
 * drives, like CoreAudio's or JACK's.
 *
 * Output: a playback stream whose write callback (on libpulse's mainloop
 * thread) runs ls__pump_render straight into the server's shared memory
 * (pa_stream_begin_write): no lock of ours, no allocation of ours, no
 * Python. Input: a record stream whose read callback fills the capture ring.
 * The server resamples when the context's rate differs from the device's.
 */
#include "device.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct pa_threaded_mainloop pa_threaded_mainloop;
typedef struct pa_mainloop_api pa_mainloop_api;
typedef struct pa_context pa_context;
typedef struct pa_stream pa_stream;
typedef uint64_t pa_usec_t;

typedef struct pa_sample_spec {
    int format;
    uint32_t rate;
    uint8_t channels;
} pa_sample_spec;

typedef struct pa_buffer_attr {
    uint32_t maxlength, tlength, prebuf, minreq, fragsize;
} pa_buffer_attr;

#define PA_SAMPLE_FLOAT32LE 5
#define PA_CONTEXT_NOAUTOSPAWN 1
#define PA_CONTEXT_READY 4
#define PA_CONTEXT_FAILED 5
#define PA_CONTEXT_TERMINATED 6
#define PA_STREAM_READY 2
#define PA_STREAM_FAILED 3
#define PA_STREAM_TERMINATED 4
#define PA_STREAM_INTERPOLATE_TIMING 0x0002
#define PA_STREAM_AUTO_TIMING_UPDATE 0x0008
#define PA_STREAM_ADJUST_LATENCY 0x2000
#define PA_SEEK_RELATIVE 0

typedef void (*pa_context_notify_cb)(pa_context *c, void *user);
typedef void (*pa_stream_notify_cb)(pa_stream *s, void *user);
typedef void (*pa_stream_request_cb)(pa_stream *s, size_t nbytes, void *user);

static struct {
    void *lib;
    pa_threaded_mainloop *(*ml_new)(void);
    void (*ml_free)(pa_threaded_mainloop *);
    int (*ml_start)(pa_threaded_mainloop *);
    void (*ml_stop)(pa_threaded_mainloop *);
    void (*ml_lock)(pa_threaded_mainloop *);
    void (*ml_unlock)(pa_threaded_mainloop *);
    void (*ml_wait)(pa_threaded_mainloop *);
    void (*ml_signal)(pa_threaded_mainloop *, int);
    pa_mainloop_api *(*ml_get_api)(pa_threaded_mainloop *);
    pa_context *(*ctx_new)(pa_mainloop_api *, const char *);
    int (*ctx_connect)(pa_context *, const char *, int, const void *);
    void (*ctx_set_state_callback)(pa_context *, pa_context_notify_cb, void *);
    int (*ctx_get_state)(const pa_context *);
    void (*ctx_disconnect)(pa_context *);
    void (*ctx_unref)(pa_context *);
    int (*ctx_errno)(const pa_context *);
    const char *(*strerror)(int);
    pa_stream *(*st_new)(pa_context *, const char *, const pa_sample_spec *, const void *);
    int (*st_connect_playback)(pa_stream *, const char *, const pa_buffer_attr *, int,
                               const void *, pa_stream *);
    int (*st_connect_record)(pa_stream *, const char *, const pa_buffer_attr *, int);
    void (*st_set_write_callback)(pa_stream *, pa_stream_request_cb, void *);
    void (*st_set_read_callback)(pa_stream *, pa_stream_request_cb, void *);
    void (*st_set_underflow_callback)(pa_stream *, pa_stream_notify_cb, void *);
    void (*st_set_state_callback)(pa_stream *, pa_stream_notify_cb, void *);
    int (*st_get_state)(const pa_stream *);
    int (*st_begin_write)(pa_stream *, void **, size_t *);
    int (*st_write)(pa_stream *, const void *, size_t, void (*)(void *), int64_t, int);
    int (*st_peek)(pa_stream *, const void **, size_t *);
    int (*st_drop)(pa_stream *);
    int (*st_disconnect)(pa_stream *);
    void (*st_unref)(pa_stream *);
    const pa_buffer_attr *(*st_get_buffer_attr)(pa_stream *);
    int (*st_get_latency)(pa_stream *, pa_usec_t *, int *);
    int loaded;
    char why[256];
} pl;

static pthread_once_t pl_once = PTHREAD_ONCE_INIT;

static void load_once(void)
{
    pl.lib = dlopen("libpulse.so.0", RTLD_NOW | RTLD_LOCAL);
    if (!pl.lib) {
        snprintf(pl.why, sizeof pl.why, "libpulse.so.0 not found (the PulseAudio client library)");
        return;
    }
#define SYM(field, name)                                                        \
    do {                                                                        \
        *(void **)&pl.field = dlsym(pl.lib, name);                              \
        if (!pl.field) {                                                        \
            snprintf(pl.why, sizeof pl.why, "libpulse lacks %s", name);         \
            dlclose(pl.lib);                                                    \
            pl.lib = NULL;                                                      \
            return;                                                             \
        }                                                                       \
    } while (0)
    SYM(ml_new, "pa_threaded_mainloop_new");
    SYM(ml_free, "pa_threaded_mainloop_free");
    SYM(ml_start, "pa_threaded_mainloop_start");
    SYM(ml_stop, "pa_threaded_mainloop_stop");
    SYM(ml_lock, "pa_threaded_mainloop_lock");
    SYM(ml_unlock, "pa_threaded_mainloop_unlock");
    SYM(ml_wait, "pa_threaded_mainloop_wait");
    SYM(ml_signal, "pa_threaded_mainloop_signal");
    SYM(ml_get_api, "pa_threaded_mainloop_get_api");
    SYM(ctx_new, "pa_context_new");
    SYM(ctx_connect, "pa_context_connect");
    SYM(ctx_set_state_callback, "pa_context_set_state_callback");
    SYM(ctx_get_state, "pa_context_get_state");
    SYM(ctx_disconnect, "pa_context_disconnect");
    SYM(ctx_unref, "pa_context_unref");
    SYM(ctx_errno, "pa_context_errno");
    SYM(strerror, "pa_strerror");
    SYM(st_new, "pa_stream_new");
    SYM(st_connect_playback, "pa_stream_connect_playback");
    SYM(st_connect_record, "pa_stream_connect_record");
    SYM(st_set_write_callback, "pa_stream_set_write_callback");
    SYM(st_set_read_callback, "pa_stream_set_read_callback");
    SYM(st_set_underflow_callback, "pa_stream_set_underflow_callback");
    SYM(st_set_state_callback, "pa_stream_set_state_callback");
    SYM(st_get_state, "pa_stream_get_state");
    SYM(st_begin_write, "pa_stream_begin_write");
    SYM(st_write, "pa_stream_write");
    SYM(st_peek, "pa_stream_peek");
    SYM(st_drop, "pa_stream_drop");
    SYM(st_disconnect, "pa_stream_disconnect");
    SYM(st_unref, "pa_stream_unref");
    SYM(st_get_buffer_attr, "pa_stream_get_buffer_attr");
    SYM(st_get_latency, "pa_stream_get_latency");
#undef SYM
    pl.loaded = 1;
}

int ls__pulse_available(void)
{
    pthread_once(&pl_once, load_once);
    return pl.loaded;
}

typedef struct pulse_device {
    ls_device_base base;           /* first: ctx->device points here */
    pa_threaded_mainloop *ml;
    pa_context *pc;
    pa_stream *out, *in;
    double ns_per_frame;
    size_t out_frame_bytes, in_frame_bytes;
} pulse_device;

/* ---- callbacks: libpulse's mainloop thread ---- */

static void ctx_state_cb(pa_context *c, void *user)
{
    pulse_device *d = user;
    int s = pl.ctx_get_state(c);
    if (s == PA_CONTEXT_FAILED || s == PA_CONTEXT_TERMINATED)
        atomic_store(&d->base.failed, 1);
    pl.ml_signal(d->ml, 0);
}

static void stream_state_cb(pa_stream *st, void *user)
{
    pulse_device *d = user;
    int s = pl.st_get_state(st);
    if (s == PA_STREAM_FAILED || s == PA_STREAM_TERMINATED)
        atomic_store(&d->base.failed, 1);
    pl.ml_signal(d->ml, 0);
}

static void write_cb(pa_stream *st, size_t nbytes, void *user)
{
    pulse_device *d = user;
    while (nbytes >= d->out_frame_bytes) {
        void *data = NULL;
        size_t n = nbytes;
        if (pl.st_begin_write(st, &data, &n) < 0 || !data)
            return;
        uint32_t frames = (uint32_t)(n / d->out_frame_bytes);
        if (frames == 0)
            return;
        ls__pump_render(&d->base.pump, data, frames, false, d->ns_per_frame * frames);
        pl.st_write(st, data, (size_t)frames * d->out_frame_bytes, NULL, 0, PA_SEEK_RELATIVE);
        nbytes -= (size_t)frames * d->out_frame_bytes;
    }
}

static void underflow_cb(pa_stream *st, void *user)
{
    pulse_device *d = user;
    atomic_fetch_add_explicit(&d->base.pump.underruns, 1, memory_order_relaxed);
    /* the server ran dry: a late period for the context, which lost about
     * one callback's worth of time */
    uint32_t frames = atomic_load_explicit(&d->base.pump.last_frames, memory_order_relaxed);
    ls__timing_period(d->base.pump.ctx, 0.0, 0.0, true, d->ns_per_frame * frames);
}

static void read_cb(pa_stream *st, size_t nbytes, void *user)
{
    pulse_device *d = user;
    const void *data;
    size_t n;
    while (pl.st_peek(st, &data, &n) == 0 && n > 0) {
        uint32_t frames = (uint32_t)(n / d->in_frame_bytes);
        atomic_store_explicit(&d->base.pump.input_frames_hint, frames, memory_order_relaxed);
        ls__ring_write(&d->base.ring, data, frames);   /* data NULL (a hole): silence */
        pl.st_drop(st);
    }
}

/* ---- control ---- */

static int pulse_alive(ls_context *ctx)
{
    return !atomic_load(&((pulse_device *)ctx->device)->base.failed);
}

/* Wait (mainloop lock held) until a stream is ready; false when it failed. */
static bool wait_stream(pulse_device *d, pa_stream *s)
{
    for (;;) {
        int st = pl.st_get_state(s);
        if (st == PA_STREAM_READY)
            return true;
        if (st == PA_STREAM_FAILED || st == PA_STREAM_TERMINATED)
            return false;
        pl.ml_wait(d->ml);
    }
}

static uint32_t frames_to_bytes(double frames, size_t frame_bytes)
{
    return (uint32_t)(frames + 0.5) * (uint32_t)frame_bytes;
}

/* control, under ctx->lock */
static ls_result pulse_open_input(ls_context *ctx, int32_t device, uint32_t channels)
{
    pulse_device *d = ctx->device;
    if (device >= 0) {
        ls__device_set_error("the PulseAudio backend captures from the server's default source; "
                             "choose the source with pactl set-default-source");
        return LS_ERROR_NOT_SUPPORTED;
    }
    if (!ls__device_input_setup(&d->base, ctx, channels))
        return LS_ERROR_NO_MEM;
    d->in_frame_bytes = sizeof(float) * channels;
    pa_sample_spec ss = {PA_SAMPLE_FLOAT32LE, (uint32_t)(ctx->sample_rate + 0.5), (uint8_t)channels};
    pa_buffer_attr ba = {(uint32_t)-1, (uint32_t)-1, (uint32_t)-1, (uint32_t)-1,
                         frames_to_bytes(ctx->buffer_size, d->in_frame_bytes)};
    ls_result r = LS_OK;
    pl.ml_lock(d->ml);
    pa_stream *s = pl.st_new(d->pc, "labsound input", &ss, NULL);
    if (!s) {
        r = LS_ERROR_BACKEND;
    } else {
        pl.st_set_state_callback(s, stream_state_cb, d);
        pl.st_set_read_callback(s, read_cb, d);
        if (pl.st_connect_record(s, NULL, &ba, PA_STREAM_ADJUST_LATENCY) < 0 || !wait_stream(d, s)) {
            ls__device_set_error("PulseAudio refused the capture stream: %s",
                                 pl.strerror(pl.ctx_errno(d->pc)));
            pl.st_set_state_callback(s, NULL, NULL);
            pl.st_set_read_callback(s, NULL, NULL);
            pl.st_disconnect(s);
            pl.st_unref(s);
            r = LS_ERROR_BACKEND;
        } else {
            d->in = s;
            ls__device_input_publish(&d->base, 0, channels);
        }
    }
    pl.ml_unlock(d->ml);
    if (r != LS_OK)
        ls__device_input_teardown(&d->base);
    return r;
}

static void pulse_close_streams(pulse_device *d)
{
    if (!d->ml)
        return;
    pl.ml_lock(d->ml);
    pa_stream *ss[2] = {d->in, d->out};
    for (int i = 0; i < 2; i++) {
        if (!ss[i])
            continue;
        pl.st_set_state_callback(ss[i], NULL, NULL);
        pl.st_set_write_callback(ss[i], NULL, NULL);
        pl.st_set_read_callback(ss[i], NULL, NULL);
        pl.st_set_underflow_callback(ss[i], NULL, NULL);
        pl.st_disconnect(ss[i]);
        pl.st_unref(ss[i]);
    }
    d->in = d->out = NULL;
    if (d->pc) {
        pl.ctx_set_state_callback(d->pc, NULL, NULL);
        pl.ctx_disconnect(d->pc);
        pl.ctx_unref(d->pc);
        d->pc = NULL;
    }
    pl.ml_unlock(d->ml);
    pl.ml_stop(d->ml);   /* joins the mainloop thread: no callback runs after this */
    pl.ml_free(d->ml);
    d->ml = NULL;
}

static ls_result pulse_stop(ls_context *ctx)
{
    pulse_device *d = ctx->device;
    if (!d)
        return LS_OK;
    ls__device_monitor_stop(ctx);
    pulse_close_streams(d);
    ls__device_detach(ctx);
    free(d);
    return LS_OK;
}

static ls_result pulse_start(ls_context *ctx)
{
    return LS_ERROR_NOT_SUPPORTED;   /* opened through ls__pulse_open */
}

const ls_backend ls__pulse_backend = {"pulseaudio", pulse_start, pulse_stop};

static double hint_seconds(const ls_device_options *o, double buffer_seconds)
{
    switch (o->latency_hint) {
    case LS_LATENCY_BALANCED: return 0.04;
    case LS_LATENCY_PLAYBACK: return 0.1;
    case LS_LATENCY_SECONDS: return o->latency > buffer_seconds ? o->latency : buffer_seconds;
    default:
        /* four callbacks queued at the server, and at least 20 ms: a desktop's
         * scheduler can hold a non-real-time thread off for a few ms */
        return 4.0 * buffer_seconds > 0.02 ? 4.0 * buffer_seconds : 0.02;
    }
}

ls_result ls__pulse_open(ls_context *ctx, const ls_device_options *o)
{
    if (!ls__pulse_available()) {
        ls__device_set_error("%s", pl.why);
        return LS_ERROR_NOT_SUPPORTED;
    }
    pulse_device *d = calloc(1, sizeof *d);
    if (!d || !ls__device_base_init(&d->base, ctx)) {
        free(d);
        return LS_ERROR_NO_MEM;
    }
    d->base.api = "PulseAudio";
    d->base.open_input = pulse_open_input;
    d->base.alive = pulse_alive;
    d->ns_per_frame = 1e9 / ctx->sample_rate;
    d->out_frame_bytes = sizeof(float) * ctx->channels;
    ls_result r = LS_OK;

    d->ml = pl.ml_new();
    if (!d->ml || pl.ml_start(d->ml) < 0) {
        if (d->ml)
            pl.ml_free(d->ml);
        d->ml = NULL;
        free(d->base.fifo);
        free(d);
        return LS_ERROR_BACKEND;
    }
    pl.ml_lock(d->ml);
    d->pc = pl.ctx_new(pl.ml_get_api(d->ml), "labsound");
    if (!d->pc) {
        r = LS_ERROR_BACKEND;
    } else {
        pl.ctx_set_state_callback(d->pc, ctx_state_cb, d);
        if (pl.ctx_connect(d->pc, NULL, PA_CONTEXT_NOAUTOSPAWN, NULL) < 0) {
            r = LS_ERROR_NOT_SUPPORTED;
        } else {
            for (;;) {
                int s = pl.ctx_get_state(d->pc);
                if (s == PA_CONTEXT_READY)
                    break;
                if (s == PA_CONTEXT_FAILED || s == PA_CONTEXT_TERMINATED) {
                    r = LS_ERROR_NOT_SUPPORTED;
                    break;
                }
                pl.ml_wait(d->ml);
            }
        }
        if (r != LS_OK)
            ls__device_set_error("no PulseAudio server to connect to (%s)",
                                 pl.strerror(pl.ctx_errno(d->pc)));
    }
    if (r == LS_OK) {
        pa_sample_spec ss = {PA_SAMPLE_FLOAT32LE, (uint32_t)(ctx->sample_rate + 0.5),
                             (uint8_t)ctx->channels};
        double buffer_frames = o->frames_per_buffer && o->frames_per_buffer != LS_DEVICE_FRAMES_ANY
                                   ? o->frames_per_buffer : ctx->buffer_size;
        double latency = hint_seconds(o, buffer_frames / ctx->sample_rate);
        double minreq = o->frames_per_buffer == LS_DEVICE_FRAMES_ANY ? latency * ctx->sample_rate / 4
                                                                      : buffer_frames;
        pa_buffer_attr ba = {(uint32_t)-1, frames_to_bytes(latency * ctx->sample_rate, d->out_frame_bytes),
                             (uint32_t)-1, frames_to_bytes(minreq, d->out_frame_bytes), (uint32_t)-1};
        d->out = pl.st_new(d->pc, "labsound", &ss, NULL);
        if (!d->out) {
            ls__device_set_error("PulseAudio cannot play %u channels at %g Hz: %s", ctx->channels,
                                 ctx->sample_rate, pl.strerror(pl.ctx_errno(d->pc)));
            r = LS_ERROR_NOT_SUPPORTED;
        } else {
            ctx->device = d;
            ctx->pump = &d->base.pump;
            ctx->thread_running = 1;   /* control calls must not apply messages themselves now */
            pl.st_set_state_callback(d->out, stream_state_cb, d);
            pl.st_set_write_callback(d->out, write_cb, d);
            pl.st_set_underflow_callback(d->out, underflow_cb, d);
            if (pl.st_connect_playback(d->out, NULL, &ba,
                                       PA_STREAM_ADJUST_LATENCY | PA_STREAM_INTERPOLATE_TIMING |
                                           PA_STREAM_AUTO_TIMING_UPDATE,
                                       NULL, NULL) < 0 ||
                !wait_stream(d, d->out)) {
                ls__device_set_error("PulseAudio refused the playback stream: %s",
                                     pl.strerror(pl.ctx_errno(d->pc)));
                r = LS_ERROR_BACKEND;
            } else {
                const pa_buffer_attr *got = pl.st_get_buffer_attr(d->out);
                double fb = (double)d->out_frame_bytes * ctx->sample_rate;
                d->base.base_latency = (buffer_frames + LS_Q) / ctx->sample_rate;
                d->base.output_latency = got ? got->tlength / fb : latency;
                pa_usec_t us = 0;
                int neg = 0;
                if (pl.st_get_latency(d->out, &us, &neg) == 0 && !neg && us > 0)
                    d->base.output_latency = us * 1e-6 > d->base.output_latency ? us * 1e-6
                                                                                 : d->base.output_latency;
            }
        }
    }
    pl.ml_unlock(d->ml);
    if (r != LS_OK) {
        pulse_close_streams(d);
        if (ctx->device == d)
            ls__device_detach(ctx);
        else
            free(d->base.fifo);
        ctx->had_device = 0;
        free(d);
        return r;
    }
    ctx->backend = &ls__pulse_backend;
    ls__device_monitor_start(ctx);
    return LS_OK;
}
