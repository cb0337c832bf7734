/*
 * ClipNode: hard clipping to [a, b], or a * tanh(b * x) (src/dsp/shapers.c);
 * a and b are a-rate params, the mode a setting sent in a node message.
 */
#include "../engine.h"
#include "../node_types.h"

#include <stddef.h>
#include "../param.h"
#include "../dsp/shapers.h"

#include <float.h>

#define CLIP_MSG_MODE 100         /* i0 = mode */

typedef struct clip_proc {
    ls_proc base;
    ls_clip_mode ctl_mode;        /* control */
    int mode;                     /* render */
} clip_proc;

static bool clip_process(ls_proc *base, ls_render *r)
{
    clip_proc *p = (clip_proc *)base;
    ls_bus *in = &base->inputs[0].bus;
    ls_bus *out = &base->outputs[0];
    bool ac, bc;
    const float *a = ls__param_process(base->params[0], r, &ac);
    const float *b = ls__param_process(base->params[1], r, &bc);
    /* clip(0) = min(max(0, a), b) and a * tanh(0) = 0 */
    if (in->silent && (p->mode == LS_CLIP_MODE_TANH || (ac && bc && a[0] <= 0.0f && b[0] >= 0.0f))) {
        ls__bus_silence(r, out, in->channels);
        return false;
    }
    if (!ls__bus_alloc(r, out, in->channels))
        return false;
    for (uint32_t c = 0; c < in->channels; c++) {
        if (p->mode == LS_CLIP_MODE_TANH)
            ls_clip_tanh(in->ch[c], out->ch[c], LS_Q, a, ac ? 0 : 1, b, bc ? 0 : 1);
        else
            ls_clip_hard(in->ch[c], out->ch[c], LS_Q, a, ac ? 0 : 1, b, bc ? 0 : 1);
    }
    /* clip(0) = a > 0 or b < 0: the node sounds on its own while it is heard */
    return in->silent && base->out_count && ls__bus_audible(out);
}

static void clip_on_message(ls_proc *base, ls_render *r, const ls_msg *m)
{
    (void)r;
    if (m->key == CLIP_MSG_MODE)
        ((clip_proc *)base)->mode = m->i0;
}

static const ls_proc_vtable clip_vtable = {clip_process, clip_on_message, NULL, NULL};

static bool is_clip(const ls_node *n)
{
    return n && n->type == LS_NODE_TYPE_CLIP;
}

LS__OPTIONS_DEFAULT(clip)

ls_result ls_clip_create(ls_context *ctx, const ls_clip_options *options, ls_node **out)
{
    if (!ctx || !out)
        return LS_ERROR_INVALID_ARGUMENT;
    ls_clip_options o = options ? *options : ls_clip_options_default();
    if ((int)o.mode < 0 || o.mode > LS_CLIP_MODE_TANH)
        return LS_ERROR_INVALID_ARGUMENT;
    if (ls__check_param_options(&ls__clip_type, &o) != LS_OK)
        return LS_ERROR_RANGE;
    const ls_node_descriptor *desc = &ls__clip_type;
    ls_node *node;
    ls_result res = ls__node_create(ctx, LS_NODE_TYPE_CLIP, &clip_vtable, sizeof(clip_proc), 1, 1,
                                    &desc->channel_defaults, &o.node, &node);
    if (res != LS_OK)
        return res;
    if (ls__params_create(node, desc, &o) != LS_OK) {
        ls__node_free_unpublished(node);
        return LS_ERROR_NO_MEM;
    }
    clip_proc *p = (clip_proc *)node->proc;
    p->ctl_mode = o.mode;
    p->mode = (int)o.mode;
    ls__node_publish(node);
    *out = node;
    return LS_OK;
}

ls_clip_mode ls_clip_get_mode(const ls_node *node)
{
    return is_clip(node) ? ((const clip_proc *)node->proc)->ctl_mode : LS_CLIP_MODE_CLIP;
}

ls_result ls_clip_set_mode(ls_node *node, ls_clip_mode mode)
{
    if (!is_clip(node) || (int)mode < 0 || mode > LS_CLIP_MODE_TANH)
        return LS_ERROR_INVALID_ARGUMENT;
    ls__lock(node->ctx);
    ((clip_proc *)node->proc)->ctl_mode = mode;
    ls_msg m = {0};
    m.type = LS_MSG_NODE;
    m.key = CLIP_MSG_MODE;
    m.target.proc = node->proc;
    m.i0 = (int32_t)mode;
    ls__post(node->ctx, &m);
    ls__unlock(node->ctx);
    return LS_OK;
}

LS__CREATE_FN(clip)

static ls_result get_mode(const ls_node *node, ls_value *out)
{
    if (!node || node->type != LS_NODE_TYPE_CLIP)
        return LS_ERROR_INVALID_ARGUMENT;
    out->i = ls_clip_get_mode(node);
    return LS_OK;
}

static ls_result set_mode(ls_node *node, const ls_value *v)
{
    return ls_clip_set_mode(node, (ls_clip_mode)v->i);
}

static const char *const mode_names[] = {"clip", "tanh", NULL};

static const ls_param_descriptor clip_params[] = {
    {"a", -1.0f, LS__FLT_RANGE, LS_AUTOMATION_RATE_A_RATE, 0, "",
     "clip: the lower bound; tanh: the output gain"},
    {"b", 1.0f, LS__FLT_RANGE, LS_AUTOMATION_RATE_A_RATE, 0, "",
     "clip: the upper bound; tanh: the input gain"},
};

static const ls_option_descriptor clip_options[] = {
    {"mode", LS_VALUE_ENUM, offsetof(ls_clip_options, mode), 0, LS_CLIP_MODE_CLIP, mode_names,
     NULL, 0, "clip: y = min(max(x, a), b); tanh: y = a tanh(b x)"},
    LS__PARAM_OPTION(ls_clip_options, a, "a"),
    LS__PARAM_OPTION(ls_clip_options, b, "b"),
};

static const ls_setting_descriptor clip_settings[] = {
    {"mode", LS_VALUE_ENUM, mode_names, "mode", get_mode, set_mode,
     "clip: y = min(max(x, a), b); tanh: y = a tanh(b x)"},
};

const ls_node_descriptor ls__clip_type = {
    .name = "Clip", .key = "clip", .type = LS_NODE_TYPE_CLIP,
    .doc = "a hard clipper or a tanh saturator",
    .number_of_inputs = 1, .number_of_outputs = 1,
    .channel_defaults = LS__CHANNELS_DEFAULT,
    .params = clip_params, .param_count = LS__COUNT(clip_params),
    .options = clip_options, .option_count = LS__COUNT(clip_options),
    .settings = clip_settings, .setting_count = LS__COUNT(clip_settings),
    .options_size = sizeof(ls_clip_options),
    .options_init = clip_options_init, .create = clip_create_any,
};
