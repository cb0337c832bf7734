/*
 * ClipNode: hard clipping to [a, b], or a * tanh(b * x) (src/dsp/shapers.c);
 * a and b are a-rate params, the mode a setting sent in a node message.
 */
#include "../engine.h"
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

ls_clip_options ls_clip_options_default(void)
{
    ls_clip_options o;
    o.node = ls_node_options_default();
    o.mode = LS_CLIP_MODE_CLIP;
    o.a = -1.0f;
    o.b = 1.0f;
    return o;
}

ls_result ls_clip_create(ls_context *ctx, const ls_clip_options *options, ls_node **out)
{
    if (!ctx || !out)
        return LS_ERROR_INVALID_ARGUMENT;
    ls_clip_options o = options ? *options : ls_clip_options_default();
    if ((int)o.mode < 0 || o.mode > LS_CLIP_MODE_TANH)
        return LS_ERROR_INVALID_ARGUMENT;
    if (!isfinite(o.a) || !isfinite(o.b))
        return LS_ERROR_RANGE;
    static const ls_node_options defaults = {2, LS_CHANNEL_COUNT_MODE_MAX,
                                             LS_CHANNEL_INTERPRETATION_SPEAKERS};
    ls_node *node;
    ls_result res = ls__node_create(ctx, LS_NODE_TYPE_CLIP, &clip_vtable, sizeof(clip_proc), 1, 1,
                                    &defaults, &o.node, &node);
    if (res != LS_OK)
        return res;
    ls_param *a = ls__param_create(node, "a", -1.0f, -FLT_MAX, FLT_MAX, LS_AUTOMATION_RATE_A_RATE,
                                   false);
    ls_param *b = a ? ls__param_create(node, "b", 1.0f, -FLT_MAX, FLT_MAX,
                                       LS_AUTOMATION_RATE_A_RATE, false)
                    : NULL;
    if (!a || !b) {
        ls__node_free_unpublished(node);
        return LS_ERROR_NO_MEM;
    }
    atomic_store(&a->value_bits, ls__float_bits(o.a));
    a->r.intrinsic = o.a;
    atomic_store(&b->value_bits, ls__float_bits(o.b));
    b->r.intrinsic = o.b;
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
