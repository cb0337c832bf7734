/*
 * PeakCompNode: a feed-forward peak compressor (src/dsp/peakcomp.c) with
 * six a-rate params. While the input is silent the output is silent and the
 * envelope keeps releasing, so the next sound finds it where it would be.
 */
#include "../engine.h"
#include "../node_types.h"

#include <stddef.h>
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

LS__OPTIONS_DEFAULT(peak_comp)

ls_result ls_peak_comp_create(ls_context *ctx, const ls_peak_comp_options *options, ls_node **out)
{
    if (!ctx || !out)
        return LS_ERROR_INVALID_ARGUMENT;
    ls_peak_comp_options o = options ? *options : ls_peak_comp_options_default();
    if (!isfinite(o.threshold) || !isfinite(o.ratio) || !isfinite(o.attack) ||
        !isfinite(o.release) || !isfinite(o.makeup) || !isfinite(o.knee) || o.ratio < 1.0f ||
        o.attack < 0.0f || o.release < 0.0f || o.knee < 0.0f)
        return LS_ERROR_RANGE;
    const ls_node_descriptor *desc = &ls__peak_comp_type;
    ls_node *node;
    ls_result res = ls__node_create(ctx, LS_NODE_TYPE_PEAK_COMP, &pc_vtable, sizeof(pc_proc), 1,
                                    1, &desc->channel_defaults, &o.node, &node);
    if (res != LS_OK)
        return res;
    if (ls__params_create(node, desc, &o) != LS_OK) {
        ls__node_free_unpublished(node);
        return LS_ERROR_NO_MEM;
    }
    ls_peak_comp_reset(&((pc_proc *)node->proc)->st);
    ls__node_publish(node);
    *out = node;
    return LS_OK;
}

LS__CREATE_FN(peak_comp)

static const ls_param_descriptor peak_comp_params[] = {
    {"threshold", -20.0f, LS__FLT_RANGE, LS_AUTOMATION_RATE_A_RATE, 0, "dB",
     "level above which the gain is reduced"},
    {"ratio", 4.0f, 1.0f, FLT_MAX, LS_AUTOMATION_RATE_A_RATE, 0, "",
     "input dB change per output dB change above the threshold"},
    {"attack", 0.001f, 0.0f, FLT_MAX, LS_AUTOMATION_RATE_A_RATE, 0, "s",
     "time to reduce the gain"},
    {"release", 0.1f, 0.0f, FLT_MAX, LS_AUTOMATION_RATE_A_RATE, 0, "s",
     "time to restore the gain"},
    {"makeup", 0.0f, LS__FLT_RANGE, LS_AUTOMATION_RATE_A_RATE, 0, "dB",
     "gain added after the compression"},
    {"knee", 0.0f, 0.0f, FLT_MAX, LS_AUTOMATION_RATE_A_RATE, 0, "dB",
     "width of the soft knee around the threshold"},
};

static const ls_option_descriptor peak_comp_options[] = {
    LS__PARAM_OPTION(ls_peak_comp_options, threshold, "threshold"),
    LS__PARAM_OPTION(ls_peak_comp_options, ratio, "ratio"),
    LS__PARAM_OPTION(ls_peak_comp_options, attack, "attack"),
    LS__PARAM_OPTION(ls_peak_comp_options, release, "release"),
    LS__PARAM_OPTION(ls_peak_comp_options, makeup, "makeup"),
    LS__PARAM_OPTION(ls_peak_comp_options, knee, "knee"),
};

const ls_node_descriptor ls__peak_comp_type = {
    .name = "PeakComp", .key = "peak_comp", .type = LS_NODE_TYPE_PEAK_COMP,
    .doc = "a peak compressor with a soft knee and makeup gain",
    .number_of_inputs = 1, .number_of_outputs = 1,
    .channel_defaults = LS__CHANNELS_DEFAULT,
    .params = peak_comp_params, .param_count = LS__COUNT(peak_comp_params),
    .options = peak_comp_options, .option_count = LS__COUNT(peak_comp_options),
    .options_size = sizeof(ls_peak_comp_options),
    .options_init = peak_comp_options_init, .create = peak_comp_create_any,
};
