/*
 * The render side of a device backend, kept apart from PortAudio so that it
 * can be tested without a sound card:
 *
 *   ls_frame_ring   a lock-free single-producer single-consumer ring of
 *                   interleaved frames (captured input: the capture
 *                   callback writes, the render callback reads)
 *   ls_device_pump  turns "give me N interleaved frames" (any N) into whole
 *                   render quanta through a one-quantum FIFO, takes one
 *                   quantum of captured input before each quantum it
 *                   renders, and keeps the callback statistics
 *
 * Everything here that the render callback calls is wait-free and never
 * allocates.
 */
#ifndef LS_BACKENDS_DEVICE_H
#define LS_BACKENDS_DEVICE_H

#include "../engine.h"

typedef struct ls_frame_ring {
    /* set once */
    float *data;                   /* capacity * channels floats */
    uint32_t capacity;             /* frames, a power of two */
    uint32_t channels;
    /* shared: frame counters, only ever increasing */
    atomic_uint_fast64_t write_pos, read_pos;
} ls_frame_ring;

/* control: allocate a ring of at least `frames` frames. false: no memory. */
bool ls__ring_init(ls_frame_ring *ring, uint32_t frames, uint32_t channels);
void ls__ring_destroy(ls_frame_ring *ring);
/* producer: append up to `frames` interleaved frames (NULL: silence); what
 * does not fit is dropped. Returns the frames written. */
uint32_t ls__ring_write(ls_frame_ring *ring, const float *interleaved, uint32_t frames);
/* consumer: frames ready to read. */
uint32_t ls__ring_fill(ls_frame_ring *ring);
/* consumer: read `frames` frames (<= fill) into planar channels `stride` apart. */
void ls__ring_read_planar(ls_frame_ring *ring, float *planar, uint32_t frames, size_t stride);
/* consumer: drop `frames` frames (<= fill). */
void ls__ring_skip(ls_frame_ring *ring, uint32_t frames);

typedef struct ls_device_pump {
    /* set once */
    ls_context *ctx;
    uint32_t channels;             /* output channels (interleaved) */
    float *fifo;                   /* channels * LS_Q, planar: the last rendered quantum */

    /* set by the control side while no callback runs (stream stopped), or
     * published with release order before the capture starts */
    _Atomic(ls_frame_ring *) input;
    float *input_quantum;          /* input channels * LS_Q, planar */

    /* render */
    uint32_t pos;                  /* frames of fifo handed out; LS_Q when empty */
    bool input_primed;
    bool input_valid;              /* input_quantum holds this quantum's input */
    double load_smoothed;

    /* shared: statistics */
    atomic_uint_fast64_t callbacks, underruns, overloads, input_dropouts;
    atomic_uint load_ppm, max_load_ppm, last_frames;
    atomic_uint input_frames_hint; /* capture callback size, set by the capture side */
    pthread_t render_thread;       /* the callback's thread, published by render_thread_known */
    atomic_int render_thread_known;
    atomic_int realtime_priority;  /* SCHED_FIFO priority the monitor gave it (0: none) */
} ls_device_pump;

/* control: set up a pump for a context; fifo_memory holds channels * LS_Q floats. */
void ls__pump_init(ls_device_pump *p, ls_context *ctx, uint32_t channels, float *fifo_memory);

/* render: fill `frames` interleaved frames of `out` (channels per frame).
 * While the context is not running, writes silence and applies messages.
 * `late`: the device flagged this callback as an underrun. `budget_ns`: the
 * callback's real-time budget (frames / rate), for the load figure; 0 skips
 * timing. */
void ls__pump_render(ls_device_pump *p, float *out, uint32_t frames, bool late, double budget_ns);

/* render (a node's process): the captured input of the quantum being
 * rendered, planar (LS_Q per channel), or NULL when there is none. */
const float *ls__device_input(ls_context *ctx, uint32_t *channels);

/* control: copy the pump's counters. */
void ls__pump_stats(ls_device_pump *p, ls_device_stats *out);

/* ------------------------------------------------------------------ */
/* What every device backend shares (first member of its state)        */
/* ------------------------------------------------------------------ */

typedef struct ls_device_base {
    ls_device_pump pump;
    float *fifo;
    /* control (under ctx->lock) */
    ls_frame_ring ring;            /* capture, once input is open */
    int input_open;
    int32_t in_device;
    uint32_t in_channels;
    double base_latency, output_latency;
    /* backend hooks */
    const char *api;               /* "PulseAudio", "PortAudio" */
    /* control, under ctx->lock: open capture into ring (ls__device_input_setup first) */
    ls_result (*open_input)(ls_context *ctx, int32_t device, uint32_t channels);
    /* monitor thread: 0 once the device or the server is gone */
    int (*alive)(ls_context *ctx);
    /* shared */
    atomic_int failed;             /* set by the backend's own threads on a failure */
    atomic_int lost;               /* the context was closed because of it */
    atomic_int monitor_stop;
    pthread_t monitor;
    int monitor_running;
} ls_device_base;

/* control: set up the base of a backend's state (ctx->channels wide FIFO). */
bool ls__device_base_init(ls_device_base *b, ls_context *ctx);
/* control: allocate the capture ring and the pump's input quantum. */
bool ls__device_input_setup(ls_device_base *b, ls_context *ctx, uint32_t channels);
/* control, after a failed open_input: free what ls__device_input_setup made. */
void ls__device_input_teardown(ls_device_base *b);
/* control: publish the capture ring to the render callback. */
void ls__device_input_publish(ls_device_base *b, int32_t device, uint32_t channels);
/* control: start / stop the thread that watches b->alive and, when the
 * device is gone, closes the context and queues LS_EVENT_STATECHANGE.
 * Stop is called with ctx->lock held (from close); the monitor only tries
 * that lock. */
void ls__device_monitor_start(ls_context *ctx);
void ls__device_monitor_stop(ls_context *ctx);
/* control, in the backend's stop after its streams are closed: keep the
 * counters, detach from the context and free the base's memory (not the
 * backend's struct). */
void ls__device_detach(ls_context *ctx);

/* Last error of a device call on this thread (ls_devices_last_error). */
void ls__device_set_error(const char *fmt, ...);

#endif
