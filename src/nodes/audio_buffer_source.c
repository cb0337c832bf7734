/*
 * AudioBufferSourceNode: plays an AudioBuffer, once or looping, at a k-rate
 * computed playback rate playbackRate * 2^(detune / 1200).
 *
 * Control half: options, the buffer (set once, as the spec allows), loop
 * attributes, start(when, offset, duration). A buffer at another sample rate
 * than the context's plays in its own timeline (the spec's playback
 * algorithm): the playhead advances playbackRate * bufferRate / contextRate
 * buffer frames per output frame and samples between frames come from the
 * node's interpolator (src/dsp/interp.c: linear as Chromium, cubic or
 * band-limited sinc; past the buffer's edges the signal is continued, so
 * back-to-back buffers splice, and a loop's neighbours wrap inside the loop).
 * Converting a whole buffer with the band-limited resampler instead rings at
 * the buffer's edges (back-to-back buffers click) and moves loop points off
 * the buffer's frames. Whole-frame positions (step 1, whole-frame offsets)
 * copy samples exactly.
 *
 * Render half: the spec's playback algorithm (section "Playback of
 * AudioBuffer Contents"), with positions kept in buffer frames (double):
 * the offset is clamped to the buffer, the first frame of a sub-sample start
 * lies start_offset x rate frames into the buffer, a loop is entered once the
 * playhead is inside it and wraps from then on, `duration` counts buffer time
 * played (including loops), and the node ends when it runs off the end of a
 * buffer it does not loop, when its duration is used up, or at stop().
 */
#include "../engine.h"
#include "../node_types.h"

#include <stddef.h>
#include "../param.h"
#include "../dsp/interp.h"

#include <float.h>
#include <stdlib.h>
#include <string.h>

#define BSRC_MSG_BUFFER 100      /* ptr = bsrc_box* to swap in */
#define BSRC_MSG_LOOP 101        /* i0 */
#define BSRC_MSG_LOOP_START 102  /* d0 seconds */
#define BSRC_MSG_LOOP_END 103    /* d0 seconds */
#define BSRC_MSG_OFFSET 104      /* d0 seconds (sent just before START) */
#define BSRC_MSG_DURATION 105    /* d0 seconds, < 0 for none (sent just before START) */
#define BSRC_MSG_INTERP 106      /* i0 = LS_INTERP_* */

/* A buffer on its way to, or in use by, the render side. */
typedef struct bsrc_box {
    ls_returnable ret;
    ls_buffer *buffer;           /* one reference: the buffer at the context's rate */
} bsrc_box;

typedef struct bsrc_proc {
    ls_proc base;
    /* control (under the context's lock) */
    ls_buffer *ctl_buffer;       /* one reference: the buffer as given (the getter's) */
    bool ctl_buffer_set;         /* the spec's [[buffer set]]: a non-null buffer was given */
    int ctl_loop;
    double ctl_loop_start, ctl_loop_end;
    int ctl_interp;              /* ls_interpolation, never DEFAULT */

    /* render */
    bsrc_box *box;               /* may be NULL */
    const float *data[LS_MAX_CHANNELS];
    uint32_t channels;
    uint64_t frames;
    double rate;                 /* buffer sample rate (the context's) */
    int loop;
    double loop_start, loop_end; /* seconds */
    double offset, duration;     /* seconds; duration < 0: none */
    bool playing;                /* the first frame has been computed */
    bool entered_loop;
    double pos;                  /* playhead, buffer frames */
    double elapsed;              /* buffer frames played, for duration */
    int interp;                  /* LS_INTERP_* */
} bsrc_proc;

static void box_dispose(ls_context *ctx, ls_returnable *item)
{
    (void)ctx;
    bsrc_box *box = (bsrc_box *)item;
    ls_buffer_release(box->buffer);
    free(box);
}

/* ------------------------------------------------------------------ */
/* Render half                                                         */
/* ------------------------------------------------------------------ */

static void finish(ls_proc *base, ls_render *r, uint32_t frame)
{
    if (base->sched.ended)
        return;
    base->sched.ended = 1;
    /* the ended event reports when it happened */
    base->sched.stop_time = (double)(r->frame + frame) / r->sample_rate;
    if (!base->ended_sent) {
        base->ended_sent = 1;
        ls__give_back(r->ctx, &base->ended);
    }
}

/* Seconds times the buffer's rate, snapped to the nearest frame when within a
 * millionth of one: times given as frame / rate in seconds come back as
 * whole frames (30 / 44100 * 44100 is 29.999999999999996), so they play
 * exact samples instead of interpolating next to one. */
static inline double to_frames(double seconds, double rate)
{
    double f = seconds * rate, r = floor(f + 0.5);
    return fabs(f - r) < 1e-6 ? r : f;
}

/* Output frames from now until position p + j s first reaches x (s > 0:
 * p + j s >= x; s < 0: p + j s < x), at least 1 (the event is not due at
 * j = 0), at most `cap`: computed once, then checked against the very
 * expression the playhead advances by. */
static uint32_t frames_until(double p, double s, double x, uint32_t cap)
{
    double t = s > 0 ? (x - p) / s : (p - x) / -s;
    if (!(t < (double)cap))
        return cap;
    uint32_t j = t < 1.0 ? 1u : (uint32_t)ceil(t);
    while (j > 1 && (s > 0 ? p + (double)(j - 1) * s >= x : p + (double)(j - 1) * s < x))
        j--;
    while (j < cap && (s > 0 ? !(p + (double)j * s >= x) : !(p + (double)j * s < x)))
        j++;
    return j;
}

/*
 * The common case, done with copies: rate 1 (buffer frames per output frame),
 * a whole-frame playhead, no duration, whole-frame loop points and an offset
 * before the loop's end. Positions then stay whole, so each run up to the
 * next boundary (the buffer's end, the loop's start or end) is one memcpy per
 * channel. A quantum that is one run from the buffer is not copied at all:
 * the output bus points into the buffer (consumers only read their inputs;
 * the bus holds no pool block, so nothing is given back for it).
 * Returns false (having changed nothing) when the case does not apply;
 * otherwise *stop_at is where the output ends (the rest is zero).
 */
static bool copy_runs(bsrc_proc *p, ls_render *r, uint32_t begin, uint32_t end, double ls_,
                      double le_, double buf_len, uint32_t *stop_at)
{
    ls_proc *base = &p->base;
    ls_bus *bus = &base->outputs[0];
    const double off_frames = to_frames(p->offset, p->rate);
    if (p->loop && (ls_ != floor(ls_) || le_ != floor(le_) || !(off_frames < le_)))
        return false;
    uint32_t i = begin;
    bool have_bus = false;
    *stop_at = end;
    while (i < end) {
        double boundary;
        if (p->loop) {
            if (!p->entered_loop && p->pos >= ls_)
                p->entered_loop = true;
            if (p->entered_loop && p->pos >= le_)
                p->pos = ls_ + fmod(p->pos - ls_, le_ - ls_);
            boundary = p->entered_loop || p->pos >= ls_ ? le_ : ls_;
        } else {
            if (p->pos >= buf_len) {
                *stop_at = i;
                finish(base, r, i);
                break;
            }
            boundary = buf_len;
        }
        uint64_t k = (uint64_t)p->pos;
        uint64_t run = (uint64_t)boundary - k;
        if (run > end - i)
            run = end - i;
        if (run == 0)
            run = 1;   /* never: boundaries lie past the playhead */
        if (!have_bus) {
            if (i == 0 && run == LS_Q) {
                /* the whole quantum is in the buffer: no copy */
                ls__bus_silence(r, bus, p->channels);
                bus->silent = 0;
                for (uint32_t c = 0; c < p->channels; c++)
                    bus->ch[c] = (float *)p->data[c] + k;
                p->pos += LS_Q;
                p->elapsed += LS_Q;
                return true;
            }
            if (!ls__bus_alloc(r, bus, p->channels)) {
                /* no block: the output stays silent, time moves on */
                p->pos += (double)(end - i);
                p->elapsed += (double)(end - i);
                *stop_at = 0;
                return true;
            }
            have_bus = true;
            for (uint32_t c = 0; c < p->channels; c++)
                if (begin)
                    memset(bus->ch[c], 0, sizeof(float) * begin);
        }
        for (uint32_t c = 0; c < p->channels; c++)
            memcpy(bus->ch[c] + i, p->data[c] + k, sizeof(float) * run);
        i += (uint32_t)run;
        p->pos += (double)run;
        p->elapsed += (double)run;
    }
    if (!have_bus) {
        /* ended before writing anything */
        ls__bus_silence(r, bus, p->channels);
        return true;
    }
    for (uint32_t c = 0; c < p->channels; c++)
        if (*stop_at < LS_Q)
            memset(bus->ch[c] + *stop_at, 0, sizeof(float) * (LS_Q - *stop_at));
    return true;
}

static bool bsrc_process(ls_proc *base, ls_render *r)
{
    bsrc_proc *p = (bsrc_proc *)base;
    uint32_t begin, end;
    double start_offset;
    uint32_t out_ch = p->box ? p->channels : 1;
    if (!ls__sched_range(base, &base->sched, r, &begin, &end, &start_offset)) {
        ls__bus_silence(r, &base->outputs[0], out_ch);
        return !base->sched.ended && !(base->released && !base->sched.started);
    }
    bool c1, c2;
    const float *pr = ls__param_process(base->params[0], r, &c1);
    const float *dt = ls__param_process(base->params[1], r, &c2);
    double rate = (double)pr[0];
    if (dt[0] != 0.0f)
        rate *= exp2((double)dt[0] / 1200.0);
    if (!isfinite(rate))
        rate = 0.0;
    if (!p->box) {
        ls__bus_silence(r, &base->outputs[0], 1);
        return !base->sched.ended;
    }
    const double fr = p->rate;
    const int64_t n = (int64_t)p->frames;
    const double buf_len = (double)p->frames;
    const double step = rate * fr / r->sample_rate;   /* buffer frames per output frame */

    /* the loop's bounds, in buffer frames */
    double ls_ = 0, le_ = buf_len;
    if (p->loop) {
        if (p->loop_start >= 0 && p->loop_end > 0 && p->loop_start < p->loop_end) {
            ls_ = to_frames(p->loop_start, fr);
            le_ = fmin(to_frames(p->loop_end, fr), buf_len);
        }
        if (!(le_ > ls_)) {
            ls_ = 0;
            le_ = buf_len;
        }
    } else {
        p->entered_loop = false;
    }
    const double dur = p->duration < 0 ? INFINITY : to_frames(p->duration, fr);

    if (!p->playing) {
        double off = to_frames(p->offset, fr);
        if (off > buf_len)
            off = buf_len;
        if (p->loop && rate >= 0 && off >= le_)
            off = le_;
        if (p->loop && rate < 0 && off < ls_)
            off = ls_;
        /* the first frame lies start_offset frames after the exact start */
        p->pos = off + start_offset * step;
        p->elapsed = start_offset * step;
        p->offset = off / fr;
        p->playing = true;
    }

    uint32_t stop_at = end;
    if (step == 1.0 && dur == INFINITY && p->pos == floor(p->pos) && p->pos >= 0 &&
        copy_runs(p, r, begin, end, ls_, le_, buf_len, &stop_at))
        return !base->sched.ended;
    ls_bus *bus = &base->outputs[0];
    if (!ls__bus_alloc(r, bus, p->channels))
        return !base->sched.ended;
    for (uint32_t c = 0; c < p->channels; c++)
        if (begin)
            memset(bus->ch[c], 0, sizeof(float) * begin);
    const double off_frames = to_frames(p->offset, fr);
    /* a whole quantum another source computed earlier in this quantum from
     * the same buffer, playhead, rate and loop, its output blocks still
     * its own (no block given back since): copied */
    ls_play_memo *memo = &r->ctx->r.play_memo;
    const bool memo_ok = begin == 0 && end == LS_Q && dur == INFINITY && p->channels <= 2;
    const float *d1 = p->channels > 1 ? p->data[1] : NULL;
    if (memo_ok && memo->valid && memo->frame == r->frame && memo->frees == r->pool->frees &&
        memo->data[0] == p->data[0] &&
        memo->data[1] == d1 && memo->frames == n && memo->channels == p->channels &&
        memo->interp == p->interp && memo->loop == p->loop && memo->pos == p->pos &&
        memo->step == step &&
        (!p->loop || (memo->entered == p->entered_loop && memo->loop_start == ls_ &&
                      memo->loop_end == le_ && memo->off_past_end == (off_frames >= le_)))) {
        for (uint32_t c = 0; c < p->channels; c++)
            memcpy(bus->ch[c], memo->out[c], sizeof(float) * LS_Q);
        p->pos = memo->pos_after;
        p->elapsed += memo->elapsed_delta;
        p->entered_loop = memo->entered_after;
        return !base->sched.ended;
    }
    const double pos_before = p->pos, elapsed_before = p->elapsed;
    const bool entered_before = p->entered_loop;
    /* a playhead within a millionth of a frame of the buffer's end is at the
     * end (as to_frames snaps times): 180 steps of 1/6 make 29.999999999999996,
     * and that frame belongs to the buffer spliced on after this one */
    const double end_at = buf_len - 1e-6, begin_at = -1e-6;
    ls_interp_view view = {p->interp, LS_INTERP_EDGE_CONTINUE, 0, n, 0, 0};
    /* neighbours of a looping playhead wrap inside the loop */
    const int64_t wl0 = (int64_t)ceil(ls_), wl1 = (int64_t)ceil(le_);
    float *y[LS_MAX_CHANNELS];
    /* runs of frames up to the next event (the duration used up, the loop
     * entered or wrapped, the buffer's end): the positions of a run are
     * p->pos + j * step, read in one call */
    uint32_t i = begin;
    while (i < end) {
        if (fabs(p->elapsed) >= dur) {
            stop_at = i;
            finish(base, r, i);
            break;
        }
        if (p->loop) {
            if (!p->entered_loop) {
                if (off_frames < le_ && p->pos >= ls_)
                    p->entered_loop = true;
                if (off_frames >= le_ && p->pos < le_)
                    p->entered_loop = true;
            }
            if (p->entered_loop) {
                double len = le_ - ls_;
                if (p->pos >= le_)
                    p->pos = ls_ + fmod(p->pos - ls_, len);
                else if (p->pos < ls_)
                    p->pos = le_ - fmod(ls_ - p->pos, len);
                if (p->pos >= le_)
                    p->pos = ls_;
            }
        } else if ((step >= 0 && p->pos >= end_at) || (step < 0 && p->pos < begin_at)) {
            stop_at = i;
            finish(base, r, i);
            break;
        }
        uint32_t run = end - i;
        if (step != 0.0) {
            if (dur != INFINITY) {
                if (p->elapsed * step >= 0)
                    run = frames_until(fabs(p->elapsed), fabs(step), dur, run);
                else
                    run = 1;   /* the rate changed sign: frame by frame */
            }
            if (p->loop && p->entered_loop)
                run = frames_until(p->pos, step, step > 0 ? le_ : ls_, run);
            else if (p->loop && off_frames < le_ && step > 0 && p->pos < ls_)
                run = frames_until(p->pos, step, ls_, run);
            else if (p->loop && off_frames >= le_ && step < 0 && p->pos >= le_)
                run = frames_until(p->pos, step, le_, run);
            else if (!p->loop)
                run = frames_until(p->pos, step, step > 0 ? end_at : begin_at, run);
        }
        view.wrap = p->loop && p->entered_loop && wl1 > wl0 && wl1 <= n;
        view.w0 = wl0;
        view.w1 = wl1;
        for (uint32_t c = 0; c < p->channels; c++)
            y[c] = bus->ch[c] + i;
        ls_interp_read(&view, p->data, p->channels, y, run, p->pos, step, false);
        p->pos += (double)run * step;
        p->elapsed += (double)run * step;
        i += run;
    }
    if (stop_at < LS_Q)
        for (uint32_t c = 0; c < p->channels; c++)
            memset(bus->ch[c] + stop_at, 0, sizeof(float) * (LS_Q - stop_at));
    if (memo_ok && stop_at == LS_Q && !base->sched.ended) {
        memo->valid = true;
        memo->frame = r->frame;
        memo->data[0] = p->data[0];
        memo->data[1] = d1;
        memo->frames = n;
        memo->channels = p->channels;
        memo->interp = p->interp;
        memo->loop = p->loop;
        memo->entered = entered_before;
        memo->off_past_end = off_frames >= le_;
        memo->pos = pos_before;
        memo->step = step;
        memo->loop_start = ls_;
        memo->loop_end = le_;
        memo->pos_after = p->pos;
        memo->elapsed_delta = p->elapsed - elapsed_before;
        memo->entered_after = p->entered_loop;
        memo->frees = r->pool->frees;
        for (uint32_t c = 0; c < p->channels; c++)
            memo->out[c] = bus->ch[c];
    }
    return !base->sched.ended;
}

static void set_box(bsrc_proc *p, ls_render *r, bsrc_box *box)
{
    bsrc_box *old = p->box;
    p->box = box;
    if (box) {
        ls_buffer *b = box->buffer;
        p->channels = ls_buffer_number_of_channels(b);
        p->frames = ls_buffer_length(b);
        p->rate = ls_buffer_sample_rate(b);
        for (uint32_t c = 0; c < p->channels; c++)
            p->data[c] = ls_buffer_channel_data(b, c);
    } else {
        p->channels = 1;
        p->frames = 0;
    }
    if (old)
        ls__give_back(r->ctx, &old->ret);
}

static void bsrc_on_message(ls_proc *base, ls_render *r, const ls_msg *m)
{
    bsrc_proc *p = (bsrc_proc *)base;
    switch (m->key) {
    case BSRC_MSG_BUFFER: set_box(p, r, m->ptr); break;
    case BSRC_MSG_LOOP: p->loop = m->i0; break;
    case BSRC_MSG_LOOP_START: p->loop_start = m->d0; break;
    case BSRC_MSG_LOOP_END: p->loop_end = m->d0; break;
    case BSRC_MSG_OFFSET: p->offset = m->d0; break;
    case BSRC_MSG_DURATION: p->duration = m->d0; break;
    case BSRC_MSG_INTERP: p->interp = m->i0; break;
    default: break;
    }
}

static void bsrc_destroy(ls_proc *base)
{
    bsrc_proc *p = (bsrc_proc *)base;
    if (p->box)
        box_dispose(NULL, &p->box->ret);
    p->box = NULL;
    ls_buffer_release(p->ctl_buffer);
    p->ctl_buffer = NULL;
}

static const ls_proc_vtable bsrc_vtable = {bsrc_process, bsrc_on_message, bsrc_destroy};

/* ------------------------------------------------------------------ */
/* Control half                                                        */
/* ------------------------------------------------------------------ */

static bsrc_proc *as_bsrc(const ls_node *node)
{
    return node && node->type == LS_NODE_TYPE_AUDIO_BUFFER_SOURCE ? (bsrc_proc *)node->proc : NULL;
}

LS__OPTIONS_DEFAULT(buffer_source)

/* control: a box holding `b` at the context's rate (converted if needed). */
static ls_result make_box(ls_context *ctx, ls_buffer *b, bsrc_box **out)
{
    bsrc_box *box = malloc(sizeof *box);
    if (!box)
        return LS_ERROR_NO_MEM;
    box->ret.next = NULL;
    box->ret.dispose = box_dispose;
    (void)ctx;
    ls_buffer_retain(b);
    box->buffer = b;
    *out = box;
    return LS_OK;
}

ls_result ls_buffer_source_create(ls_context *ctx, const ls_buffer_source_options *options,
                                  ls_node **out)
{
    if (!ctx || !out)
        return LS_ERROR_INVALID_ARGUMENT;
    ls_buffer_source_options o = options ? *options : ls_buffer_source_options_default();
    const ls_node_descriptor *desc = &ls__buffer_source_type;
    if (!isfinite(o.loop_start) || !isfinite(o.loop_end) || !isfinite(o.playback_rate) ||
        !isfinite(o.detune))
        return LS_ERROR_RANGE;
    ls_result ierr;
    int interp = ls__interpolation_resolve(ctx, (int)o.interpolation, &ierr);
    if (ierr != LS_OK)
        return ierr;
    bsrc_box *box = NULL;
    if (o.buffer) {
        ls_result r = make_box(ctx, o.buffer, &box);
        if (r != LS_OK)
            return r;
    }
    ls_node *node;
    ls_result res = ls__node_create(ctx, LS_NODE_TYPE_AUDIO_BUFFER_SOURCE, &bsrc_vtable,
                                    sizeof(bsrc_proc), 0, 1, &desc->channel_defaults, &o.node, &node);
    if (res != LS_OK) {
        if (box)
            box_dispose(NULL, &box->ret);
        return res;
    }
    bsrc_proc *p = (bsrc_proc *)node->proc;
    p->ctl_buffer = o.buffer;
    p->ctl_buffer_set = o.buffer != NULL;
    if (o.buffer)
        ls_buffer_retain(o.buffer);
    p->ctl_loop = p->loop = o.loop ? 1 : 0;
    p->ctl_loop_start = p->loop_start = o.loop_start;
    p->ctl_loop_end = p->loop_end = o.loop_end;
    p->duration = -1;
    p->channels = 1;
    p->ctl_interp = p->interp = interp;
    if (box) {
        /* not yet published: the render side cannot see it, set it directly */
        p->box = box;
        p->channels = ls_buffer_number_of_channels(box->buffer);
        p->frames = ls_buffer_length(box->buffer);
        p->rate = ls_buffer_sample_rate(box->buffer);
        for (uint32_t c = 0; c < p->channels; c++)
            p->data[c] = ls_buffer_channel_data(box->buffer, c);
    }
    if (ls__params_create(node, desc, &o) != LS_OK) {
        ls__node_free_unpublished(node);
        return LS_ERROR_NO_MEM;
    }
    ls__sched_init(node->proc);
    ls__node_publish(node);
    *out = node;
    return LS_OK;
}

ls_result ls_buffer_source_set_buffer(ls_node *node, ls_buffer *buffer)
{
    bsrc_proc *p = as_bsrc(node);
    if (!p)
        return LS_ERROR_INVALID_ARGUMENT;
    ls_context *ctx = node->ctx;
    ls__lock(ctx);
    bool had = p->ctl_buffer_set;
    ls__unlock(ctx);
    if (had && buffer)
        return LS_ERROR_INVALID_STATE;
    bsrc_box *box = NULL;
    if (buffer) {
        ls_result r = make_box(ctx, buffer, &box);   /* may resample: outside the lock */
        if (r != LS_OK)
            return r;
    }
    ls__lock(ctx);
    if (p->ctl_buffer_set && buffer) {
        ls__unlock(ctx);
        box_dispose(NULL, &box->ret);
        return LS_ERROR_INVALID_STATE;
    }
    ls_buffer *old = p->ctl_buffer;
    p->ctl_buffer = buffer;
    if (buffer) {
        ls_buffer_retain(buffer);
        p->ctl_buffer_set = true;
    }
    ls__post_node(node, BSRC_MSG_BUFFER, 0, 0, box);
    ls__unlock(ctx);
    ls_buffer_release(old);
    return LS_OK;
}

ls_buffer *ls_buffer_source_buffer(const ls_node *node)
{
    bsrc_proc *p = as_bsrc(node);
    if (!p)
        return NULL;
    ls__lock(node->ctx);
    ls_buffer *b = p->ctl_buffer;
    if (b)
        ls_buffer_retain(b);
    ls__unlock(node->ctx);
    return b;
}

static ls_result set_value(ls_node *node, uint32_t key, double v, int32_t i)
{
    bsrc_proc *p = as_bsrc(node);
    if (!p)
        return LS_ERROR_INVALID_ARGUMENT;
    if (!isfinite(v))
        return LS_ERROR_RANGE;
    ls__lock(node->ctx);
    if (key == BSRC_MSG_LOOP)
        p->ctl_loop = i;
    else if (key == BSRC_MSG_LOOP_START)
        p->ctl_loop_start = v;
    else
        p->ctl_loop_end = v;
    ls__post_node(node, key, v, i, NULL);
    ls__unlock(node->ctx);
    return LS_OK;
}

ls_result ls_buffer_source_set_loop(ls_node *node, int loop)
{
    return set_value(node, BSRC_MSG_LOOP, 0, loop ? 1 : 0);
}
ls_result ls_buffer_source_set_loop_start(ls_node *node, double s)
{
    return set_value(node, BSRC_MSG_LOOP_START, s, 0);
}
ls_result ls_buffer_source_set_loop_end(ls_node *node, double s)
{
    return set_value(node, BSRC_MSG_LOOP_END, s, 0);
}
ls_result ls_buffer_source_set_interpolation(ls_node *node, ls_interpolation mode)
{
    bsrc_proc *p = as_bsrc(node);
    if (!p)
        return LS_ERROR_INVALID_ARGUMENT;
    ls_result err;
    int m = ls__interpolation_resolve(node->ctx, (int)mode, &err);
    if (err != LS_OK)
        return err;
    ls__lock(node->ctx);
    p->ctl_interp = m;
    ls__post_node(node, BSRC_MSG_INTERP, 0, m, NULL);
    ls__unlock(node->ctx);
    return LS_OK;
}

ls_interpolation ls_buffer_source_interpolation(const ls_node *node)
{
    bsrc_proc *p = as_bsrc(node);
    return p ? (ls_interpolation)p->ctl_interp : LS_INTERPOLATION_DEFAULT;
}

int ls_buffer_source_loop(const ls_node *node) { return as_bsrc(node) ? as_bsrc(node)->ctl_loop : 0; }
double ls_buffer_source_loop_start(const ls_node *node)
{
    return as_bsrc(node) ? as_bsrc(node)->ctl_loop_start : 0;
}
double ls_buffer_source_loop_end(const ls_node *node)
{
    return as_bsrc(node) ? as_bsrc(node)->ctl_loop_end : 0;
}
ls_param *ls_buffer_source_playback_rate(ls_node *node)
{
    return as_bsrc(node) ? node->proc->params[0] : NULL;
}
ls_param *ls_buffer_source_detune(ls_node *node)
{
    return as_bsrc(node) ? node->proc->params[1] : NULL;
}

ls_result ls_buffer_source_start(ls_node *node, double when, double offset, double duration)
{
    if (!as_bsrc(node))
        return LS_ERROR_INVALID_ARGUMENT;
    if (!isfinite(when) || when < 0 || !isfinite(offset) || offset < 0 ||
        (duration >= 0 ? !isfinite(duration) : !(duration < 0)))
        return LS_ERROR_RANGE;
    ls_context *ctx = node->ctx;
    ls__lock(ctx);
    if (node->started) {
        ls__unlock(ctx);
        return LS_ERROR_INVALID_STATE;
    }
    node->started = true;
    atomic_store(&node->source_state, 1);
    ls__post_node(node, BSRC_MSG_OFFSET, offset, 0, NULL);
    ls__post_node(node, BSRC_MSG_DURATION, duration, 0, NULL);
    ls__post_node(node, LS_NODE_MSG_START, when, 0, NULL);
    ls__record_call(node, LS_CALL_RECORD_START, when, offset, duration, 0);
    ls__unlock(ctx);
    return LS_OK;
}

LS__CREATE_FN(buffer_source)

static bool is_bsrc(const ls_node *node)
{
    return node && node->type == LS_NODE_TYPE_AUDIO_BUFFER_SOURCE;
}

static ls_result get_buffer(const ls_node *node, ls_value *out)
{
    if (!is_bsrc(node))
        return LS_ERROR_INVALID_ARGUMENT;
    out->p = ls_buffer_source_buffer(node);
    return LS_OK;
}

static ls_result set_buffer(ls_node *node, const ls_value *v)
{
    return ls_buffer_source_set_buffer(node, (ls_buffer *)v->p);
}

static ls_result get_loop(const ls_node *node, ls_value *out)
{
    if (!is_bsrc(node))
        return LS_ERROR_INVALID_ARGUMENT;
    out->i = ls_buffer_source_loop(node);
    return LS_OK;
}

static ls_result set_loop(ls_node *node, const ls_value *v)
{
    return ls_buffer_source_set_loop(node, v->i != 0);
}

static ls_result get_loop_start(const ls_node *node, ls_value *out)
{
    if (!is_bsrc(node))
        return LS_ERROR_INVALID_ARGUMENT;
    out->f = ls_buffer_source_loop_start(node);
    return LS_OK;
}

static ls_result set_loop_start(ls_node *node, const ls_value *v)
{
    return ls_buffer_source_set_loop_start(node, v->f);
}

static ls_result get_loop_end(const ls_node *node, ls_value *out)
{
    if (!is_bsrc(node))
        return LS_ERROR_INVALID_ARGUMENT;
    out->f = ls_buffer_source_loop_end(node);
    return LS_OK;
}

static ls_result set_loop_end(ls_node *node, const ls_value *v)
{
    return ls_buffer_source_set_loop_end(node, v->f);
}

static const ls_param_descriptor buffer_source_params[] = {
    {"playbackRate", 1.0f, LS__FLT_RANGE, LS_AUTOMATION_RATE_K_RATE, LS_PARAM_RATE_FIXED, "",
     "speed factor of the playback"},
    {"detune", 0.0f, LS__FLT_RANGE, LS_AUTOMATION_RATE_K_RATE, LS_PARAM_RATE_FIXED, "cents",
     "detuning of the playback"},
};

/* interpolation: "default" is the context's (as an option, and set on a
 * node); a node reads back the mode it uses, never "default" */
static const char *const interpolation_names[] = {"default", "linear", "cubic", "sinc", NULL};

static ls_result get_interpolation(const ls_node *node, ls_value *out)
{
    if (!node || node->type != LS_NODE_TYPE_AUDIO_BUFFER_SOURCE)
        return LS_ERROR_INVALID_ARGUMENT;
    out->i = (int64_t)ls_buffer_source_interpolation(node) - LS_INTERPOLATION_DEFAULT;
    return LS_OK;
}

static ls_result set_interpolation(ls_node *node, const ls_value *v)
{
    return ls_buffer_source_set_interpolation(node, (ls_interpolation)(v->i + LS_INTERPOLATION_DEFAULT));
}

static const ls_option_descriptor buffer_source_options[] = {
    {"buffer", LS_VALUE_BUFFER, offsetof(ls_buffer_source_options, buffer), 0, 0, NULL, NULL, 0,
     "the audio played"},
    {"loop", LS_VALUE_BOOL, offsetof(ls_buffer_source_options, loop), 0, 0, NULL, NULL, 0,
     "play the loop region over and over"},
    {"loop_start", LS_VALUE_DOUBLE, offsetof(ls_buffer_source_options, loop_start), 0, 0.0, NULL,
     NULL, 0, "start of the loop region in seconds"},
    {"loop_end", LS_VALUE_DOUBLE, offsetof(ls_buffer_source_options, loop_end), 0, 0.0, NULL,
     NULL, 0, "end of the loop region in seconds (0: the buffer's end)"},
    LS__PARAM_OPTION(ls_buffer_source_options, playback_rate, "playbackRate"),
    LS__PARAM_OPTION(ls_buffer_source_options, detune, "detune"),
    {"interpolation", LS_VALUE_ENUM, offsetof(ls_buffer_source_options, interpolation), 0,
     LS_INTERPOLATION_DEFAULT,
     interpolation_names, NULL, 0,
     "how the buffer is read between its frames: default (the context's), linear, cubic or sinc"},
};

static const ls_setting_descriptor buffer_source_settings[] = {
    {"buffer", LS_VALUE_BUFFER, NULL, "buffer", get_buffer, set_buffer, "the audio played"},
    {"loop", LS_VALUE_BOOL, NULL, "loop", get_loop, set_loop,
     "play the loop region over and over"},
    {"loop_start", LS_VALUE_DOUBLE, NULL, "loop_start", get_loop_start, set_loop_start,
     "start of the loop region in seconds"},
    {"loop_end", LS_VALUE_DOUBLE, NULL, "loop_end", get_loop_end, set_loop_end,
     "end of the loop region in seconds"},
    {"interpolation", LS_VALUE_ENUM, interpolation_names, NULL, get_interpolation,
     set_interpolation, "how the buffer is read between its frames (the context's when made with default)"},
};

const ls_node_descriptor ls__buffer_source_type = {
    .name = "AudioBufferSource", .key = "buffer_source", .type = LS_NODE_TYPE_AUDIO_BUFFER_SOURCE,
    .doc = "plays an AudioBuffer, once or looping",
    .number_of_inputs = 0, .number_of_outputs = 1, .flags = LS_NODE_TYPE_SCHEDULED_SOURCE,
    .channel_defaults = LS__CHANNELS_DEFAULT,
    .params = buffer_source_params, .param_count = LS__COUNT(buffer_source_params),
    .options = buffer_source_options, .option_count = LS__COUNT(buffer_source_options),
    .settings = buffer_source_settings, .setting_count = LS__COUNT(buffer_source_settings),
    .options_size = sizeof(ls_buffer_source_options),
    .options_init = buffer_source_options_init, .create = buffer_source_create_any,
};
