/*
 * labsound: the render profiler (per-node render time).
 *
 * Included by labsound.h; not meant to be included on its own.
 *
 * With profiling on, the render thread times each node it processes in a
 * quantum (mixing its inputs plus its process call, CLOCK_MONOTONIC) and the
 * whole quantum, into counters preallocated in the node and the context: it
 * allocates nothing and takes no lock, and a control thread reads them at
 * any time (each counter is read atomically; a node's three counters may be
 * a quantum apart). With profiling off the render walk is the unprofiled
 * one: the choice is made once per quantum.
 */
#ifndef LABSOUND_PROFILE_H
#define LABSOUND_PROFILE_H

#ifndef LABSOUND_H
#error "include labsound/labsound.h, which includes this header"
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ls_profile {
    uint64_t quanta;     /* quanta timed since profiling was last turned on */
    uint64_t total_ns;   /* their summed render time, nanoseconds */
    uint64_t max_ns;     /* the longest of them */
} ls_profile;

/**
 * Turn profiling on (on != 0) or off. Turning it on starts every counter of
 * the context and its nodes from zero (a node's counters are zeroed when the
 * render thread next processes it; until then they read as zero). Turning it
 * off keeps the counters for reading. Any control thread (not the render
 * thread). Errors: INVALID_ARGUMENT (NULL context).
 */
LS_API ls_result ls_context_set_profiling(ls_context *ctx, int on);
/** Whether profiling is on (0 or 1; 0 for NULL). Any thread. */
LS_API int ls_context_profiling(const ls_context *ctx);
/**
 * The context's whole-quantum counters since profiling was last turned on.
 * Any control thread. Errors: INVALID_ARGUMENT (NULL context or out).
 */
LS_API ls_result ls_context_get_profile(ls_context *ctx, ls_profile *out);
/**
 * A node's counters since profiling was last turned on (zeros for a node not
 * processed since: idle, not connected, or not yet started). Any control
 * thread. Errors: INVALID_ARGUMENT (NULL node or out).
 */
LS_API ls_result ls_node_get_profile(ls_node *node, ls_profile *out);

#ifdef __cplusplus
}
#endif

#endif /* LABSOUND_PROFILE_H */
