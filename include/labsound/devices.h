/*
 * labsound: real-time audio on the system's devices.
 *
 * The device backend plays a real-time context through PortAudio, which is
 * loaded at run time (dlopen of libportaudio): labsound builds, links and
 * runs without it, and reports NOT_SUPPORTED (with a reason from
 * ls_devices_unavailable_reason) when it is missing.
 *
 * The device's callback runs the render loop itself: no lock, no allocation,
 * no system call other than reading the monotonic clock. Callback sizes that
 * are not multiples of the render quantum go through a one-quantum FIFO.
 * Capture (ls_context_open_input) runs as its own stream that fills a
 * lock-free ring; the render callback takes one quantum from it before each
 * quantum it renders, so input and output may be different devices.
 *
 * Included by labsound.h.
 */
#ifndef LABSOUND_DEVICES_H
#define LABSOUND_DEVICES_H

#ifdef __cplusplus
extern "C" {
#endif

/** One audio device as the system's audio stack reports it. */
typedef struct ls_device_info {
    int32_t index;                  /* what ls_device_options.output_device takes */
    char name[256];
    char host_api[64];              /* "ALSA", "JACK Audio Connection Kit", "Core Audio", ... */
    uint32_t max_input_channels;
    uint32_t max_output_channels;
    double default_sample_rate;
    double default_low_output_latency, default_high_output_latency;   /* seconds */
    double default_low_input_latency, default_high_input_latency;
    uint8_t is_default_output;      /* the system's default output device */
    uint8_t is_default_input;
} ls_device_info;

/**
 * Whether the device backend can be used: 1 when PortAudio loads, else 0.
 * Any thread.
 */
LS_API int ls_devices_available(void);

/**
 * Why the device backend is unavailable or why the last device could not be
 * opened, in English with the fix (e.g. "libportaudio.so.2 not found: install
 * libportaudio2"); "" when nothing failed. The string is valid until the next
 * device call on the same thread. Any thread.
 */
LS_API const char *ls_devices_last_error(void);

/**
 * List the devices: *out gets `*count` entries (free with ls_devices_free;
 * NULL when count is 0). Control thread.
 * Errors: NOT_SUPPORTED (PortAudio not available), BACKEND (PortAudio failed
 * to initialize), NO_MEM.
 */
LS_API ls_result ls_devices_list(ls_device_info **out, uint32_t *count);
/** Free what ls_devices_list returned. Any thread. */
LS_API void ls_devices_free(ls_device_info *list);

typedef enum ls_latency_hint {
    LS_LATENCY_INTERACTIVE = 0,     /* the device's low latency */
    LS_LATENCY_BALANCED = 1,        /* halfway between low and high */
    LS_LATENCY_PLAYBACK = 2,        /* the device's high latency */
    LS_LATENCY_SECONDS = 3          /* ls_device_options.latency seconds */
} ls_latency_hint;

typedef struct ls_device_options {
    int32_t output_device;          /* ls_device_info.index; -1 = the system default */
    ls_latency_hint latency_hint;   /* default INTERACTIVE */
    double latency;                 /* seconds, with LS_LATENCY_SECONDS */
    uint32_t frames_per_buffer;     /* callback size; 0 = the context's buffer_size;
                                       any size works (LS_DEVICE_FRAMES_ANY: the host's choice) */
} ls_device_options;
#define LS_DEVICE_FRAMES_ANY 0xFFFFFFFFu

/** output_device -1, INTERACTIVE, latency 0, frames_per_buffer 0. Any thread. */
LS_API ls_device_options ls_device_options_default(void);

/**
 * Create a real-time context that plays on an output device, opened at the
 * context's sample rate (the host's audio stack resamples when the hardware
 * runs at another rate: PulseAudio and ALSA's plug devices do). It starts
 * suspended. Control thread.
 * Errors: RANGE (options out of range), NOT_SUPPORTED (no PortAudio, no
 * output device, or the device rejects the rate or channel count),
 * INDEX_SIZE (no device with that index), BACKEND (the device failed to
 * open or start), NO_MEM. ls_devices_last_error() says why.
 */
LS_API ls_result ls_device_context_create(const ls_context_options *options,
                                          const ls_device_options *device, ls_context **out);

/**
 * Open capture for a device context: `channels` channels from input device
 * `device` (-1 = the system default). Idempotent for the same device and
 * channels. Control thread. Errors: INVALID_STATE (closed, or not a device
 * context), NOT_SUPPORTED (already capturing from another device or with
 * another channel count, or the device cannot capture that), INDEX_SIZE,
 * BACKEND. ls_devices_last_error() says why.
 */
LS_API ls_result ls_context_open_input(ls_context *ctx, int32_t device, uint32_t channels);

/** Channels being captured (0 when no input is open). Control thread. */
LS_API uint32_t ls_context_input_channels(const ls_context *ctx);

/** The backend's name: "offline", "null" or "portaudio". Any thread. */
LS_API const char *ls_context_backend_name(const ls_context *ctx);

/**
 * Latencies in seconds. base: the engine's own, from the destination to the
 * audio stack (the callback size plus the quantum FIFO). output: from the
 * destination to the speaker as the device reports it (base for the null
 * backend). Control thread.
 */
LS_API void ls_context_latency(ls_context *ctx, double *base, double *output);

/** Counters of a real-time context's backend. Control thread. */
typedef struct ls_device_stats {
    uint64_t callbacks;             /* device callbacks run */
    uint64_t underruns;             /* callbacks the device flagged as late (output underflow) */
    uint64_t overloads;             /* callbacks that took longer than their time budget */
    uint64_t input_dropouts;        /* quanta of captured input that were missing (silence) */
    double render_load;             /* share of the callback budget used, smoothed (0..1+) */
    double max_render_load;         /* the largest share seen in one callback */
    uint32_t frames_per_buffer;     /* last callback size */
    int32_t device_lost;            /* 1 once the device stopped: the context is closed */
    int32_t realtime_priority;      /* SCHED_FIFO priority of the callback thread (0: normal) */
} ls_device_stats;
LS_API void ls_context_device_stats(ls_context *ctx, ls_device_stats *out);

/* ------------------------------------------------------------------ */
/* MediaStreamAudioSourceNode (LabSound's AudioHardwareInputNode)      */
/* ------------------------------------------------------------------ */

/**
 * A source node that outputs the context's captured input (opened with
 * ls_context_open_input), with as many channels as are captured. Control
 * thread. Errors: INVALID_STATE (closed, or no input open), NO_MEM.
 */
LS_API ls_result ls_media_stream_source_create(ls_context *ctx, ls_node **out);

#ifdef __cplusplus
}
#endif
#endif /* LABSOUND_DEVICES_H */
