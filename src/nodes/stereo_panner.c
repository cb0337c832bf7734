/*
 * StereoPannerNode: the spec's equal-power panning of a mono or stereo input
 * to a stereo output, with the a-rate pan param in [-1, 1]. Channel count at
 * most 2 and count mode "clamped-max" or "explicit" (NOT_SUPPORTED otherwise).
 */
#include "../engine.h"
#include "../node_types.h"

#include <float.h>
#include <stddef.h>
#include "../param.h"

#include <string.h>
#include "../dsp/simd.h"

typedef struct panner_proc {
    ls_proc base;
} panner_proc;

static const double HALF_PI = 1.57079632679489661923;

/* Four frames at a time (GCC / Clang vector extensions: SSE, NEON). */
typedef int32_t v4i __attribute__((vector_size(16)));   /* lane masks of comparisons */

/* sin and cos of x in [0, pi/2] by their Taylor series to x^11 / x^12, in
 * single precision: error below 1e-7 (float rounding), branch-free. */
static inline void sincos_quarter(v4f x, v4f *s, v4f *c)
{
    v4f x2 = x * x;
    *s = x * (1.0f + x2 * (-1.0f / 6 + x2 * (1.0f / 120 + x2 * (-1.0f / 5040 +
         x2 * (1.0f / 362880 + x2 * (-1.0f / 39916800))))));
    *c = 1.0f + x2 * (-1.0f / 2 + x2 * (1.0f / 24 + x2 * (-1.0f / 720 + x2 * (1.0f / 40320 +
         x2 * (-1.0f / 3628800 + x2 * (1.0f / 479001600))))));
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
    const float *restrict xl = in->ch[0];
    const float *restrict xr = stereo ? in->ch[1] : in->ch[0];
    float *restrict yl = out->ch[0];
    float *restrict yr = out->ch[1];
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
    const float hp = (float)HALF_PI;
    if (!stereo) {
        for (int i = 0; i < LS_Q; i += 4) {
            v4f gl, gr, x = load4(xl + i);
            sincos_quarter((load4(pan + i) + 1.0f) * (0.5f * hp), &gr, &gl);
            store4(yl + i, x * gl);
            store4(yr + i, x * gr);
        }
        return false;
    }
    for (int i = 0; i < LS_Q; i += 4) {
        v4f p = load4(pan + i), gl, gr;
        /* 1 in the lanes of the left half (pan <= 0), else 0 */
        const v4f one = {1.0f, 1.0f, 1.0f, 1.0f};
        v4f left = (v4f)((p <= 0.0f) & (v4i)one);
        sincos_quarter((p + left) * hp, &gr, &gl);
        v4f l = load4(xl + i), rr = load4(xr + i), right = 1.0f - left;
        /* left half:  L = l + r cos, R = r sin;  right half: L = l cos, R = r + l sin */
        store4(yl + i, left * (l + rr * gl) + right * (l * gl));
        store4(yr + i, left * (rr * gr) + right * (rr + l * gr));
    }
    return false;
}

static const ls_proc_vtable panner_vtable = {panner_process, NULL, NULL, NULL};

LS__OPTIONS_DEFAULT(stereo_panner)

ls_result ls_stereo_panner_create(ls_context *ctx, const ls_stereo_panner_options *options,
                                  ls_node **out)
{
    if (!ctx || !out)
        return LS_ERROR_INVALID_ARGUMENT;
    ls_stereo_panner_options o = options ? *options : ls_stereo_panner_options_default();
    if (o.node.channel_count > 2 || o.node.channel_count_mode == LS_CHANNEL_COUNT_MODE_MAX)
        return LS_ERROR_NOT_SUPPORTED;
    const ls_node_descriptor *t = &ls__stereo_panner_type;
    ls_result res = ls__check_param_options(t, &o);
    if (res != LS_OK)
        return res;
    ls_node *node;
    res = ls__node_create(ctx, t->type, &panner_vtable, sizeof(panner_proc), t->number_of_inputs,
                          t->number_of_outputs, &t->channel_defaults, &o.node, &node);
    if (res != LS_OK)
        return res;
    node->channel_count_limit = 2;
    node->channel_mode_max_unsupported = 1;
    if (ls__params_create(node, t, &o) != LS_OK) {
        ls__node_free_unpublished(node);
        return LS_ERROR_NO_MEM;
    }
    ls__node_publish(node);
    *out = node;
    return LS_OK;
}

ls_param *ls_stereo_panner_pan(ls_node *node)
{
    return node && node->type == LS_NODE_TYPE_STEREO_PANNER ? node->proc->params[0] : NULL;
}

LS__CREATE_FN(stereo_panner)

static const ls_param_descriptor stereo_panner_params[] = {
    {"pan", 0.0f, -1.0f, 1.0f, LS_AUTOMATION_RATE_A_RATE, 0, "",
     "position from -1 (left) to 1 (right)"},
};

static const ls_option_descriptor stereo_panner_options[] = {
    LS__PARAM_OPTION(ls_stereo_panner_options, pan, "pan"),
};

const ls_node_descriptor ls__stereo_panner_type = {
    .name = "StereoPanner", .key = "stereo_panner", .type = LS_NODE_TYPE_STEREO_PANNER,
    .doc = "equal-power panning of a mono or stereo input to stereo",
    .number_of_inputs = 1, .number_of_outputs = 1,
    .channel_defaults = {2, LS_CHANNEL_COUNT_MODE_CLAMPED_MAX, LS_CHANNEL_INTERPRETATION_SPEAKERS},
    .params = stereo_panner_params, .param_count = LS__COUNT(stereo_panner_params),
    .options = stereo_panner_options, .option_count = LS__COUNT(stereo_panner_options),
    .options_size = sizeof(ls_stereo_panner_options),
    .options_init = stereo_panner_options_init, .create = stereo_panner_create_any,
};
