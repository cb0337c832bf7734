/*
 * AudioParam: the control half (validation, the overlap rules, the value
 * getter) and the render half (the automation timeline, computed once per
 * quantum).
 *
 * The timeline
 * ------------
 * The render side keeps the events that still matter in a list sorted by
 * time (ramps by their end time, curves by their start time), events of equal
 * time in the order they arrived. Everything that has finished is folded into
 * one point, (r.prev_time, r.prev_value): the time and value at which the last
 * finished event left the parameter. That point is where a following ramp
 * starts, and the value held while no event is running. r.prev_time < 0 means
 * no event has finished yet; the value is then r.intrinsic.
 *
 * The head of the list is the only event that may be running:
 *   - a ramp at the head runs from the folded point to its own time;
 *   - a set-target at the head whose time has come runs from its time, with
 *     the folded value as V0, until the next event starts;
 *   - a value curve at the head whose time has come runs until its end or
 *     the start of the next event (only a cancel-and-hold puts one there).
 * Anything else at the head has not started, and the folded value holds.
 *
 * Advancing to a time t folds every event settled by t into the point and
 * gives it back to the control side. The same walk, run on a copy of the
 * state without giving anything back, answers "what would the value be at
 * t" for cancel-and-hold.
 */
#include "param.h"
#include "dsp/simd.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Events                                                              */
/* ------------------------------------------------------------------ */

/* control, under lock (from ls__collect_locked): free an event the render
 * side gave back, or one that was never posted. */
static void event_dispose(ls_context *ctx, ls_returnable *item)
{
    ls_param_event *ev = (ls_param_event *)item;
    (void)ctx;
    free(ev->curve);
    free(ev);
}

/* control: a zeroed event that frees itself when given back. */
static ls_param_event *event_new(ls_param_event_type type)
{
    ls_param_event *ev = calloc(1, sizeof *ev);
    if (!ev)
        return NULL;
    ev->ret.dispose = event_dispose;
    ev->type = type;
    return ev;
}

static inline bool is_ramp(const ls_param_event *e)
{
    return e->type == LS_PEV_LINEAR_RAMP || e->type == LS_PEV_EXPONENTIAL_RAMP;
}

/* ------------------------------------------------------------------ */
/* The spec's formulas (any thread; pure)                              */
/* ------------------------------------------------------------------ */

/* Linear or exponential ramp e from (t0, v0) to (e->time, e->value), at t. */
static double ramp_value(const ls_param_event *e, double t0, double v0, double t)
{
    const double t1 = e->time, v1 = e->value;
    if (t >= t1 || t1 <= t0)
        return v1;
    if (t < t0)
        t = t0;
    const double x = (t - t0) / (t1 - t0);
    if (e->type == LS_PEV_LINEAR_RAMP)
        return v0 + (v1 - v0) * x;
    /* exponential: hold V0 when it is zero or has the other sign than V1 */
    if (v0 == 0.0 || (v0 < 0.0) != (v1 < 0.0))
        return v0;
    return v0 * pow(v1 / v0, x);
}

/* Set-target e started at e->time from v0, at t >= e->time. */
static double target_value(const ls_param_event *e, double v0, double t)
{
    const double v1 = e->value;
    if (e->time_constant == 0.0)
        return t >= e->time ? v1 : v0;
    if (t <= e->time)
        return v0;
    return v1 + (v0 - v1) * exp(-(t - e->time) / e->time_constant);
}

/* Value curve e at t, sampled with its full duration. */
static double curve_value(const ls_param_event *e, double t)
{
    const uint32_t n = e->curve_len;
    const float *c = e->curve;
    if (t >= e->time + e->duration)
        return c[n - 1];
    double pos = (t - e->time) * (double)(n - 1) / e->duration;
    if (!(pos > 0.0))
        return c[0];
    double k = floor(pos);
    if (k >= (double)(n - 1))
        return c[n - 1];
    uint32_t i = (uint32_t)k;
    return c[i] + ((double)c[i + 1] - (double)c[i]) * (pos - k);
}

/* Where a value curve stops: its start plus its duration, or earlier when
 * the next event (a cancel-and-hold's held value) starts inside it. */
static double curve_end(const ls_param_event *e)
{
    double end = e->time + e->duration;
    if (e->next && e->next->time < end)
        end = e->next->time < e->time ? e->time : e->next->time;
    return end;
}

/* ------------------------------------------------------------------ */
/* Render side: walking the timeline                                   */
/* ------------------------------------------------------------------ */

/* The timeline's state: the first event not yet settled and the folded
 * point (see the file comment). */
typedef struct tl_state {
    ls_param_event *head;
    double pt;
    float pv;
} tl_state;

static inline float tl_base(const tl_state *s, float intrinsic)
{
    return s->pt >= 0.0 ? s->pv : intrinsic;
}

/* Any thread: fold into s every event settled at time t. Pure: touches only
 * *s (the render side commits the result; cancel-and-hold only looks). */
static void tl_advance(tl_state *s, double t, float intrinsic)
{
    for (;;) {
        ls_param_event *e = s->head;
        if (!e || e->time > t)
            return;
        ls_param_event *n = e->next;
        switch (e->type) {
        case LS_PEV_SET_VALUE:
        case LS_PEV_LINEAR_RAMP:
        case LS_PEV_EXPONENTIAL_RAMP:
            s->pt = e->time;
            s->pv = e->value;
            s->head = n;
            continue;
        case LS_PEV_SET_TARGET:
            /* V0 is the value at the target's start; fix it there */
            s->pv = tl_base(s, intrinsic);
            s->pt = e->time;
            if (n && is_ramp(n)) {
                /* a ramp that follows a set-target that had not started when
                 * the ramp was scheduled replaces it: the ramp starts at the
                 * target's time from the value just before it */
                s->head = n;
                continue;
            }
            if (n && n->time <= t) {
                s->pv = (float)target_value(e, s->pv, n->time);
                s->pt = n->time;
                s->head = n;
                continue;
            }
            return;                 /* running */
        case LS_PEV_SET_VALUE_CURVE: {
            double end = curve_end(e);
            if (t < end)
                return;             /* running */
            s->pv = (float)curve_value(e, end);
            s->pt = end;
            s->head = n;
            continue;
        }
        }
        return;
    }
}

/* Any thread: the intrinsic value at t, for a state already advanced to t. */
static double tl_value(const tl_state *s, double t, float intrinsic)
{
    const ls_param_event *e = s->head;
    if (!e)
        return tl_base(s, intrinsic);
    if (is_ramp(e)) {
        if (s->pt < 0.0)
            return ramp_value(e, t, intrinsic, t);
        return ramp_value(e, s->pt, s->pv, t);
    }
    if (e->time > t)
        return tl_base(s, intrinsic);
    if (e->type == LS_PEV_SET_TARGET)
        return target_value(e, s->pv, t);
    if (e->type == LS_PEV_SET_VALUE_CURVE)
        return curve_value(e, t);
    return tl_base(s, intrinsic);
}

static inline tl_state tl_get(const ls_param *p)
{
    tl_state s = {p->r.head, p->r.prev_time, p->r.prev_value};
    return s;
}

/* render: unlink e from the timeline. */
static void tl_unlink(ls_param *p, ls_param_event *e)
{
    if (e->prev)
        e->prev->next = e->next;
    else
        p->r.head = e->next;
    if (e->next)
        e->next->prev = e->prev;
    else
        p->r.tail = e->prev;
    e->next = e->prev = NULL;
}

/* render: unlink e and give it back. */
static void tl_drop(ls_param *p, ls_render *r, ls_param_event *e)
{
    tl_unlink(p, e);
    ls__give_back(r->ctx, &e->ret);
}

/* render: unlink and give back every event after e (all when e is NULL). */
static void tl_drop_after(ls_param *p, ls_render *r, ls_param_event *e)
{
    ls_param_event *x = e ? e->next : p->r.head;
    while (x) {
        ls_param_event *n = x->next;
        ls__give_back(r->ctx, &x->ret);
        x = n;
    }
    if (e) {
        e->next = NULL;
        p->r.tail = e;
    } else {
        p->r.head = p->r.tail = NULL;
    }
}

/* render: advance the real timeline to t, giving back what it settled. */
static void tl_commit_advance(ls_param *p, ls_render *r, double t)
{
    tl_state s = tl_get(p);
    tl_advance(&s, t, p->r.intrinsic);
    ls_param_event *e = p->r.head;
    while (e != s.head) {
        ls_param_event *n = e->next;    /* read before the control side may free e */
        ls__give_back(r->ctx, &e->ret);
        e = n;
    }
    p->r.head = s.head;
    if (s.head)
        s.head->prev = NULL;
    else
        p->r.tail = NULL;
    p->r.prev_time = s.pt;
    p->r.prev_value = s.pv;
}

/* render: the time of the next frame to render. */
static inline double render_now(const ls_render *r)
{
    uint64_t frame = atomic_load_explicit(&r->ctx->frame, memory_order_relaxed);
    return (double)frame / r->sample_rate;
}

/* render: link a new event in time order, after events of the same time. */
static void tl_insert(ls_param *p, ls_render *r, ls_param_event *ev)
{
    ls_param_event *after = p->r.tail;
    while (after && after->time > ev->time)
        after = after->prev;
    ev->prev = after;
    ev->next = after ? after->next : p->r.head;
    if (ev->next)
        ev->next->prev = ev;
    else
        p->r.tail = ev;
    if (after)
        after->next = ev;
    else
        p->r.head = ev;

    const double now = render_now(r);
    ls_param_event *pr = ev->prev;
    if (!pr) {
        /* a ramp with no event before it starts from the current value now,
         * as if setValueAtTime(value, currentTime) had been called */
        if (is_ramp(ev) && p->r.prev_time < 0.0) {
            p->r.prev_time = now;
            p->r.prev_value = p->r.intrinsic;
        }
        return;
    }
    if (is_ramp(ev) && pr->type == LS_PEV_SET_TARGET && !pr->prev && pr->time <= now) {
        /* a ramp after a set-target that has started: T0 is the current time
         * and V0 the target's value then */
        tl_state s = tl_get(p);
        float v0 = tl_base(&s, p->r.intrinsic);
        p->r.prev_value = (float)target_value(pr, v0, now);
        p->r.prev_time = now;
        tl_drop(p, r, pr);
        return;
    }
    if (ev->type == LS_PEV_SET_VALUE && pr->type == LS_PEV_SET_VALUE && pr->time == ev->time) {
        /* shadowed for good: nothing can come between the two any more */
        tl_drop(p, r, pr);
    }
}

/* render: cancelScheduledValues(tc). */
static void tl_cancel(ls_param *p, ls_render *r, double tc)
{
    ls_param_event *e = p->r.head;
    while (e && !(e->time >= tc || (e->type == LS_PEV_SET_VALUE_CURVE && tc <= curve_end(e))))
        e = e->next;
    if (e)
        tl_drop_after(p, r, e->prev);
}

/* render: cancelAndHoldAtTime(tc); hold is a spare set-value event. */
static void tl_cancel_and_hold(ls_param *p, ls_render *r, double tc, ls_param_event *hold)
{
    const double now = render_now(r);
    if (tc < now)
        tc = now;
    tl_state s = tl_get(p);
    tl_advance(&s, tc, p->r.intrinsic);
    ls_param_event *e = s.head;   /* the first event not settled at tc */
    bool used = false;
    if (!e) {
        /* nothing after tc */
    } else if (is_ramp(e)) {
        /* E2 is a ramp: it now ends at tc, at the value it had there */
        float v = (float)tl_value(&s, tc, p->r.intrinsic);
        e->time = tc;
        e->value = v;
        tl_drop_after(p, r, e);
    } else if (e->time <= tc) {
        /* a set-target or a value curve running at tc: hold its value there */
        float v = (float)tl_value(&s, tc, p->r.intrinsic);
        tl_drop_after(p, r, e);
        if (hold) {
            hold->type = LS_PEV_SET_VALUE;
            hold->time = tc;
            hold->value = v;
            hold->prev = e;
            hold->next = NULL;
            e->next = hold;
            p->r.tail = hold;
            used = true;
        }
    } else {
        /* e and everything after it lie after tc */
        tl_drop_after(p, r, e->prev);
    }
    if (hold && !used)
        ls__give_back(r->ctx, &hold->ret);
}

/* render: apply LS_MSG_PARAM_EVENT / _CANCEL / _RATE. Runs on the render
 * thread, or on a control thread holding the lock when it applies queued
 * messages itself (idle offline context); it never allocates either way. */
void ls__param_on_message(ls_param *p, ls_render *r, const ls_msg *m)
{
    switch (m->type) {
    case LS_MSG_PARAM_EVENT:
        tl_insert(p, r, (ls_param_event *)m->ptr);
        break;
    case LS_MSG_PARAM_CANCEL:
        if (m->i0)
            tl_cancel_and_hold(p, r, m->d0, (ls_param_event *)m->ptr);
        else
            tl_cancel(p, r, m->d0);
        break;
    case LS_MSG_PARAM_RATE:
        p->r.rate = (ls_automation_rate)m->i0;
        break;
    default:
        break;
    }
}

/* ------------------------------------------------------------------ */
/* Render side: one quantum                                            */
/* ------------------------------------------------------------------ */

/* y[i] = v * step^i for i < n, as four interleaved products (step^4 per
 * lane) so the multiplications do not wait on one another. */
static void geometric_fill(float *y, uint32_t n, double v, double step)
{
    const double s2 = step * step, s4 = s2 * s2;
    double a = v, b = v * step, c = v * s2, d = b * s2;
    uint32_t i = 0;
    for (; i + 4 <= n; i += 4) {
        y[i] = (float)a;
        y[i + 1] = (float)b;
        y[i + 2] = (float)c;
        y[i + 3] = (float)d;
        a *= s4;
        b *= s4;
        c *= s4;
        d *= s4;
    }
    double tail[3] = {a, b, c};
    for (uint32_t j = 0; i < n; i++, j++)
        y[i] = (float)tail[j];
}

/* A linear ramp from (t0, v0) to (t1, v1) over n frames from frame f, in the
 * reference implementation's arithmetic, so that renders match Chromium's
 * to the bit (a ramped DelayNode delay time reads its line at positions
 * that one ulp of the time moves by 1e-4 frames; the exact ramp in double
 * precision would be 14 ulps away from Chromium's at worst).
 *
 * Four frames at a time: the first four are v0 + (f / sr - t0 + j / sr) k dv
 * in single precision (j = 0..3, k = 1 / (t1 - t0), dv = v1 - v0), then
 * each group adds 4 k dv / sr to the one before; the last n % 4 frames are
 * v0 + x dv with x = (frame / sr - t0) k. Within a quantum the sum drifts
 * by a few ulps at most (its error against the spec's formula stays below
 * 2e-6 of the ramp's span). */
static void linear_fill(float *restrict y, uint32_t n, uint64_t f, double sr, double t0, float v0,
                        double t1, float v1)
{
    const double span = t1 - t0;
    const float k = span <= (double)FLT_MIN ? 0.0f : (float)(1.0 / span);
    const float dv = v1 - v0;
    uint32_t i = 0;
    if (n >= 4) {
        const float per = (float)(1.0 / sr), at = (float)((double)f / sr - t0), kdv = k * dv;
        const float inc = (float)(4.0 / sr * (double)k * (double)dv);
        float v[4];
        for (int j = 0; j < 4; j++)
            v[j] = (per * (float)j + at) * kdv + v0;
        for (; i + 4 <= n; i += 4)
            for (int j = 0; j < 4; j++) {
                y[i + j] = v[j];
                v[j] += inc;
            }
    }
    for (; i < n; i++) {
        const float x = (float)(((double)(f + i) / sr - t0) * (double)k);
        y[i] = v0 + x * dv;
    }
}

/* out[i] (+ in[i] when in is set), NaN replaced by def, clamped to [lo, hi] */
static LS_VEC_FN void finish_values(float *restrict out, const float *restrict in, float def,
                                    float lo, float hi)
{
    if (in)
        for (uint32_t i = 0; i < LS_Q; i++)
            out[i] += in[i];
    for (uint32_t i = 0; i < LS_Q; i++) {
        float c = out[i];
        c = c != c ? def : c;
        out[i] = ls__clampf(c, lo, hi);
    }
}

static inline void fill(float *dst, uint32_t n, float v)
{
    for (uint32_t i = 0; i < n; i++)
        dst[i] = v;
}

/* The first frame index j in (k, LS_Q] whose time (f0 + j) / sr is at or
 * after t; LS_Q when none in this quantum. Uses the same expression for a
 * frame's time as the walk, so the walk sees the change at that frame. */
static uint32_t frame_at(double t, uint64_t f0, double sr, uint32_t k)
{
    if (!(t <= (double)(f0 + LS_Q - 1) / sr))
        return LS_Q;
    double x = ceil(t * sr - (double)f0);
    uint32_t j = x <= (double)(k + 1) ? k + 1 : (x >= (double)LS_Q ? LS_Q : (uint32_t)x);
    while (j > k + 1 && (double)(f0 + j - 1) / sr >= t)
        j--;
    while (j < LS_Q && (double)(f0 + j) / sr < t)
        j++;
    return j;
}

/* render: the a-rate intrinsic values of this quantum, segment by segment.
 * Returns true when the whole quantum is one constant value (only out[0] is
 * then written). */
static bool render_arate(ls_param *p, ls_render *r, float *out)
{
    const double sr = r->sample_rate, dt = 1.0 / sr;
    const uint64_t f0 = r->frame;
    uint32_t k = 0;
    while (k < LS_Q) {
        const double t = (double)(f0 + k) / sr;
        tl_commit_advance(p, r, t);
        const ls_param_event *e = p->r.head;
        tl_state s = tl_get(p);
        const float base = tl_base(&s, p->r.intrinsic);
        if (!e) {
            if (k == 0) {
                out[0] = base;
                return true;
            }
            fill(out + k, LS_Q - k, base);
            return false;
        }
        const bool running = e->time <= t;
        double change;
        if (is_ramp(e))
            change = e->time;
        else if (!running)
            change = e->time;
        else if (e->type == LS_PEV_SET_TARGET)
            change = e->next ? e->next->time : INFINITY;
        else
            change = curve_end(e);
        const uint32_t k2 = frame_at(change, f0, sr, k);
        const uint32_t n = k2 - k;
        float *y = out + k;
        if (k == 0 && k2 == LS_Q) {
            /* one segment: is it flat? */
            if (!is_ramp(e) && !running) {
                out[0] = base;
                return true;
            }
            if (!is_ramp(e) && e->type == LS_PEV_SET_TARGET) {
                const double v1 = e->value;
                if (e->time_constant == 0.0 ||
                    (float)(v1 + (s.pv - v1) * exp(-(t - e->time) / e->time_constant)) == (float)v1) {
                    out[0] = (float)v1;
                    return true;
                }
            }
        }

        if (is_ramp(e)) {
            const double t0 = s.pt >= 0.0 ? s.pt : t, v0 = s.pt >= 0.0 ? s.pv : base;
            const double t1 = e->time, v1 = e->value;
            if (t1 <= t0) {
                fill(y, n, (float)v1);
            } else if (e->type == LS_PEV_LINEAR_RAMP) {
                linear_fill(y, n, f0 + k, sr, t0, (float)v0, t1, (float)v1);
            } else if (v0 == 0.0 || (v0 < 0.0) != (v1 < 0.0)) {
                fill(y, n, (float)v0);
            } else {
                /* v(t) = v0 (v1/v0)^((t-t0)/(t1-t0)): one pow, then a
                 * constant ratio per frame */
                const double ratio = v1 / v0, span = t1 - t0;
                geometric_fill(y, n, v0 * pow(ratio, (t - t0) / span), pow(ratio, dt / span));
            }
        } else if (!running) {
            fill(y, n, base);
        } else if (e->type == LS_PEV_SET_TARGET) {
            const double v1 = e->value, v0 = s.pv;
            if (e->time_constant == 0.0) {
                fill(y, n, (float)v1);
            } else {
                /* v(t) = v1 + (v0 - v1) e^(-(t - T0)/tau): one exp, then a
                 * constant factor per frame */
                double d = (v0 - v1) * exp(-(t - e->time) / e->time_constant);
                if ((float)(v1 + d) == (float)v1) {
                    fill(y, n, (float)v1);   /* converged as far as float can tell */
                } else {
                    const double factor = exp(-dt / e->time_constant);
                    for (uint32_t i = 0; i < n; i++) {
                        y[i] = (float)(v1 + d);
                        d *= factor;
                    }
                }
            }
        } else {
            for (uint32_t i = 0; i < n; i++)
                y[i] = (float)curve_value(e, t + (double)i * dt);
        }
        k = k2;
    }
    return false;
}

/* render: this quantum's computed values (see param.h). No allocation, no
 * locks; a quantum with no running event costs a fill of 128 floats. */
const float *ls__param_render(ls_param *p, ls_render *r, bool *constant)
{
    float *out = p->r.values;
    const float lo = p->min_value, hi = p->max_value, def = p->default_value;
    const bool krate = p->r.rate == LS_AUTOMATION_RATE_K_RATE;
    const bool has_inputs = p->r.inputs && ls__param_gather_inputs(p, r, p->r.inputs_mix);
    const float *in = p->r.inputs_mix;
    float first, last;
    bool is_const;

    bool uniform = !p->r.head || krate;
    float v = 0.0f;
    if (!p->r.head) {
        tl_state s = tl_get(p);
        v = tl_base(&s, p->r.intrinsic);
    } else if (krate) {
        const double t = (double)r->frame / r->sample_rate;
        tl_commit_advance(p, r, t);
        tl_state s = tl_get(p);
        v = (float)tl_value(&s, t, p->r.intrinsic);
    } else if ((p->r.const_filled = false, render_arate(p, r, out))) {
        uniform = true;
        v = out[0];
    }

    if (uniform) {
        /* one intrinsic value for the whole quantum */
        first = last = v;
        if (!has_inputs || krate) {
            float c = has_inputs ? v + in[0] : v;
            if (c != c)
                c = def;
            c = ls__clampf(c, lo, hi);
            /* values[] still holds this constant from the last quantum? */
            unsigned bits = ls__float_bits(c);
            if (!p->r.const_filled || p->r.const_bits != bits) {
                fill(out, LS_Q, c);
                p->r.const_filled = true;
                p->r.const_bits = bits;
            }
            is_const = true;
        } else {
            p->r.const_filled = false;
            for (uint32_t i = 0; i < LS_Q; i++) {
                float c = v + in[i];
                c = c != c ? def : c;
                out[i] = ls__clampf(c, lo, hi);
            }
            is_const = false;
        }
    } else {
        p->r.const_filled = false;
        first = out[0];
        last = out[LS_Q - 1];
        finish_values(out, has_inputs ? in : NULL, def, lo, hi);
        uint32_t i = 1;
        while (i < LS_Q && out[i] == out[0])
            i++;
        is_const = i == LS_Q;
    }

    p->r.intrinsic = last;
    /* [[current value]]: the intrinsic value at the start of the quantum */
    atomic_store_explicit(&p->value_bits, ls__float_bits(first), memory_order_relaxed);
    *constant = is_const;
    return out;
}

/* ------------------------------------------------------------------ */
/* Control side: the mirror of scheduled times and curve spans         */
/* ------------------------------------------------------------------ */

/* First index whose time is > t (or >= t when inclusive). */
static uint32_t times_bound(const ls_param *p, double t, bool inclusive)
{
    uint32_t lo = 0, hi = p->time_count;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        double x = p->times[mid].time;
        if (inclusive ? x < t : x <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* control: forget what can no longer matter at time now: events before now
 * but the latest of them (cancel-and-hold may need its type), curve spans
 * that ended. */
static void ctl_prune(ls_param *p, double now)
{
    uint32_t i = times_bound(p, now, true);
    if (i > 1) {
        memmove(p->times, p->times + (i - 1), sizeof(ls_ctl_time) * (p->time_count - (i - 1)));
        p->time_count -= i - 1;
    }
    uint32_t w = 0;
    for (uint32_t k = 0; k < p->span_count; k++)
        if (p->spans[k].end > now)
            p->spans[w++] = p->spans[k];
    p->span_count = w;
}

static bool times_reserve(ls_param *p, uint32_t extra)
{
    if (p->time_count + extra <= p->time_cap)
        return true;
    uint32_t cap = p->time_cap ? p->time_cap * 2 : 8;
    while (cap < p->time_count + extra)
        cap *= 2;
    ls_ctl_time *t = realloc(p->times, sizeof *t * cap);
    if (!t)
        return false;
    p->times = t;
    p->time_cap = cap;
    return true;
}

static bool spans_reserve(ls_param *p, uint32_t extra)
{
    if (p->span_count + extra <= p->span_cap)
        return true;
    uint32_t cap = p->span_cap ? p->span_cap * 2 : 4;
    while (cap < p->span_count + extra)
        cap *= 2;
    ls_curve_span *s = realloc(p->spans, sizeof *s * cap);
    if (!s)
        return false;
    p->spans = s;
    p->span_cap = cap;
    return true;
}

/* control: record an event time (room reserved). A set-value at the time of
 * an earlier set-value changes nothing the checks look at: not recorded. */
static void times_add(ls_param *p, double t, ls_param_event_type type)
{
    uint32_t i = times_bound(p, t, false);
    if (i > 0 && type == LS_PEV_SET_VALUE && p->times[i - 1].time == t &&
        p->times[i - 1].type == LS_PEV_SET_VALUE)
        return;
    memmove(p->times + i + 1, p->times + i, sizeof(ls_ctl_time) * (p->time_count - i));
    p->times[i].time = t;
    p->times[i].type = type;
    p->time_count++;
    if (t > p->last_event_time)
        p->last_event_time = t;
}

static void times_truncate(ls_param *p, uint32_t count)
{
    if (count < p->time_count)
        p->time_count = count;
    p->last_event_time = p->time_count ? p->times[p->time_count - 1].time : -1.0;
}

/* Is t inside a scheduled value curve, [start, end)? */
static bool in_curve(const ls_param *p, double t)
{
    for (uint32_t k = 0; k < p->span_count; k++)
        if (p->spans[k].start <= t && t < p->spans[k].end)
            return true;
    return false;
}

/* ------------------------------------------------------------------ */
/* Control side: the public functions                                  */
/* ------------------------------------------------------------------ */

static inline bool valid_time(double t)
{
    return isfinite(t) && t >= 0.0;
}

/* control, under lock: the time an event is scheduled at: times before the
 * current time are clamped to it. Also prunes the mirror. */
static double ctl_time(ls_param *p, double t)
{
    double now = ls_context_current_time(p->node->ctx);
    ctl_prune(p, now);
    return t < now ? now : t;
}

/* control, under lock: record and post an event at ev->time (already
 * clamped and checked). Frees ev on failure. */
static ls_result ctl_schedule(ls_param *p, ls_param_event *ev, double record_time)
{
    bool curve = ev->type == LS_PEV_SET_VALUE_CURVE;
    if (!times_reserve(p, 1) || (curve && !spans_reserve(p, 1))) {
        event_dispose(NULL, &ev->ret);
        return LS_ERROR_NO_MEM;
    }
    times_add(p, record_time, ev->type);
    if (curve) {
        p->spans[p->span_count].start = ev->time;
        p->spans[p->span_count].end = ev->time + ev->duration;
        p->span_count++;
    }
    ls_msg m = {0};
    m.type = LS_MSG_PARAM_EVENT;
    m.target.param = p;
    m.ptr = ev;
    ls__post(p->node->ctx, &m);
    return LS_OK;
}

/* control: the common body of the four single-value automation methods. */
static ls_result schedule_simple(ls_param *p, ls_param_event_type type, float value, double time,
                                 double time_constant)
{
    ls_context *ctx = p->node->ctx;
    ls__lock(ctx);
    double t = ctl_time(p, time);
    ls_result res;
    if (in_curve(p, t)) {
        res = LS_ERROR_NOT_SUPPORTED;
    } else {
        ls_param_event *ev = event_new(type);
        if (!ev) {
            res = LS_ERROR_NO_MEM;
        } else {
            ev->value = value;
            ev->time = t;
            ev->time_constant = time_constant;
            res = ctl_schedule(p, ev, t);
        }
    }
    if (res == LS_OK) {
        /* the record types of the four share the event types' numbers */
        ls_param_record rec = {0};
        rec.type = (ls_param_record_type)type;
        rec.value = value;
        rec.time = time;
        rec.time_constant = time_constant;
        ls__record_param(p, &rec);
    }
    ls__unlock(ctx);
    return res;
}

/** Control thread. Errors: RANGE, NOT_SUPPORTED, NO_MEM, INVALID_ARGUMENT. */
ls_result ls_param_set_value_at_time(ls_param *p, float value, double start_time)
{
    if (!p)
        return LS_ERROR_INVALID_ARGUMENT;
    if (!isfinite(value) || !valid_time(start_time))
        return LS_ERROR_RANGE;
    return schedule_simple(p, LS_PEV_SET_VALUE, value, start_time, 0.0);
}

/** Control thread. Errors: RANGE, NOT_SUPPORTED, NO_MEM, INVALID_ARGUMENT. */
ls_result ls_param_linear_ramp_to_value_at_time(ls_param *p, float value, double end_time)
{
    if (!p)
        return LS_ERROR_INVALID_ARGUMENT;
    if (!isfinite(value) || !valid_time(end_time))
        return LS_ERROR_RANGE;
    return schedule_simple(p, LS_PEV_LINEAR_RAMP, value, end_time, 0.0);
}

/** Control thread. Errors: RANGE (also for value 0), NOT_SUPPORTED, NO_MEM,
 *  INVALID_ARGUMENT. */
ls_result ls_param_exponential_ramp_to_value_at_time(ls_param *p, float value, double end_time)
{
    if (!p)
        return LS_ERROR_INVALID_ARGUMENT;
    if (!isfinite(value) || value == 0.0f || !valid_time(end_time))
        return LS_ERROR_RANGE;
    return schedule_simple(p, LS_PEV_EXPONENTIAL_RAMP, value, end_time, 0.0);
}

/** Control thread. Errors: RANGE (also for a negative or non-finite time
 *  constant), NOT_SUPPORTED, NO_MEM, INVALID_ARGUMENT. */
ls_result ls_param_set_target_at_time(ls_param *p, float target, double start_time,
                                      double time_constant)
{
    if (!p)
        return LS_ERROR_INVALID_ARGUMENT;
    if (!isfinite(target) || !valid_time(start_time) || !isfinite(time_constant) ||
        time_constant < 0.0)
        return LS_ERROR_RANGE;
    return schedule_simple(p, LS_PEV_SET_TARGET, target, start_time, time_constant);
}

/** Control thread. Errors: INVALID_STATE (fewer than 2 points), RANGE (a
 *  non-finite point, a bad start time, a duration not finite and positive),
 *  NOT_SUPPORTED (events inside the curve, or the curve inside another),
 *  NO_MEM, INVALID_ARGUMENT. */
ls_result ls_param_set_value_curve_at_time(ls_param *p, const float *values, size_t count,
                                           double start_time, double duration)
{
    if (!p || (!values && count))
        return LS_ERROR_INVALID_ARGUMENT;
    for (size_t i = 0; i < count; i++)
        if (!isfinite(values[i]))
            return LS_ERROR_RANGE;
    if (count < 2)
        return LS_ERROR_INVALID_STATE;
    if (count > UINT32_MAX)
        return LS_ERROR_NO_MEM;
    if (!valid_time(start_time) || !isfinite(duration) || !(duration > 0.0))
        return LS_ERROR_RANGE;

    ls_context *ctx = p->node->ctx;
    ls__lock(ctx);
    double t = ctl_time(p, start_time);
    ls_result res = LS_OK;
    /* no event strictly inside (t, t + duration), and t not inside a curve */
    uint32_t i = times_bound(p, t, false);
    if ((i < p->time_count && p->times[i].time < t + duration) || in_curve(p, t)) {
        res = LS_ERROR_NOT_SUPPORTED;
    } else {
        ls_param_event *ev = event_new(LS_PEV_SET_VALUE_CURVE);
        float *copy = malloc(sizeof(float) * count);
        if (!ev || !copy) {
            free(ev);
            free(copy);
            res = LS_ERROR_NO_MEM;
        } else {
            memcpy(copy, values, sizeof(float) * count);
            ev->curve = copy;
            ev->curve_len = (uint32_t)count;
            ev->time = t;
            ev->duration = duration;
            ev->value = copy[count - 1];
            res = ctl_schedule(p, ev, t);
        }
    }
    if (res == LS_OK) {
        ls_param_record rec = {0};
        rec.type = LS_PARAM_RECORD_SET_VALUE_CURVE;
        rec.time = start_time;
        rec.duration = duration;
        rec.curve = values;
        rec.curve_length = count;
        ls__record_param(p, &rec);
    }
    ls__unlock(ctx);
    return res;
}

/** Control thread. Errors: RANGE, INVALID_ARGUMENT. */
ls_result ls_param_cancel_scheduled_values(ls_param *p, double cancel_time)
{
    if (!p)
        return LS_ERROR_INVALID_ARGUMENT;
    if (!valid_time(cancel_time))
        return LS_ERROR_RANGE;
    ls_context *ctx = p->node->ctx;
    ls__lock(ctx);
    double tc = ctl_time(p, cancel_time);

    /* curves that start at or after tc, or whose [start, end] holds tc, go */
    uint32_t w = 0;
    for (uint32_t k = 0; k < p->span_count; k++) {
        ls_curve_span s = p->spans[k];
        if (s.start >= tc)
            continue;
        if (tc <= s.end) {
            for (uint32_t j = 0; j < p->time_count; j++)
                if (p->times[j].time == s.start && p->times[j].type == LS_PEV_SET_VALUE_CURVE) {
                    memmove(p->times + j, p->times + j + 1,
                            sizeof(ls_ctl_time) * (p->time_count - j - 1));
                    p->time_count--;
                    break;
                }
            continue;
        }
        p->spans[w++] = s;
    }
    p->span_count = w;
    times_truncate(p, times_bound(p, tc, true));

    ls_msg m = {0};
    m.type = LS_MSG_PARAM_CANCEL;
    m.target.param = p;
    m.d0 = tc;
    m.i0 = 0;
    ls__post(ctx, &m);
    ls_param_record rec = {0};
    rec.type = LS_PARAM_RECORD_CANCEL_SCHEDULED_VALUES;
    rec.time = cancel_time;
    ls__record_param(p, &rec);
    ls__unlock(ctx);
    return LS_OK;
}

/** Control thread. Errors: RANGE, NO_MEM, INVALID_ARGUMENT. */
ls_result ls_param_cancel_and_hold_at_time(ls_param *p, double cancel_time)
{
    if (!p)
        return LS_ERROR_INVALID_ARGUMENT;
    if (!valid_time(cancel_time))
        return LS_ERROR_RANGE;
    ls_context *ctx = p->node->ctx;
    ls__lock(ctx);
    double tc = ctl_time(p, cancel_time);
    ls_param_event *hold = event_new(LS_PEV_SET_VALUE);
    if (!hold || !times_reserve(p, 1)) {
        free(hold);
        ls__unlock(ctx);
        return LS_ERROR_NO_MEM;
    }

    /* Mirror the render side's decision (same order of cases):
     * E1 = the last event at or before tc, E2 = the first one after it. */
    uint32_t i2 = times_bound(p, tc, false);
    const ls_ctl_time *e1 = i2 > 0 ? &p->times[i2 - 1] : NULL;
    const ls_ctl_time *e2 = i2 < p->time_count ? &p->times[i2] : NULL;
    ls_curve_span *running = NULL;
    if (e1 && e1->type == LS_PEV_SET_VALUE_CURVE)
        for (uint32_t k = 0; k < p->span_count; k++)
            if (p->spans[k].start == e1->time && tc < p->spans[k].end)
                running = &p->spans[k];
    bool add_hold = false;
    if (running) {
        running->end = tc;                 /* the curve now stops at tc */
        times_truncate(p, i2);
    } else if (e2 && (e2->type == LS_PEV_LINEAR_RAMP || e2->type == LS_PEV_EXPONENTIAL_RAMP)) {
        p->times[i2].time = tc;            /* the ramp now ends at tc */
        times_truncate(p, i2 + 1);
    } else {
        add_hold = e1 && e1->type == LS_PEV_SET_TARGET;
        times_truncate(p, i2);
    }
    if (add_hold)
        times_add(p, tc, LS_PEV_SET_VALUE);
    uint32_t w = 0;
    for (uint32_t k = 0; k < p->span_count; k++)
        if (p->spans[k].start <= tc && p->spans[k].end > p->spans[k].start)
            p->spans[w++] = p->spans[k];
    p->span_count = w;

    ls_msg m = {0};
    m.type = LS_MSG_PARAM_CANCEL;
    m.target.param = p;
    m.d0 = tc;
    m.i0 = 1;
    m.ptr = hold;
    ls__post(ctx, &m);
    ls_param_record rec = {0};
    rec.type = LS_PARAM_RECORD_CANCEL_AND_HOLD;
    rec.time = cancel_time;
    ls__record_param(p, &rec);
    ls__unlock(ctx);
    return LS_OK;
}

/** value = v. Control thread. Errors: RANGE, NOT_SUPPORTED, NO_MEM,
 *  INVALID_ARGUMENT. */
ls_result ls_param_set_value(ls_param *p, float v)
{
    if (!p)
        return LS_ERROR_INVALID_ARGUMENT;
    if (!isfinite(v))
        return LS_ERROR_RANGE;
    ls_context *ctx = p->node->ctx;
    ls__lock(ctx);
    double t = ctl_time(p, 0.0);
    ls_result res;
    if (in_curve(p, t)) {
        res = LS_ERROR_NOT_SUPPORTED;
    } else {
        ls_param_event *ev = times_reserve(p, 1) ? event_new(LS_PEV_SET_VALUE) : NULL;
        if (!ev) {
            res = LS_ERROR_NO_MEM;
        } else {
            ev->value = v;
            ev->time = t;
            atomic_store(&p->value_bits, ls__float_bits(v));
            res = ctl_schedule(p, ev, t);
        }
    }
    if (res == LS_OK) {
        ls_param_record rec = {0};
        rec.type = LS_PARAM_RECORD_VALUE;
        rec.value = v;
        ls__record_param(p, &rec);
    }
    ls__unlock(ctx);
    return res;
}

/** Control thread. Errors: INVALID_STATE (the node fixes the rate),
 *  INVALID_ARGUMENT. */
ls_result ls_param_set_automation_rate(ls_param *p, ls_automation_rate rate)
{
    if (!p || (rate != LS_AUTOMATION_RATE_A_RATE && rate != LS_AUTOMATION_RATE_K_RATE))
        return LS_ERROR_INVALID_ARGUMENT;
    ls_context *ctx = p->node->ctx;
    ls__lock(ctx);
    ls_result res = LS_OK;
    if (rate != p->rate) {
        if (p->rate_fixed) {
            res = LS_ERROR_INVALID_STATE;
        } else {
            p->rate = rate;
            ls_msg m = {0};
            m.type = LS_MSG_PARAM_RATE;
            m.target.param = p;
            m.i0 = (int32_t)rate;
            ls__post(ctx, &m);
            ls_param_record rec = {0};
            rec.type = LS_PARAM_RECORD_AUTOMATION_RATE;
            rec.rate = rate;
            ls__record_param(p, &rec);
        }
    }
    ls__unlock(ctx);
    return res;
}

/* Getters: any thread for the value; the rest are set once (the rate is
 * read as last set by a control thread). */
const char *ls_param_name(const ls_param *p) { return p ? p->name : NULL; }
ls_node *ls_param_node(const ls_param *p) { return p ? p->node : NULL; }
float ls_param_default_value(const ls_param *p) { return p ? p->default_value : 0.0f; }
float ls_param_min_value(const ls_param *p) { return p ? p->min_value : 0.0f; }
float ls_param_max_value(const ls_param *p) { return p ? p->max_value : 0.0f; }

float ls_param_value(const ls_param *p)
{
    if (!p)
        return 0.0f;
    return ls__bits_float(atomic_load_explicit(&((ls_param *)p)->value_bits, memory_order_relaxed));
}

ls_automation_rate ls_param_automation_rate(const ls_param *p)
{
    return p ? p->rate : LS_AUTOMATION_RATE_A_RATE;
}

/* ------------------------------------------------------------------ */
/* Creation and freeing                                                */
/* ------------------------------------------------------------------ */

/* control: a new param for a node that is not yet published. NULL when out
 * of memory or when the node already has LS_MAX_PARAMS params. */
ls_param *ls__param_create(ls_node *node, const char *name, float default_value, float min_value,
                           float max_value, ls_automation_rate rate, bool rate_fixed)
{
    ls_proc *proc = node->proc;
    if (proc->nparams >= LS_MAX_PARAMS)
        return NULL;
    size_t size = (sizeof(ls_param) + 63) & ~(size_t)63;
    ls_param *p = aligned_alloc(64, size);
    if (!p)
        return NULL;
    memset(p, 0, size);
    p->node = node;
    p->name = name;
    p->default_value = default_value;
    p->min_value = min_value;
    p->max_value = max_value;
    p->rate_fixed = rate_fixed;
    atomic_init(&p->value_bits, ls__float_bits(default_value));
    p->rate = rate;
    p->last_event_time = -1.0;
    p->r.rate = rate;
    p->r.intrinsic = default_value;
    p->r.prev_time = -1.0;
    p->r.prev_value = default_value;
    proc->params[proc->nparams++] = p;
    return p;
}

/* control, under lock: free a param the render side no longer sees, with
 * the events still on its timeline. */
void ls__param_free(ls_param *p)
{
    if (!p)
        return;
    ls_param_event *e = p->r.head;
    while (e) {
        ls_param_event *n = e->next;
        free(e->curve);
        free(e);
        e = n;
    }
    free(p->spans);
    free(p->times);
    ls__record_param_free(p);
    free(p);
}
