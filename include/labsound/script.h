/*
 * labsound: script nodes, whose render half calls a user function once per
 * render quantum (the engine side of Python processing nodes).
 *
 * Included by labsound.h; do not include it on its own.
 *
 * A script node owns the memory its user function reads and writes: for
 * every *slot* one quantum of each input channel, each output channel and
 * each param, planar float32, 128 frames per channel, 64-byte aligned. The
 * memory never moves while a reference to the script (ls_script) is held, so
 * a binding can build views of it once (zero copy) and reuse them.
 *
 * Two modes:
 *
 *  - LS_SCRIPT_MODE_SYNC (offline contexts only): the render thread calls the
 *    function itself, synchronously, on slot 0. Output is deterministic. The
 *    inputs are copied into the slot (the graph's mixed input blocks change
 *    every quantum); the outputs are the node's output buses themselves.
 *  - LS_SCRIPT_MODE_WORKER (real-time contexts): the render thread never
 *    calls the function. Each quantum it copies the inputs and param values
 *    into a free slot and hands it to a worker thread (which the binding
 *    runs with ls_script_worker_wait / ls_script_worker_run) through a
 *    lock-free ring, then plays the slot submitted `lookahead` quanta ago.
 *    If the worker has not finished that slot the node outputs silence for
 *    the quantum and counts a miss. Latency: lookahead * 128 frames.
 *
 * The render thread's only system call on this path is sem_post (waking
 * the worker), which never blocks.
 */
#ifndef LABSOUND_SCRIPT_H
#define LABSOUND_SCRIPT_H

#ifdef __cplusplus
extern "C" {
#endif

/** Most params a script node may declare. */
#define LS_SCRIPT_MAX_PARAMS 8
/** Most inputs or outputs a script node may have. */
#define LS_SCRIPT_MAX_IO 16
/** Longest param name, including the terminating NUL. */
#define LS_SCRIPT_NAME_MAX 64

typedef struct ls_script ls_script;

typedef enum ls_script_mode {
    LS_SCRIPT_MODE_AUTO = 0,    /* SYNC for offline contexts, WORKER for real-time ones */
    LS_SCRIPT_MODE_SYNC = 1,
    LS_SCRIPT_MODE_WORKER = 2
} ls_script_mode;

typedef enum ls_script_area {
    LS_SCRIPT_AREA_INPUT = 0,
    LS_SCRIPT_AREA_OUTPUT = 1,
    LS_SCRIPT_AREA_PARAM = 2
} ls_script_area;

/** What the user function is told about the quantum it computes. */
typedef struct ls_script_block {
    uint32_t slot;                      /* which slot's memory to read and write */
    uint64_t frame;                     /* first frame of the quantum the inputs belong to */
    double time;                        /* frame / sample rate */
    uint32_t num_inputs, num_outputs, num_params;
    uint32_t input_channels[LS_SCRIPT_MAX_IO];  /* channels of each input this quantum
                                                   (0: nothing connected) */
    uint32_t output_channels[LS_SCRIPT_MAX_IO]; /* channels of each output this quantum */
    uint8_t param_constant[LS_SCRIPT_MAX_PARAMS];/* 1: the param holds one value for the
                                                   whole quantum, in frame 0 only */
} ls_script_block;

/**
 * The user function. Called on the render thread (SYNC) or on the worker
 * thread (WORKER), never on two threads at once. Outputs arrive zeroed.
 * Return 1 to keep the node alive, 0 when it may stop (a processor's
 * process() returning false), a negative value for an error: the node then
 * outputs silence for good.
 */
typedef int (*ls_script_fn)(void *user, const ls_script_block *block);
/** Gives back `user` once the function can no longer be called: when the
 *  node is freed, its context closed, or an offline render finished. Called
 *  on a control thread, possibly under the context's lock: it must not call
 *  into the engine or wait for anything. */
typedef void (*ls_script_release_fn)(void *user);

typedef struct ls_script_param_desc {
    char name[LS_SCRIPT_NAME_MAX];
    float default_value, min_value, max_value;
    ls_automation_rate rate;
} ls_script_param_desc;

typedef struct ls_script_options {
    ls_node_options node;               /* default 2 channels, max, speakers */
    uint32_t number_of_inputs;          /* default 1 */
    uint32_t number_of_outputs;         /* default 1 */
    uint32_t output_channel_count[LS_SCRIPT_MAX_IO]; /* 0 (default): 1, except a node with
                                           one input and one output, whose output follows
                                           its input's channel count */
    int scheduled_source;               /* 1: a scheduled source (start/stop), no inputs */
    uint32_t num_params;
    ls_script_param_desc params[LS_SCRIPT_MAX_PARAMS];
    ls_script_mode mode;                /* default AUTO */
    uint32_t lookahead;                 /* WORKER: quanta computed ahead, 1..64; 0 = default:
                                           max(4, 2 x the context's quanta per callback) */
    ls_script_fn process;               /* required */
    ls_script_release_fn release;       /* may be NULL */
    void *user;
} ls_script_options;

/** Defaults as listed above (no function set). Any thread. */
LS_API ls_script_options ls_script_options_default(void);

/**
 * Create a script node. On success the engine owns `options->user` and
 * gives it back through `options->release` exactly once; on failure it does
 * not take it. Params are named as declared and found with
 * ls_node_param_by_name. Control thread.
 * Errors: INVALID_ARGUMENT (no function), INDEX_SIZE (more than
 * LS_SCRIPT_MAX_IO inputs or outputs, more than LS_SCRIPT_MAX_PARAMS params,
 * a scheduled source with inputs, lookahead over 64), NOT_SUPPORTED (both
 * zero inputs and outputs, an output channel count over 32, SYNC on a
 * real-time context or WORKER on an offline one, a channel option),
 * RANGE (a param's default outside [min, max] or not finite, an empty or
 * duplicate name), INVALID_STATE (closed context), NO_MEM.
 */
LS_API ls_result ls_script_create(ls_context *ctx, const ls_script_options *options,
                                  ls_node **out);

/** The script state of a script node: a new reference, or NULL if `node` is
 *  not a script node. Control thread. */
LS_API ls_script *ls_script_of(ls_node *node);
/** Take / give back a reference to the state (its memory lives as long as
 *  one is held). Any thread but the render thread. */
LS_API void ls_script_retain(ls_script *s);
LS_API void ls_script_release(ls_script *s);

/** SYNC or WORKER (AUTO resolved at creation). Any thread. */
LS_API ls_script_mode ls_script_get_mode(const ls_script *s);
/** Slots of memory (1 in SYNC mode, lookahead + 2 in WORKER mode). Any thread. */
LS_API uint32_t ls_script_slot_count(const ls_script *s);
/** Quanta of latency the worker mode adds (0 in SYNC mode). Any thread. */
LS_API uint32_t ls_script_lookahead(const ls_script *s);
/** Channels the memory holds for input / output / param `index` (params: 1).
 *  0 when index is out of range. Any thread. */
LS_API uint32_t ls_script_capacity(const ls_script *s, ls_script_area area, uint32_t index);
/** The 128 floats of one channel in one slot, or NULL when out of range.
 *  The pointer stays valid while a reference to `s` is held. Any thread. */
LS_API float *ls_script_memory(ls_script *s, uint32_t slot, ls_script_area area,
                               uint32_t index, uint32_t channel);

/** All of the memory: *nfloats floats from the returned address, slot after
 *  slot (ls_script_memory points inside it). Any thread. */
LS_API float *ls_script_memory_base(ls_script *s, size_t *nfloats);

typedef struct ls_script_stats {
    uint64_t calls;          /* times the user function ran (once per quantum) */
    uint64_t misses;         /* WORKER: quanta played as silence because a block was late */
    uint64_t dropped;        /* WORKER: quanta whose input could not be handed over
                                (the worker still held the slot) */
    int errored;             /* the function reported an error: the node is silent */
} ls_script_stats;
/** Any thread. */
LS_API void ls_script_get_stats(const ls_script *s, ls_script_stats *out);

/**
 * WORKER mode, on the binding's worker thread: wait until a block is ready
 * to compute, at most `timeout` seconds. Returns 1 (a block is ready),
 * 0 (timeout) or -1 (the node is gone or its context closed: stop the
 * worker). Never call it on the render thread.
 */
LS_API int ls_script_worker_wait(ls_script *s, double timeout);
/** WORKER mode, on the worker thread: compute every block handed over so
 *  far (calls the user function for each). Returns how many ran, or -1 once
 *  the worker should stop. */
LS_API int ls_script_worker_run(ls_script *s);

#ifdef __cplusplus
}
#endif
#endif /* LABSOUND_SCRIPT_H */
