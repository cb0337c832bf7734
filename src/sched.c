/*
 * Scheduled sources (AudioScheduledSourceNode): start/stop on the control
 * side, the per-quantum play range and the ended notice on the render side.
 */
#include "engine.h"

#include <math.h>

/* control, under lock: the ended notice reached the control side. */
static void ended_dispose(ls_context *ctx, ls_returnable *item)
{
    ls_proc *p = (ls_proc *)((char *)item - offsetof(ls_proc, ended));
    ls_node *node = p->node;
    atomic_store(&node->source_state, 2);
    double t = p->sched.stop_time;
    if (!(t >= p->sched.start_time))
        t = p->sched.start_time;
    ls__queue_event(ctx, LS_EVENT_ENDED, node, t);
}

/* control: called by every source's create function (sets up the notice). */
void ls__sched_init(ls_proc *p)
{
    p->is_source = 1;
    p->node->is_source = 1;
    p->ended.dispose = ended_dispose;
    p->sched.start_time = 0;
    p->sched.stop_time = INFINITY;
}

/* render: the source is done; hand the ended notice back once. */
static void mark_ended(ls_proc *p, ls_sched *s, ls_render *r)
{
    s->ended = 1;
    if (!p->ended_sent) {
        p->ended_sent = 1;
        ls__give_back(r->ctx, &p->ended);
    }
}

/* Times given as frame / rate in seconds come back a rounding error off the
 * frame (45 * 30 / 8000 * 48000 is 8100.000000000001): within a millionth of
 * a frame they are taken as that frame, so back-to-back sources scheduled at
 * whole frames neither leave a silent frame between them nor overlap. */
static inline double snap_frame(double f)
{
    if (!(fabs(f) < 1e15))
        return f;
    double r = floor(f + 0.5);
    return fabs(f - r) < 1e-6 ? r : f;
}

bool ls__sched_range(ls_proc *p, ls_sched *s, ls_render *r, uint32_t *begin, uint32_t *end,
                     double *start_offset)
{
    *begin = *end = 0;
    *start_offset = 0;
    if (!s->started || s->ended)
        return false;
    if (s->start_frame < r->frame && s->stop_time == INFINITY) {
        /* playing since before this quantum, no stop scheduled: all of it */
        *begin = 0;
        *end = LS_Q;
        return true;
    }
    double sr = r->sample_rate;
    uint64_t q0 = r->frame, q1 = r->frame + LS_Q;
    double start_exact = snap_frame(s->start_time * sr);
    double start_f = ceil(start_exact);
    /* A start time in the past plays from now. */
    uint64_t start = start_f <= (double)q0 ? q0 : (start_f >= 1.8e19 ? UINT64_MAX : (uint64_t)start_f);
    double stop_exact = snap_frame(s->stop_time * sr);
    uint64_t stop;
    if (!(stop_exact < 1.8e19))
        stop = UINT64_MAX;
    else
        stop = (uint64_t)ceil(stop_exact);
    if (stop <= start) {
        /* stopped before it started: ends when its start time comes */
        if (start < q1 || stop <= q0) {
            mark_ended(p, s, r);
        }
        return false;
    }
    if (start >= q1)
        return false;
    uint64_t b = start > q0 ? start : q0;
    uint64_t e = stop < q1 ? stop : q1;
    if (e <= b) {
        mark_ended(p, s, r);
        return false;
    }
    *begin = (uint32_t)(b - q0);
    *end = (uint32_t)(e - q0);
    /* how far the first played frame lies after the exact start time */
    /* (a start time already past when the message arrived starts now, phase 0) */
    *start_offset = start_exact > (double)q0 - 1.0 ? (double)b - start_exact : 0.0;
    if (e == stop && stop <= q1) {
        mark_ended(p, s, r);
    }
    return true;
}

static bool finite_time(double t)
{
    return isfinite(t) && t >= 0;
}

ls_result ls_source_start(ls_node *node, double when)
{
    if (!node || !node->is_source)
        return LS_ERROR_INVALID_ARGUMENT;
    if (!finite_time(when))
        return LS_ERROR_RANGE;
    ls_context *ctx = node->ctx;
    ls__lock(ctx);
    if (node->started) {
        ls__unlock(ctx);
        return LS_ERROR_INVALID_STATE;
    }
    node->started = true;
    atomic_store(&node->source_state, 1);
    ls_msg m = {0};
    m.type = LS_MSG_NODE;
    m.key = LS_NODE_MSG_START;
    m.target.proc = node->proc;
    m.d0 = when;
    ls__post(ctx, &m);
    ls__record_call(node, LS_CALL_RECORD_START, when, 0.0, -1.0, 0);
    ls__unlock(ctx);
    return LS_OK;
}

ls_result ls_source_stop(ls_node *node, double when)
{
    if (!node || !node->is_source)
        return LS_ERROR_INVALID_ARGUMENT;
    if (!finite_time(when))
        return LS_ERROR_RANGE;
    ls_context *ctx = node->ctx;
    ls__lock(ctx);
    if (!node->started) {
        ls__unlock(ctx);
        return LS_ERROR_INVALID_STATE;
    }
    node->stop_called = true;
    ls_msg m = {0};
    m.type = LS_MSG_NODE;
    m.key = LS_NODE_MSG_STOP;
    m.target.proc = node->proc;
    m.d0 = when;
    ls__post(ctx, &m);
    ls__record_call(node, LS_CALL_RECORD_STOP, when, 0.0, -1.0, 0);
    ls__unlock(ctx);
    return LS_OK;
}

int ls_source_is_playing(const ls_node *node)
{
    return node && node->is_source && atomic_load(&((ls_node *)node)->source_state) == 1;
}
