/*
 * PeakCompNode: a feed-forward peak compressor (src/dsp/peakcomp.c) with
 * six a-rate params. While the input is silent the output is silent and the
 * envelope keeps releasing, so the next sound finds it where it would be.
 */
#include "../engine.h"
#include "../param.h"
#include "../dsp/peakcomp.h"

#include <float.h>

typedef struct pc_proc {
    ls_proc base;
    ls_peak_comp st;              /* render */
} pc_proc;

enum { PC_THRESHOLD, PC_RATIO, PC_ATTACK, PC_RELEASE, PC_MAKEUP, PC_KNEE, PC_NPARAMS };

static bool pc_process(ls_proc *base, ls_render *r)
{
    pc_proc *p = (pc_proc *)base;
    ls_bus *in = &base->inputs[0].bus;
    ls_bus *out = &base->outputs[0];
    const float *v[PC_NPARAMS];
    uint32_t s[PC_NPARAMS];
    for (int k = 0; k < PC_NPARAMS; k++) {
        bool c;
        v[k] = ls__param_process(base->params[k], r, &c);
        s[k] = c ? 0 : 1;
    }
    ls_peak_comp_params prm = {v[PC_THRESHOLD], v[PC_RATIO], v[PC_ATTACK], v[PC_RELEASE],
                               v[PC_MAKEUP], v[PC_KNEE], s[PC_THRESHOLD], s[PC_RATIO],
                               s[PC_ATTACK], s[PC_RELEASE], s[PC_MAKEUP], s[PC_KNEE]};
    if (in->silent || !ls__bus_alloc(r, out, in->channels)) {
        ls_peak_comp_process(&p->st, NULL, NULL, 0, LS_Q, r->sample_rate, &prm);
        ls__bus_silence(r, out, in->channels);
        return false;
    }
    ls_peak_comp_process(&p->st, (const float *const *)in->ch, out->ch, in->channels, LS_Q,
                         r->sample_rate, &prm);
    return false;
}

static const ls_proc_vtable pc_vtable = {pc_process, NULL, NULL, NULL};

ls_peak_comp_options ls_peak_comp_options_default(void)
{
    ls_peak_comp_options o;
    o.node = ls_node_options_default();
    o.threshold = -20.0f;
    o.ratio = 4.0f;
    o.attack = 0.001f;
    o.release = 0.1f;
    o.makeup = 0.0f;
    o.knee = 0.0f;
    return o;
}

ls_result ls_peak_comp_create(ls_context *ctx, const ls_peak_comp_options *options, ls_node **out)
{
    if (!ctx || !out)
        return LS_ERROR_INVALID_ARGUMENT;
    ls_peak_comp_options o = options ? *options : ls_peak_comp_options_default();
    if (!isfinite(o.threshold) || !isfinite(o.ratio) || !isfinite(o.attack) ||
        !isfinite(o.release) || !isfinite(o.makeup) || !isfinite(o.knee) || o.ratio < 1.0f ||
        o.attack < 0.0f || o.release < 0.0f || o.knee < 0.0f)
        return LS_ERROR_RANGE;
    static const ls_node_options defaults = {2, LS_CHANNEL_COUNT_MODE_MAX,
                                             LS_CHANNEL_INTERPRETATION_SPEAKERS};
    ls_node *node;
    ls_result res = ls__node_create(ctx, LS_NODE_TYPE_PEAK_COMP, &pc_vtable, sizeof(pc_proc), 1,
                                    1, &defaults, &o.node, &node);
    if (res != LS_OK)
        return res;
    const ls_peak_comp_options d = ls_peak_comp_options_default();
    struct { const char *name; float def, lo, init; } spec[PC_NPARAMS] = {
        {"threshold", d.threshold, -FLT_MAX, o.threshold},
        {"ratio", d.ratio, 1.0f, o.ratio},
        {"attack", d.attack, 0.0f, o.attack},
        {"release", d.release, 0.0f, o.release},
        {"makeup", d.makeup, -FLT_MAX, o.makeup},
        {"knee", d.knee, 0.0f, o.knee}};
    for (int k = 0; k < PC_NPARAMS; k++) {
        ls_param *prm = ls__param_create(node, spec[k].name, spec[k].def, spec[k].lo, FLT_MAX,
                                         LS_AUTOMATION_RATE_A_RATE, false);
        if (!prm) {
            ls__node_free_unpublished(node);
            return LS_ERROR_NO_MEM;
        }
        atomic_store(&prm->value_bits, ls__float_bits(spec[k].init));
        prm->r.intrinsic = spec[k].init;
    }
    ls_peak_comp_reset(&((pc_proc *)node->proc)->st);
    ls__node_publish(node);
    *out = node;
    return LS_OK;
}
