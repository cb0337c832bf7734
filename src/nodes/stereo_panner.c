/*
 * StereoPannerNode: the spec's equal-power panning of a mono or stereo input
 * to a stereo output, with the a-rate pan param in [-1, 1]. Channel count at
 * most 2 and count mode "clamped-max" or "explicit" (NOT_SUPPORTED otherwise).
 */
#include "../engine.h"
#include "../param.h"

#include <string.h>

typedef struct panner_proc {
    ls_proc base;
} panner_proc;

static const double HALF_PI = 1.57079632679489661923;

/* One frame: the gains for the mono case or for the stereo case. */
static inline void pan_frame(float pan, bool stereo, float l, float rr, float *ol, float *or_)
{
    if (!stereo) {
        double x = ((double)pan + 1.0) * 0.5 * HALF_PI;
        *ol = (float)(l * cos(x));
        *or_ = (float)(l * sin(x));
    } else if (pan <= 0.0f) {
        double x = ((double)pan + 1.0) * HALF_PI;
        *ol = (float)(l + rr * cos(x));
        *or_ = (float)(rr * sin(x));
    } else {
        double x = (double)pan * HALF_PI;
        *ol = (float)(l * cos(x));
        *or_ = (float)(rr + l * sin(x));
    }
}

static bool panner_process(ls_proc *base, ls_render *r)
{
    ls_bus *in = &base->inputs[0].bus;
    ls_bus *out = &base->outputs[0];
    if (in->silent) {
        ls__bus_silence(r, out, 2);
        return false;
    }
    bool constant;
    const float *pan = ls__param_process(base->params[0], r, &constant);
    if (!ls__bus_alloc(r, out, 2))
        return false;
    const bool stereo = in->channels >= 2;
    const float *xl = in->ch[0], *xr = stereo ? in->ch[1] : in->ch[0];
    float *yl = out->ch[0], *yr = out->ch[1];
    if (constant) {
        /* gains once for the quantum */
        double p = pan[0], gl, gr;
        if (!stereo) {
            double x = (p + 1.0) * 0.5 * HALF_PI;
            gl = cos(x);
            gr = sin(x);
            for (int i = 0; i < LS_Q; i++) {
                yl[i] = (float)(xl[i] * gl);
                yr[i] = (float)(xl[i] * gr);
            }
        } else if (p <= 0.0) {
            double x = (p + 1.0) * HALF_PI;
            gl = cos(x);
            gr = sin(x);
            for (int i = 0; i < LS_Q; i++) {
                float l = xl[i], rr = xr[i];
                yl[i] = (float)(l + rr * gl);
                yr[i] = (float)(rr * gr);
            }
        } else {
            double x = p * HALF_PI;
            gl = cos(x);
            gr = sin(x);
            for (int i = 0; i < LS_Q; i++) {
                float l = xl[i], rr = xr[i];
                yl[i] = (float)(l * gl);
                yr[i] = (float)(rr + l * gr);
            }
        }
        return false;
    }
    for (int i = 0; i < LS_Q; i++)
        pan_frame(pan[i], stereo, xl[i], xr[i], &yl[i], &yr[i]);
    return false;
}

static const ls_proc_vtable panner_vtable = {panner_process, NULL, NULL, NULL};

ls_stereo_panner_options ls_stereo_panner_options_default(void)
{
    ls_stereo_panner_options o;
    o.node = ls_node_options_default();
    o.pan = 0.0f;
    return o;
}

ls_result ls_stereo_panner_create(ls_context *ctx, const ls_stereo_panner_options *options,
                                  ls_node **out)
{
    if (!ctx || !out)
        return LS_ERROR_INVALID_ARGUMENT;
    ls_stereo_panner_options o = options ? *options : ls_stereo_panner_options_default();
    if (o.node.channel_count > 2 || o.node.channel_count_mode == LS_CHANNEL_COUNT_MODE_MAX)
        return LS_ERROR_NOT_SUPPORTED;
    if (!isfinite(o.pan))
        return LS_ERROR_RANGE;
    static const ls_node_options defaults = {2, LS_CHANNEL_COUNT_MODE_CLAMPED_MAX,
                                             LS_CHANNEL_INTERPRETATION_SPEAKERS};
    ls_node *node;
    ls_result res = ls__node_create(ctx, LS_NODE_TYPE_STEREO_PANNER, &panner_vtable,
                                    sizeof(panner_proc), 1, 1, &defaults, &o.node, &node);
    if (res != LS_OK)
        return res;
    node->channel_count_limit = 2;
    node->channel_mode_max_unsupported = 1;
    ls_param *pan = ls__param_create(node, "pan", 0.0f, -1.0f, 1.0f, LS_AUTOMATION_RATE_A_RATE,
                                     false);
    if (!pan) {
        ls__node_free_unpublished(node);
        return LS_ERROR_NO_MEM;
    }
    atomic_store(&pan->value_bits, ls__float_bits(o.pan));
    pan->r.intrinsic = o.pan;
    ls__node_publish(node);
    *out = node;
    return LS_OK;
}

ls_param *ls_stereo_panner_pan(ls_node *node)
{
    return node && node->type == LS_NODE_TYPE_STEREO_PANNER ? node->proc->params[0] : NULL;
}
