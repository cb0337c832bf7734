/*
 * DynamicsCompressorNode: dsp/compressor.h over a mono or stereo input,
 * with five k-rate params and the read-only `reduction` (the kernel's
 * metering gain in dB, published atomically after each quantum).
 */
#include "../engine.h"
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

ls_dynamics_compressor_options ls_dynamics_compressor_options_default(void)
{
    ls_dynamics_compressor_options o;
    o.node = ls_node_options_default();
    o.attack = 0.003f;
    o.knee = 30.0f;
    o.ratio = 12.0f;
    o.release = 0.25f;
    o.threshold = -24.0f;
    return o;
}

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
    static const ls_node_options defaults = {2, LS_CHANNEL_COUNT_MODE_CLAMPED_MAX,
                                             LS_CHANNEL_INTERPRETATION_SPEAKERS};
    ls_node *node;
    res = ls__node_create(ctx, LS_NODE_TYPE_DYNAMICS_COMPRESSOR, &comp_vtable, sizeof(comp_proc),
                          1, 1, &defaults, &o.node, &node);
    if (res != LS_OK)
        return res;
    node->max_channel_count = 2;
    node->channel_mode_max_unsupported = 1;
    comp_proc *p = (comp_proc *)node->proc;
    ls_compressor_init(&p->kernel, ctx->sample_rate);
    p->channels = 1;
    p->quiet = UINT32_MAX / 2;
    atomic_init(&p->reduction_bits, ls__float_bits(0.0f));
    static const char *const names[5] = {"threshold", "knee", "ratio", "attack", "release"};
    static const float defs[5] = {-24.0f, 30.0f, 12.0f, 0.003f, 0.25f};
    static const float mins[5] = {-100.0f, 0.0f, 1.0f, 0.0f, 0.0f};
    static const float maxs[5] = {0.0f, 40.0f, 20.0f, 1.0f, 1.0f};
    for (int i = 0; i < 5; i++) {
        ls_param *prm = ls__param_create(node, names[i], defs[i], mins[i], maxs[i],
                                         LS_AUTOMATION_RATE_K_RATE, true);
        if (!prm) {
            ls__node_free_unpublished(node);
            return LS_ERROR_NO_MEM;
        }
        float v = ls__clampf(vals[i], mins[i], maxs[i]);
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
