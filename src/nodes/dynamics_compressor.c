/*
 * DynamicsCompressorNode: dsp/compressor.h over a mono or stereo input,
 * with five k-rate params and the read-only `reduction` (the kernel's
 * metering gain in dB, published atomically after each quantum).
 */
#include "../engine.h"
#include "../node_types.h"

#include <float.h>
#include <stddef.h>
#include "../param.h"
#include "../dsp/compressor.h"
#include "listener.h"

typedef struct comp_proc {
    ls_proc base;
    /* shared */
    atomic_uint reduction_bits;
    /* render */
    uint32_t channels;            /* input channels last heard */
    uint32_t quiet;               /* frames of silent input since the last sound */
    float spare[2][LS_Q];         /* output when the block pool is exhausted */
    ls_compressor kernel;
} comp_proc;

enum { P_THRESHOLD = 0, P_KNEE, P_RATIO, P_ATTACK, P_RELEASE };

static bool comp_process(ls_proc *base, ls_render *r)
{
    comp_proc *p = (comp_proc *)base;
    ls_bus *in = &base->inputs[0].bus, *out = &base->outputs[0];
    const uint32_t tail = p->kernel.delay_frames + 2 * LS_Q;
    if (in->silent) {
        p->quiet += LS_Q;
    } else {
        p->quiet = 0;
        p->channels = in->channels > 2 ? 2 : in->channels;
    }
    bool c;
    float v[5];
    for (int i = 0; i < 5; i++)
        v[i] = ls__param_process(base->params[i], r, &c)[0];
    const uint32_t ch = p->channels;
    const float *x[2] = {in->silent ? NULL : in->ch[0],
                         in->silent || ch < 2 ? NULL : in->ch[1]};
    float *y[2];
    if (ls__bus_alloc(r, out, ch)) {
        y[0] = out->ch[0];
        y[1] = ch > 1 ? out->ch[1] : p->spare[1];
    } else {
        y[0] = p->spare[0];
        y[1] = p->spare[1];
    }
    ls_compressor_process(&p->kernel, x, y, ch, LS_Q, v[P_THRESHOLD], v[P_KNEE], v[P_RATIO],
                          v[P_ATTACK], v[P_RELEASE]);
    atomic_store_explicit(&p->reduction_bits, ls__float_bits(ls_compressor_reduction(&p->kernel)),
                          memory_order_relaxed);
    return p->quiet < tail;
}

static const ls_proc_vtable comp_vtable = {comp_process, NULL, NULL};

LS__OPTIONS_DEFAULT(dynamics_compressor)

ls_result ls_dynamics_compressor_create(ls_context *ctx,
                                        const ls_dynamics_compressor_options *options,
                                        ls_node **out)
{
    if (!ctx || !out)
        return LS_ERROR_INVALID_ARGUMENT;
    ls_dynamics_compressor_options o = options ? *options : ls_dynamics_compressor_options_default();
    ls_result res = ls__check_stereo_node_options(&o.node);
    if (res != LS_OK)
        return res;
    const float vals[5] = {o.threshold, o.knee, o.ratio, o.attack, o.release};
    for (int i = 0; i < 5; i++)
        if (!isfinite(vals[i]))
            return LS_ERROR_RANGE;
    const ls_node_descriptor *desc = &ls__dynamics_compressor_type;
    ls_node *node;
    res = ls__node_create(ctx, LS_NODE_TYPE_DYNAMICS_COMPRESSOR, &comp_vtable, sizeof(comp_proc),
                          1, 1, &desc->channel_defaults, &o.node, &node);
    if (res != LS_OK)
        return res;
    node->max_channel_count = 2;
    node->channel_mode_max_unsupported = 1;
    comp_proc *p = (comp_proc *)node->proc;
    ls_compressor_init(&p->kernel, ctx->sample_rate);
    p->channels = 1;
    p->quiet = UINT32_MAX / 2;
    atomic_init(&p->reduction_bits, ls__float_bits(0.0f));
    /* the options given are clamped into each param's range */
    for (int i = 0; i < 5; i++) {
        const ls_param_descriptor *d = &desc->params[i];
        ls_param *prm = ls__param_create(node, d->name, d->default_value, d->min_value,
                                         d->max_value, d->automation_rate,
                                         (d->flags & LS_PARAM_RATE_FIXED) != 0);
        if (!prm) {
            ls__node_free_unpublished(node);
            return LS_ERROR_NO_MEM;
        }
        float v = ls__clampf(vals[i], d->min_value, d->max_value);
        atomic_store(&prm->value_bits, ls__float_bits(v));
        prm->r.intrinsic = v;
    }
    ls__node_publish(node);
    *out = node;
    return LS_OK;
}

float ls_dynamics_compressor_reduction(const ls_node *n)
{
    if (!n || n->type != LS_NODE_TYPE_DYNAMICS_COMPRESSOR)
        return 0.0f;
    comp_proc *p = (comp_proc *)n->proc;
    return ls__bits_float(atomic_load_explicit(&p->reduction_bits, memory_order_relaxed));
}

LS__CREATE_FN(dynamics_compressor)

static ls_result get_reduction(const ls_node *node, ls_value *out)
{
    if (!node || node->type != LS_NODE_TYPE_DYNAMICS_COMPRESSOR)
        return LS_ERROR_INVALID_ARGUMENT;
    out->f = ls_dynamics_compressor_reduction(node);
    return LS_OK;
}

/* in the order of the kernel's inputs: threshold, knee, ratio, attack, release */
static const ls_param_descriptor compressor_params[] = {
    {"threshold", -24.0f, -100.0f, 0.0f, LS_AUTOMATION_RATE_K_RATE, LS_PARAM_RATE_FIXED, "dB",
     "level above which compression starts"},
    {"knee", 30.0f, 0.0f, 40.0f, LS_AUTOMATION_RATE_K_RATE, LS_PARAM_RATE_FIXED, "dB",
     "range above the threshold over which the curve turns smoothly"},
    {"ratio", 12.0f, 1.0f, 20.0f, LS_AUTOMATION_RATE_K_RATE, LS_PARAM_RATE_FIXED, "",
     "input dB change per output dB change above the knee"},
    {"attack", 0.003f, 0.0f, 1.0f, LS_AUTOMATION_RATE_K_RATE, LS_PARAM_RATE_FIXED, "s",
     "time to reduce the gain by 10 dB"},
    {"release", 0.25f, 0.0f, 1.0f, LS_AUTOMATION_RATE_K_RATE, LS_PARAM_RATE_FIXED, "s",
     "time to raise the gain by 10 dB"},
};

static const ls_option_descriptor compressor_options[] = {
    LS__PARAM_OPTION(ls_dynamics_compressor_options, attack, "attack"),
    LS__PARAM_OPTION(ls_dynamics_compressor_options, knee, "knee"),
    LS__PARAM_OPTION(ls_dynamics_compressor_options, ratio, "ratio"),
    LS__PARAM_OPTION(ls_dynamics_compressor_options, release, "release"),
    LS__PARAM_OPTION(ls_dynamics_compressor_options, threshold, "threshold"),
};

static const ls_setting_descriptor compressor_settings[] = {
    {"reduction", LS_VALUE_FLOAT, NULL, NULL, get_reduction, NULL,
     "current gain reduction in dB (read-only)"},
};

const ls_node_descriptor ls__dynamics_compressor_type = {
    .name = "DynamicsCompressor", .key = "dynamics_compressor",
    .type = LS_NODE_TYPE_DYNAMICS_COMPRESSOR,
    .doc = "lowers the volume of the loudest parts (the Web Audio compressor)",
    .number_of_inputs = 1, .number_of_outputs = 1,
    .channel_defaults = {2, LS_CHANNEL_COUNT_MODE_CLAMPED_MAX, LS_CHANNEL_INTERPRETATION_SPEAKERS},
    .params = compressor_params, .param_count = LS__COUNT(compressor_params),
    .options = compressor_options, .option_count = LS__COUNT(compressor_options),
    .settings = compressor_settings, .setting_count = LS__COUNT(compressor_settings),
    .options_size = sizeof(ls_dynamics_compressor_options),
    .options_init = dynamics_compressor_options_init, .create = dynamics_compressor_create_any,
};
