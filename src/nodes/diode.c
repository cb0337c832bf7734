/*
 * DiodeNode: Parker's diode model (src/dsp/shapers.c), computed per sample
 * rather than looked up in a 1024-point curve as LabSound does; distortion,
 * vb and vl are a-rate params.
 */
#include "../engine.h"
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

ls_diode_options ls_diode_options_default(void)
{
    ls_diode_options o;
    o.node = ls_node_options_default();
    o.distortion = 1.0f;
    o.vb = 0.2f;
    o.vl = 0.4f;
    return o;
}

ls_result ls_diode_create(ls_context *ctx, const ls_diode_options *options, ls_node **out)
{
    if (!ctx || !out)
        return LS_ERROR_INVALID_ARGUMENT;
    ls_diode_options o = options ? *options : ls_diode_options_default();
    if (!isfinite(o.distortion) || !isfinite(o.vb) || !isfinite(o.vl))
        return LS_ERROR_RANGE;
    static const ls_node_options defaults = {2, LS_CHANNEL_COUNT_MODE_MAX,
                                             LS_CHANNEL_INTERPRETATION_SPEAKERS};
    ls_node *node;
    ls_result res = ls__node_create(ctx, LS_NODE_TYPE_DIODE, &diode_vtable, sizeof(ls_proc), 1, 1,
                                    &defaults, &o.node, &node);
    if (res != LS_OK)
        return res;
    struct { const char *name; float def, init; } spec[3] = {
        {"distortion", 1.0f, o.distortion}, {"vb", 0.2f, o.vb}, {"vl", 0.4f, o.vl}};
    for (int k = 0; k < 3; k++) {
        ls_param *prm = ls__param_create(node, spec[k].name, spec[k].def, -FLT_MAX, FLT_MAX,
                                         LS_AUTOMATION_RATE_A_RATE, false);
        if (!prm) {
            ls__node_free_unpublished(node);
            return LS_ERROR_NO_MEM;
        }
        atomic_store(&prm->value_bits, ls__float_bits(spec[k].init));
        prm->r.intrinsic = spec[k].init;
    }
    node->proc->silent_in_out = 0;
    ls__node_publish(node);
    *out = node;
    return LS_OK;
}
