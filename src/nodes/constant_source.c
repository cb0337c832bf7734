/* ConstantSourceNode: a scheduled source whose output is its offset param. */
#include "../engine.h"
#include "../param.h"
#include "../node_types.h"

#include <float.h>
#include <stddef.h>

#include <string.h>

typedef struct constant_proc {
    ls_proc base;
} constant_proc;

static bool constant_process(ls_proc *p, ls_render *r)
{
    uint32_t begin, end;
    double start_offset;
    if (!ls__sched_range(p, &p->sched, r, &begin, &end, &start_offset)) {
        ls__bus_silence(r, &p->outputs[0], 1);
        return !p->sched.ended && !(p->released && !p->sched.started);
    }
    bool constant;
    const float *v = ls__param_process(p->params[0], r, &constant);
    if (!ls__bus_alloc(r, &p->outputs[0], 1))
        return true;
    float *y = p->outputs[0].ch[0];
    if (begin)
        memset(y, 0, sizeof(float) * begin);
    if (constant) {
        for (uint32_t i = begin; i < end; i++)
            y[i] = v[0];
    } else {
        memcpy(y + begin, v + begin, sizeof(float) * (end - begin));
    }
    if (end < LS_Q)
        memset(y + end, 0, sizeof(float) * (LS_Q - end));
    return !p->sched.ended;
}

static const ls_proc_vtable constant_vtable = {constant_process, NULL, NULL};

LS__OPTIONS_DEFAULT(constant_source)

ls_result ls_constant_source_create(ls_context *ctx, const ls_constant_source_options *options,
                                    ls_node **out)
{
    const ls_node_descriptor *t = &ls__constant_source_type;
    ls_constant_source_options o = options ? *options : ls_constant_source_options_default();
    ls_result r = ls__check_param_options(t, &o);
    if (r != LS_OK)
        return r;
    ls_node *node;
    r = ls__node_create(ctx, t->type, &constant_vtable, sizeof(constant_proc),
                        t->number_of_inputs, t->number_of_outputs, &t->channel_defaults, &o.node,
                        &node);
    if (r != LS_OK)
        return r;
    if (ls__params_create(node, t, &o) != LS_OK) {
        ls__node_free_unpublished(node);
        return LS_ERROR_NO_MEM;
    }
    ls__sched_init(node->proc);
    ls__node_publish(node);
    *out = node;
    return LS_OK;
}

ls_param *ls_constant_source_offset(ls_node *node)
{
    return node && node->type == LS_NODE_TYPE_CONSTANT_SOURCE ? node->proc->params[0] : NULL;
}

LS__CREATE_FN(constant_source)

static const ls_param_descriptor constant_params[] = {
    {"offset", 1.0f, LS__FLT_RANGE, LS_AUTOMATION_RATE_A_RATE, 0, "", "the value it outputs"},
};

static const ls_option_descriptor constant_options[] = {
    LS__PARAM_OPTION(ls_constant_source_options, offset, "offset"),
};

const ls_node_descriptor ls__constant_source_type = {
    .name = "ConstantSource", .key = "constant_source", .type = LS_NODE_TYPE_CONSTANT_SOURCE,
    .doc = "outputs its offset param: a constant, or whatever automates it",
    .number_of_inputs = 0, .number_of_outputs = 1, .flags = LS_NODE_TYPE_SCHEDULED_SOURCE,
    .channel_defaults = LS__CHANNELS_DEFAULT,
    .params = constant_params, .param_count = LS__COUNT(constant_params),
    .options = constant_options, .option_count = LS__COUNT(constant_options),
    .options_size = sizeof(ls_constant_source_options),
    .options_init = constant_source_options_init, .create = constant_source_create_any,
};
