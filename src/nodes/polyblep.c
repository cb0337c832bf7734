/*
 * PolyBLEPNode: a scheduled source of LabSound's PolyBLEP waveforms
 * (src/dsp/polyblep.c) at frequency * 2^(detune / 1200), scaled by amplitude;
 * frequency, detune, amplitude and pulse_width are a-rate params. The phase
 * starts at 0 at the exact start time and is kept across type changes.
 */
#include "../engine.h"
#include "../param.h"
#include "../dsp/polyblep.h"

#include <float.h>
#include <string.h>

#define PB_MSG_TYPE 100           /* i0 = type */

typedef struct pb_proc {
    ls_proc base;
    ls_polyblep_type ctl_type;    /* control */
    /* render */
    int type;
    double phase;
    bool running;
    float inc[LS_Q];
    float spare[LS_Q];
} pb_proc;

/* inc[i] = frequency * 2^(detune / 1200) / sample_rate over [begin, end);
 * returns true when it is one value (in inc[begin]). */
static bool phase_increments(ls_proc *base, ls_render *r, uint32_t begin, uint32_t end, float *inc)
{
    bool fc, dc;
    const float *f = ls__param_process(base->params[0], r, &fc);
    const float *d = ls__param_process(base->params[1], r, &dc);
    const double isr = 1.0 / r->sample_rate;
    if (fc && dc) {
        double v = (double)f[0] * (d[0] != 0.0f ? exp2((double)d[0] / 1200.0) : 1.0) * isr;
        inc[begin] = (float)v;
        return true;
    }
    for (uint32_t i = begin; i < end; i++) {
        double det = d[dc ? 0 : i];
        inc[i] = (float)((double)f[fc ? 0 : i] * (det != 0.0 ? exp2(det / 1200.0) : 1.0) * isr);
    }
    return false;
}

static bool pb_process(ls_proc *base, ls_render *r)
{
    pb_proc *p = (pb_proc *)base;
    uint32_t begin, end;
    double off;
    if (!ls__sched_range(base, &base->sched, r, &begin, &end, &off)) {
        ls__bus_silence(r, &base->outputs[0], 1);
        return !base->sched.ended && !(base->released && !base->sched.started);
    }
    bool ic = phase_increments(base, r, begin, end, p->inc);
    bool ac, wc;
    const float *amp = ls__param_process(base->params[2], r, &ac);
    const float *pw = ls__param_process(base->params[3], r, &wc);
    float *y = ls__bus_alloc(r, &base->outputs[0], 1) ? base->outputs[0].ch[0] : p->spare;
    if (begin)
        memset(y, 0, sizeof(float) * begin);
    if (!p->running) {
        double ph = off * (double)p->inc[begin];
        p->phase = ph - floor(ph);
        p->running = true;
    }
    ls_polyblep_render(p->type, &p->phase, y + begin, end - begin, p->inc + begin, ic ? 0 : 1,
                       pw + (wc ? 0 : begin), wc ? 0 : 1, amp + (ac ? 0 : begin), ac ? 0 : 1);
    if (end < LS_Q)
        memset(y + end, 0, sizeof(float) * (LS_Q - end));
    return !base->sched.ended;
}

static void pb_on_message(ls_proc *base, ls_render *r, const ls_msg *m)
{
    (void)r;
    if (m->key == PB_MSG_TYPE)
        ((pb_proc *)base)->type = m->i0;
}

static const ls_proc_vtable pb_vtable = {pb_process, pb_on_message, NULL, NULL};

static bool is_pb(const ls_node *n)
{
    return n && n->type == LS_NODE_TYPE_POLYBLEP;
}

ls_polyblep_options ls_polyblep_options_default(void)
{
    ls_polyblep_options o;
    o.node = ls_node_options_default();
    o.type = LS_POLYBLEP_SAWTOOTH;
    o.frequency = 440.0f;
    o.detune = 0.0f;
    o.amplitude = 1.0f;
    o.pulse_width = 0.5f;
    return o;
}

ls_result ls_polyblep_create(ls_context *ctx, const ls_polyblep_options *options, ls_node **out)
{
    if (!ctx || !out)
        return LS_ERROR_INVALID_ARGUMENT;
    ls_polyblep_options o = options ? *options : ls_polyblep_options_default();
    if ((int)o.type < 0 || (int)o.type >= LS_POLYBLEP_TYPES)
        return LS_ERROR_INVALID_ARGUMENT;
    if (!isfinite(o.frequency) || !isfinite(o.detune) || !isfinite(o.amplitude) ||
        !isfinite(o.pulse_width))
        return LS_ERROR_RANGE;
    static const ls_node_options defaults = {2, LS_CHANNEL_COUNT_MODE_MAX,
                                             LS_CHANNEL_INTERPRETATION_SPEAKERS};
    ls_node *node;
    ls_result res = ls__node_create(ctx, LS_NODE_TYPE_POLYBLEP, &pb_vtable, sizeof(pb_proc), 0, 1,
                                    &defaults, &o.node, &node);
    if (res != LS_OK)
        return res;
    const float nyquist = (float)(ctx->sample_rate / 2.0);
    const float detune_max = 1200.0f * log2f(FLT_MAX);
    struct { const char *name; float def, lo, hi, init; } spec[4] = {
        {"frequency", 440.0f, -nyquist, nyquist, o.frequency},
        {"detune", 0.0f, -detune_max, detune_max, o.detune},
        {"amplitude", 1.0f, -FLT_MAX, FLT_MAX, o.amplitude},
        {"pulse_width", 0.5f, 0.0f, 1.0f, o.pulse_width}};
    for (int k = 0; k < 4; k++) {
        ls_param *prm = ls__param_create(node, spec[k].name, spec[k].def, spec[k].lo, spec[k].hi,
                                         LS_AUTOMATION_RATE_A_RATE, false);
        if (!prm) {
            ls__node_free_unpublished(node);
            return LS_ERROR_NO_MEM;
        }
        atomic_store(&prm->value_bits, ls__float_bits(spec[k].init));
        prm->r.intrinsic = spec[k].init;
    }
    pb_proc *p = (pb_proc *)node->proc;
    p->ctl_type = o.type;
    p->type = (int)o.type;
    ls__sched_init(node->proc);
    ls__node_publish(node);
    *out = node;
    return LS_OK;
}

ls_polyblep_type ls_polyblep_get_type(const ls_node *node)
{
    return is_pb(node) ? ((const pb_proc *)node->proc)->ctl_type : LS_POLYBLEP_SAWTOOTH;
}

ls_result ls_polyblep_set_type(ls_node *node, ls_polyblep_type type)
{
    if (!is_pb(node) || (int)type < 0 || (int)type >= LS_POLYBLEP_TYPES)
        return LS_ERROR_INVALID_ARGUMENT;
    ls__lock(node->ctx);
    ((pb_proc *)node->proc)->ctl_type = type;
    ls_msg m = {0};
    m.type = LS_MSG_NODE;
    m.key = PB_MSG_TYPE;
    m.target.proc = node->proc;
    m.i0 = (int32_t)type;
    ls__post(node->ctx, &m);
    ls__unlock(node->ctx);
    return LS_OK;
}
