/* GainNode: output = input x gain (a-rate). */
#include "../engine.h"
#include "../param.h"

typedef struct gain_proc {
    ls_proc base;
} gain_proc;

static bool gain_process(ls_proc *p, ls_render *r)
{
    ls_bus *in = &p->inputs[0].bus;
    ls_bus *out = &p->outputs[0];
    if (in->silent) {
        /* silence in, silence out: the gain's timeline need not be computed */
        ls__bus_silence(r, out, in->channels);
        return false;
    }
    bool constant;
    const float *g = ls__param_process(p->params[0], r, &constant);
    if (constant && g[0] == 0.0f) {
        ls__bus_silence(r, out, in->channels);
        return false;
    }
    if (!ls__bus_alloc(r, out, in->channels))
        return false;
    for (uint32_t c = 0; c < in->channels; c++) {
        const float *restrict x = in->ch[c];
        float *restrict y = out->ch[c];
        if (constant) {
            const float k = g[0];
            for (int i = 0; i < LS_Q; i++)
                y[i] = x[i] * k;
        } else {
            for (int i = 0; i < LS_Q; i++)
                y[i] = x[i] * g[i];
        }
    }
    return false;
}

static const ls_proc_vtable gain_vtable = {gain_process, NULL, NULL};

ls_gain_options ls_gain_options_default(void)
{
    ls_gain_options o;
    o.node = ls_node_options_default();
    o.gain = 1.0f;
    return o;
}

ls_result ls_gain_create(ls_context *ctx, const ls_gain_options *options, ls_node **out)
{
    ls_gain_options o = options ? *options : ls_gain_options_default();
    static const ls_node_options defaults = {2, LS_CHANNEL_COUNT_MODE_MAX,
                                             LS_CHANNEL_INTERPRETATION_SPEAKERS};
    if (!isfinite(o.gain))
        return LS_ERROR_RANGE;
    ls_node *node;
    ls_result r = ls__node_create(ctx, LS_NODE_TYPE_GAIN, &gain_vtable, sizeof(gain_proc), 1, 1,
                                  &defaults, &o.node, &node);
    if (r != LS_OK)
        return r;
    ls_param *g = ls__param_create(node, "gain", 1.0f, -3.4028235e38f, 3.4028235e38f,
                                   LS_AUTOMATION_RATE_A_RATE, false);
    if (!g) {
        ls__node_free_unpublished(node);
        return LS_ERROR_NO_MEM;
    }
    atomic_store(&g->value_bits, ls__float_bits(o.gain));
    g->r.intrinsic = o.gain;
    node->proc->silent_in_out = 1;  /* silent input: silent output, no state */
    ls__node_publish(node);
    *out = node;
    return LS_OK;
}

ls_param *ls_gain_gain(ls_node *node)
{
    return node && node->type == LS_NODE_TYPE_GAIN ? node->proc->params[0] : NULL;
}
