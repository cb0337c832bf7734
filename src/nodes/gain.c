/* GainNode: output = input x gain (a-rate). */
#include "../engine.h"
#include "../param.h"
#include "../node_types.h"

#include <float.h>
#include <stddef.h>

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

LS__OPTIONS_DEFAULT(gain)

ls_result ls_gain_create(ls_context *ctx, const ls_gain_options *options, ls_node **out)
{
    const ls_node_descriptor *t = &ls__gain_type;
    ls_gain_options o = options ? *options : ls_gain_options_default();
    ls_result r = ls__check_param_options(t, &o);
    if (r != LS_OK)
        return r;
    ls_node *node;
    r = ls__node_create(ctx, t->type, &gain_vtable, sizeof(gain_proc), t->number_of_inputs,
                        t->number_of_outputs, &t->channel_defaults, &o.node, &node);
    if (r != LS_OK)
        return r;
    if (ls__params_create(node, t, &o) != LS_OK) {
        ls__node_free_unpublished(node);
        return LS_ERROR_NO_MEM;
    }
    node->proc->silent_in_out = 1;  /* silent input: silent output, no state */
    ls__node_publish(node);
    *out = node;
    return LS_OK;
}

LS__CREATE_FN(gain)

static const ls_param_descriptor gain_params[] = {
    {"gain", 1.0f, -FLT_MAX, FLT_MAX, LS_AUTOMATION_RATE_A_RATE, 0, "",
     "the factor every input sample is multiplied by"},
};

static const ls_option_descriptor gain_options[] = {
    {"gain", LS_VALUE_FLOAT, offsetof(ls_gain_options, gain), 0, 0, NULL, "gain", 0,
     "initial value of the gain param"},
};

const ls_node_descriptor ls__gain_type = {
    .name = "Gain", .key = "gain", .type = LS_NODE_TYPE_GAIN,
    .doc = "multiplies its input by the gain param",
    .number_of_inputs = 1, .number_of_outputs = 1,
    .channel_defaults = {2, LS_CHANNEL_COUNT_MODE_MAX, LS_CHANNEL_INTERPRETATION_SPEAKERS},
    .params = gain_params, .param_count = LS__COUNT(gain_params),
    .options = gain_options, .option_count = LS__COUNT(gain_options),
    .options_size = sizeof(ls_gain_options),
    .options_init = gain_options_init,
    .create = gain_create_any,
};

ls_param *ls_gain_gain(ls_node *node)
{
    return node && node->type == LS_NODE_TYPE_GAIN ? node->proc->params[0] : NULL;
}
