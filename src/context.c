/*
 * Contexts: creation, state, the control lock, posting messages to the render
 * side and reclaiming what it gives back, events, offline rendering.
 */
#include "engine.h"
#include "dsp/interp.h"
#include "param.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LS_MESSAGE_CAPACITY 16384

extern const ls_backend ls__null_backend;
ls_result ls__destination_create(ls_context *ctx, ls_node **out);
void ls__node_free(ls_node *node);
void ls__graph_init(ls_context *ctx);
void ls__graph_free(ls_context *ctx);
ls_result ls__graph_reserve(ls_context *ctx, uint32_t capacity);

ls_context_options ls_context_options_default(void)
{
    ls_context_options o;
    o.sample_rate = 44100.0;
    o.channels = 2;
    o.buffer_size = 256;
    o.backend = LS_BACKEND_NULL;
    return o;
}

static bool valid_rate(double sr)
{
    return isfinite(sr) && sr >= 3000.0 && sr <= 768000.0;
}

static ls_result context_alloc(int offline, double sample_rate, uint32_t channels,
                               uint32_t buffer_size, uint64_t length, ls_context **out)
{
    ls_context *ctx = calloc(1, sizeof *ctx);
    if (!ctx)
        return LS_ERROR_NO_MEM;
    ctx->offline = offline;
    ctx->sample_rate = sample_rate;
    ctx->channels = channels;
    ctx->buffer_size = buffer_size;
    atomic_init(&ctx->interpolation, LS_INTERPOLATION_LINEAR);
    ctx->length = length;
    ctx->end_frame = length;
    atomic_init(&ctx->refcount, 1);
    atomic_init(&ctx->state, LS_CONTEXT_STATE_SUSPENDED);
    atomic_init(&ctx->frame, 0);
    atomic_init(&ctx->rendering, 0);
    atomic_init(&ctx->thread_stop, 0);
    atomic_init(&ctx->stat_quanta, 0);
    atomic_init(&ctx->stat_pool_exhausted, 0);
    atomic_init(&ctx->stat_periods, 0);
    atomic_init(&ctx->stat_late, 0);
    atomic_init(&ctx->stat_lost_ns, 0);
    atomic_init(&ctx->stat_load_ppm, 0);
    atomic_init(&ctx->stat_max_load_ppm, 0);
    atomic_init(&ctx->stat_stream_underruns, 0);
    atomic_init(&ctx->returns.top, NULL);
    pthread_mutex_init(&ctx->lock, NULL);
    if (!ls_spsc_init(&ctx->messages, LS_MESSAGE_CAPACITY, sizeof(ls_msg))) {
        free(ctx);
        return LS_ERROR_NO_MEM;
    }
    ls__graph_init(ctx);
    if (ls__graph_reserve(ctx, 64) != LS_OK) {
        ls_spsc_destroy(&ctx->messages);
        free(ctx);
        return LS_ERROR_NO_MEM;
    }
    ls_result r = ls__destination_create(ctx, &ctx->destination);
    if (r != LS_OK) {
        ls__graph_free(ctx);
        ls_spsc_destroy(&ctx->messages);
        free(ctx);
        return r;
    }
    *out = ctx;
    return LS_OK;
}

ls_result ls__context_alloc_realtime(const ls_context_options *o, ls_context **out)
{
    if (!valid_rate(o->sample_rate) || o->channels < 1 || o->channels > LS_MAX_CHANNELS ||
        o->buffer_size < LS_Q || o->buffer_size > 16384 || o->buffer_size % LS_Q)
        return LS_ERROR_RANGE;
    return context_alloc(0, o->sample_rate, o->channels, o->buffer_size, 0, out);
}

ls_result ls_context_create(const ls_context_options *options, ls_context **out)
{
    if (!out)
        return LS_ERROR_INVALID_ARGUMENT;
    ls_context_options o = options ? *options : ls_context_options_default();
    if (o.backend == LS_BACKEND_DEVICE)
        return ls_device_context_create(&o, NULL, out);
    if (o.backend != LS_BACKEND_NULL)
        return LS_ERROR_NOT_SUPPORTED;
    ls_context *ctx;
    ls_result r = ls__context_alloc_realtime(&o, &ctx);
    if (r != LS_OK)
        return r;
    ctx->backend = &ls__null_backend;
    r = ctx->backend->start(ctx);
    if (r != LS_OK) {
        ctx->backend = NULL;
        ls_context_release(ctx);
        return r;
    }
    *out = ctx;
    return LS_OK;
}

ls_result ls_offline_context_create(uint32_t channels, uint64_t length, double sample_rate,
                                    ls_context **out)
{
    if (!out)
        return LS_ERROR_INVALID_ARGUMENT;
    if (channels < 1 || channels > LS_MAX_CHANNELS || length == 0)
        return LS_ERROR_NOT_SUPPORTED;
    if (!valid_rate(sample_rate))
        return LS_ERROR_NOT_SUPPORTED;
    return context_alloc(1, sample_rate, channels, LS_Q, length, out);
}

void ls_context_retain(ls_context *ctx)
{
    atomic_fetch_add(&ctx->refcount, 1);
}

static void context_destroy(ls_context *ctx)
{
    ls_context_close(ctx);
    /* No render thread any more: the control side owns the render state.
     * Apply what is queued and reclaim what comes back until both are quiet. */
    pthread_mutex_lock(&ctx->lock);
    for (int guard = 0; guard < 1000; guard++) {
        ls__render_apply_messages(ctx);
        if (!atomic_load(&ctx->returns.top))
            break;
        ls__collect_locked(ctx);
    }
    while (ctx->events_head) {
        ls_user_event *e = ctx->events_head;
        ctx->events_head = e->next;
        if (e->ev.node)
            atomic_fetch_sub(&e->ev.node->refcount, 1);
        free(e);
    }
    pthread_mutex_unlock(&ctx->lock);
    free(ctx->suspends);
    free(ctx->carry);
    ls_buffer_release(ctx->obuf);
    ls__graph_free(ctx);
    ls_spsc_destroy(&ctx->messages);
    pthread_mutex_destroy(&ctx->lock);
    free(ctx);
}

void ls_context_release(ls_context *ctx)
{
    if (!ctx)
        return;
    if (atomic_fetch_sub(&ctx->refcount, 1) == 1)
        context_destroy(ctx);
}

/* control, under lock: change the state, queueing a statechange event when
 * it really changes. */
static void set_state_locked(ls_context *ctx, ls_context_state state)
{
    if (atomic_exchange(&ctx->state, state) != (int)state)
        ls__queue_event(ctx, LS_EVENT_STATECHANGE, NULL, ls_context_current_time(ctx));
}

ls_result ls_context_resume(ls_context *ctx)
{
    ls__lock(ctx);
    ls_result r = LS_OK;
    if (ctx->closed || atomic_load(&ctx->state) == LS_CONTEXT_STATE_CLOSED)
        r = LS_ERROR_INVALID_STATE;   /* closed, or its device was lost */
    else if (!ctx->offline)
        set_state_locked(ctx, LS_CONTEXT_STATE_RUNNING);
    ls__unlock(ctx);
    return r;
}

ls_result ls_context_suspend(ls_context *ctx)
{
    ls__lock(ctx);
    ls_result r = LS_OK;
    if (ctx->closed || atomic_load(&ctx->state) == LS_CONTEXT_STATE_CLOSED)
        r = LS_ERROR_INVALID_STATE;   /* closed, or its device was lost */
    else if (!ctx->offline)
        set_state_locked(ctx, LS_CONTEXT_STATE_SUSPENDED);
    ls__unlock(ctx);
    return r;
}

ls_result ls_context_close(ls_context *ctx)
{
    pthread_mutex_lock(&ctx->lock);
    if (ctx->closed) {
        pthread_mutex_unlock(&ctx->lock);
        return LS_OK;
    }
    ctx->closed = 1;
    set_state_locked(ctx, LS_CONTEXT_STATE_CLOSED);
    if (ctx->backend)
        ctx->backend->stop(ctx);   /* joins the render thread; it never takes this lock */
    if (!atomic_load(&ctx->rendering))
        ls__script_context_done(ctx);
    ls__collect_locked(ctx);
    pthread_mutex_unlock(&ctx->lock);
    return LS_OK;
}

double ls_context_current_time(const ls_context *ctx)
{
    return (double)atomic_load(&((ls_context *)ctx)->frame) / ctx->sample_rate;
}

uint64_t ls_context_current_frame(const ls_context *ctx)
{
    return atomic_load(&((ls_context *)ctx)->frame);
}

double ls_context_sample_rate(const ls_context *ctx) { return ctx->sample_rate; }

int ls__interpolation_resolve(ls_context *ctx, int mode, ls_result *error)
{
    *error = LS_OK;
    if (mode == LS_INTERPOLATION_DEFAULT)
        mode = ctx ? atomic_load(&ctx->interpolation) : LS_INTERPOLATION_LINEAR;
    if (mode != LS_INTERPOLATION_LINEAR && mode != LS_INTERPOLATION_CUBIC &&
        mode != LS_INTERPOLATION_SINC) {
        *error = LS_ERROR_INVALID_ARGUMENT;
        return LS_INTERPOLATION_DEFAULT;
    }
    if (mode == LS_INTERPOLATION_SINC && !ls_interp_init()) {
        *error = LS_ERROR_NO_MEM;
        return LS_INTERPOLATION_DEFAULT;
    }
    return mode;
}

ls_result ls_context_set_interpolation(ls_context *ctx, ls_interpolation mode)
{
    if (!ctx)
        return LS_ERROR_INVALID_ARGUMENT;
    ls_result err;
    int m = ls__interpolation_resolve(NULL, (int)mode, &err);
    if (err != LS_OK)
        return err;
    atomic_store(&ctx->interpolation, m);
    return LS_OK;
}

ls_interpolation ls_context_interpolation(const ls_context *ctx)
{
    return ctx ? (ls_interpolation)atomic_load(&((ls_context *)ctx)->interpolation)
               : LS_INTERPOLATION_LINEAR;
}
int ls_context_is_offline(const ls_context *ctx) { return ctx->offline; }
uint64_t ls_context_length(const ls_context *ctx) { return ctx->length; }
ls_node *ls_context_destination(ls_context *ctx) { return ctx->destination; }
uint32_t ls_context_buffer_size(const ls_context *ctx) { return ctx->buffer_size; }

ls_context_state ls_context_get_state(const ls_context *ctx)
{
    return (ls_context_state)atomic_load(&((ls_context *)ctx)->state);
}

/* ------------------------------------------------------------------ */
/* The control lock, messages, returns                                 */
/* ------------------------------------------------------------------ */

void ls__lock(ls_context *ctx)
{
    pthread_mutex_lock(&ctx->lock);
    ls__collect_locked(ctx);
}

void ls__unlock(ls_context *ctx)
{
    pthread_mutex_unlock(&ctx->lock);
}

_Thread_local int ls__on_render_thread;

/* True when no render thread runs, or when the caller is the render thread
 * between quanta (an offline renderer collecting), so the control side
 * (holding the lock) may apply messages itself. */
static bool control_owns_render(ls_context *ctx)
{
    if (ls__on_render_thread)
        return true;
    if (ctx->offline)
        return !atomic_load(&ctx->rendering);
    return !ctx->thread_running;
}

void ls__post(ls_context *ctx, const ls_msg *m)
{
    ctx->messages_sent++;
    /* Never collect while waiting: a dispose run here could post messages
     * (a node's removal) ahead of this one and reorder the render side's view. */
    while (!ls_spsc_push(&ctx->messages, m)) {
        if (control_owns_render(ctx)) {
            ls__render_apply_messages(ctx);
        } else {
            struct timespec ts = {0, 200000};
            nanosleep(&ts, NULL);
        }
    }
}

void ls__give_back(ls_context *ctx, ls_returnable *item)
{
    ls_return_push(&ctx->returns, item);
}

void ls__collect_locked(ls_context *ctx)
{
    /* dispose may post messages whose effects come back: loop until quiet */
    for (int round = 0; round < 4; round++) {
        ls_returnable *list = ls_return_take_all(&ctx->returns);
        if (!list)
            break;
        while (list) {
            ls_returnable *next = list->next;
            list->dispose(ctx, list);
            list = next;
        }
    }
}

void ls_context_collect(ls_context *ctx)
{
    ls__lock(ctx);
    ls__unlock(ctx);
}

/* Called by sched.c's ended notice, under the lock. */
void ls__queue_event(ls_context *ctx, ls_event_type type, ls_node *node, double time)
{
    if (node && atomic_load(&node->refcount) <= 0)
        return;
    ls_user_event *e = malloc(sizeof *e);
    if (!e)
        return;
    if (node) {
        atomic_fetch_add(&node->refcount, 1);
        node->queued_events++;
    }
    e->next = NULL;
    e->ev.type = type;
    e->ev.node = node;
    e->ev.user_data = node ? node->user_data : NULL;
    e->ev.time = time;
    if (ctx->events_tail)
        ctx->events_tail->next = e;
    else
        ctx->events_head = e;
    ctx->events_tail = e;
}

void ls__drop_events_for(ls_context *ctx, ls_node *node)
{
    ls_user_event **pp = &ctx->events_head, *last = NULL;
    while (*pp) {
        ls_user_event *e = *pp;
        if (e->ev.node == node) {
            *pp = e->next;
            node->queued_events--;
            atomic_fetch_sub(&node->refcount, 1);
            free(e);
        } else {
            last = e;
            pp = &e->next;
        }
    }
    ctx->events_tail = last;
}

void ls__timing_period(ls_context *ctx, double render_ns, double budget_ns, bool late,
                       double lost_ns)
{
    if (budget_ns > 0 || !late)
        atomic_fetch_add_explicit(&ctx->stat_periods, 1, memory_order_relaxed);
    if (late)
        atomic_fetch_add_explicit(&ctx->stat_late, 1, memory_order_relaxed);
    if (lost_ns > 0)
        atomic_fetch_add_explicit(&ctx->stat_lost_ns, (uint_fast64_t)lost_ns,
                                  memory_order_relaxed);
    if (budget_ns > 0) {
        double load = render_ns / budget_ns;
        /* smoothed over about a second of 10 ms periods */
        ctx->r_load_smoothed += (load - ctx->r_load_smoothed) * 0.01;
        unsigned ppm = (unsigned)(load * 1e6 < 4e9 ? load * 1e6 : 4e9);
        double sm = ctx->r_load_smoothed * 1e6;
        atomic_store_explicit(&ctx->stat_load_ppm, (unsigned)(sm < 4e9 ? sm : 4e9),
                              memory_order_relaxed);
        if (ppm > atomic_load_explicit(&ctx->stat_max_load_ppm, memory_order_relaxed))
            atomic_store_explicit(&ctx->stat_max_load_ppm, ppm, memory_order_relaxed);
    }
}

int ls_context_poll_event(ls_context *ctx, ls_event *ev)
{
    ls__lock(ctx);
    /* falling behind: one LS_EVENT_LATE a second at most, when the clock
     * lost time since the last one, or periods were late under a sustained
     * load above 1 (a late period now and then, from a thread woken late on
     * a busy machine, is counted but not announced) */
    uint64_t late = atomic_load_explicit(&ctx->stat_late, memory_order_relaxed);
    uint64_t lost = atomic_load_explicit(&ctx->stat_lost_ns, memory_order_relaxed);
    bool overloaded = late > ctx->late_reported &&
                      atomic_load_explicit(&ctx->stat_load_ppm, memory_order_relaxed) > 1000000u;
    if (lost > ctx->lost_reported || overloaded) {
        /* by the wall clock: a context that falls behind has a slow clock */
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        double wall = (double)ts.tv_sec + ts.tv_nsec * 1e-9;
        if (ctx->late_event_time == 0.0 || wall - ctx->late_event_time >= 1.0) {
            ctx->late_reported = late;
            ctx->lost_reported = lost;
            ctx->late_event_time = wall;
            ls__unlock(ctx);
            memset(ev, 0, sizeof *ev);
            ev->type = LS_EVENT_LATE;
            ev->time = (double)atomic_load(&ctx->frame) / ctx->sample_rate;
            return 1;
        }
    }
    ls_user_event *e = ctx->events_head;
    if (e) {
        ctx->events_head = e->next;
        if (!ctx->events_head)
            ctx->events_tail = NULL;
        if (e->ev.node)
            e->ev.node->queued_events--;
    }
    ls__unlock(ctx);
    if (!e)
        return 0;
    *ev = e->ev;
    free(e);
    return 1;
}

void ls_context_get_stats(ls_context *ctx, ls_context_stats *out)
{
    ls__lock(ctx);
    out->quanta_rendered = atomic_load(&ctx->stat_quanta);
    out->pool_exhausted = atomic_load(&ctx->stat_pool_exhausted);
    out->stream_underruns = atomic_load(&ctx->stat_stream_underruns);
    out->live_nodes = ctx->ctl_node_count;
    out->messages_sent = ctx->messages_sent;
    out->periods = atomic_load(&ctx->stat_periods);
    out->late_periods = atomic_load(&ctx->stat_late);
    out->time_lost = (double)atomic_load(&ctx->stat_lost_ns) * 1e-9;
    out->render_load = atomic_load(&ctx->stat_load_ppm) * 1e-6;
    out->max_render_load = atomic_load(&ctx->stat_max_load_ppm) * 1e-6;
    ls__unlock(ctx);
}

/* ------------------------------------------------------------------ */
/* Offline rendering                                                   */
/* ------------------------------------------------------------------ */

ls_result ls_offline_context_suspend_at(ls_context *ctx, double when)
{
    if (!ctx || !ctx->offline)
        return LS_ERROR_INVALID_ARGUMENT;
    if (!isfinite(when))
        return LS_ERROR_RANGE;
    ls__lock(ctx);
    ls_result r = LS_OK;
    uint64_t now = atomic_load(&ctx->frame);
    double q = floor(when * ctx->sample_rate / LS_Q);
    uint64_t frame = q >= 0.0 && q < 1.8e19 / LS_Q ? (uint64_t)q * LS_Q : 0;
    uint32_t at = 0;
    if (when < 0.0 || ctx->closed || ctx->rendered || atomic_load(&ctx->rendering) ||
        frame >= ctx->length || frame < now || (frame == now && (ctx->obuf || ctx->streamed))) {
        r = LS_ERROR_INVALID_STATE;
    } else {
        while (at < ctx->suspend_count && ctx->suspends[at] < frame)
            at++;
        if (at < ctx->suspend_count && ctx->suspends[at] == frame)
            r = LS_ERROR_INVALID_STATE;
    }
    if (r == LS_OK && ctx->suspend_count == ctx->suspend_cap) {
        uint32_t cap = ctx->suspend_cap ? ctx->suspend_cap * 2 : 8;
        uint64_t *grown = realloc(ctx->suspends, sizeof(uint64_t) * cap);
        if (grown) {
            ctx->suspends = grown;
            ctx->suspend_cap = cap;
        } else {
            r = LS_ERROR_NO_MEM;
        }
    }
    if (r == LS_OK) {
        memmove(ctx->suspends + at + 1, ctx->suspends + at,
                sizeof(uint64_t) * (ctx->suspend_count - at));
        ctx->suspends[at] = frame;
        ctx->suspend_count++;
    }
    ls__unlock(ctx);
    return r;
}

/* The offline renderer runs on the caller's thread, and the render loop
 * flushes denormals (FTZ | DAZ): the caller's floating-point mode is saved
 * before and put back after, so that its own arithmetic (NumPy, Python floats)
 * keeps its subnormal numbers. */
#if defined(__SSE__) || defined(__x86_64__)
#include <xmmintrin.h>
typedef unsigned int fp_mode;
static fp_mode fp_mode_get(void) { return _mm_getcsr(); }
static void fp_mode_set(fp_mode m) { _mm_setcsr(m); }
#elif defined(__aarch64__)
typedef uint64_t fp_mode;
static fp_mode fp_mode_get(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, fpcr" : "=r"(v));
    return v;
}
static void fp_mode_set(fp_mode m) { __asm__ volatile("msr fpcr, %0" : : "r"(m)); }
#else
typedef int fp_mode;
static fp_mode fp_mode_get(void) { return 0; }
static void fp_mode_set(fp_mode m) { (void)m; }
#endif

ls_result ls_offline_context_render(ls_context *ctx, ls_buffer **out)
{
    if (!ctx || !out)
        return LS_ERROR_INVALID_ARGUMENT;
    ls__lock(ctx);
    if (!ctx->offline || ctx->rendered || ctx->closed || atomic_load(&ctx->rendering) ||
        ctx->streamed || ctx->open_end) {
        ls__unlock(ctx);
        return LS_ERROR_INVALID_STATE;   /* *out untouched */
    }
    if (!ctx->obuf) {
        ls_result r = ls__buffer_create_for_render(ctx->channels, ctx->length, ctx->sample_rate,
                                                   &ctx->obuf_zeroed, &ctx->obuf);
        if (r != LS_OK) {
            ctx->obuf = NULL;
            ls__unlock(ctx);
            return r;
        }
    }
    *out = NULL;
    /* a suspension scheduled at the frame rendering stopped at has happened */
    uint64_t done = atomic_load(&ctx->frame);
    uint32_t drop = 0;
    while (drop < ctx->suspend_count && ctx->suspends[drop] < done)
        drop++;
    if (drop) {
        memmove(ctx->suspends, ctx->suspends + drop,
                sizeof(uint64_t) * (ctx->suspend_count - drop));
        ctx->suspend_count -= drop;
    }
    uint64_t total = ctx->length;
    uint64_t stop = ctx->suspend_count ? ctx->suspends[0] : total;
    if (stop == done && ctx->suspend_count) {
        /* suspended before rendering this frame: it starts running and
         * suspends at once, rendering nothing */
        ctx->suspend_count--;
        memmove(ctx->suspends, ctx->suspends + 1, sizeof(uint64_t) * ctx->suspend_count);
        set_state_locked(ctx, LS_CONTEXT_STATE_RUNNING);
        set_state_locked(ctx, LS_CONTEXT_STATE_SUSPENDED);
        ls__unlock(ctx);
        return LS_OK;
    }
    atomic_store(&ctx->rendering, 1);
    set_state_locked(ctx, LS_CONTEXT_STATE_RUNNING);
    ls_buffer *buf = ctx->obuf;
    ls__unlock(ctx);

    ls__on_render_thread = 1;
    const fp_mode caller_fp = fp_mode_get();
    float *data = ls_buffer_channel_data(buf, 0);
    /* Render whole quanta straight into the buffer; the last partial
     * quantum goes through a scratch block. */
    float scratch[LS_Q * 4];
    float *big = ctx->channels > 4 ? malloc(sizeof(float) * LS_Q * ctx->channels) : NULL;
    float *tmp = ctx->channels > 4 ? big : scratch;
    while (done < stop) {
        uint64_t left = stop - done;
        if (left >= LS_Q) {
            uint32_t n = (uint32_t)(left / LS_Q);
            if (n > 16)
                n = 16;
            /* a fresh, zeroed buffer: silence costs nothing; reused memory
             * gets its silence written */
            ctx->r.out_zeroed = ctx->obuf_zeroed;
            n = ls__render_quanta(ctx, data + done, n, (size_t)total);
            ctx->r.out_zeroed = false;
            done += (uint64_t)n * LS_Q;
        } else {
            if (tmp) {
                ls__render_quanta(ctx, tmp, 1, LS_Q);
                for (uint32_t c = 0; c < ctx->channels; c++)
                    memcpy(data + (size_t)c * total + done, tmp + (size_t)c * LS_Q,
                           sizeof(float) * (size_t)left);
            }
            done = stop;
        }
        /* The offline renderer is also the control side's housekeeper:
         * reclaim finished nodes now and then so long renders stay bounded. */
        ls_context_collect(ctx);
    }
    free(big);
    fp_mode_set(caller_fp);
    ls__on_render_thread = 0;

    ls__lock(ctx);
    atomic_store(&ctx->rendering, 0);
    if (stop < total) {
        ctx->suspend_count--;
        memmove(ctx->suspends, ctx->suspends + 1, sizeof(uint64_t) * ctx->suspend_count);
        set_state_locked(ctx, LS_CONTEXT_STATE_SUSPENDED);
    } else {
        ctx->rendered = 1;
        ctx->obuf = NULL;
        set_state_locked(ctx, LS_CONTEXT_STATE_CLOSED);
        ls__script_context_done(ctx);
        *out = buf;
    }
    ls__unlock(ctx);
    return LS_OK;
}

/* ------------------------------------------------------------------ */
/* Offline rendering in blocks                                         */
/* ------------------------------------------------------------------ */

ls_result ls_offline_context_set_tail(ls_context *ctx, double tail_seconds, float threshold)
{
    if (!ctx || !ctx->offline)
        return LS_ERROR_INVALID_ARGUMENT;
    if (!(tail_seconds >= 0.0 && tail_seconds < 1e9) || !(threshold >= 0.0f && threshold < INFINITY))
        return LS_ERROR_RANGE;
    ls__lock(ctx);
    ls_result r = LS_OK;
    if (ctx->closed || ctx->rendered || ctx->obuf || ctx->streamed || atomic_load(&ctx->rendering) ||
        atomic_load(&ctx->frame) != 0) {
        r = LS_ERROR_INVALID_STATE;
    } else {
        ctx->open_end = 1;
        ctx->tail_frames = (uint64_t)ceil(tail_seconds * ctx->sample_rate);
        ctx->tail_threshold = threshold;
    }
    ls__unlock(ctx);
    return r;
}

/* render side (or the control side while no render runs): a scheduled
 * source has been started and has not ended yet. Stream sources count from
 * their creation until their stream is exhausted and played. */
static bool sources_done(ls_context *ctx)
{
    for (uint32_t i = 0; i < ctx->r.count; i++) {
        const ls_proc *p = ctx->r.nodes[i];
        if (p && p->is_source && p->sched.started && !p->sched.ended)
            return false;
    }
    return true;
}

int ls_offline_context_sources_done(ls_context *ctx)
{
    if (!ctx || !ctx->offline)
        return 0;
    ls__lock(ctx);
    int done = 0;
    if (!atomic_load(&ctx->rendering)) {
        ls__render_apply_messages(ctx);   /* no render runs: the control side may */
        done = sources_done(ctx);
    }
    ls__unlock(ctx);
    return done;
}

/* render: the quantum just rendered (channel c at q + c * stride, `valid`
 * frames of it inside the length) ends an open-ended render? */
static bool tail_reached(ls_context *ctx, const float *q, size_t stride, uint32_t valid)
{
    const float thr = ctx->tail_threshold;
    bool quiet = true;
    for (uint32_t c = 0; c < ctx->channels && quiet; c++) {
        const float *x = q + (size_t)c * stride;
        for (uint32_t i = 0; i < valid; i++) {
            if (!(fabsf(x[i]) < thr) && !(x[i] == 0.0f)) {   /* NaN counts as sound */
                quiet = false;
                break;
            }
        }
    }
    ctx->quiet_frames = quiet ? ctx->quiet_frames + valid : 0;
    return ctx->quiet_frames >= ctx->tail_frames && sources_done(ctx);
}

ls_result ls_offline_context_render_into(ls_context *ctx, float *out, size_t stride,
                                         uint64_t frames, uint64_t *rendered)
{
    if (!ctx || !rendered || (!out && frames) || (frames && ctx->channels > 1 && stride < frames))
        return LS_ERROR_INVALID_ARGUMENT;
    *rendered = 0;
    ls__lock(ctx);
    if (!ctx->offline || ctx->rendered || ctx->closed || ctx->obuf || atomic_load(&ctx->rendering)) {
        ls__unlock(ctx);
        return LS_ERROR_INVALID_STATE;
    }
    if (!ctx->carry) {
        ctx->carry = malloc(sizeof(float) * LS_Q * ctx->channels);
        if (!ctx->carry) {
            ls__unlock(ctx);
            return LS_ERROR_NO_MEM;
        }
    }
    ctx->streamed = 1;
    uint64_t pos = atomic_load(&ctx->frame);   /* the engine's frame: a quantum boundary */
    uint32_t drop = 0;
    while (drop < ctx->suspend_count && ctx->suspends[drop] < pos)
        drop++;
    if (drop) {
        memmove(ctx->suspends, ctx->suspends + drop, sizeof(uint64_t) * (ctx->suspend_count - drop));
        ctx->suspend_count -= drop;
    }
    if (ctx->carry_len == 0 && ctx->suspend_count && ctx->suspends[0] == pos) {
        /* suspended before rendering this frame: suspends at once */
        ctx->suspend_count--;
        memmove(ctx->suspends, ctx->suspends + 1, sizeof(uint64_t) * ctx->suspend_count);
        set_state_locked(ctx, LS_CONTEXT_STATE_RUNNING);
        set_state_locked(ctx, LS_CONTEXT_STATE_SUSPENDED);
        ls__unlock(ctx);
        return LS_OK;
    }
    atomic_store(&ctx->rendering, 1);
    set_state_locked(ctx, LS_CONTEXT_STATE_RUNNING);
    ls__unlock(ctx);

    ls__on_render_thread = 1;
    const fp_mode caller_fp = fp_mode_get();
    const uint32_t ch = ctx->channels;
    uint64_t got = 0;
    bool suspended = false;
    uint32_t since_collect = 0;
    /* first what is left of the last quantum */
    if (ctx->carry_len && frames) {
        uint32_t n = ctx->carry_len < frames ? ctx->carry_len : (uint32_t)frames;
        for (uint32_t c = 0; c < ch; c++)
            memcpy(out + (size_t)c * stride, ctx->carry + (size_t)c * LS_Q + ctx->carry_pos,
                   sizeof(float) * n);
        ctx->carry_pos += n;
        ctx->carry_len -= n;
        got = n;
    }
    while (got < frames && ctx->carry_len == 0) {
        pos = atomic_load(&ctx->frame);
        uint64_t end = ctx->end_frame;
        if (pos >= end)
            break;
        if (ctx->suspend_count && ctx->suspends[0] == pos) {
            suspended = true;
            break;
        }
        uint64_t stop = ctx->suspend_count && ctx->suspends[0] < end ? ctx->suspends[0] : end;
        uint64_t left = frames - got;
        float *dst = out + got;
        if (left >= LS_Q && stop - pos >= LS_Q) {
            /* whole quanta straight into the caller's memory; one at a time
             * when each must be looked at for the end of an open render */
            uint64_t n = (left < stop - pos ? left : stop - pos) / LS_Q;
            if (n > 16 || ctx->open_end)
                n = ctx->open_end ? 1 : 16;
            uint32_t done_q = ls__render_quanta(ctx, dst, (uint32_t)n, stride);
            if (ctx->open_end && tail_reached(ctx, dst, stride, LS_Q))
                ctx->end_frame = atomic_load(&ctx->frame);
            got += (uint64_t)done_q * LS_Q;
            since_collect += done_q;
        } else {
            /* a quantum through the carry block: the caller takes what it
             * asked for (and what lies inside the length), the rest waits */
            ls__render_quanta(ctx, ctx->carry, 1, LS_Q);
            uint32_t valid = stop - pos < LS_Q ? (uint32_t)(stop - pos) : LS_Q;
            if (end - pos < LS_Q)
                valid = (uint32_t)(end - pos);
            if (ctx->open_end && tail_reached(ctx, ctx->carry, LS_Q, valid))
                ctx->end_frame = atomic_load(&ctx->frame);
            uint32_t n = left < valid ? (uint32_t)left : valid;
            for (uint32_t c = 0; c < ch; c++)
                memcpy(dst + (size_t)c * stride, ctx->carry + (size_t)c * LS_Q, sizeof(float) * n);
            ctx->carry_pos = n;
            ctx->carry_len = valid - n;
            got += n;
            since_collect++;
        }
        if (since_collect >= 16) {
            since_collect = 0;
            ls_context_collect(ctx);   /* reclaim finished nodes as render() does */
        }
    }
    fp_mode_set(caller_fp);
    ls__on_render_thread = 0;

    ls__lock(ctx);
    atomic_store(&ctx->rendering, 0);
    ctx->delivered += got;
    *rendered = got;
    pos = atomic_load(&ctx->frame);
    if (ctx->carry_len == 0 && pos >= ctx->end_frame) {
        ctx->rendered = 1;
        set_state_locked(ctx, LS_CONTEXT_STATE_CLOSED);
        ls__script_context_done(ctx);
    } else if (suspended) {
        ctx->suspend_count--;
        memmove(ctx->suspends, ctx->suspends + 1, sizeof(uint64_t) * ctx->suspend_count);
        set_state_locked(ctx, LS_CONTEXT_STATE_SUSPENDED);
    }
    ls__unlock(ctx);
    return LS_OK;
}

uint64_t ls_offline_context_frames_delivered(const ls_context *ctx)
{
    return ctx ? ctx->delivered : 0;
}
