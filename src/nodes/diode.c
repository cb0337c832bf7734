/*
 * DiodeNode: Parker's diode model (src/dsp/shapers.c), computed per sample
 * rather than looked up in a 1024-point curve as LabSound does; distortion,
 * vb and vl are a-rate params.
 */
#include "../engine.h"
#include "../node_types.h"

#include <stddef.h>
#include "../param.h"
#include "../dsp/shapers.h"

#include <float.h>

static bool diode_process(ls_proc *base, ls_render *r)
{
    ls_bus *in = &base->inputs[0].bus;
    ls_bus *out = &base->outputs[0];
    bool hc, bc, lc;
    const float *h = ls__param_process(base->params[0], r, &hc);
    const float *vb = ls__param_process(base->params[1], r, &bc);
    const float *vl = ls__param_process(base->params[2], r, &lc);
    if (in->silent && bc && vb[0] >= 0.0f) {
        ls__bus_silence(r, out, in->channels);   /* f(0) = 0 when vb >= 0 */
        return false;
    }
    if (!ls__bus_alloc(r, out, in->channels))
        return false;
    for (uint32_t c = 0; c < in->channels; c++)
        ls_diode(in->ch[c], out->ch[c], LS_Q, h, hc ? 0 : 1, vb, bc ? 0 : 1, vl, lc ? 0 : 1);
    /* f(0) != 0 (vb < 0): the node sounds on its own while it is heard */
    return in->silent && base->out_count && ls__bus_audible(out);
}

static const ls_proc_vtable diode_vtable = {diode_process, NULL, NULL, NULL};

LS__OPTIONS_DEFAULT(diode)

ls_result ls_diode_create(ls_context *ctx, const ls_diode_options *options, ls_node **out)
{
    if (!ctx || !out)
        return LS_ERROR_INVALID_ARGUMENT;
    ls_diode_options o = options ? *options : ls_diode_options_default();
    if (ls__check_param_options(&ls__diode_type, &o) != LS_OK)
        return LS_ERROR_RANGE;
    const ls_node_descriptor *desc = &ls__diode_type;
    ls_node *node;
    ls_result res = ls__node_create(ctx, LS_NODE_TYPE_DIODE, &diode_vtable, sizeof(ls_proc), 1, 1,
                                    &desc->channel_defaults, &o.node, &node);
    if (res != LS_OK)
        return res;
    if (ls__params_create(node, desc, &o) != LS_OK) {
        ls__node_free_unpublished(node);
        return LS_ERROR_NO_MEM;
    }
    node->proc->silent_in_out = 0;
    ls__node_publish(node);
    *out = node;
    return LS_OK;
}

LS__CREATE_FN(diode)

static const ls_param_descriptor diode_params[] = {
    {"distortion", 1.0f, LS__FLT_RANGE, LS_AUTOMATION_RATE_A_RATE, 0, "",
     "slope h of the linear part"},
    {"vb", 0.2f, LS__FLT_RANGE, LS_AUTOMATION_RATE_A_RATE, 0, "",
     "bias voltage: below it the output is 0"},
    {"vl", 0.4f, LS__FLT_RANGE, LS_AUTOMATION_RATE_A_RATE, 0, "",
     "where the curve turns linear"},
};

static const ls_option_descriptor diode_options[] = {
    LS__PARAM_OPTION(ls_diode_options, distortion, "distortion"),
    LS__PARAM_OPTION(ls_diode_options, vb, "vb"),
    LS__PARAM_OPTION(ls_diode_options, vl, "vl"),
};

const ls_node_descriptor ls__diode_type = {
    .name = "Diode", .key = "diode", .type = LS_NODE_TYPE_DIODE,
    .doc = "Parker's diode model, the ring modulator's diode",
    .number_of_inputs = 1, .number_of_outputs = 1,
    .channel_defaults = LS__CHANNELS_DEFAULT,
    .params = diode_params, .param_count = LS__COUNT(diode_params),
    .options = diode_options, .option_count = LS__COUNT(diode_options),
    .options_size = sizeof(ls_diode_options),
    .options_init = diode_options_init, .create = diode_create_any,
};
