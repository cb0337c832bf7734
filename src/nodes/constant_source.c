/* ConstantSourceNode: a scheduled source whose output is its offset param. */
#include "../engine.h"
#include "../param.h"

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

ls_constant_source_options ls_constant_source_options_default(void)
{
    ls_constant_source_options o;
    o.node = ls_node_options_default();
    o.offset = 1.0f;
    return o;
}

ls_result ls_constant_source_create(ls_context *ctx, const ls_constant_source_options *options,
                                    ls_node **out)
{
    ls_constant_source_options o = options ? *options : ls_constant_source_options_default();
    static const ls_node_options defaults = {2, LS_CHANNEL_COUNT_MODE_MAX,
                                             LS_CHANNEL_INTERPRETATION_SPEAKERS};
    if (!isfinite(o.offset))
        return LS_ERROR_RANGE;
    ls_node *node;
    ls_result r = ls__node_create(ctx, LS_NODE_TYPE_CONSTANT_SOURCE, &constant_vtable,
                                  sizeof(constant_proc), 0, 1, &defaults, &o.node, &node);
    if (r != LS_OK)
        return r;
    ls_param *off = ls__param_create(node, "offset", 1.0f, -3.4028235e38f, 3.4028235e38f,
                                     LS_AUTOMATION_RATE_A_RATE, false);
    if (!off) {
        ls__node_free_unpublished(node);
        return LS_ERROR_NO_MEM;
    }
    atomic_store(&off->value_bits, ls__float_bits(o.offset));
    off->r.intrinsic = o.offset;
    ls__sched_init(node->proc);
    ls__node_publish(node);
    *out = node;
    return LS_OK;
}

ls_param *ls_constant_source_offset(ls_node *node)
{
    return node && node->type == LS_NODE_TYPE_CONSTANT_SOURCE ? node->proc->params[0] : NULL;
}
