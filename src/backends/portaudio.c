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
#define set_error ls__device_set_error

/* ALSA prints every probe failure on stderr; PortAudio probes a lot. */
static void alsa_quiet(const char *file, int line, const char *function, int err, const char *fmt, ...)
{
}

/* libjack (PortAudio's JACK host API) prints every failed connection attempt
 * on stderr, a dozen lines when no JACK server runs; its callbacks take a
 * message and nothing else. */
static void jack_quiet(const char *msg)
{
}

/* Before PortAudio first probes its host APIs: no JACK server started on our
 * behalf (JACK_NO_START_SERVER, unless the caller set it), and libjack's error
 * and info messages dropped, if PortAudio loaded libjack. A running JACK server
 * is still found and used; only the messages go. */
static void jack_silence(void)
{
    setenv("JACK_NO_START_SERVER", "1", 0);
    const char *names[] = {"libjack.so.0", "libjack.so", "libjack.0.dylib"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        void *jack = dlopen(names[i], RTLD_NOW | RTLD_NOLOAD);
        if (!jack)
            continue;
        void (*set_error)(void (*)(const char *)) =
            (void (*)(void (*)(const char *)))dlsym(jack, "jack_set_error_function");
        void (*set_info)(void (*)(const char *)) =
            (void (*)(void (*)(const char *)))dlsym(jack, "jack_set_info_function");
        if (set_error)
            set_error(jack_quiet);
        if (set_info)
            set_info(jack_quiet);
        dlclose(jack);   /* still loaded: libportaudio depends on it */
        break;
    }
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
    jack_silence();
    pa.loaded = 1;
}

static bool pa_load(void)
{
    pthread_once(&pa_once, load_once);
    if (!pa.loaded)
        set_error("%s", pa.why);
    return pa.loaded;
}

int ls__portaudio_available(void)
{
    pthread_once(&pa_once, load_once);
    return pa.loaded;
}

const char *ls__portaudio_why(void)
{
    pthread_once(&pa_once, load_once);
    return pa.why;
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
    ls_device_base base;           /* first: ctx->device points here */
    PaStream *out_stream, *in_stream;
    double ns_per_frame;
} pa_device;

static int out_callback(const void *in, void *out, unsigned long frames,
                        const PaStreamCallbackTimeInfo *ti, PaStreamCallbackFlags flags, void *user)
{
    pa_device *d = user;
    ls__pump_render(&d->base.pump, out, (uint32_t)frames, (flags & paOutputUnderflow) != 0,
                    d->ns_per_frame * (double)frames);
    return paContinue;
}

static int in_callback(const void *in, void *out, unsigned long frames,
                       const PaStreamCallbackTimeInfo *ti, PaStreamCallbackFlags flags, void *user)
{
    pa_device *d = user;
    atomic_store_explicit(&d->base.pump.input_frames_hint, (unsigned)frames, memory_order_relaxed);
    ls__ring_write(&d->base.ring, in, (uint32_t)frames);
    return paContinue;
}

static void out_finished(void *user)
{
    pa_device *d = user;
    atomic_store(&d->base.failed, 1);
}

/* monitor thread */
static int pa_alive(ls_context *ctx)
{
    pa_device *d = ctx->device;
    int active = 1;
    pthread_mutex_lock(&pa_lock);
    if (d->out_stream)
        active = pa.IsStreamActive(d->out_stream) == 1;
    pthread_mutex_unlock(&pa_lock);
    return active;
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

/* control, under ctx->lock */
static ls_result pa_open_input(ls_context *ctx, int32_t device, uint32_t channels)
{
    pa_device *d = ctx->device;
    ls_result r = LS_OK;
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
    } else if (!ls__device_input_setup(&d->base, ctx, channels)) {
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
            ls__device_input_teardown(&d->base);
            r = LS_ERROR_BACKEND;
        } else {
            d->in_stream = s;
            ls__device_input_publish(&d->base, dev, channels);
        }
    }
    pthread_mutex_unlock(&pa_lock);
    return r;
}

static void pa_free(ls_context *ctx, pa_device *d)
{
    if (ctx->device == d)
        ls__device_detach(ctx);
    free(d->base.fifo);
    free(d);
}

/* control: open and start the output stream of a new context. */
static ls_result device_open(ls_context *ctx, const ls_device_options *o)
{
    pa_device *d = calloc(1, sizeof *d);
    if (!d || !ls__device_base_init(&d->base, ctx)) {
        free(d);
        return LS_ERROR_NO_MEM;
    }
    d->base.api = "PortAudio";
    d->base.open_input = pa_open_input;
    d->base.alive = pa_alive;
    d->ns_per_frame = 1e9 / ctx->sample_rate;

    pthread_mutex_lock(&pa_lock);
    ls_result r = pa_init_locked();
    if (r != LS_OK) {
        pthread_mutex_unlock(&pa_lock);
        pa_free(ctx, d);
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
        d->base.base_latency = (double)(fpb + LS_Q) / ctx->sample_rate;
        d->base.output_latency = si ? si->outputLatency : d->base.base_latency;
        ctx->device = d;
        ctx->pump = &d->base.pump;
        ctx->thread_running = 1;   /* control calls must not apply messages themselves now */
        PaError e = pa.StartStream(d->out_stream);
        if (e != paNoError) {
            set_error("audio device %d (%s) could not be started: %s", dev, di->name,
                      pa.GetErrorText(e));
            pa.CloseStream(d->out_stream);
            d->out_stream = NULL;
            r = LS_ERROR_BACKEND;
        }
    }
    if (r != LS_OK) {
        pa.Terminate();
        pthread_mutex_unlock(&pa_lock);
        pa_free(ctx, d);
        return r;
    }
    pthread_mutex_unlock(&pa_lock);
    ls__device_monitor_start(ctx);
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
    ls__device_monitor_stop(ctx);
    bool lost = atomic_load(&d->base.lost) || atomic_load(&d->base.failed);
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
    pa_free(ctx, d);
    return LS_OK;
}

const ls_backend ls__portaudio_backend = {"portaudio", pa_start, pa_stop};

/* control: a device context on PortAudio (devices.c picks the backend). */
ls_result ls__portaudio_open(ls_context *ctx, const ls_device_options *o)
{
    if (!pa_load())
        return LS_ERROR_NOT_SUPPORTED;
    ctx->backend = &ls__portaudio_backend;
    ls_result r = device_open(ctx, o);
    if (r != LS_OK)
        ctx->backend = NULL;
    return r;
}
