/*
 * WaveShaperNode: the spec's curve lookup (src/dsp/waveshaper.c), at the
 * context rate or oversampled 2x / 4x through windowed-sinc resamplers that
 * remove what the curve folds above the original Nyquist frequency.
 *
 * Control half: the curve (a copy kept for the getter, another sent to the
 * render side in a box that comes back when replaced) and the oversampling
 * type. The resampler state of every channel is allocated on the control
 * side the first time oversampling is asked for and lives as long as the node.
 */
#include "../engine.h"
#include "../node_types.h"

#include <stddef.h>
#include "../dsp/waveshaper.h"

#include <stdlib.h>
#include <string.h>

#define WS_MSG_CURVE 100          /* ptr = ws_curve* (may be NULL: no curve) */
#define WS_MSG_OVERSAMPLE 101     /* i0 = type, ptr = ws_bank* (NULL for none) */

typedef struct ws_curve {
    ls_returnable ret;            /* given back when replaced */
    size_t n;
    float v[];
} ws_curve;

/* Resampler state of one channel: up 128->256 (->512), down (512->)256->128. */
typedef struct ws_chan {
    ls_upsampler2 up1, up2;
    ls_downsampler2 down1, down2;
} ws_chan;

typedef struct ws_bank {
    ws_chan ch[LS_MAX_CHANNELS];
    float a[4 * LS_Q], b[4 * LS_Q];
} ws_bank;

typedef struct ws_proc {
    ls_proc base;
    /* control */
    float *ctl_curve;
    size_t ctl_n;
    ls_oversample_type ctl_over;
    ws_bank *ctl_bank;
    /* render */
    ws_curve *curve;
    int over;
    ws_bank *bank;
} ws_proc;

static void curve_dispose(ls_context *ctx, ls_returnable *item)
{
    (void)ctx;
    free(item);
}

static void shape(const ws_curve *c, const float *x, float *y, size_t n)
{
    if (c)
        ls_waveshaper_apply(c->v, c->n, x, y, n);
    else if (x != y)
        memcpy(y, x, sizeof(float) * n);
}

static bool ws_process(ls_proc *base, ls_render *r)
{
    ws_proc *p = (ws_proc *)base;
    ls_bus *in = &base->inputs[0].bus;
    ls_bus *out = &base->outputs[0];
    if (in->silent && p->over == LS_OVERSAMPLE_NONE) {
        float zero = 0.0f, c0 = 0.0f;
        if (p->curve)
            ls_waveshaper_apply(p->curve->v, p->curve->n, &zero, &c0, 1);
        if (c0 == 0.0f) {
            /* curve(0) is 0 (or no curve): silence stays silence */
            ls__bus_silence(r, out, in->channels);
            return false;
        }
    }
    uint32_t nch = in->channels;
    if (!ls__bus_alloc(r, out, nch))
        return false;
    for (uint32_t c = 0; c < nch; c++) {
        const float *x = in->ch[c];
        float *y = out->ch[c];
        if (p->over == LS_OVERSAMPLE_NONE || !p->bank) {
            shape(p->curve, x, y, LS_Q);
            continue;
        }
        ws_chan *s = &p->bank->ch[c];
        float *a = p->bank->a, *b = p->bank->b;
        if (p->over == LS_OVERSAMPLE_2X) {
            ls_upsample2(&s->up1, x, a, LS_Q);
            shape(p->curve, a, a, 2 * LS_Q);
            ls_downsample2(&s->down2, a, y, LS_Q);
        } else {
            ls_upsample2(&s->up1, x, a, LS_Q);
            ls_upsample2(&s->up2, a, b, 2 * LS_Q);
            shape(p->curve, b, b, 4 * LS_Q);
            ls_downsample2(&s->down1, b, a, 2 * LS_Q);
            ls_downsample2(&s->down2, a, y, LS_Q);
        }
    }
    /* curve(0) != 0, or the resamplers' tail: sound from silence, kept while
     * it is heard */
    return in->silent && base->out_count && ls__bus_audible(out);
}

static void ws_on_message(ls_proc *base, ls_render *r, const ls_msg *m)
{
    ws_proc *p = (ws_proc *)base;
    if (m->key == WS_MSG_CURVE) {
        ws_curve *old = p->curve;
        p->curve = m->ptr;
        if (old)
            ls__give_back(r->ctx, &old->ret);
    } else if (m->key == WS_MSG_OVERSAMPLE) {
        if (m->ptr)
            p->bank = m->ptr;     /* allocated zeroed: starts from rest */
        p->over = m->i0;
    }
}

static void ws_destroy(ls_proc *base)
{
    ws_proc *p = (ws_proc *)base;
    free(p->curve);
    p->curve = NULL;
    free(p->ctl_curve);
    p->ctl_curve = NULL;
    free(p->ctl_bank);
    p->ctl_bank = NULL;
}

static const ls_proc_vtable ws_vtable = {ws_process, ws_on_message, ws_destroy, NULL};

/* ------------------------------------------------------------------ */
/* Control half                                                        */
/* ------------------------------------------------------------------ */

static bool is_ws(const ls_node *n)
{
    return n && n->type == LS_NODE_TYPE_WAVE_SHAPER;
}

static ls_result check_curve(const float *v, size_t n)
{
    if (n == 1)
        return LS_ERROR_INVALID_STATE;
    if (n && !v)
        return LS_ERROR_INVALID_ARGUMENT;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(v[i]))
            return LS_ERROR_RANGE;
    return LS_OK;
}

/* control, under lock: replace the curve on both sides. */
static ls_result install_curve(ls_node *node, const float *v, size_t n, bool post)
{
    ws_proc *p = (ws_proc *)node->proc;
    ws_curve *box = NULL;
    float *copy = NULL;
    if (n) {
        box = malloc(sizeof *box + n * sizeof(float));
        copy = malloc(n * sizeof(float));
        if (!box || !copy) {
            free(box);
            free(copy);
            return LS_ERROR_NO_MEM;
        }
        box->ret.next = NULL;
        box->ret.dispose = curve_dispose;
        box->n = n;
        memcpy(box->v, v, n * sizeof(float));
        memcpy(copy, v, n * sizeof(float));
    }
    free(p->ctl_curve);
    p->ctl_curve = copy;
    p->ctl_n = n;
    if (post) {
        ls_msg m = {0};
        m.type = LS_MSG_NODE;
        m.key = WS_MSG_CURVE;
        m.target.proc = node->proc;
        m.ptr = box;
        ls__post(node->ctx, &m);
    } else {
        p->curve = box;
    }
    return LS_OK;
}

static ls_result install_oversample(ls_node *node, ls_oversample_type t, bool post)
{
    ws_proc *p = (ws_proc *)node->proc;
    if (t != LS_OVERSAMPLE_NONE && !p->ctl_bank) {
        ls_resample_init_kernels();
        p->ctl_bank = calloc(1, sizeof *p->ctl_bank);
        if (!p->ctl_bank)
            return LS_ERROR_NO_MEM;
        if (!post)
            p->bank = p->ctl_bank;
    }
    p->ctl_over = t;
    if (post) {
        ls_msg m = {0};
        m.type = LS_MSG_NODE;
        m.key = WS_MSG_OVERSAMPLE;
        m.target.proc = node->proc;
        m.i0 = (int32_t)t;
        m.ptr = p->ctl_bank;
        ls__post(node->ctx, &m);
    } else {
        p->over = (int)t;
    }
    return LS_OK;
}

LS__OPTIONS_DEFAULT(wave_shaper)

ls_result ls_wave_shaper_create(ls_context *ctx, const ls_wave_shaper_options *options,
                                ls_node **out)
{
    if (!ctx || !out)
        return LS_ERROR_INVALID_ARGUMENT;
    ls_wave_shaper_options o = options ? *options : ls_wave_shaper_options_default();
    if ((int)o.oversample < 0 || o.oversample > LS_OVERSAMPLE_4X)
        return LS_ERROR_INVALID_ARGUMENT;
    ls_result res = check_curve(o.curve, o.curve_length);
    if (res != LS_OK)
        return res;
    const ls_node_descriptor *t = &ls__wave_shaper_type;
    ls_node *node;
    res = ls__node_create(ctx, t->type, &ws_vtable, sizeof(ws_proc), t->number_of_inputs,
                          t->number_of_outputs, &t->channel_defaults, &o.node, &node);
    if (res != LS_OK)
        return res;
    /* not yet published: set the render side's state directly */
    if ((res = install_curve(node, o.curve, o.curve_length, false)) != LS_OK ||
        (res = install_oversample(node, o.oversample, false)) != LS_OK) {
        ls__node_free_unpublished(node);
        return res;
    }
    ls__node_publish(node);
    *out = node;
    return LS_OK;
}

ls_result ls_wave_shaper_set_curve(ls_node *node, const float *values, size_t n)
{
    if (!is_ws(node))
        return LS_ERROR_INVALID_ARGUMENT;
    ls_result res = check_curve(values, n);
    if (res != LS_OK)
        return res;
    ls__lock(node->ctx);
    res = install_curve(node, values, n, true);
    ls__unlock(node->ctx);
    return res;
}

const float *ls_wave_shaper_get_curve(const ls_node *node, size_t *n)
{
    if (!is_ws(node)) {
        if (n)
            *n = 0;
        return NULL;
    }
    const ws_proc *p = (const ws_proc *)node->proc;
    if (n)
        *n = p->ctl_n;
    return p->ctl_curve;
}

ls_result ls_wave_shaper_set_oversample(ls_node *node, ls_oversample_type type)
{
    if (!is_ws(node) || (int)type < 0 || type > LS_OVERSAMPLE_4X)
        return LS_ERROR_INVALID_ARGUMENT;
    ls__lock(node->ctx);
    ls_result res = install_oversample(node, type, true);
    ls__unlock(node->ctx);
    return res;
}

ls_oversample_type ls_wave_shaper_get_oversample(const ls_node *node)
{
    return is_ws(node) ? ((const ws_proc *)node->proc)->ctl_over : LS_OVERSAMPLE_NONE;
}

LS__CREATE_FN(wave_shaper)

static ls_result get_oversample(const ls_node *node, ls_value *out)
{
    if (!node || node->type != LS_NODE_TYPE_WAVE_SHAPER)
        return LS_ERROR_INVALID_ARGUMENT;
    out->i = ls_wave_shaper_get_oversample(node);
    return LS_OK;
}

static ls_result set_oversample(ls_node *node, const ls_value *v)
{
    return ls_wave_shaper_set_oversample(node, (ls_oversample_type)v->i);
}

static const char *const oversample_names[] = {"none", "2x", "4x", NULL};

static const ls_option_descriptor wave_shaper_options[] = {
    {"curve", LS_VALUE_FLOAT_ARRAY, offsetof(ls_wave_shaper_options, curve),
     offsetof(ls_wave_shaper_options, curve_length), 0, NULL, NULL, 0,
     "the shaping curve over [-1, 1] (none: the input passes unchanged)"},
    {"oversample", LS_VALUE_ENUM, offsetof(ls_wave_shaper_options, oversample), 0,
     LS_OVERSAMPLE_NONE, oversample_names, NULL, 0, "oversampling while shaping"},
};

static const ls_setting_descriptor wave_shaper_settings[] = {
    {"oversample", LS_VALUE_ENUM, oversample_names, "oversample", get_oversample, set_oversample,
     "oversampling while shaping"},
};

const ls_node_descriptor ls__wave_shaper_type = {
    .name = "WaveShaper", .key = "wave_shaper", .type = LS_NODE_TYPE_WAVE_SHAPER,
    .doc = "maps each sample through a curve, optionally oversampled",
    .number_of_inputs = 1, .number_of_outputs = 1,
    .channel_defaults = LS__CHANNELS_DEFAULT,
    .options = wave_shaper_options, .option_count = LS__COUNT(wave_shaper_options),
    .settings = wave_shaper_settings, .setting_count = LS__COUNT(wave_shaper_settings),
    .options_size = sizeof(ls_wave_shaper_options),
    .options_init = wave_shaper_options_init, .create = wave_shaper_create_any,
};
