/*
 * The null backend: a silent sink paced by the clock. A thread renders
 * buffer_size frames per period and sleeps until the next period's deadline,
 * so context time advances like real time. While suspended it keeps applying
 * graph edits so control calls never wait on a full queue.
 */
#include "../engine.h"

#include <errno.h>
#include <time.h>

static void add_ns(struct timespec *t, long long ns)
{
    long long total = t->tv_nsec + ns;
    t->tv_sec += total / 1000000000LL;
    t->tv_nsec = total % 1000000000LL;
}

static long long diff_ns(const struct timespec *a, const struct timespec *b)
{
    return (a->tv_sec - b->tv_sec) * 1000000000LL + (a->tv_nsec - b->tv_nsec);
}

static void *null_thread(void *arg)
{
    ls_context *ctx = arg;
    ls__on_render_thread = 1;
    uint32_t nq = ctx->buffer_size / LS_Q;
    long long period = (long long)((double)ctx->buffer_size / ctx->sample_rate * 1e9);
    struct timespec next;
    clock_gettime(CLOCK_MONOTONIC, &next);
    while (!atomic_load_explicit(&ctx->thread_stop, memory_order_acquire)) {
        if (atomic_load_explicit(&ctx->state, memory_order_acquire) == LS_CONTEXT_STATE_RUNNING) {
            struct timespec t0, now;
            clock_gettime(CLOCK_MONOTONIC, &t0);
            for (uint32_t q = 0; q < nq;)
                q += ls__render_quanta(ctx, NULL, nq - q, 0);
            add_ns(&next, period);
            clock_gettime(CLOCK_MONOTONIC, &now);
            long long behind = diff_ns(&now, &next);
            double lost = 0.0;
            if (behind > 200000000LL) {
                next = now; /* far behind (debugger, overload): resynchronize */
                lost = (double)behind;
            }
            /* late: more than a period behind, what a device with two
             * periods of buffering would have heard as a gap (waking a
             * little late is not) */
            ls__timing_period(ctx, (double)diff_ns(&now, &t0), (double)period, behind > period,
                              lost);
        } else {
            ls__render_apply_messages(ctx);
            clock_gettime(CLOCK_MONOTONIC, &next);
            add_ns(&next, 2000000LL);
        }
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR)
            ;
    }
    return NULL;
}

static ls_result null_start(ls_context *ctx)
{
    atomic_store(&ctx->thread_stop, 0);
    if (pthread_create(&ctx->thread, NULL, null_thread, ctx) != 0)
        return LS_ERROR_BACKEND;
    ctx->thread_running = 1;
    return LS_OK;
}

static ls_result null_stop(ls_context *ctx)
{
    if (!ctx->thread_running)
        return LS_OK;
    atomic_store_explicit(&ctx->thread_stop, 1, memory_order_release);
    pthread_join(ctx->thread, NULL);
    ctx->thread_running = 0;
    return LS_OK;
}

const ls_backend ls__null_backend = {"null", null_start, null_stop};
