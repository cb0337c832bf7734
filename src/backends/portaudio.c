/*
 * The device backend: PortAudio, loaded at run time.
 *
 * libportaudio is opened with dlopen on first use, so labsound neither needs
 * its headers to build nor the library to run; the few PortAudio types and
 * functions used here are declared below (PortAudio v19's stable ABI).
 *
 * Output: one PortAudio stream (float32, interleaved) whose callback calls
 * ls__pump_render, which runs the render loop directly: no lock, no
 * allocation, no Python. Input: a second stream whose callback writes into a
 * lock-free ring that the pump reads one quantum at a time.
 *
 * A monitor thread watches the output stream; when it stops on its own (the
 * device or the sound server went away) or its callbacks stall, the context
 * becomes closed and a statechange event is queued. close() still works.
 *
 * PortAudio's API is not thread-safe: every Pa_* call on the control side
 * goes through pa_lock.
 */
#include "device.h"

#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------------ */
/* PortAudio declarations                                              */
/* ------------------------------------------------------------------ */

typedef int PaError;
typedef int PaDeviceIndex;
typedef int PaHostApiIndex;
typedef double PaTime;
typedef unsigned long PaSampleFormat;
typedef unsigned long PaStreamFlags;
typedef unsigned long PaStreamCallbackFlags;
typedef void PaStream;

#define paNoError 0
#define paNoDevice ((PaDeviceIndex)-1)
#define paFloat32 ((PaSampleFormat)0x00000001)
#define paClipOff ((PaStreamFlags)0x00000001)
#define paDitherOff ((PaStreamFlags)0x00000002)
#define paFramesPerBufferUnspecified 0
#define paOutputUnderflow ((PaStreamCallbackFlags)0x00000004)
#define paContinue 0

typedef struct PaDeviceInfo {
    int structVersion;
    const char *name;
    PaHostApiIndex hostApi;
    int maxInputChannels;
    int maxOutputChannels;
    PaTime defaultLowInputLatency;
    PaTime defaultLowOutputLatency;
    PaTime defaultHighInputLatency;
    PaTime defaultHighOutputLatency;
    double defaultSampleRate;
} PaDeviceInfo;

typedef struct PaHostApiInfo {
    int structVersion;
    int type;
    const char *name;
    int deviceCount;
    PaDeviceIndex defaultInputDevice;
    PaDeviceIndex defaultOutputDevice;
} PaHostApiInfo;

typedef struct PaStreamParameters {
    PaDeviceIndex device;
    int channelCount;
    PaSampleFormat sampleFormat;
    PaTime suggestedLatency;
    void *hostApiSpecificStreamInfo;
} PaStreamParameters;

typedef struct PaStreamCallbackTimeInfo {
    PaTime inputBufferAdcTime, currentTime, outputBufferDacTime;
} PaStreamCallbackTimeInfo;

typedef struct PaStreamInfo {
    int structVersion;
    PaTime inputLatency;
    PaTime outputLatency;
    double sampleRate;
} PaStreamInfo;

typedef int PaStreamCallback(const void *input, void *output, unsigned long frames,
                             const PaStreamCallbackTimeInfo *time_info,
                             PaStreamCallbackFlags flags, void *user);
typedef void PaStreamFinishedCallback(void *user);

static struct {
    void *lib;
    PaError (*Initialize)(void);
    PaError (*Terminate)(void);
    const char *(*GetErrorText)(PaError);
    PaDeviceIndex (*GetDeviceCount)(void);
    PaDeviceIndex (*GetDefaultOutputDevice)(void);
    PaDeviceIndex (*GetDefaultInputDevice)(void);
    const PaDeviceInfo *(*GetDeviceInfo)(PaDeviceIndex);
    const PaHostApiInfo *(*GetHostApiInfo)(PaHostApiIndex);
    PaError (*OpenStream)(PaStream **, const PaStreamParameters *, const PaStreamParameters *,
                          double, unsigned long, PaStreamFlags, PaStreamCallback *, void *);
    PaError (*StartStream)(PaStream *);
    PaError (*StopStream)(PaStream *);
    PaError (*AbortStream)(PaStream *);
    PaError (*CloseStream)(PaStream *);
    PaError (*IsStreamActive)(PaStream *);
    const PaStreamInfo *(*GetStreamInfo)(PaStream *);
    PaError (*SetStreamFinishedCallback)(PaStream *, PaStreamFinishedCallback *);
    int loaded;
    char why[512];
} pa;

static pthread_once_t pa_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t pa_lock = PTHREAD_MUTEX_INITIALIZER;
static _Thread_local char last_error[512];

static void set_error(const char *fmt, ...)
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

/* ALSA prints every probe failure on stderr; PortAudio probes a lot. */
static void alsa_quiet(const char *file, int line, const char *function, int err, const char *fmt, ...)
{
}

static void load_once(void)
{
    const char *names[] = {
        getenv("LABSOUND_PORTAUDIO"),     /* a path, to pick a build or test without one */
        "libportaudio.so.2", "libportaudio.so",
        "libportaudio.2.dylib", "/opt/homebrew/lib/libportaudio.2.dylib",
        "/usr/local/lib/libportaudio.2.dylib", "libportaudio.dylib",
    };
    const char *env = names[0];
    for (size_t i = env ? 0 : 1; i < sizeof names / sizeof names[0] && !pa.lib; i++) {
        if (!names[i] || !names[i][0])
            continue;
        pa.lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
        if (env)
            break;  /* an explicit choice: no fallback */
    }
    if (!pa.lib) {
        snprintf(pa.why, sizeof pa.why,
                 "the PortAudio library (%s) could not be loaded: install it "
                 "(Debian/Ubuntu: apt-get install libportaudio2; macOS: brew install portaudio)",
                 env && env[0] ? env : "libportaudio.so.2");
        return;
    }
#define SYM(field, name)                                          \
    do {                                                          \
        *(void **)&pa.field = dlsym(pa.lib, name);                \
        if (!pa.field) {                                          \
            snprintf(pa.why, sizeof pa.why,                       \
                     "the PortAudio library lacks %s: install PortAudio v19", name); \
            dlclose(pa.lib);                                      \
            pa.lib = NULL;                                        \
            return;                                               \
        }                                                         \
    } while (0)
    SYM(Initialize, "Pa_Initialize");
    SYM(Terminate, "Pa_Terminate");
    SYM(GetErrorText, "Pa_GetErrorText");
    SYM(GetDeviceCount, "Pa_GetDeviceCount");
    SYM(GetDefaultOutputDevice, "Pa_GetDefaultOutputDevice");
    SYM(GetDefaultInputDevice, "Pa_GetDefaultInputDevice");
    SYM(GetDeviceInfo, "Pa_GetDeviceInfo");
    SYM(GetHostApiInfo, "Pa_GetHostApiInfo");
    SYM(OpenStream, "Pa_OpenStream");
    SYM(StartStream, "Pa_StartStream");
    SYM(StopStream, "Pa_StopStream");
    SYM(AbortStream, "Pa_AbortStream");
    SYM(CloseStream, "Pa_CloseStream");
    SYM(IsStreamActive, "Pa_IsStreamActive");
    SYM(GetStreamInfo, "Pa_GetStreamInfo");
    SYM(SetStreamFinishedCallback, "Pa_SetStreamFinishedCallback");
#undef SYM
    void *asound = dlopen("libasound.so.2", RTLD_NOW | RTLD_NOLOAD);
    if (asound) {
        int (*set_handler)(void *) = (int (*)(void *))dlsym(asound, "snd_lib_error_set_handler");
        if (set_handler)
            set_handler((void *)alsa_quiet);
        dlclose(asound);   /* still loaded: libportaudio depends on it */
    }
    pa.loaded = 1;
}

static bool pa_load(void)
{
    pthread_once(&pa_once, load_once);
    if (!pa.loaded)
        set_error("%s", pa.why);
    return pa.loaded;
}

int ls_devices_available(void)
{
    pthread_once(&pa_once, load_once);
    return pa.loaded;
}

/* pa_lock held. */
static ls_result pa_init_locked(void)
{
    PaError e = pa.Initialize();
    if (e != paNoError) {
        set_error("PortAudio failed to initialize: %s", pa.GetErrorText(e));
        return LS_ERROR_BACKEND;
    }
    return LS_OK;
}

static void fill_info(PaDeviceIndex i, const PaDeviceInfo *di, PaDeviceIndex def_out,
                      PaDeviceIndex def_in, ls_device_info *o)
{
    memset(o, 0, sizeof *o);
    o->index = i;
    snprintf(o->name, sizeof o->name, "%s", di->name ? di->name : "");
    const PaHostApiInfo *hi = pa.GetHostApiInfo(di->hostApi);
    snprintf(o->host_api, sizeof o->host_api, "%s", hi && hi->name ? hi->name : "");
    o->max_input_channels = di->maxInputChannels > 0 ? (uint32_t)di->maxInputChannels : 0;
    o->max_output_channels = di->maxOutputChannels > 0 ? (uint32_t)di->maxOutputChannels : 0;
    o->default_sample_rate = di->defaultSampleRate;
    o->default_low_output_latency = di->defaultLowOutputLatency;
    o->default_high_output_latency = di->defaultHighOutputLatency;
    o->default_low_input_latency = di->defaultLowInputLatency;
    o->default_high_input_latency = di->defaultHighInputLatency;
    o->is_default_output = i == def_out;
    o->is_default_input = i == def_in;
}

ls_result ls_devices_list(ls_device_info **out, uint32_t *count)
{
    if (!out || !count)
        return LS_ERROR_INVALID_ARGUMENT;
    *out = NULL;
    *count = 0;
    if (!pa_load())
        return LS_ERROR_NOT_SUPPORTED;
    pthread_mutex_lock(&pa_lock);
    ls_result r = pa_init_locked();
    if (r != LS_OK) {
        pthread_mutex_unlock(&pa_lock);
        return r;
    }
    int n = pa.GetDeviceCount();
    ls_device_info *list = NULL;
    if (n > 0) {
        list = calloc((size_t)n, sizeof *list);
        if (!list) {
            pa.Terminate();
            pthread_mutex_unlock(&pa_lock);
            return LS_ERROR_NO_MEM;
        }
        PaDeviceIndex def_out = pa.GetDefaultOutputDevice(), def_in = pa.GetDefaultInputDevice();
        uint32_t k = 0;
        for (int i = 0; i < n; i++) {
            const PaDeviceInfo *di = pa.GetDeviceInfo(i);
            if (di)
                fill_info(i, di, def_out, def_in, &list[k++]);
        }
        n = (int)k;
    }
    pa.Terminate();
    pthread_mutex_unlock(&pa_lock);
    *out = list;
    *count = n > 0 ? (uint32_t)n : 0;
    return LS_OK;
}

void ls_devices_free(ls_device_info *list)
{
    free(list);
}

/* ------------------------------------------------------------------ */
/* Streams                                                             */
/* ------------------------------------------------------------------ */

typedef struct pa_device {
    ls_device_pump pump;
    float *fifo;
    PaStream *out_stream, *in_stream;
    double ns_per_frame;
    double base_latency, output_latency;
    /* capture */
    ls_frame_ring ring;
    int32_t in_device;
    uint32_t in_channels;
    /* shared */
    atomic_int finished;           /* the output stream ended on its own */
    atomic_int lost;
    atomic_int monitor_stop;
    pthread_t monitor;
    int monitor_running;
} pa_device;

extern const ls_backend ls__portaudio_backend;
ls_result ls__context_alloc_realtime(const ls_context_options *o, ls_context **out);

static int out_callback(const void *in, void *out, unsigned long frames,
                        const PaStreamCallbackTimeInfo *ti, PaStreamCallbackFlags flags, void *user)
{
    pa_device *d = user;
    ls__pump_render(&d->pump, out, (uint32_t)frames, (flags & paOutputUnderflow) != 0,
                    d->ns_per_frame * (double)frames);
    return paContinue;
}

static int in_callback(const void *in, void *out, unsigned long frames,
                       const PaStreamCallbackTimeInfo *ti, PaStreamCallbackFlags flags, void *user)
{
    pa_device *d = user;
    atomic_store_explicit(&d->pump.input_frames_hint, (unsigned)frames, memory_order_relaxed);
    ls__ring_write(&d->ring, in, (uint32_t)frames);
    return paContinue;
}

static void out_finished(void *user)
{
    pa_device *d = user;
    atomic_store(&d->finished, 1);
}

static pa_device *dev_of(const ls_context *ctx)
{
    return ctx->backend == &ls__portaudio_backend ? (pa_device *)ctx->device : NULL;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* The device went away: the context becomes closed and says so with a
 * statechange event. Runs on the monitor thread; the control lock is only
 * tried, since close() holds it while it joins this thread. */
static void device_lost(ls_context *ctx, pa_device *d)
{
    while (!atomic_load(&d->monitor_stop)) {
        if (pthread_mutex_trylock(&ctx->lock) == 0) {
            atomic_store(&d->lost, 1);
            if (!ctx->closed) {
                atomic_store(&ctx->state, LS_CONTEXT_STATE_CLOSED);
                ls__queue_event(ctx, LS_EVENT_STATE_CHANGE, ctx->destination,
                                ls_context_current_time(ctx));
            }
            pthread_mutex_unlock(&ctx->lock);
            return;
        }
        sleep_ms(2);
    }
}

static void *monitor_thread(void *arg)
{
    ls_context *ctx = arg;
    pa_device *d = ctx->device;
    uint64_t last = atomic_load(&d->pump.callbacks);
    int stalled_ms = 0;
    while (!atomic_load(&d->monitor_stop)) {
        sleep_ms(20);
        uint64_t now = atomic_load(&d->pump.callbacks);
        stalled_ms = now == last ? stalled_ms + 20 : 0;
        last = now;
        int active = 1;
        pthread_mutex_lock(&pa_lock);
        if (d->out_stream)
            active = pa.IsStreamActive(d->out_stream) == 1;
        pthread_mutex_unlock(&pa_lock);
        if (atomic_load(&d->finished) || !active || stalled_ms >= 2000) {
            device_lost(ctx, d);
            return NULL;
        }
    }
    return NULL;
}

static double hint_latency(const ls_device_options *o, double low, double high)
{
    switch (o->latency_hint) {
    case LS_LATENCY_BALANCED: return 0.5 * (low + high);
    case LS_LATENCY_PLAYBACK: return high;
    case LS_LATENCY_SECONDS: return o->latency;
    default: return low;
    }
}

static void device_free(ls_context *ctx, pa_device *d)
{
    ctx->pump = NULL;
    ctx->device = NULL;
    ls__ring_destroy(&d->ring);
    free(d->pump.input_quantum);
    free(d->fifo);
    free(d);
}

/* control: open and start the output stream of a new context. */
static ls_result device_open(ls_context *ctx, const ls_device_options *o)
{
    pa_device *d = calloc(1, sizeof *d);
    float *fifo = calloc((size_t)ctx->channels * LS_Q, sizeof(float));
    if (!d || !fifo) {
        free(d);
        free(fifo);
        return LS_ERROR_NO_MEM;
    }
    d->fifo = fifo;
    ls__pump_init(&d->pump, ctx, ctx->channels, fifo);
    d->ns_per_frame = 1e9 / ctx->sample_rate;
    d->in_device = -2;
    atomic_init(&d->finished, 0);
    atomic_init(&d->lost, 0);
    atomic_init(&d->monitor_stop, 0);

    pthread_mutex_lock(&pa_lock);
    ls_result r = pa_init_locked();
    if (r != LS_OK) {
        pthread_mutex_unlock(&pa_lock);
        device_free(ctx, d);
        return r;
    }
    int n = pa.GetDeviceCount();
    PaDeviceIndex dev = o->output_device >= 0 ? o->output_device : pa.GetDefaultOutputDevice();
    const PaDeviceInfo *di = NULL;
    if (o->output_device >= 0 && o->output_device >= n) {
        set_error("no audio device with index %d (there are %d)", o->output_device, n < 0 ? 0 : n);
        r = LS_ERROR_INDEX_SIZE;
    } else if (dev == paNoDevice || !(di = pa.GetDeviceInfo(dev))) {
        set_error("no default audio output device (PortAudio found %d devices): start a sound "
                  "server (PulseAudio, PipeWire, JACK) or connect an output", n < 0 ? 0 : n);
        r = LS_ERROR_NOT_SUPPORTED;
    } else if (di->maxOutputChannels < (int)ctx->channels) {
        set_error("audio device %d (%s) has %d output channels, %u were asked for", dev,
                  di->name, di->maxOutputChannels, ctx->channels);
        r = LS_ERROR_NOT_SUPPORTED;
    }
    if (r == LS_OK) {
        PaStreamParameters p;
        memset(&p, 0, sizeof p);
        p.device = dev;
        p.channelCount = (int)ctx->channels;
        p.sampleFormat = paFloat32;
        p.suggestedLatency = hint_latency(o, di->defaultLowOutputLatency, di->defaultHighOutputLatency);
        unsigned long fpb = o->frames_per_buffer == LS_DEVICE_FRAMES_ANY ? paFramesPerBufferUnspecified
                            : o->frames_per_buffer ? o->frames_per_buffer : ctx->buffer_size;
        PaError e = pa.OpenStream(&d->out_stream, NULL, &p, ctx->sample_rate, fpb,
                                  paClipOff | paDitherOff, out_callback, d);
        if (e != paNoError) {
            set_error("audio device %d (%s) could not be opened at %g Hz with %u channels: %s",
                      dev, di->name, ctx->sample_rate, ctx->channels, pa.GetErrorText(e));
            d->out_stream = NULL;
            r = LS_ERROR_BACKEND;
        }
    }
    if (r == LS_OK) {
        pa.SetStreamFinishedCallback(d->out_stream, out_finished);
        const PaStreamInfo *si = pa.GetStreamInfo(d->out_stream);
        uint32_t fpb = o->frames_per_buffer == LS_DEVICE_FRAMES_ANY ? LS_Q
                       : o->frames_per_buffer ? o->frames_per_buffer : ctx->buffer_size;
        d->base_latency = (double)(fpb + LS_Q) / ctx->sample_rate;
        d->output_latency = si ? si->outputLatency : d->base_latency;
        ctx->device = d;
        ctx->pump = &d->pump;
        ctx->thread_running = 1;   /* control calls must not apply messages themselves now */
        PaError e = pa.StartStream(d->out_stream);
        if (e != paNoError) {
            set_error("audio device %d (%s) could not be started: %s", dev, di->name,
                      pa.GetErrorText(e));
            pa.CloseStream(d->out_stream);
            ctx->thread_running = 0;
            r = LS_ERROR_BACKEND;
        }
    }
    if (r != LS_OK) {
        pa.Terminate();
        pthread_mutex_unlock(&pa_lock);
        device_free(ctx, d);
        return r;
    }
    pthread_mutex_unlock(&pa_lock);
    if (pthread_create(&d->monitor, NULL, monitor_thread, ctx) == 0)
        d->monitor_running = 1;
    return LS_OK;
}

static ls_result pa_start(ls_context *ctx)
{
    ls_device_options o = ls_device_options_default();
    return device_open(ctx, &o);
}

static ls_result pa_stop(ls_context *ctx)
{
    pa_device *d = ctx->device;
    if (!d)
        return LS_OK;
    atomic_store(&d->monitor_stop, 1);
    if (d->monitor_running)
        pthread_join(d->monitor, NULL);
    d->monitor_running = 0;
    bool lost = atomic_load(&d->lost) || atomic_load(&d->finished);
    pthread_mutex_lock(&pa_lock);
    if (d->in_stream) {
        pa.AbortStream(d->in_stream);
        pa.CloseStream(d->in_stream);
        d->in_stream = NULL;
    }
    if (d->out_stream) {
        if (lost)
            pa.AbortStream(d->out_stream);
        else
            pa.StopStream(d->out_stream);   /* plays what is queued */
        pa.CloseStream(d->out_stream);
        d->out_stream = NULL;
    }
    pa.Terminate();
    pthread_mutex_unlock(&pa_lock);
    ctx->thread_running = 0;
    ls__pump_stats(&d->pump, &ctx->device_final_stats);   /* ctx.stats after close */
    ctx->device_final_stats.device_lost = atomic_load(&d->lost);
    device_free(ctx, d);
    return LS_OK;
}

const ls_backend ls__portaudio_backend = {"portaudio", pa_start, pa_stop};

ls_device_options ls_device_options_default(void)
{
    ls_device_options o;
    o.output_device = -1;
    o.latency_hint = LS_LATENCY_INTERACTIVE;
    o.latency = 0.0;
    o.frames_per_buffer = 0;
    return o;
}

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
        set_error("device options out of range");
        return LS_ERROR_RANGE;
    }
    if (!pa_load())
        return LS_ERROR_NOT_SUPPORTED;
    ls_context_options o = options ? *options : ls_context_options_default();
    o.backend = LS_BACKEND_NULL;
    ls_context *ctx;
    ls_result r = ls__context_alloc_realtime(&o, &ctx);
    if (r != LS_OK)
        return r;
    ctx->backend = &ls__portaudio_backend;
    r = device_open(ctx, &d);
    if (r != LS_OK) {
        ls_context_release(ctx);
        return r;
    }
    *out = ctx;
    return LS_OK;
}

ls_result ls_context_open_input(ls_context *ctx, int32_t device, uint32_t channels)
{
    if (!ctx)
        return LS_ERROR_INVALID_ARGUMENT;
    last_error[0] = 0;
    ls__lock(ctx);
    pa_device *d = dev_of(ctx);
    ls_result r = LS_OK;
    if (ctx->closed || atomic_load(&ctx->state) == LS_CONTEXT_STATE_CLOSED || !d) {
        set_error(d ? "the context is closed"
                    : "audio input needs a context on an audio device (this one runs on the %s backend)",
                  ctx->backend ? ctx->backend->name : "offline");
        r = LS_ERROR_INVALID_STATE;
        goto done;
    }
    if (channels < 1 || channels > LS_MAX_CHANNELS) {
        set_error("input channels must be between 1 and %d, got %u", LS_MAX_CHANNELS, channels);
        r = LS_ERROR_NOT_SUPPORTED;
        goto done;
    }
    if (d->in_stream) {
        if ((device < 0 || device == d->in_device) && channels == d->in_channels)
            goto done;
        set_error("the context already captures %u channels from device %d", d->in_channels,
                  d->in_device);
        r = LS_ERROR_NOT_SUPPORTED;
        goto done;
    }
    pthread_mutex_lock(&pa_lock);
    int n = pa.GetDeviceCount();
    PaDeviceIndex dev = device >= 0 ? device : pa.GetDefaultInputDevice();
    const PaDeviceInfo *di = NULL;
    if (device >= n) {
        set_error("no audio device with index %d (there are %d)", device, n < 0 ? 0 : n);
        r = LS_ERROR_INDEX_SIZE;
    } else if (dev == paNoDevice || !(di = pa.GetDeviceInfo(dev))) {
        set_error("no default audio input device");
        r = LS_ERROR_NOT_SUPPORTED;
    } else if (di->maxInputChannels < (int)channels) {
        set_error("audio device %d (%s) has %d input channels, %u were asked for", dev, di->name,
                  di->maxInputChannels, channels);
        r = LS_ERROR_NOT_SUPPORTED;
    } else if (!ls__ring_init(&d->ring, (uint32_t)(ctx->sample_rate * 0.5), channels) ||
               !(d->pump.input_quantum = calloc((size_t)channels * LS_Q, sizeof(float)))) {
        ls__ring_destroy(&d->ring);
        r = LS_ERROR_NO_MEM;
    }
    if (r == LS_OK) {
        PaStreamParameters p;
        memset(&p, 0, sizeof p);
        p.device = dev;
        p.channelCount = (int)channels;
        p.sampleFormat = paFloat32;
        p.suggestedLatency = di->defaultLowInputLatency;
        PaStream *s = NULL;
        PaError e = pa.OpenStream(&s, &p, NULL, ctx->sample_rate, ctx->buffer_size,
                                  paClipOff | paDitherOff, in_callback, d);
        if (e == paNoError && (e = pa.StartStream(s)) != paNoError)
            pa.CloseStream(s);
        if (e != paNoError) {
            set_error("audio input device %d (%s) could not be opened at %g Hz with %u channels: %s",
                      dev, di->name, ctx->sample_rate, channels, pa.GetErrorText(e));
            ls__ring_destroy(&d->ring);
            free(d->pump.input_quantum);
            d->pump.input_quantum = NULL;
            r = LS_ERROR_BACKEND;
        } else {
            d->in_stream = s;
            d->in_device = dev;
            d->in_channels = channels;
            /* the render callback starts reading from now on */
            atomic_store_explicit(&d->pump.input, &d->ring, memory_order_release);
        }
    }
    pthread_mutex_unlock(&pa_lock);
done:
    ls__unlock(ctx);
    return r;
}

uint32_t ls_context_input_channels(const ls_context *ctx)
{
    pa_device *d = dev_of(ctx);
    return d && d->in_stream ? d->in_channels : 0;
}

const char *ls_context_backend_name(const ls_context *ctx)
{
    return ctx->offline ? "offline" : ctx->backend ? ctx->backend->name : "none";
}

void ls_context_latency(ls_context *ctx, double *base, double *output)
{
    ls__lock(ctx);
    pa_device *d = dev_of(ctx);
    double b = (double)ctx->buffer_size / ctx->sample_rate, o = b;
    if (d) {
        b = d->base_latency;
        o = d->output_latency;
    }
    ls__unlock(ctx);
    if (base)
        *base = b;
    if (output)
        *output = o;
}

void ls_context_device_stats(ls_context *ctx, ls_device_stats *out)
{
    memset(out, 0, sizeof *out);
    ls__lock(ctx);
    pa_device *d = dev_of(ctx);
    if (d) {
        ls__pump_stats(&d->pump, out);
        out->device_lost = atomic_load(&d->lost);
    } else if (ctx->backend == &ls__portaudio_backend) {
        *out = ctx->device_final_stats;
    }
    ls__unlock(ctx);
}
