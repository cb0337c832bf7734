/*
 * DelayNode: a delay line per channel (src/dsp/delay.c) read with linear
 * interpolation at the a-rate delayTime.
 *
 * Cycles: the node is marked breaks_cycles. Outside a cycle one process()
 * call writes the input block, then reads it back delayed, so delays shorter
 * than a quantum work. When the graph finds the node in a cycle it splits it
 * (see graph.c): process() reads with the delay clamped to at least one
 * quantum, and write() stores the input after every node of the quantum has
 * run.
 *
 * Channel counts: the output has the channel count of the input at the time
 * it was delayed, as the spec and its tests ask: when a mono input turns
 * stereo, the delayed mono audio still comes out first (up-mixed), and when a
 * stereo input turns mono the output stays stereo until the delayed stereo
 * audio has come out. The node keeps a short history of the input's channel
 * counts by frame (`hist`) and gives each quantum the largest count among the
 * frames it reads. A mono block is stored on the second channel too when the
 * interpretation is "speakers" (its up-mix to stereo and quad is L = R = M;
 * a 5.1 output reading it gets L = R = M instead of C = M).
 *
 * Memory: the ring has ceil(max_delay_time * rate) + 1 quantum frames per
 * channel (the length Chromium uses, so read positions round the same way),
 * allocated on the control side. It starts with two channels; when
 * the input brings more, the render side asks for a bigger ring (it gives
 * back its `want` notice, marked urgent) and keeps the block of the channels
 * it has no room for (`pend`): the quantum that brought them reads them from
 * that block, and it is stored when the ring arrives. Offline the ring comes
 * before the next quantum, so nothing is lost; in real time it comes at the
 * control side's next collection (a few ms), and the blocks in between of
 * the new channels only are lost. A bigger ring reuses the existing
 * channels' memory, so nothing is copied.
 */
#include "../engine.h"
#include "../node_types.h"

#include <float.h>
#include <stddef.h>
#include "../param.h"
#include "../dsp/delay.h"
#include "delay_line.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define DELAY_MSG_RING 100        /* ptr = delay_ring* to swap in (NULL: allocation failed) */
#define DELAY_INITIAL_CHANNELS 2
#define DELAY_HIST 32             /* channel-count changes remembered */

typedef struct delay_ring {
    ls_returnable ret;            /* given back when replaced: frees the struct only */
    uint32_t channels;
    float *ch[LS_MAX_CHANNELS];   /* shared with the rings before and after it */
} delay_ring;

typedef struct delay_proc {
    ls_proc base;
    /* set once */
    double max_delay;             /* seconds */
    uint32_t len;                 /* ring frames per channel */
    ls_returnable want;           /* given back to ask for a ring of want_channels */
    /* control */
    delay_ring *ctl_ring;         /* the newest ring sent (the render side's, or on its way) */
    /* render */
    delay_ring *ring;
    uint32_t pos;                 /* where the next block is written */
    uint32_t channels;            /* channels of the input last written */
    uint64_t quiet;               /* frames of silence written since the last sound */
    uint32_t want_channels;
    bool want_pending;
    float d[LS_Q];                /* per-frame delay, frames */
    float dmin, dmax;             /* their range */
    uint64_t written;             /* frames written so far: where this block goes */
    struct {
        uint64_t from;            /* from this frame on ... */
        uint32_t channels;        /* ... the input had this many channels */
    } hist[DELAY_HIST];           /* oldest first */
    uint32_t hist_n;
    /* the newest block of the channels the ring has no room for yet */
    bool pend_valid;
    uint32_t pend_pos, pend_from, pend_to;
    uint64_t pend_frame;
    float pend[LS_MAX_CHANNELS][LS_Q];
    float mini[3 * LS_Q];         /* a small ring to read `pend` from */
} delay_proc;

static void ring_free_struct(ls_context *ctx, ls_returnable *item)
{
    (void)ctx;
    free(item);
}

/* control: a ring of `channels` channels reusing old's memory (old may be NULL). */
static delay_ring *ring_new(const delay_ring *old, uint32_t channels, uint32_t len)
{
    delay_ring *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->ret.dispose = ring_free_struct;
    uint32_t have = old ? old->channels : 0;
    for (uint32_t c = 0; c < channels; c++) {
        if (c < have) {
            g->ch[c] = old->ch[c];
            continue;
        }
        g->ch[c] = calloc(len, sizeof(float));
        if (!g->ch[c]) {
            for (uint32_t k = have; k < c; k++)
                free(g->ch[k]);
            free(g);
            return NULL;
        }
    }
    g->channels = channels;
    return g;
}

/* control, under lock: the render side wants more channels. */
static void want_dispose(ls_context *ctx, ls_returnable *item)
{
    delay_proc *p = (delay_proc *)((char *)item - offsetof(delay_proc, want));
    uint32_t want = p->want_channels;    /* written before the notice was given back */
    delay_ring *g = NULL;
    if (want > p->ctl_ring->channels) {
        g = ring_new(p->ctl_ring, want, p->len);
        if (g)
            p->ctl_ring = g;
    }
    ls_msg m = {0};
    m.type = LS_MSG_NODE;
    m.key = DELAY_MSG_RING;
    m.target.proc = &p->base;
    m.ptr = g;
    ls__post(ctx, &m);
}

/* render: make sure the ring has nch channels, or ask for it. */
static void need_channels(delay_proc *p, ls_render *r, uint32_t nch)
{
    if (nch <= p->ring->channels || p->want_pending || p->base.finished_sent)
        return;
    p->want_channels = nch;
    p->want_pending = true;
    ls__give_back(r->ctx, &p->want);
    ls__render_urgent(r->ctx);
}

/* render: the block written at p->written has nch channels. */
static void note_channels(delay_proc *p, uint32_t nch)
{
    if (p->hist_n && p->hist[p->hist_n - 1].channels == nch)
        return;
    /* forget what is out of reach: an entry whose successor starts before
     * the oldest frame a read can reach */
    uint64_t oldest = p->written > p->len ? p->written - p->len : 0;
    uint32_t drop = 0;
    while (drop + 1 < p->hist_n && p->hist[drop + 1].from <= oldest)
        drop++;
    if (drop == 0 && p->hist_n == DELAY_HIST) {
        /* full: fold the oldest into the next (a count too large, never lost) */
        if (p->hist[0].channels > p->hist[1].channels)
            p->hist[1].channels = p->hist[0].channels;
        p->hist[1].from = p->hist[0].from;
        drop = 1;
    }
    if (drop) {
        memmove(p->hist, p->hist + drop, sizeof(p->hist[0]) * (p->hist_n - drop));
        p->hist_n -= drop;
    }
    p->hist[p->hist_n].from = p->written;
    p->hist[p->hist_n].channels = nch;
    p->hist_n++;
}

/* render: channels of the output of the block read at p->written: the most
 * the input had over the frames the delays reach (p->channels if none). */
static uint32_t read_channels(const delay_proc *p)
{
    int64_t lo = (int64_t)p->written - (int64_t)ceilf(p->dmax) - 1;
    int64_t hi = (int64_t)p->written + LS_Q - 1 - (int64_t)floorf(p->dmin);
    uint32_t nch = 0;
    for (uint32_t k = 0; k < p->hist_n; k++) {
        int64_t from = (int64_t)p->hist[k].from;
        int64_t to = k + 1 < p->hist_n ? (int64_t)p->hist[k + 1].from : INT64_MAX;
        if (from <= hi && to > lo && p->hist[k].channels > nch)
            nch = p->hist[k].channels;
    }
    return nch ? nch : (p->channels ? p->channels : 1);
}

/* render: the delay of each frame in frames; returns true when constant
 * (d[0]). Computed in single precision like Chromium's, so the read
 * positions match it; inside a cycle at least one quantum. */
static bool delays(delay_proc *p, ls_render *r, bool split)
{
    bool constant;
    const float *t = ls__param_process(p->base.params[0], r, &constant);
    const float sr = (float)r->sample_rate;
    const float lo = split ? (float)LS_Q : 0.0f;
    const float hi = (float)(p->len - LS_Q) > lo ? (float)(p->len - LS_Q) : lo;
    int n = constant ? 1 : LS_Q;
    float dmin = hi, dmax = lo;
    for (int i = 0; i < n; i++) {
        float d = t[i] * sr;
        if (!(d >= lo))
            d = lo;
        if (d > hi)
            d = hi;
        p->d[i] = d;
        dmin = d < dmin ? d : dmin;
        dmax = d > dmax ? d : dmax;
    }
    p->dmin = dmin;
    p->dmax = dmax;
    return constant;
}

static void write_block(delay_proc *p, const ls_bus *in)
{
    uint32_t rc = p->ring->channels;
    /* mono under "speakers" up-mixes to L = R = M: keep it on channel 1 too */
    const bool mono_lr = !in->silent && in->channels == 1 &&
                         p->base.channel_interpretation == LS_CHANNEL_INTERPRETATION_SPEAKERS;
    for (uint32_t c = 0; c < rc; c++) {
        if (!in->silent && c < in->channels)
            ls_delay_write(p->ring->ch[c], p->len, p->pos, in->ch[c], LS_Q);
        else if (mono_lr && c == 1)
            ls_delay_write(p->ring->ch[1], p->len, p->pos, in->ch[0], LS_Q);
        else
            ls_delay_write_zeros(p->ring->ch[c], p->len, p->pos, LS_Q);
    }
    if (!in->silent && in->channels > rc) {
        for (uint32_t c = rc; c < in->channels; c++)
            memcpy(p->pend[c], in->ch[c], sizeof(float) * LS_Q);
        p->pend_valid = true;
        p->pend_pos = p->pos;
        p->pend_frame = p->written;
        p->pend_from = rc;
        p->pend_to = in->channels;
    }
}

/* render: read channel c, which the ring has no room for, from the block
 * kept for it in this quantum (silence before it), or silence. */
static void read_pending(delay_proc *p, uint32_t c, bool constant, float *y)
{
    if (!p->pend_valid || p->pend_frame != p->written || c < p->pend_from || c >= p->pend_to ||
        p->dmin >= (float)LS_Q) {
        memset(y, 0, sizeof(float) * LS_Q);
        return;
    }
    /* the mini ring: two silent blocks, then the block; reads reach back
     * at most two blocks, all silence beyond one */
    memset(p->mini, 0, sizeof(float) * 2 * LS_Q);
    memcpy(p->mini + 2 * LS_Q, p->pend[c], sizeof(float) * LS_Q);
    float d[LS_Q];
    for (int i = 0; i < LS_Q; i++) {
        float di = constant ? p->d[0] : p->d[i];
        d[i] = di > 2.0f * LS_Q ? 2.0f * LS_Q : di;
    }
    ls_delay_read_var(p->mini, 3 * LS_Q, 2 * LS_Q, d, y, LS_Q);
}

/* render: read nch channels of the block starting at pos into out. */
static void read_block(delay_proc *p, ls_render *r, ls_bus *out, uint32_t nch, bool constant)
{
    if (!ls__bus_alloc(r, out, nch))
        return;
    for (uint32_t c = 0; c < nch; c++) {
        float *y = out->ch[c];
        if (c >= p->ring->channels) {
            read_pending(p, c, constant, y);
            continue;
        }
        if (constant)
            ls_delay_read(p->ring->ch[c], p->len, p->pos, p->d[0], y, LS_Q);
        else
            ls_delay_read_var(p->ring->ch[c], p->len, p->pos, p->d, y, LS_Q);
    }
}

/* Frames after which silence written has flushed every sound out of reach. */
static inline uint64_t reach(const delay_proc *p)
{
    return (uint64_t)p->len;
}

static void advance(delay_proc *p, bool silent_in)
{
    p->written += LS_Q;
    p->pos += LS_Q;
    if (p->pos >= p->len)
        p->pos -= p->len;
    p->quiet = silent_in ? p->quiet + LS_Q : 0;
}

static bool delay_process(ls_proc *base, ls_render *r)
{
    delay_proc *p = (delay_proc *)base;
    ls_bus *out = &base->outputs[0];
    if (base->split) {
        /* read half: the input is written later, in delay_write */
        if (p->quiet >= reach(p)) {
            ls__bus_silence(r, out, p->channels ? p->channels : 1);
            ls__param_process(base->params[0], r, &(bool){0});
            return false;
        }
        bool constant = delays(p, r, true);
        read_block(p, r, out, read_channels(p), constant);
        /* in a cycle, echoes that died out (flushed to zero) must read as
         * silence, or the loop would carry blocks of zeros for ever and
         * never become quiet (and never be reclaimed) */
        if (!ls__bus_audible(out))
            ls__bus_silence(r, out, out->channels ? out->channels : 1);
        return true;
    }
    ls_bus *in = &base->inputs[0].bus;
    if (in->silent && p->quiet >= reach(p)) {
        /* nothing in the line and nothing coming: the ring is all zeros */
        ls__bus_silence(r, out, p->channels ? p->channels : in->channels);
        return false;
    }
    uint32_t nch = in->silent ? (p->channels ? p->channels : in->channels) : in->channels;
    need_channels(p, r, nch);
    p->channels = nch;
    note_channels(p, nch);
    bool constant = delays(p, r, false);
    write_block(p, in);
    read_block(p, r, out, read_channels(p), constant);
    advance(p, in->silent);
    return true;
}

static void delay_write(ls_proc *base, ls_render *r)
{
    delay_proc *p = (delay_proc *)base;
    ls_bus *in = &base->inputs[0].bus;
    if (in->silent && p->quiet >= reach(p))
        return;
    if (!in->silent) {
        need_channels(p, r, in->channels);
        p->channels = in->channels;
    }
    note_channels(p, p->channels ? p->channels : 1);
    write_block(p, in);
    advance(p, in->silent);
}

static void delay_on_message(ls_proc *base, ls_render *r, const ls_msg *m)
{
    delay_proc *p = (delay_proc *)base;
    if (m->key != DELAY_MSG_RING)
        return;
    p->want_pending = false;
    if (m->ptr) {
        delay_ring *old = p->ring;
        p->ring = m->ptr;
        if (p->pend_valid) {
            /* the newest block of the channels that had no room */
            uint32_t to = p->pend_to < p->ring->channels ? p->pend_to : p->ring->channels;
            for (uint32_t c = p->pend_from > old->channels ? p->pend_from : old->channels; c < to;
                 c++)
                ls_delay_write(p->ring->ch[c], p->len, p->pend_pos, p->pend[c], LS_Q);
            p->pend_valid = false;
        }
        ls__give_back(r->ctx, &old->ret);
    }
}

/* control: the node is being freed; the newest ring owns every channel. */
static void delay_destroy(ls_proc *base)
{
    delay_proc *p = (delay_proc *)base;
    delay_ring *g = p->ctl_ring;
    if (!g)
        return;
    for (uint32_t c = 0; c < g->channels; c++)
        free(g->ch[c]);
    if (p->ring && p->ring != g)
        free(p->ring);
    free(g);
    p->ctl_ring = p->ring = NULL;
}

static const ls_proc_vtable delay_vtable = {delay_process, delay_on_message, delay_destroy,
                                            delay_write};

/* ------------------------------------------------------------------ */
/* Control half                                                        */
/* ------------------------------------------------------------------ */

static bool is_delay(const ls_node *n)
{
    return n && n->type == LS_NODE_TYPE_DELAY;
}

LS__OPTIONS_DEFAULT(delay)

ls_result ls_delay_create(ls_context *ctx, const ls_delay_options *options, ls_node **out)
{
    return ls__delay_create_typed(ctx, LS_NODE_TYPE_DELAY, options, out);
}

ls_result ls__delay_create_typed(ls_context *ctx, ls_node_type type,
                                 const ls_delay_options *options, ls_node **out)
{
    if (!ctx || !out)
        return LS_ERROR_INVALID_ARGUMENT;
    ls_delay_options o = options ? *options : ls_delay_options_default();
    const ls_node_descriptor *desc = &ls__delay_type;
    if (!(o.max_delay_time > 0.0 && o.max_delay_time < LS_DELAY_MAX_TIME))
        return LS_ERROR_NOT_SUPPORTED;
    if (!isfinite(o.delay_time))
        return LS_ERROR_RANGE;
    double frames = ceil(o.max_delay_time * ctx->sample_rate);
    uint32_t len = (uint32_t)frames + LS_Q;
    delay_ring *ring = ring_new(NULL, DELAY_INITIAL_CHANNELS, len);
    if (!ring)
        return LS_ERROR_NO_MEM;
    ls_node *node;
    ls_result res = ls__node_create(ctx, type, &delay_vtable, sizeof(delay_proc),
                                    desc->number_of_inputs, desc->number_of_outputs,
                                    &desc->channel_defaults, &o.node, &node);
    if (res != LS_OK) {
        for (uint32_t c = 0; c < ring->channels; c++)
            free(ring->ch[c]);
        free(ring);
        return res;
    }
    delay_proc *p = (delay_proc *)node->proc;
    p->max_delay = o.max_delay_time;
    p->len = len;
    p->want.dispose = want_dispose;
    p->ring = p->ctl_ring = ring;
    p->quiet = len;                  /* the ring starts silent */
    node->proc->breaks_cycles = 1;
    /* the range ends at max_delay_time */
    const ls_param_descriptor *d = &desc->params[0];
    ls_param *t = ls__param_create(node, d->name, d->default_value, d->min_value,
                                   (float)o.max_delay_time, d->automation_rate, false);
    if (!t) {
        ls__node_free_unpublished(node);
        return LS_ERROR_NO_MEM;
    }
    float v = o.delay_time;
    atomic_store(&t->value_bits, ls__float_bits(v));
    t->r.intrinsic = v;
    ls__node_publish(node);
    *out = node;
    return LS_OK;
}

ls_param *ls_delay_delay_time(ls_node *node)
{
    return is_delay(node) ? node->proc->params[0] : NULL;
}

double ls_delay_max_delay_time(const ls_node *node)
{
    return is_delay(node) ? ((const delay_proc *)node->proc)->max_delay : 0.0;
}

LS__CREATE_FN(delay)

static const ls_param_descriptor delay_params[] = {
    {"delayTime", 0.0f, 0.0f, 1.0f, LS_AUTOMATION_RATE_A_RATE, LS_PARAM_RANGE_FROM_OPTIONS, "s",
     "delay, from 0 to max_delay_time"},
};

static const ls_option_descriptor delay_options[] = {
    {"max_delay_time", LS_VALUE_DOUBLE, offsetof(ls_delay_options, max_delay_time), 0, 1.0,
     NULL, NULL, 0, "longest delay the node can give, in seconds (below 180)"},
    LS__PARAM_OPTION(ls_delay_options, delay_time, "delayTime"),
};

const ls_node_descriptor ls__delay_type = {
    .name = "Delay", .key = "delay", .type = LS_NODE_TYPE_DELAY,
    .doc = "a delay line with linear interpolation; breaks cycles of the graph",
    .number_of_inputs = 1, .number_of_outputs = 1,
    .channel_defaults = LS__CHANNELS_DEFAULT,
    .params = delay_params, .param_count = LS__COUNT(delay_params),
    .options = delay_options, .option_count = LS__COUNT(delay_options),
    .options_size = sizeof(ls_delay_options),
    .options_init = delay_options_init, .create = delay_create_any,
};
