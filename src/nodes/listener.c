/*
 * AudioListener: a hidden node of the context with no inputs or outputs,
 * owning the listener's nine AudioParams. It is made on first use, never
 * released by anyone, and freed with the context's graph; it does not hold a
 * reference to its context (that would keep the context alive for ever).
 *
 * Render side: the params' values of a quantum are computed once, by
 * whichever of the listener's process() and its panners' process() runs
 * first in the quantum (the listener runs first: each panner names it in
 * ls_proc.after, so the ordering puts it, and whatever feeds its params,
 * before the panner).
 */
#include "listener.h"
#include "../param.h"

#include <float.h>

typedef struct listener_proc {
    ls_proc base;
    /* render */
    uint64_t frame;              /* first frame of the quantum `values` is for */
    bool valid;
    ls_listener_values values;
} listener_proc;

const ls_listener_values *ls__listener_values(ls_proc *base, ls_render *r)
{
    listener_proc *p = (listener_proc *)base;
    if (!p->valid || p->frame != r->frame) {
        bool all = true;
        for (int i = 0; i < LS_LISTENER_NPARAMS; i++) {
            bool c;
            p->values.v[i] = ls__param_process(base->params[i], r, &c);
            p->values.constant[i] = c;
            all = all && c;
        }
        p->values.all_constant = all;
        p->frame = r->frame;
        p->valid = true;
    }
    return &p->values;
}

static bool listener_process(ls_proc *p, ls_render *r)
{
    ls__listener_values(p, r);
    return false;
}

static const ls_proc_vtable listener_vtable = {listener_process, NULL, NULL};

static const char *const names[LS_LISTENER_NPARAMS] = {
    "position_x", "position_y", "position_z", "forward_x", "forward_y", "forward_z",
    "up_x", "up_y", "up_z"};
static const float defaults[LS_LISTENER_NPARAMS] = {0, 0, 0, 0, 0, -1, 0, 1, 0};

ls_node *ls__listener_get(ls_context *ctx)
{
    ls__lock(ctx);
    ls_node *node = ctx->listener;
    ls__unlock(ctx);
    if (node)
        return node;
    static const ls_node_options opts = {1, LS_CHANNEL_COUNT_MODE_EXPLICIT,
                                         LS_CHANNEL_INTERPRETATION_SPEAKERS};
    if (ls__node_create(ctx, LS_NODE_TYPE_LISTENER, &listener_vtable, sizeof(listener_proc), 0, 0,
                        &opts, NULL, &node) != LS_OK)
        return NULL;
    for (int i = 0; i < LS_LISTENER_NPARAMS; i++) {
        if (!ls__param_create(node, names[i], defaults[i], -FLT_MAX, FLT_MAX,
                              LS_AUTOMATION_RATE_A_RATE, false)) {
            ls__node_free_unpublished(node);
            return NULL;
        }
    }
    node->channel_count_fixed = node->channel_mode_fixed = node->channel_interp_fixed = 1;
    ls__lock(ctx);
    if (ctx->listener) {
        /* another thread made it meanwhile */
        ls_node *other = ctx->listener;
        ls__unlock(ctx);
        ls__node_free_unpublished(node);
        return other;
    }
    ctx->listener = node;
    ls__unlock(ctx);
    ls__node_publish(node);
    return node;
}

ls_node *ls_context_listener(ls_context *ctx)
{
    return ctx ? ls__listener_get(ctx) : NULL;
}
