/*
 * labsound: a Web Audio engine in C11.
 *
 * Public C API. Everything a binding may call is declared here.
 *
 * Threads
 * -------
 * "control thread" means any thread that is not the render thread. Control
 * calls on one context are serialized by the context's control lock, so any
 * number of control threads may call into the same context at once. The
 * render thread (the real-time backend thread, or the thread that runs
 * ls_offline_context_render) never takes that lock, never allocates and
 * never blocks: control calls reach it as messages on a bounded lock-free
 * queue, and memory it releases travels back on a lock-free return stack.
 * No function in this header may be called from inside the render thread.
 *
 * Errors
 * ------
 * Functions that can fail return an ls_result (0 = LS_OK). The negative codes
 * are named after the Web Audio exceptions they stand for. A function that
 * returns an error changes nothing.
 *
 * Lifetime
 * --------
 * Objects are reference counted. ls_*_create hands the caller one reference;
 * ls_*_release gives it back. A node whose last reference is released keeps
 * playing until it can no longer produce sound, then the engine reclaims it.
 * Nodes keep their context alive; closing a context with live nodes is safe.
 */
#ifndef LABSOUND_H
#define LABSOUND_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#  if defined(LS_BUILDING)
#    define LS_API __declspec(dllexport)
#  else
#    define LS_API
#  endif
#else
#  define LS_API __attribute__((visibility("default")))
#endif

#define LS_VERSION_MAJOR 0
#define LS_VERSION_MINOR 1
#define LS_VERSION_PATCH 0

/** Frames in one render quantum. */
#define LS_RENDER_QUANTUM 128
/** Most channels a node input, output or buffer may have. */
#define LS_MAX_CHANNELS 32

/* ------------------------------------------------------------------ */
/* Results                                                             */
/* ------------------------------------------------------------------ */

typedef enum ls_result {
    LS_OK = 0,
    LS_ERROR_INDEX_SIZE = -1,       /* IndexSizeError: an index out of range */
    LS_ERROR_INVALID_ACCESS = -2,   /* InvalidAccessError */
    LS_ERROR_INVALID_STATE = -3,    /* InvalidStateError */
    LS_ERROR_NOT_SUPPORTED = -4,    /* NotSupportedError */
    LS_ERROR_RANGE = -5,            /* RangeError: a value outside its range, NaN, inf */
    LS_ERROR_NO_MEM = -6,           /* allocation failed */
    LS_ERROR_BACKEND = -7,          /* the audio backend failed */
    LS_ERROR_FORMAT = -8,           /* malformed or unsupported file data */
    LS_ERROR_IO = -9,               /* a file could not be read or written */
    LS_ERROR_INVALID_ARGUMENT = -10 /* NULL where an object is required, wrong node kind */
} ls_result;

/** Short English description of a result code. Any thread. Never NULL. */
LS_API const char *ls_result_string(ls_result r);

/** Library version string, e.g. "0.1.0". Any thread. */
LS_API const char *ls_version(void);

/* ------------------------------------------------------------------ */
/* Enumerations                                                        */
/* ------------------------------------------------------------------ */

typedef enum ls_channel_count_mode {
    LS_CHANNEL_COUNT_MODE_MAX = 0,
    LS_CHANNEL_COUNT_MODE_CLAMPED_MAX = 1,
    LS_CHANNEL_COUNT_MODE_EXPLICIT = 2
} ls_channel_count_mode;

typedef enum ls_channel_interpretation {
    LS_CHANNEL_INTERPRETATION_SPEAKERS = 0,
    LS_CHANNEL_INTERPRETATION_DISCRETE = 1
} ls_channel_interpretation;

typedef enum ls_automation_rate {
    LS_AUTOMATION_RATE_A_RATE = 0,
    LS_AUTOMATION_RATE_K_RATE = 1
} ls_automation_rate;

typedef enum ls_oscillator_type {
    LS_OSCILLATOR_TYPE_SINE = 0,
    LS_OSCILLATOR_TYPE_SQUARE = 1,
    LS_OSCILLATOR_TYPE_SAWTOOTH = 2,
    LS_OSCILLATOR_TYPE_TRIANGLE = 3,
    LS_OSCILLATOR_TYPE_CUSTOM = 4
} ls_oscillator_type;

typedef enum ls_context_state {
    LS_CONTEXT_STATE_SUSPENDED = 0,
    LS_CONTEXT_STATE_RUNNING = 1,
    LS_CONTEXT_STATE_CLOSED = 2
} ls_context_state;

/* How the buffer players (AudioBufferSourceNode, SampledAudioNode,
 * GranulationNode) read between a buffer's frames when it plays at another
 * rate than the context's or at a playback rate other than 1: LINEAR (as
 * Chromium), CUBIC (4-point Catmull-Rom) or SINC (band-limited windowed
 * sinc). DEFAULT: for a node, its context's choice; for a context, LINEAR.
 * docs/interpolation.md compares their quality and cost. */
typedef enum ls_interpolation {
    LS_INTERPOLATION_DEFAULT = 0,
    LS_INTERPOLATION_LINEAR = 1,
    LS_INTERPOLATION_CUBIC = 2,
    LS_INTERPOLATION_SINC = 3
} ls_interpolation;

typedef enum ls_node_type {
    LS_NODE_TYPE_DESTINATION = 0,
    LS_NODE_TYPE_OSCILLATOR = 1,
    LS_NODE_TYPE_GAIN = 2,
    LS_NODE_TYPE_CONSTANT_SOURCE = 3,
    /* filters, delay, routing and shaping (labsound/filters.h) */
    LS_NODE_TYPE_BIQUAD_FILTER = 20,
    LS_NODE_TYPE_IIR_FILTER = 21,
    LS_NODE_TYPE_DELAY = 22,
    LS_NODE_TYPE_CHANNEL_SPLITTER = 23,
    LS_NODE_TYPE_CHANNEL_MERGER = 24,
    LS_NODE_TYPE_STEREO_PANNER = 25,
    LS_NODE_TYPE_WAVE_SHAPER = 26,
    /* spatial.h */
    LS_NODE_TYPE_PANNER = 40,
    LS_NODE_TYPE_LISTENER = 41,         /* the context's AudioListener (hidden) */
    LS_NODE_TYPE_DYNAMICS_COMPRESSOR = 42,
    LS_NODE_TYPE_CONVOLVER = 43,
    /* buffers.h */
    LS_NODE_TYPE_AUDIO_BUFFER_SOURCE = 60,
    LS_NODE_TYPE_ANALYSER = 61,
    LS_NODE_TYPE_RECORDER = 62,
    /* devices.h */
    LS_NODE_TYPE_MEDIA_STREAM_SOURCE = 80,  /* captured device input */
    /* script.h */
    LS_NODE_TYPE_SCRIPT = 90,               /* a user function per quantum */
    /* extended.h: noise, envelopes, band-limited oscillators, shapers */
    LS_NODE_TYPE_NOISE = 100,
    LS_NODE_TYPE_ADSR = 101,
    LS_NODE_TYPE_POLYBLEP = 102,
    LS_NODE_TYPE_SUPERSAW = 103,
    LS_NODE_TYPE_CLIP = 104,
    LS_NODE_TYPE_DIODE = 105,
    /* extended.h: level and spectrum monitors, peak compressor, PWM */
    LS_NODE_TYPE_POWER_MONITOR = 125,
    LS_NODE_TYPE_SPECTRAL_MONITOR = 126,
    LS_NODE_TYPE_PEAK_COMP = 127,
    LS_NODE_TYPE_PWM = 128,
    /* extended.h: sfxr */
    LS_NODE_TYPE_SFXR = 120,
    /* extended.h: tempo-synced delays, the sampler */
    LS_NODE_TYPE_BPM_DELAY = 130,
    LS_NODE_TYPE_PING_PONG_DELAY = 131,
    LS_NODE_TYPE_SAMPLED_AUDIO = 132,
    /* extended.h: granulation */
    LS_NODE_TYPE_GRANULATION = 121,
    /* streams.h: audio fed from outside the graph */
    LS_NODE_TYPE_STREAM_SOURCE = 140
} ls_node_type;

typedef enum ls_backend_kind {
    LS_BACKEND_NULL = 0,    /* silent sink paced by the clock; always available */
    LS_BACKEND_DEVICE = 1   /* the system's default output device (devices.h) */
} ls_backend_kind;

typedef enum ls_event_type {
    LS_EVENT_NONE = 0,
    LS_EVENT_ENDED = 1,     /* a scheduled source stopped: ls_event.node */
    LS_EVENT_LATE = 3,      /* a real-time context fell behind since the last such
                               event: its clock lost time, or periods were late under
                               a smoothed render load above 1 (node NULL;
                               ls_context_get_stats has the counts). At most one a
                               second. */
    LS_EVENT_STATECHANGE = 2 /* the context's state changed (ls_event.node is NULL);
                               read the new state with ls_context_get_state */
} ls_event_type;

/* ------------------------------------------------------------------ */
/* Opaque objects                                                      */
/* ------------------------------------------------------------------ */

typedef struct ls_context ls_context;
typedef struct ls_node ls_node;
typedef struct ls_param ls_param;
typedef struct ls_buffer ls_buffer;
typedef struct ls_periodic_wave ls_periodic_wave;

typedef struct ls_event {
    ls_event_type type;
    ls_node *node;          /* the node the event concerns: a new reference, which the
                               caller gives back with ls_node_release */
    void *user_data;        /* ls_node_user_data(node) when the event was queued */
    double time;            /* context time at which it happened */
} ls_event;

/* ------------------------------------------------------------------ */
/* Context                                                             */
/* ------------------------------------------------------------------ */

typedef struct ls_context_options {
    double sample_rate;     /* 3000 .. 768000; default 44100 */
    uint32_t channels;      /* destination channels, 1 .. 32; default 2 */
    uint32_t buffer_size;   /* real-time callback size in frames, multiple of 128; default 256 */
    ls_backend_kind backend;/* default LS_BACKEND_NULL */
} ls_context_options;

/** The defaults listed in ls_context_options. Any thread. */
LS_API ls_context_options ls_context_options_default(void);

/**
 * Create a real-time context. It starts suspended: call ls_context_resume
 * (the Python AudioContext does so in its constructor, as the Web Audio spec
 * starts a context running).
 * Control thread. Errors: RANGE (sample rate, channels or buffer size out of
 * range), NOT_SUPPORTED (backend not available), BACKEND, NO_MEM, INVALID_ARGUMENT.
 */
LS_API ls_result ls_context_create(const ls_context_options *options, ls_context **out);

/**
 * Create an offline context that renders `length` frames of `channels`
 * channels at `sample_rate` when ls_offline_context_render is called.
 * Control thread. Errors: RANGE, NOT_SUPPORTED (length 0), NO_MEM, INVALID_ARGUMENT.
 */
LS_API ls_result ls_offline_context_create(uint32_t channels, uint64_t length,
                                           double sample_rate, ls_context **out);

/** Take another reference. Any thread. */
LS_API void ls_context_retain(ls_context *ctx);
/** Give back a reference; the last one closes and frees the context once no
 *  node refers to it. Control thread. */
LS_API void ls_context_release(ls_context *ctx);

/** Start or restart rendering (real-time). Control thread.
 *  Errors: INVALID_STATE (closed), BACKEND. */
LS_API ls_result ls_context_resume(ls_context *ctx);
/** Stop the clock; the render thread keeps applying graph edits. Control thread.
 *  Errors: INVALID_STATE (closed). */
LS_API ls_result ls_context_suspend(ls_context *ctx);
/** Stop rendering for good and release the backend. Idempotent. Control thread. */
LS_API ls_result ls_context_close(ls_context *ctx);

/** Context time in seconds: frames rendered / sample rate. Any thread. */
LS_API double ls_context_current_time(const ls_context *ctx);
/** Frames rendered so far. Any thread. */
LS_API uint64_t ls_context_current_frame(const ls_context *ctx);
LS_API double ls_context_sample_rate(const ls_context *ctx);
/** The interpolation of buffer players created from now on in this context
 *  whose options leave theirs at DEFAULT (DEFAULT here: LINEAR). Nodes
 *  already made keep theirs. Control thread. Errors: INVALID_ARGUMENT (NULL
 *  context or not an enum value), NO_MEM (SINC's kernel table, built once). */
LS_API ls_result ls_context_set_interpolation(ls_context *ctx, ls_interpolation mode);
/** The context's interpolation (never DEFAULT). Any thread. */
LS_API ls_interpolation ls_context_interpolation(const ls_context *ctx);
LS_API ls_context_state ls_context_get_state(const ls_context *ctx);
LS_API int ls_context_is_offline(const ls_context *ctx);
/** Offline length in frames (0 for real-time contexts). */
LS_API uint64_t ls_context_length(const ls_context *ctx);
/** The destination node. Borrowed: owned by the context. */
LS_API ls_node *ls_context_destination(ls_context *ctx);
/** Real-time callback size in frames. */
LS_API uint32_t ls_context_buffer_size(const ls_context *ctx);

/**
 * Render an offline context synchronously on the calling thread, from where
 * it stands to the end or to the next scheduled suspension. Control thread;
 * the call runs the render loop itself and may take long: bindings release
 * their interpreter lock around it.
 *
 * When the whole length is rendered, *out receives the buffer (one reference
 * handed to the caller) and the state becomes CLOSED. When rendering stops
 * at a suspension (ls_offline_context_suspend_at), *out is set to NULL, the
 * state is SUSPENDED and the graph may be edited; call again to go on.
 * Each state change queues an LS_EVENT_STATECHANGE.
 * Errors (*out is left as it was): INVALID_STATE (not offline, already fully
 * rendered, closed, or being rendered on another thread), NO_MEM.
 */
LS_API ls_result ls_offline_context_render(ls_context *ctx, ls_buffer **out);
/**
 * Schedule a suspension of offline rendering at `when` seconds, rounded down
 * to a render-quantum boundary (the spec's OfflineAudioContext.suspend).
 * Control thread. Errors: INVALID_ARGUMENT (not offline), RANGE (when is NaN
 * or infinite), INVALID_STATE (negative; the frame lies before the current
 * frame, or at it once rendering has begun; at or past the length; another
 * suspension is already scheduled at the same frame; the context is closed
 * or fully rendered), NO_MEM.
 */
LS_API ls_result ls_offline_context_suspend_at(ls_context *ctx, double when);

/**
 * Render the next `frames` frames of an offline context into memory the
 * caller owns, planar float32: channel c's frames at out + c * stride
 * (stride >= frames when there are several channels). Rendering in blocks
 * this way gives the same samples as ls_offline_context_render, whatever the
 * block sizes, and needs no memory for the whole length.
 *
 * Fewer frames than asked for are rendered when the end is reached (the
 * length, or the end an open-ended render found: ls_offline_context_set_tail),
 * or at a scheduled suspension; the state then tells which (CLOSED at the
 * end, SUSPENDED at a suspension, RUNNING otherwise). *rendered receives the
 * count. A context rendered this way cannot also be rendered with
 * ls_offline_context_render. Control thread; runs the render loop itself
 * (release the interpreter lock around it).
 * Errors (*rendered = 0): INVALID_ARGUMENT (NULL, or out NULL with frames > 0,
 * or stride < frames with several channels), INVALID_STATE (not offline,
 * fully rendered, closed, being rendered on another thread, or started with
 * ls_offline_context_render), NO_MEM.
 */
LS_API ls_result ls_offline_context_render_into(ls_context *ctx, float *out, size_t stride,
                                                uint64_t frames, uint64_t *rendered);

/**
 * Make an offline context open-ended: its length becomes a cap, and
 * rendering ends earlier, at the first render-quantum boundary where no
 * scheduled source is playing or waiting to start (every started source has
 * ended; stream sources count until their stream is played out) and the
 * output has stayed below `threshold` (absolute sample value, every channel)
 * for at least `tail_seconds`. Only ls_offline_context_render_into renders
 * such a context. Call before rendering. Control thread.
 * Errors: INVALID_ARGUMENT (NULL or not offline), RANGE (tail negative or not
 * finite, threshold negative or not finite), INVALID_STATE (rendering has
 * begun, or the context is closed).
 */
LS_API ls_result ls_offline_context_set_tail(ls_context *ctx, double tail_seconds, float threshold);

/**
 * 1 when no scheduled source of an offline context is playing or waiting to
 * start (the condition an open-ended render waits for), else 0 (also while
 * it is being rendered, and for NULL or a real-time context). Control thread.
 */
LS_API int ls_offline_context_sources_done(ls_context *ctx);

/** Frames ls_offline_context_render_into has handed out so far. Control thread. */
LS_API uint64_t ls_offline_context_frames_delivered(const ls_context *ctx);

/**
 * Take the next pending event, if any. Returns 1 and fills *ev, or 0 when
 * there is none. ev->node carries a reference for the caller to release.
 * Events are only queued for nodes the caller still references when they
 * happen. Also reclaims memory the render thread handed back. Control thread.
 */
LS_API int ls_context_poll_event(ls_context *ctx, ls_event *ev);

/** Reclaim memory handed back by the render thread and remove finished
 *  nodes. Called by every control function too; call it when idle. Control thread. */
LS_API void ls_context_collect(ls_context *ctx);

typedef struct ls_context_stats {
    uint64_t quanta_rendered;
    uint64_t live_nodes;        /* nodes the render graph holds */
    uint64_t pool_exhausted;    /* quanta in which a node's output fell back to silence */
    uint64_t messages_sent;
    /* Real-time contexts, on every backend (zero offline). A period is what
     * the backend renders at once: buffer_size frames on the null backend,
     * one callback on a device. */
    uint64_t periods;           /* periods rendered */
    uint64_t late_periods;      /* periods that finished after their deadline (their
                                   audio would reach, or reached, the output late),
                                   or that a device flagged as an underrun */
    double time_lost;           /* seconds by which the context's clock fell behind
                                   the wall clock for good (the null backend gives
                                   up catching up after 200 ms; a device plays
                                   silence for an underrun) */
    double render_load;         /* rendering time over real time, smoothed over
                                   about a second (above 1: falling behind) */
    double max_render_load;     /* the largest share seen in one period */
    uint64_t stream_underruns;  /* quanta in which a stream source's ring ran dry before
                                   its stream ended (streams.h) */
} ls_context_stats;
/* Any control thread. Never fails (ctx must be valid). */
LS_API void ls_context_get_stats(ls_context *ctx, ls_context_stats *out);

/* ------------------------------------------------------------------ */
/* Nodes: common                                                       */
/* ------------------------------------------------------------------ */

/** Channel options every node takes. A field left at its "unset" value
 *  keeps the node type's default. */
typedef struct ls_node_options {
    int32_t channel_count;              /* 0 = node default */
    int32_t channel_count_mode;         /* -1 = node default, else ls_channel_count_mode */
    int32_t channel_interpretation;     /* -1 = node default, else ls_channel_interpretation */
} ls_node_options;
LS_API ls_node_options ls_node_options_default(void);

/** Take another reference. Control thread. */
LS_API void ls_node_retain(ls_node *node);
/** Give back a reference. The node keeps sounding while it can. Control thread. */
LS_API void ls_node_release(ls_node *node);

LS_API ls_node_type ls_node_get_type(const ls_node *node);
LS_API ls_context *ls_node_context(const ls_node *node);
LS_API uint32_t ls_node_number_of_inputs(const ls_node *node);
LS_API uint32_t ls_node_number_of_outputs(const ls_node *node);
LS_API void ls_node_set_user_data(ls_node *node, void *user_data);
LS_API void *ls_node_user_data(const ls_node *node);
/** Longest node name ls_node_set_name takes, in bytes (without the NUL). */
#define LS_NODE_NAME_MAX 255
/**
 * Give the node a name ("lead") that graph views and descriptions show; NULL
 * or "" clears it. The engine keeps its own copy on the control side (the
 * render thread never reads it). Control thread; calls on one context are
 * serialized by its lock, so any control thread may call it.
 * Errors: INVALID_ARGUMENT (node NULL), RANGE (longer than LS_NODE_NAME_MAX
 * bytes), NO_MEM.
 */
LS_API ls_result ls_node_set_name(ls_node *node, const char *name);
/**
 * Copy the node's name into buf (NUL-terminated, cut to size - 1 bytes) and
 * return its whole length in bytes, 0 when it has none. buf may be NULL when
 * size is 0 (to ask for the length). Control thread, like ls_node_set_name.
 * Never fails.
 */
LS_API size_t ls_node_get_name(const ls_node *node, char *buf, size_t size);

LS_API uint32_t ls_node_channel_count(const ls_node *node);
LS_API ls_channel_count_mode ls_node_channel_count_mode(const ls_node *node);
LS_API ls_channel_interpretation ls_node_channel_interpretation(const ls_node *node);
/** Control thread. Errors: NOT_SUPPORTED (0 or > 32), INVALID_STATE (the node
 *  type fixes it, e.g. the destination above the context's channels). */
LS_API ls_result ls_node_set_channel_count(ls_node *node, uint32_t count);
/** Control thread. Errors: INVALID_ARGUMENT (not an enum value), INVALID_STATE (fixed). */
LS_API ls_result ls_node_set_channel_count_mode(ls_node *node, ls_channel_count_mode mode);
LS_API ls_result ls_node_set_channel_interpretation(ls_node *node, ls_channel_interpretation interp);

/**
 * Connect output `output` of src to input `input` of dst. Connecting the same
 * pair twice is a no-op. Control thread.
 * Errors: INDEX_SIZE (output or input out of range), INVALID_ACCESS (nodes of
 * different contexts), INVALID_ARGUMENT (NULL).
 */
LS_API ls_result ls_node_connect(ls_node *src, ls_node *dst, uint32_t output, uint32_t input);
/** Connect an output to an AudioParam (audio-rate modulation). Control thread.
 *  Errors: INDEX_SIZE, INVALID_ACCESS, INVALID_ARGUMENT. */
LS_API ls_result ls_node_connect_param(ls_node *src, ls_param *dst, uint32_t output);

/** disconnect(): every outgoing connection. Control thread. */
LS_API ls_result ls_node_disconnect_all(ls_node *src);
/** disconnect(output). Errors: INDEX_SIZE. */
LS_API ls_result ls_node_disconnect_output(ls_node *src, uint32_t output);
/** disconnect(destinationNode). Errors: INVALID_ACCESS (not connected). */
LS_API ls_result ls_node_disconnect_node(ls_node *src, ls_node *dst);
/** disconnect(destinationNode, output). Errors: INDEX_SIZE, INVALID_ACCESS. */
LS_API ls_result ls_node_disconnect_node_output(ls_node *src, ls_node *dst, uint32_t output);
/** disconnect(destinationNode, output, input). Errors: INDEX_SIZE, INVALID_ACCESS. */
LS_API ls_result ls_node_disconnect_node_output_input(ls_node *src, ls_node *dst,
                                                      uint32_t output, uint32_t input);
/** disconnect(destinationParam). Errors: INVALID_ACCESS (not connected). */
LS_API ls_result ls_node_disconnect_param(ls_node *src, ls_param *dst);
/** disconnect(destinationParam, output). Errors: INDEX_SIZE, INVALID_ACCESS. */
LS_API ls_result ls_node_disconnect_param_output(ls_node *src, ls_param *dst, uint32_t output);

/** Number of AudioParams the node owns, and each by index or by name
 *  (borrowed: valid as long as the node). Control thread. */
LS_API uint32_t ls_node_param_count(const ls_node *node);
LS_API ls_param *ls_node_param(const ls_node *node, uint32_t index);
LS_API ls_param *ls_node_param_by_name(const ls_node *node, const char *name);

/* ------------------------------------------------------------------ */
/* Scheduled sources (oscillator, constant source)                     */
/* ------------------------------------------------------------------ */

/** start(when), in absolute context seconds. Control thread.
 *  Errors: RANGE (negative or not finite), INVALID_STATE (already started),
 *  INVALID_ARGUMENT (not a scheduled source). */
LS_API ls_result ls_source_start(ls_node *node, double when);
/** stop(when). Errors: RANGE, INVALID_STATE (not started), INVALID_ARGUMENT. */
LS_API ls_result ls_source_stop(ls_node *node, double when);
/** 1 while started and not yet ended (as last seen by the control side). */
LS_API int ls_source_is_playing(const ls_node *node);

/* ------------------------------------------------------------------ */
/* AudioParam                                                          */
/* ------------------------------------------------------------------ */

LS_API const char *ls_param_name(const ls_param *p);
LS_API ls_node *ls_param_node(const ls_param *p);
/** The value: the last one set or computed by the render thread. Any thread. */
LS_API float ls_param_value(const ls_param *p);
/** value = v: setValueAtTime(v, currentTime), with the getter returning v at
 *  once. Control thread. Errors: RANGE (not finite), NOT_SUPPORTED (inside a
 *  value curve). */
LS_API ls_result ls_param_set_value(ls_param *p, float v);
LS_API float ls_param_default_value(const ls_param *p);
LS_API float ls_param_min_value(const ls_param *p);
LS_API float ls_param_max_value(const ls_param *p);
LS_API ls_automation_rate ls_param_automation_rate(const ls_param *p);
/** Errors: INVALID_STATE (the node fixes the rate), INVALID_ARGUMENT. */
LS_API ls_result ls_param_set_automation_rate(ls_param *p, ls_automation_rate rate);

/* Automation. All control thread. Common errors: RANGE (a time negative or
 * not finite, a value not finite), NOT_SUPPORTED (overlaps a value curve). */
LS_API ls_result ls_param_set_value_at_time(ls_param *p, float value, double start_time);
LS_API ls_result ls_param_linear_ramp_to_value_at_time(ls_param *p, float value, double end_time);
/** Also RANGE for value 0. */
LS_API ls_result ls_param_exponential_ramp_to_value_at_time(ls_param *p, float value, double end_time);
/** Also RANGE for a negative time constant. */
LS_API ls_result ls_param_set_target_at_time(ls_param *p, float target, double start_time,
                                             double time_constant);
/** The curve is copied. Also INVALID_STATE for fewer than 2 points, RANGE for a
 *  non-positive duration or a non-finite point. */
LS_API ls_result ls_param_set_value_curve_at_time(ls_param *p, const float *values, size_t count,
                                                  double start_time, double duration);
LS_API ls_result ls_param_cancel_scheduled_values(ls_param *p, double cancel_time);
LS_API ls_result ls_param_cancel_and_hold_at_time(ls_param *p, double cancel_time);

/* ------------------------------------------------------------------ */
/* AudioBuffer                                                         */
/* ------------------------------------------------------------------ */

/** A zeroed buffer: channels x length float32, channel-major in one block.
 *  Any thread. Errors: NOT_SUPPORTED (channels 0 or > 32, length 0, rate out
 *  of 3000..768000), NO_MEM. */
LS_API ls_result ls_buffer_create(uint32_t channels, uint64_t length, double sample_rate,
                                  ls_buffer **out);
LS_API void ls_buffer_retain(ls_buffer *buf);
LS_API void ls_buffer_release(ls_buffer *buf);
LS_API uint32_t ls_buffer_number_of_channels(const ls_buffer *buf);
LS_API uint64_t ls_buffer_length(const ls_buffer *buf);
LS_API double ls_buffer_sample_rate(const ls_buffer *buf);
/** Channel c's samples (length floats, writable); channel c+1 follows it
 *  directly. NULL if c is out of range. */
LS_API float *ls_buffer_channel_data(ls_buffer *buf, uint32_t c);
/** A buffer over memory the caller lends: `data` holds channels x length
 *  float32, channel-major and contiguous, and must stay valid and 4-byte
 *  aligned until `release(user)` is called (release may be NULL). No copy is
 *  made; writes through either side are seen by the other. release runs once,
 *  on the thread that drops the last reference (a control thread: the engine
 *  never drops buffers on the render thread), possibly inside another engine
 *  call, so it must not call back into the engine. Any thread.
 *  Errors: INVALID_ARGUMENT (data or out NULL), NOT_SUPPORTED (as
 *  ls_buffer_create), NO_MEM. On error release is not called. */
LS_API ls_result ls_buffer_wrap(uint32_t channels, uint64_t length, double sample_rate, float *data,
                                void (*release)(void *user), void *user, ls_buffer **out);
/** 1 if the buffer's memory was lent by ls_buffer_wrap, else 0. Any thread. */
LS_API int ls_buffer_is_wrapped(const ls_buffer *buf);

typedef enum ls_wav_format {
    LS_WAV_PCM16 = 16,
    LS_WAV_PCM24 = 24,
    LS_WAV_FLOAT32 = 32,
    LS_WAV_PCM8 = 8,                /* unsigned, offset 128 */
    LS_WAV_PCM32 = 0x120,           /* 32-bit signed integer */
    LS_WAV_FLOAT64 = 64
} ls_wav_format;
/** Write the buffer as a RIFF WAVE file (WAVE_FORMAT_EXTENSIBLE above two
 *  channels, with the speaker mask the Web Audio layouts imply for 4 and 6).
 *  PCM formats clip to [-1, 1]. Control thread. Errors: IO, INVALID_ARGUMENT
 *  (unknown format), NOT_SUPPORTED (over 4 GiB of samples). */
LS_API ls_result ls_buffer_save_wav(const ls_buffer *buf, const char *path, ls_wav_format format);

/* ------------------------------------------------------------------ */
/* PeriodicWave                                                        */
/* ------------------------------------------------------------------ */

/** A wave from Fourier coefficients real[k] (cosine) and imag[k] (sine),
 *  k = 0 .. n-1 (index 0 ignored). Normalized so the peak is 1 unless
 *  disable_normalization. Control thread. Errors: INDEX_SIZE (n < 2),
 *  RANGE (non-finite coefficient), NO_MEM. */
LS_API ls_result ls_periodic_wave_create(ls_context *ctx, const float *real, const float *imag,
                                         size_t n, int disable_normalization,
                                         ls_periodic_wave **out);
LS_API void ls_periodic_wave_retain(ls_periodic_wave *w);
LS_API void ls_periodic_wave_release(ls_periodic_wave *w);

/* ------------------------------------------------------------------ */
/* OscillatorNode                                                      */
/* ------------------------------------------------------------------ */

typedef struct ls_oscillator_options {
    ls_node_options node;
    ls_oscillator_type type;        /* default SINE; CUSTOM needs periodic_wave */
    float frequency;                /* default 440 */
    float detune;                   /* default 0 */
    ls_periodic_wave *periodic_wave;/* default NULL; when set, type becomes CUSTOM */
} ls_oscillator_options;
LS_API ls_oscillator_options ls_oscillator_options_default(void);
/** Control thread. Errors: INVALID_STATE (type CUSTOM without a wave, or closed
 *  context), RANGE, NO_MEM. Params: "frequency", "detune". */
LS_API ls_result ls_oscillator_create(ls_context *ctx, const ls_oscillator_options *options,
                                      ls_node **out);
LS_API ls_oscillator_type ls_oscillator_get_type(const ls_node *osc);
/** Errors: INVALID_STATE (CUSTOM: use ls_oscillator_set_periodic_wave),
 *  INVALID_ARGUMENT (not an oscillator or not an enum value). */
LS_API ls_result ls_oscillator_set_type(ls_node *osc, ls_oscillator_type type);
LS_API ls_result ls_oscillator_set_periodic_wave(ls_node *osc, ls_periodic_wave *wave);
LS_API ls_param *ls_oscillator_frequency(ls_node *osc);
LS_API ls_param *ls_oscillator_detune(ls_node *osc);

/* ------------------------------------------------------------------ */
/* GainNode                                                            */
/* ------------------------------------------------------------------ */

typedef struct ls_gain_options {
    ls_node_options node;
    float gain;                     /* default 1 */
} ls_gain_options;
LS_API ls_gain_options ls_gain_options_default(void);
/** Control thread. Errors: INVALID_STATE (closed), NOT_SUPPORTED (channel
 *  options), NO_MEM. Param: "gain". */
LS_API ls_result ls_gain_create(ls_context *ctx, const ls_gain_options *options, ls_node **out);
LS_API ls_param *ls_gain_gain(ls_node *gain);

/* ------------------------------------------------------------------ */
/* ConstantSourceNode                                                  */
/* ------------------------------------------------------------------ */

typedef struct ls_constant_source_options {
    ls_node_options node;
    float offset;                   /* default 1 */
} ls_constant_source_options;
LS_API ls_constant_source_options ls_constant_source_options_default(void);
/** Control thread. Errors as ls_gain_create. Param: "offset". */
LS_API ls_result ls_constant_source_create(ls_context *ctx, const ls_constant_source_options *options,
                                           ls_node **out);
LS_API ls_param *ls_constant_source_offset(ls_node *node);

#ifdef __cplusplus
}
#endif

#include "filters.h"
#include "spatial.h"
#include "fft.h"
#include "descriptor.h"          /* node type descriptors: every node type's facts */

#include "script.h"             /* script nodes (user functions per quantum) */
#include "buffers.h"            /* files, resampling, buffer sources, analyser, recorder */
#include "devices.h"            /* audio devices, device contexts, microphone input */
#include "extended.h"           /* the extended node set */
#include "streams.h"            /* stream sources: audio fed from outside the graph */

#include "profile.h"            /* the render profiler: per-node render time */

#endif /* LABSOUND_H */
