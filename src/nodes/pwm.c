/*
 * PWMNode: y = 1 where the carrier (input 0) is above the modulator
 * (input 1), else -1 (src/dsp/peakcomp.c, ls_pwm), per carrier channel.
 * With nothing connected to input 1 the carrier passes through; with both
 * inputs silent the output is silent (so the graph around it may idle).
 */
#include "../engine.h"
#include "../node_types.h"
#include "../dsp/peakcomp.h"

#include <string.h>

static bool pwm_process(ls_proc *base, ls_render *r)
{
    ls_bus *car = &base->inputs[0].bus;
    ls_bus *mod = &base->inputs[1].bus;
    ls_bus *out = &base->outputs[0];
    if (car->silent && mod->silent) {
        ls__bus_silence(r, out, car->channels);
        return false;
    }
    if (base->inputs[1].count == 0) {
        if (ls__bus_alloc(r, out, car->channels))
            for (uint32_t c = 0; c < car->channels; c++)
                memcpy(out->ch[c], car->ch[c], sizeof(float) * LS_Q);
        return false;
    }
    if (!ls__bus_alloc(r, out, car->channels))
        return false;
    for (uint32_t c = 0; c < car->channels; c++) {
        const float *m = mod->ch[c < mod->channels ? c : (uint32_t)mod->channels - 1u];
        ls_pwm(car->ch[c], m, 1, out->ch[c], LS_Q);
    }
    return false;
}

static const ls_proc_vtable pwm_vtable = {pwm_process, NULL, NULL, NULL};

extern const ls_node_descriptor ls__pwm_type;

ls_result ls_pwm_create(ls_context *ctx, const ls_node_options *options, ls_node **out)
{
    if (!ctx || !out)
        return LS_ERROR_INVALID_ARGUMENT;
    const ls_node_descriptor *desc = &ls__pwm_type;
    ls_node_options o = options ? *options : ls_node_options_default();
    ls_node *node;
    ls_result res = ls__node_create(ctx, desc->type, &pwm_vtable, sizeof(ls_proc),
                                    desc->number_of_inputs, desc->number_of_outputs,
                                    &desc->channel_defaults, &o, &node);
    if (res != LS_OK)
        return res;
    node->proc->silent_in_out = 1;
    ls__node_publish(node);
    *out = node;
    return LS_OK;
}

/* the options are the common channel options alone */
static void pwm_options_init(void *o)
{
    *(ls_node_options *)o = ls_node_options_default();
}

static ls_result pwm_create_any(ls_context *ctx, const void *o, ls_node **out)
{
    return ls_pwm_create(ctx, (const ls_node_options *)o, out);
}

const ls_node_descriptor ls__pwm_type = {
    .name = "PWM", .key = "pwm", .type = LS_NODE_TYPE_PWM,
    .doc = "pulse-width modulation: input 0 the carrier, input 1 the modulator",
    .number_of_inputs = 2, .number_of_outputs = 1,
    .channel_defaults = {1, LS_CHANNEL_COUNT_MODE_MAX, LS_CHANNEL_INTERPRETATION_SPEAKERS},
    .options_size = sizeof(ls_node_options),
    .options_init = pwm_options_init, .create = pwm_create_any,
};
