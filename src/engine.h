/*
 * Internal engine types shared by the control side and the render side.
 *
 * Every struct groups its fields by the thread that may touch them:
 *   set once   written before the object is published, then read-only
 *   control    only under ctx->lock, on control threads
 *   render     only on the render thread (or an offline renderer)
 *   shared     atomics
 *
 * The render side never allocates: every object it links into its graph was
 * allocated on the control side and arrived in a message; everything it lets
 * go of is pushed onto ctx->returns (an intrusive lock-free stack) and freed
 * by the control side in ls__collect().
 */
#ifndef LS_ENGINE_H
#define LS_ENGINE_H

#include "labsound/labsound.h"
#include "labsound/record.h"
#include "queue.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#define LS_Q LS_RENDER_QUANTUM
/* The noise floor of tails that would otherwise decay for ever (feedback
 * delays): 2^-24, half a step of 24-bit PCM, so a sample below it is zero in
 * any integer file. A node whose state stays below it for a whole period
 * clears that state: from then on it is silent, the same whether or not it
 * is reclaimed (docs/architecture.md, "Node lifetime"). */
#define LS_NOISE_FLOOR 5.9604645e-8f
#define LS_MAX_PARAMS 12
#define LS_MAX_IO 32

typedef struct ls_proc ls_proc;
typedef struct ls_edge ls_edge;
typedef struct ls_render ls_render;
typedef struct ls_backend ls_backend;

/* ------------------------------------------------------------------ */
/* Buses and the block pool                                            */
/* ------------------------------------------------------------------ */

/* A planar bus of up to 32 channels of one quantum. `silent` buses point
 * every channel at the shared zero block, which nobody may write. */
typedef struct ls_bus {
    uint16_t channels;
    uint8_t silent;
    uint16_t nblocks;              /* blocks taken from the pool (to give back) */
    float *ch[LS_MAX_CHANNELS];
} ls_bus;

/* Render-thread pool of quantum-sized blocks: a free stack of indices. */
typedef struct ls_pool {
    float *memory;                 /* capacity * LS_Q floats, 64-byte aligned */
    uint32_t *free_stack;
    uint32_t capacity;
    uint32_t free_count;
    float *zero;                   /* LS_Q zeros, never written */
    uint64_t frees;                /* buses given back so far: a block seen
                                    * before holds what it held while this
                                    * count is unchanged */
} ls_pool;

/* Set bus to `channels` fresh blocks (contents undefined). Returns false and
 * leaves the bus silent when the pool is exhausted (counted in stats). */
bool ls__bus_alloc(ls_render *r, ls_bus *bus, uint32_t channels);
/* Set bus to silence with `channels` channels, giving back its blocks. */
void ls__bus_silence(ls_render *r, ls_bus *bus, uint32_t channels);
/* Give back the blocks a bus holds; the bus becomes silent. */
void ls__bus_free(ls_render *r, ls_bus *bus);
/* Set every channel of an allocated bus to zero and clear its silent flag. */
void ls__bus_zero(ls_bus *bus);
/* Whether a bus holds any sample other than zero (not silent and not all
 * zeros). For process() functions that must tell whether a node makes
 * sound from a silent input. */
static inline bool ls__bus_audible(const ls_bus *bus)
{
    if (bus->silent)
        return false;
    for (uint32_t c = 0; c < bus->channels; c++)
        for (uint32_t i = 0; i < LS_RENDER_QUANTUM; i++)
            if (bus->ch[c][i] != 0.0f)
                return true;
    return false;
}

/* ------------------------------------------------------------------ */
/* Channel mixing (mix.c)                                              */
/* ------------------------------------------------------------------ */

/* Sum `src` into `dst` (dst->channels already set, blocks writable), up- or
 * down-mixing with the Web Audio rules for `interp`. Silent sources are skipped. */
void ls__mix_sum(ls_bus *dst, const ls_bus *src, ls_channel_interpretation interp);
/* dst = src mixed to dst->channels (dst's blocks writable, their contents
 * ignored): ls__bus_zero then ls__mix_sum, in one pass where it can. */
void ls__mix_set(ls_bus *dst, const ls_bus *src, ls_channel_interpretation interp);
/* acc = x[0] + x[1] + ... + x[n-1] (init), or acc += x[0] + ... (not init),
 * blocks of LS_Q frames added one after the other in that order (the same
 * rounding as one add per block), four blocks per pass over acc. n >= 1;
 * no x[k] may overlap acc. */
#define LS_MIX_BATCH 8
void ls__mix_add_blocks(float *acc, const float *const *x, uint32_t n, bool init);
/* Number of channels an input computes from the channel counts of what is
 * connected to it (max_connected) and the node's count and mode. */
uint32_t ls__mix_computed_channels(uint32_t max_connected, uint32_t channel_count,
                                   ls_channel_count_mode mode);

/* ------------------------------------------------------------------ */
/* Return stack items                                                  */
/* ------------------------------------------------------------------ */

/* Anything the render side hands back to the control side. `dispose` runs on
 * the control side under ctx->lock: it frees memory or acts on a notice. */
typedef struct ls_returnable {
    struct ls_returnable *next;
    void (*dispose)(ls_context *ctx, struct ls_returnable *item);
} ls_returnable;

/* Push from the render thread (lock-free, never fails, never allocates). */
void ls__give_back(ls_context *ctx, ls_returnable *item);

/* ------------------------------------------------------------------ */
/* Messages: control -> render                                         */
/* ------------------------------------------------------------------ */

typedef enum ls_msg_type {
    LS_MSG_ADD_NODE = 1,      /* proc */
    LS_MSG_REMOVE_NODE,       /* proc: unlink, then give back proc->gone */
    LS_MSG_CONNECT,           /* edge */
    LS_MSG_DISCONNECT,        /* edge: unlink, then give back; i0 = 1: the source
                                 was reclaimed, a node input keeps a ghost of it */
    LS_MSG_RELEASE_NODE,      /* proc: the control side dropped its last reference */
    LS_MSG_CHANNEL_CONFIG,    /* proc, i0 = count, i1 = mode, i2 = interpretation */
    LS_MSG_PARAM_EVENT,       /* param, ptr = ls_param_event* to insert */
    LS_MSG_PARAM_CANCEL,      /* param, d0 = time, i0 = 1 for cancel-and-hold, ptr = hold event */
    LS_MSG_PARAM_RATE,        /* param, i0 = automation rate */
    LS_MSG_GROW,              /* ptr = ls_grow* with bigger render arrays */
    LS_MSG_NODE,              /* node-specific: proc->vt->on_message */
    LS_MSG_RETAIN_NODE        /* proc: a released node is referenced again (record.c) */
} ls_msg_type;

typedef struct ls_msg {
    uint32_t type;
    uint32_t key;             /* LS_MSG_NODE: node-specific selector */
    union {
        ls_proc *proc;
        ls_edge *edge;
        struct ls_param *param;
    } target;
    void *ptr;
    double d0;
    int32_t i0, i1, i2;
} ls_msg;

/* ------------------------------------------------------------------ */
/* Edges                                                               */
/* ------------------------------------------------------------------ */

struct ls_edge {
    ls_returnable ret;             /* given back after DISCONNECT */
    /* set once */
    ls_node *src, *dst;            /* control halves (dst: the param's owner) */
    struct ls_param *dst_param;    /* NULL for node inputs */
    uint32_t output, input;
    uint64_t serial;               /* order of connection in the context (record.c) */
    /* control: mirror of the graph (under ctx->lock) */
    ls_edge *ctl_next_out, *ctl_next_in;
    ls_edge **ctl_pprev_out, **ctl_pprev_in;
    /* render: links in the render graph */
    ls_edge *r_next_out, *r_next_in;
    ls_edge **r_pprev_out, **r_pprev_in;
    /* render: into a node input, while its source is awake: the input's
     * awake list (same relative order as the full list: newest first) */
    ls_edge *r_next_awake, **r_pprev_awake;
    uint64_t seq;                  /* render: link order (bigger = newer) */
    uint8_t idle_ch;               /* render: source idle: its output's channel count */
};

/* ------------------------------------------------------------------ */
/* Render state of a node: the processor                               */
/* ------------------------------------------------------------------ */

typedef struct ls_proc_vtable {
    /* Render one quantum. Inputs are mixed into p->inputs[i].bus; write
     * p->outputs[o] (ls__bus_alloc / ls__bus_silence). Return true while the
     * node may still produce sound on its own (an active source, a tail). */
    bool (*process)(ls_proc *p, ls_render *r);
    /* LS_MSG_NODE messages. May be NULL. */
    void (*on_message)(ls_proc *p, ls_render *r, const ls_msg *m);
    /* Control side, when the node is freed: free node-specific memory the
     * processor still holds (never the proc itself). May be NULL. */
    void (*destroy)(ls_proc *p);
    /* Nodes that can break a cycle (DelayNode; ls_proc.breaks_cycles): when
     * the node is in a cycle the graph splits it. process() then only reads
     * (produces the output from earlier input) and write() consumes the
     * mixed input in p->inputs[0].bus after every node has run. Else NULL. */
    void (*write)(ls_proc *p, ls_render *r);
} ls_proc_vtable;

/* ------------------------------------------------------------------ */
/* Scheduled sources                                                   */
/* ------------------------------------------------------------------ */

typedef struct ls_sched {
    double start_time, stop_time;  /* render; stop = +inf until stop() */
    uint64_t start_frame;          /* render: ceil(start_time * sample_rate) */
    uint8_t started;               /* render: start() received */
    uint8_t ended;                 /* render: past its stop (or never playing) */
} ls_sched;

/* Where the source plays within the current quantum: frames [begin, end).
 * start_offset: how far (in frames, 0 <= x < 1) the first played frame lies
 * after the exact start time, for sub-sample-accurate phase. Returns true if
 * any frame plays. Sets s->ended and gives back the ended notice when the
 * source finishes in this quantum. Frames of a start/stop time t begin at
 * ceil(t * sample_rate). */
bool ls__sched_range(ls_proc *p, ls_sched *s, ls_render *r, uint32_t *begin, uint32_t *end,
                     double *start_offset);

/* control: every source's create function calls this before publishing. */
void ls__sched_init(ls_proc *p);

/* Node-specific message keys handled by the core for every source. */
#define LS_NODE_MSG_START 1   /* d0 = when */
#define LS_NODE_MSG_STOP 2    /* d0 = when */
/* Node types use keys from 100 up for their own messages. */


typedef struct ls_input {
    ls_edge *edges;                /* render: edges into this input */
    uint32_t count;                /* render: number of edges */
    ls_edge *awake;                /* render: the edges whose source is not idle */
    ls_edge *awake_tail;           /* render: its last (oldest) edge */
    uint32_t idle_ch[3];           /* render: edges from idle sources by their
                                      output's channel count (0, 1, 2) */
    uint32_t ghosts;               /* render: edges cut because their source was
                                      reclaimed (counted in `count`): they stay
                                      silent connections, so what the node hears
                                      does not depend on when it was reclaimed */
    uint8_t ghost_ch;              /* render: the most channels a ghost had */
    ls_bus bus;                    /* render: the mixed input of this quantum */
} ls_input;

struct ls_proc {
    /* set once */
    const ls_proc_vtable *vt;
    ls_node *node;
    uint16_t num_inputs, num_outputs;
    uint8_t is_source;             /* a scheduled source (start/stop) */
    uint8_t nparams;
    struct ls_param *params[LS_MAX_PARAMS];
    ls_input *inputs;              /* num_inputs entries */
    ls_bus *outputs;               /* num_outputs entries */
    ls_returnable gone;            /* given back after REMOVE_NODE: frees the node */
    ls_returnable finished;        /* given back once: released and silent for good */
    ls_returnable ended;           /* given back once by a source: the ended event */
    ls_proc *after;                /* a node processed before this one although no
                                      edge says so (a panner's listener), or NULL */
    ls_sched sched;                /* scheduled sources (is_source): start/stop times,
                                      set by the core on LS_NODE_MSG_START / _STOP */
    uint8_t breaks_cycles;         /* a DelayNode: a cycle through it renders (vt->write) */
    uint8_t silent_in_out;         /* with every input silent and no param inputs the
                                      node outputs silence and keeps no state (GainNode):
                                      it may idle while everything it hears idles */

    /* render */
    uint32_t slot;                 /* index in ctx->r.nodes */
    uint32_t channel_count;
    uint8_t channel_count_mode, channel_interpretation;
    uint8_t released, finished_sent, ended_sent, in_cycle;
    ls_edge *out_edges;
    uint32_t out_count;            /* edges leaving this node (to nodes and params) */
    uint32_t remaining;            /* consumers still to run this quantum */
    uint32_t order_pos;            /* index in ctx->r.order (valid while !r.dirty) */
    uint32_t topo_index, topo_low; /* Tarjan scratch */
    uint8_t topo_state, topo_onstack, topo_self_loop;
    uint16_t it_input;             /* Tarjan: dependency iterator */
    uint8_t it_param;
    uint8_t it_after;              /* Tarjan: `after` visited */
    ls_edge *it_edge;
    bool alive;                    /* last process() result */
    uint8_t split;                 /* breaks_cycles and in a cycle: process() reads,
                                      vt->write() consumes the input at the end */
    /* render: idle nodes (graph.c) are left out of the walk of each quantum */
    uint8_t walk_state;            /* LS_WALK_IN, _WOKEN or _IDLE */
    uint8_t sweep_mark;            /* render: scratch of sweep_silent_cycles (graph.c) */
    uint32_t walk_pos;             /* index in r.walk (IN) or r.woken (WOKEN) */
    uint32_t heap_pos;             /* index in r.wake_heap, UINT32_MAX when not in it */
    /* render writes, control reads: the profiler (profile.c); zero while off */
    atomic_uint_fast64_t prof_quanta, prof_total_ns, prof_max_ns;
    atomic_uint prof_epoch;        /* ctx->prof_epoch the counters belong to */
};

#define LS_WALK_IN 0               /* in r.walk */
#define LS_WALK_WOKEN 1            /* in r.woken, merged into r.walk before the next walk */
#define LS_WALK_IDLE 2             /* in neither: provably silent until woken */

/* ------------------------------------------------------------------ */
/* The control half of a node                                          */
/* ------------------------------------------------------------------ */

struct ls_node {
    /* set once */
    ls_context *ctx;
    ls_node_type type;
    ls_proc *proc;
    uint32_t num_inputs, num_outputs;
    uint8_t is_source;
    uint8_t channel_count_fixed, channel_mode_fixed, channel_interp_fixed;
    uint32_t max_channel_count;    /* destination: the context's channels */
    uint32_t channel_count_limit;  /* > 0: larger channel counts are NOT_SUPPORTED */
    uint8_t channel_mode_max_unsupported; /* the "max" count mode is NOT_SUPPORTED */

    /* shared */
    atomic_int refcount;
    atomic_int source_state;       /* 0 idle, 1 started, 2 ended (set by the ended notice) */

    /* control */
    void *user_data;
    char *name;                    /* ls_node_set_name, NULL when unnamed; under ctx lock */
    uint32_t channel_count;
    ls_channel_count_mode channel_count_mode;
    ls_channel_interpretation channel_interpretation;
    ls_edge *out_edges, *in_edges; /* in_edges: into inputs and into params */
    bool started, stop_called, removing;
    uint32_t queued_events;        /* undelivered events holding a reference */
    /* control: the context's node list and the scheduling calls (record.c) */
    uint64_t serial;               /* 1, 2, ... in order of creation; 0: not listed */
    ls_node *rec_prev, *rec_next;
    ls_call_record *calls;
    uint32_t call_count, call_cap;
    bool calls_incomplete;         /* a call could not be recorded (out of memory) */
    union {                        /* node-specific control state */
        struct { ls_oscillator_type type; ls_periodic_wave *wave; } osc;
        struct { double tempo, max_delay; int note; } bpm;   /* BPMDelayNode (bpm_delay.c) */
    } u;
};

/* ------------------------------------------------------------------ */
/* Context                                                             */
/* ------------------------------------------------------------------ */

/* Bigger render-side arrays, sent in LS_MSG_GROW; the old ones come back in
 * the same struct (which is then freed). */
typedef struct ls_grow {
    ls_returnable ret;
    uint32_t capacity;
    ls_proc **nodes, **order, **stack, **call;
    ls_proc **walk, **walk_tmp, **woken, **wake_heap;
    uint32_t pool_capacity;
    float *pool_memory;
    uint32_t *pool_free;
} ls_grow;

/* What a node's process() sees about the quantum being rendered. */
/* Render thread: the last whole quantum an AudioBufferSourceNode interpolated
 * (audio_buffer_source.c), so that sources playing the same buffer from the
 * same playhead at the same rate in the same quantum (webaudio-benchmark's
 * 100 sources of one buffer) copy it instead of computing it again. The key
 * is everything the quantum's samples depend on. */
typedef struct ls_play_memo {
    bool valid;
    uint64_t frame;                /* the quantum */
    const float *data[2];          /* the buffer's channels */
    int64_t frames;
    uint32_t channels;
    int interp, loop;
    bool entered, off_past_end;
    double pos, step, loop_start, loop_end;
    /* the result: the output blocks of the source that computed it, valid
     * while the pool's `frees` is `frees` (no block given back since) */
    double pos_after, elapsed_delta;
    bool entered_after;
    const float *out[2];
    uint64_t frees;
} ls_play_memo;

struct ls_render {
    ls_context *ctx;
    uint64_t frame;                /* first frame of the quantum */
    double time;                   /* frame / sample_rate */
    double sample_rate;
    ls_pool *pool;
    /* where this quantum's output goes (ls__render_quanta's `out`), or NULL:
     * the destination mixes its input straight into it */
    float *out[LS_MAX_CHANNELS];
};

typedef struct ls_user_event {
    struct ls_user_event *next;
    ls_event ev;
} ls_user_event;

struct ls_backend {
    const char *name;
    /* start rendering on its own thread; ctx->r is driven by ls__render_quanta */
    ls_result (*start)(ls_context *ctx);
    ls_result (*stop)(ls_context *ctx);
};

struct ls_context {
    /* set once */
    int offline;
    double sample_rate;
    uint32_t channels;
    uint32_t buffer_size;
    uint64_t length;               /* offline */
    ls_node *destination;
    const ls_backend *backend;
    ls_node *listener;             /* control: the AudioListener, made on first use */

    /* shared */
    atomic_int refcount;           /* handles + live nodes */
    atomic_int state;              /* ls_context_state */
    atomic_uint_fast64_t frame;    /* frames rendered */
    atomic_int rendering;          /* offline: 1 while ls_offline_context_render runs */
    atomic_uint_fast64_t stat_quanta, stat_pool_exhausted;
    /* real time (written by the backend's render thread, ls__timing_period) */
    atomic_uint_fast64_t stat_periods, stat_late, stat_lost_ns;
    atomic_uint stat_load_ppm, stat_max_load_ppm;
    atomic_uint_fast64_t stat_stream_underruns; /* quanta a stream source ran dry in */
    atomic_int profiling;          /* profile.c: time the nodes (control writes) */
    atomic_uint prof_epoch;        /* bumped when profiling is turned on */
    atomic_uint prof_ctx_epoch;    /* the epoch prof_quanta.. belong to (render writes) */
    atomic_uint_fast64_t prof_quanta, prof_total_ns, prof_max_ns; /* whole quanta */
    ls_spsc messages;              /* control -> render */
    ls_return_stack returns;       /* render -> control */

    /* control */
    pthread_mutex_t lock;
    ls_node *rec_head, *rec_tail;  /* the nodes made, oldest first (record.c) */
    uint64_t node_serial, edge_serial;
    uint32_t ctl_node_count;       /* nodes the render side holds or will hold */
    atomic_int interpolation;      /* ls_interpolation of new buffer players, never DEFAULT */
    uint32_t ctl_capacity;         /* capacity of the render arrays (after pending GROWs) */
    uint64_t messages_sent;
    ls_user_event *events_head, *events_tail;
    int closed;
    int rendered;                  /* offline: render done */
    ls_buffer *obuf;               /* offline: the buffer being rendered into */
    bool obuf_zeroed;              /* offline: obuf came zeroed (else every frame is written) */
    uint64_t late_reported;        /* stat_late when the last LS_EVENT_LATE was queued */
    uint64_t lost_reported;        /* stat_lost_ns then */
    double late_event_time;        /* monotonic wall time of that event, seconds */
    uint64_t *suspends;            /* offline: frames to suspend at, ascending */
    uint32_t suspend_count, suspend_cap;
    /* offline, rendered in blocks (ls_offline_context_render_into) */
    int streamed;                  /* render_into has been called: render() refuses */
    float *carry;                  /* channels x LS_Q: the rest of a quantum the caller
                                      has not taken yet (channel-major) */
    uint32_t carry_pos, carry_len; /* where that rest starts in carry, and its frames */
    uint64_t delivered;            /* frames handed to the caller */
    uint64_t end_frame;            /* where rendering ends: length, or earlier once an
                                      open-ended render has found its end */
    int open_end;                  /* ls_offline_context_set_tail was called */
    uint64_t tail_frames;          /* quiet frames that end an open-ended render */
    float tail_threshold;          /* |sample| below this counts as quiet */
    uint64_t quiet_frames;         /* quiet frames at the end of what is rendered */

    /* backend state (null backend thread) */
    pthread_t thread;
    int thread_running;
    atomic_int thread_stop;

    /* device backend (backends/portaudio.c): set by the control side while
     * no callback runs; the pump is what the render callback drives */
    void *device;
    struct ls_device_pump *pump;
    ls_device_stats device_final_stats;   /* counters kept when the device closes */
    int had_device;                       /* device_final_stats is set */

    /* render: the backend's smoothed load (ls__timing_period) */
    double r_load_smoothed;

    /* render */
    struct {
        ls_proc **nodes;
        uint32_t count, capacity;
        ls_proc **order;           /* processing order, sources first */
        uint32_t order_count;
        ls_proc **stack, **call;   /* Tarjan scratch: component stack, call stack */
        bool dirty;                /* the order must be recomputed (see graph.c) */
        bool holes;                /* removed nodes left NULL entries in the order */
        uint32_t hole_count;       /* how many (compacted once they are half of it) */
        ls_proc **walk;            /* the nodes processed each quantum, in order; NULL
                                      entries (idled or removed nodes) are dropped
                                      at the next merge */
        uint32_t walk_count;
        bool walk_holes;
        ls_proc **walk_tmp;        /* merge scratch */
        ls_proc **woken;           /* nodes woken since the last walk (NULL: removed) */
        uint32_t woken_count;
        ls_proc **wake_heap;       /* idle started sources, a min-heap on start_frame */
        uint32_t heap_count;
        uint64_t edge_seq;         /* ls_edge.seq of the next linked edge */
        ls_pool pool;
        ls_render info;
        ls_play_memo play_memo;    /* audio_buffer_source.c */
        uint32_t live;             /* for stats */
        bool out_zeroed;           /* the output memory is known to hold zeros:
                                      silent quanta need not be written (offline) */
        uint32_t split_count;      /* nodes split to break a cycle (ls_proc.split) */
        bool stuck;                /* a released node that cannot sound was kept only by
                                      input edges (a silent cycle?): sweep soon */
        uint32_t sweep_every;      /* quanta between sweeps (a power of two, 64..4096) */
        bool urgent;               /* a node gave back a request the control side
                                      should answer before the next quantum
                                      (ls__render_urgent); cleared by ls__render_quanta */
    } r;
};

/* ------------------------------------------------------------------ */
/* Internal functions                                                  */
/* ------------------------------------------------------------------ */

/* render: the profiler's clock and counters (profile.c) */
uint64_t ls__prof_now(void);
void ls__prof_add(atomic_uint_fast64_t *quanta, atomic_uint_fast64_t *total,
                  atomic_uint_fast64_t *max, uint64_t ns);
void ls__prof_node(ls_context *ctx, ls_proc *p, uint64_t ns);

/* control: lock / unlock the context; lock also collects returns. */
/* control: `mode` resolved against the context's choice (DEFAULT: the
 * context's; with ctx NULL, LINEAR) and the sinc table built when needed.
 * On error (*error INVALID_ARGUMENT for a value that is no mode, NO_MEM)
 * returns LS_INTERPOLATION_DEFAULT. */
int ls__interpolation_resolve(ls_context *ctx, int mode, ls_result *error);

void ls__lock(ls_context *ctx);
/* An offline render target: like ls_buffer_create, but it may reuse memory a
 * freed buffer left (then *zeroed is false and its samples are garbage: the
 * renderer writes every frame). Control thread. buffer.c */
ls_result ls__buffer_create_for_render(uint32_t channels, uint64_t length, double sample_rate,
                                       bool *zeroed, ls_buffer **out);
void ls__unlock(ls_context *ctx);
/* control, under lock: post a message; waits (or applies it itself, for an
 * idle offline context) when the queue is full. */
void ls__post(ls_context *ctx, const ls_msg *m);
/* control, under lock: post a LS_MSG_NODE message with key, d0, i0 and ptr
 * to node's render half (its on_message receives it). */
void ls__post_node(ls_node *node, uint32_t key, double d0, int32_t i0, void *ptr);
/* control, under lock: run dispose on everything the render side gave back. */
void ls__collect_locked(ls_context *ctx);

/* Records of what the control side was asked (record.c). All under ctx->lock. */
/* list a node just published (not the destination or the listener) */
void ls__record_node_added(ls_node *node);
/* forget a node being freed: unlink it, free its call records */
void ls__record_node_freed(ls_node *node);
/* a scheduling call that succeeded */
void ls__record_call(ls_node *node, ls_call_record_type type, double when, double offset,
                     double duration, int32_t loop_count);
/* a param call that succeeded (the curve, if any, is copied) */
void ls__record_param(struct ls_param *p, const ls_param_record *rec);
/* free a param's records */
void ls__record_param_free(struct ls_param *p);

/* control: allocate a node and its processor in one go and register it with
 * the render side. proc_size >= sizeof(ls_proc) (node processors embed
 * ls_proc as their first member). */
ls_result ls__node_create(ls_context *ctx, ls_node_type type, const ls_proc_vtable *vt,
                          size_t proc_size, uint32_t num_inputs, uint32_t num_outputs,
                          const ls_node_options *defaults, const ls_node_options *user,
                          ls_node **out);
/* control: free a node that was created but never published (error paths). */
void ls__node_free_unpublished(ls_node *node);
/* control: after ls__node_create set params etc., publish the node. */
void ls__node_publish(ls_node *node);
/* control, under lock: add a param to a node before publishing it. */
struct ls_param *ls__param_create(ls_node *node, const char *name, float default_value,
                                  float min_value, float max_value, ls_automation_rate rate,
                                  bool rate_fixed);

/* Set on a thread while it runs the render loop. */
extern _Thread_local int ls__on_render_thread;
/* control, under lock: queue a user event for a node the caller references. */
void ls__queue_event(ls_context *ctx, ls_event_type type, ls_node *node, double time);
/* control, under lock: forget undelivered events of a node. */
void ls__drop_events_for(ls_context *ctx, ls_node *node);

/* render (a real-time backend's thread): account one period: render_ns it
 * took to render, budget_ns the real time it stands for, late: it finished
 * after its deadline (or the device said so), lost_ns: time the clock gave
 * up for good. budget_ns 0 with late: an underrun the device reported on
 * its own (not a period). Lock-free counters read by ls_context_get_stats. */
void ls__timing_period(ls_context *ctx, double render_ns, double budget_ns, bool late,
                       double lost_ns);

/* render: apply all pending messages. */
void ls__render_apply_messages(ls_context *ctx);
/* render: render n quanta into planar output (channels x frames, stride
 * `stride` floats between channels). out may be NULL (null backend). */
/* Render up to n quanta; returns how many were rendered: fewer than n when a
 * node asked for the control side's help (ls__render_urgent), so that an
 * offline renderer can collect before the next quantum. */
uint32_t ls__render_quanta(ls_context *ctx, float *out, uint32_t n, size_t stride);

/* render: the request just given back should be answered before the next
 * quantum. Offline that is exact (the renderer collects at once); in real
 * time the control side answers at its next collection, a few ms later. */
static inline void ls__render_urgent(ls_context *ctx) { ctx->r.urgent = true; }

/* control, under ctx->lock: script nodes of ctx will not run again
 * (context closed, offline render done): give their user data back. */
void ls__script_context_done(ls_context *ctx);
/* control: validate real-time options and allocate a context without
 * starting a backend (device backends open their device themselves). */
ls_result ls__context_alloc_realtime(const ls_context_options *o, ls_context **out);

/* PeriodicWave (periodic_wave.c) */
struct ls_wavetable;
/* The wave's band-limited tables: immutable, readable from any thread while
 * a reference to the wave is held. */
const struct ls_wavetable *ls__periodic_wave_table(const ls_periodic_wave *w);
/* control: the shared wave of a built-in oscillator type (not CUSTOM) at a
 * sample rate, built on first use. A new reference; NULL when out of memory. */
ls_periodic_wave *ls__periodic_wave_basic(ls_oscillator_type type, double sample_rate);

/* Float helpers */
static inline unsigned ls__float_bits(float f) {
    union { float f; unsigned u; } v;
    v.f = f;
    return v.u;
}
static inline float ls__bits_float(unsigned u) {
    union { float f; unsigned u; } v;
    v.u = u;
    return v.f;
}
static inline float ls__clampf(float v, float lo, float hi) {
    return v < lo ? lo : (v > hi ? hi : v);
}

#endif
