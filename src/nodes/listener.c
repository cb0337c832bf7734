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
#include "../node_types.h"
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

extern const ls_node_descriptor ls__listener_type;

ls_node *ls__listener_get(ls_context *ctx)
{
    ls__lock(ctx);
    ls_node *node = ctx->listener;
    ls__unlock(ctx);
    if (node)
        return node;
    const ls_node_descriptor *t = &ls__listener_type;
    if (ls__node_create(ctx, t->type, &listener_vtable, sizeof(listener_proc), 0, 0,
                        &t->channel_defaults, NULL, &node) != LS_OK)
        return NULL;
    if (ls__params_create(node, t, NULL) != LS_OK) {
        ls__node_free_unpublished(node);
        return NULL;
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

/* in the order of LS_LISTENER_* (listener.h) */
static const ls_param_descriptor listener_params[] = {
    {"position_x", 0.0f, LS__FLT_RANGE, LS_AUTOMATION_RATE_A_RATE, 0, "",
     "x of the listener's position"},
    {"position_y", 0.0f, LS__FLT_RANGE, LS_AUTOMATION_RATE_A_RATE, 0, "",
     "y of the listener's position"},
    {"position_z", 0.0f, LS__FLT_RANGE, LS_AUTOMATION_RATE_A_RATE, 0, "",
     "z of the listener's position"},
    {"forward_x", 0.0f, LS__FLT_RANGE, LS_AUTOMATION_RATE_A_RATE, 0, "",
     "x of the direction the listener faces"},
    {"forward_y", 0.0f, LS__FLT_RANGE, LS_AUTOMATION_RATE_A_RATE, 0, "",
     "y of the direction the listener faces"},
    {"forward_z", -1.0f, LS__FLT_RANGE, LS_AUTOMATION_RATE_A_RATE, 0, "",
     "z of the direction the listener faces"},
    {"up_x", 0.0f, LS__FLT_RANGE, LS_AUTOMATION_RATE_A_RATE, 0, "",
     "x of the listener's up direction"},
    {"up_y", 1.0f, LS__FLT_RANGE, LS_AUTOMATION_RATE_A_RATE, 0, "",
     "y of the listener's up direction"},
    {"up_z", 0.0f, LS__FLT_RANGE, LS_AUTOMATION_RATE_A_RATE, 0, "",
     "z of the listener's up direction"},
};

const ls_node_descriptor ls__listener_type = {
    .name = "AudioListener", .key = "listener", .type = LS_NODE_TYPE_LISTENER,
    .doc = "the context's listener: where the panners' sources are heard from",
    .number_of_inputs = 0, .number_of_outputs = 0, .flags = LS_NODE_TYPE_INTERNAL,
    .channel_defaults = {1, LS_CHANNEL_COUNT_MODE_EXPLICIT, LS_CHANNEL_INTERPRETATION_SPEAKERS},
    .params = listener_params, .param_count = LS__COUNT(listener_params),
    .options_size = sizeof(ls_node_options),
};
