/*
 * The render profiler: per-node and whole-quantum render time.
 *
 * The render thread is the only writer of the counters (relaxed loads and
 * stores, no read-modify-write needed); control threads read them. Turning
 * profiling on bumps an epoch instead of zeroing counters the render thread
 * may be writing: the render thread zeroes a node's counters the first time
 * it times it in a new epoch, and readers treat a node of an older epoch as
 * zero.
 */
#include "engine.h"

#include <time.h>

uint64_t ls__prof_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void ls__prof_add(atomic_uint_fast64_t *quanta, atomic_uint_fast64_t *total,
                  atomic_uint_fast64_t *max, uint64_t ns)
{
    atomic_store_explicit(quanta, atomic_load_explicit(quanta, memory_order_relaxed) + 1,
                          memory_order_relaxed);
    atomic_store_explicit(total, atomic_load_explicit(total, memory_order_relaxed) + ns,
                          memory_order_relaxed);
    if (ns > atomic_load_explicit(max, memory_order_relaxed))
        atomic_store_explicit(max, ns, memory_order_relaxed);
}

void ls__prof_node(ls_context *ctx, ls_proc *p, uint64_t ns)
{
    unsigned epoch = atomic_load_explicit(&ctx->prof_epoch, memory_order_relaxed);
    if (atomic_load_explicit(&p->prof_epoch, memory_order_relaxed) != epoch) {
        atomic_store_explicit(&p->prof_quanta, 0, memory_order_relaxed);
        atomic_store_explicit(&p->prof_total_ns, 0, memory_order_relaxed);
        atomic_store_explicit(&p->prof_max_ns, 0, memory_order_relaxed);
        atomic_store_explicit(&p->prof_epoch, epoch, memory_order_release);
    }
    ls__prof_add(&p->prof_quanta, &p->prof_total_ns, &p->prof_max_ns, ns);
}

ls_result ls_context_set_profiling(ls_context *ctx, int on)
{
    if (!ctx)
        return LS_ERROR_INVALID_ARGUMENT;
    if (on && !atomic_load(&ctx->profiling))
        atomic_fetch_add(&ctx->prof_epoch, 1);
    atomic_store(&ctx->profiling, on ? 1 : 0);
    return LS_OK;
}

int ls_context_profiling(const ls_context *ctx)
{
    return ctx ? atomic_load(&((ls_context *)ctx)->profiling) : 0;
}

static void read3(atomic_uint_fast64_t *q, atomic_uint_fast64_t *t, atomic_uint_fast64_t *m,
                  ls_profile *out)
{
    out->quanta = atomic_load_explicit(q, memory_order_relaxed);
    out->total_ns = atomic_load_explicit(t, memory_order_relaxed);
    out->max_ns = atomic_load_explicit(m, memory_order_relaxed);
}

ls_result ls_context_get_profile(ls_context *ctx, ls_profile *out)
{
    if (!ctx || !out)
        return LS_ERROR_INVALID_ARGUMENT;
    *out = (ls_profile){0, 0, 0};
    if (atomic_load_explicit(&ctx->prof_ctx_epoch, memory_order_acquire) ==
        atomic_load(&ctx->prof_epoch))
        read3(&ctx->prof_quanta, &ctx->prof_total_ns, &ctx->prof_max_ns, out);
    return LS_OK;
}

ls_result ls_node_get_profile(ls_node *node, ls_profile *out)
{
    if (!node || !out)
        return LS_ERROR_INVALID_ARGUMENT;
    *out = (ls_profile){0, 0, 0};
    ls_proc *p = node->proc;
    if (atomic_load_explicit(&p->prof_epoch, memory_order_acquire) ==
        atomic_load(&node->ctx->prof_epoch))
        read3(&p->prof_quanta, &p->prof_total_ns, &p->prof_max_ns, out);
    return LS_OK;
}
