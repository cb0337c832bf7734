/*
 * PolyBLEPNode: a scheduled source of LabSound's PolyBLEP waveforms
 * (src/dsp/polyblep.c) at frequency * 2^(detune / 1200), scaled by amplitude;
 * frequency, detune, amplitude and pulse_width are a-rate params. The phase
 * starts at 0 at the exact start time and is kept across type changes.
 */
#include "../engine.h"
#include "../node_types.h"

#include <stddef.h>
#include "../param.h"
#include "../dsp/polyblep.h"

#include <float.h>
#include <string.h>

#define PB_MSG_TYPE 100           /* i0 = type */

typedef struct pb_proc {
    ls_proc base;
    ls_polyblep_type ctl_type;    /* control */
    /* render */
    int type;
    double phase;
    bool running;
    float inc[LS_Q];
    float spare[LS_Q];
} pb_proc;

/* inc[i] = frequency * 2^(detune / 1200) / sample_rate over [begin, end);
 * returns true when it is one value (in inc[begin]). */
static bool phase_increments(ls_proc *base, ls_render *r, uint32_t begin, uint32_t end, float *inc)
{
    bool fc, dc;
    const float *f = ls__param_process(base->params[0], r, &fc);
    const float *d = ls__param_process(base->params[1], r, &dc);
    const double isr = 1.0 / r->sample_rate;
    if (fc && dc) {
        double v = (double)f[0] * (d[0] != 0.0f ? exp2((double)d[0] / 1200.0) : 1.0) * isr;
        inc[begin] = (float)v;
        return true;
    }
    for (uint32_t i = begin; i < end; i++) {
        double det = d[dc ? 0 : i];
        inc[i] = (float)((double)f[fc ? 0 : i] * (det != 0.0 ? exp2(det / 1200.0) : 1.0) * isr);
    }
    return false;
}

static bool pb_process(ls_proc *base, ls_render *r)
{
    pb_proc *p = (pb_proc *)base;
    uint32_t begin, end;
    double off;
    if (!ls__sched_range(base, &base->sched, r, &begin, &end, &off)) {
        ls__bus_silence(r, &base->outputs[0], 1);
        return !base->sched.ended && !(base->released && !base->sched.started);
    }
    bool ic = phase_increments(base, r, begin, end, p->inc);
    bool ac, wc;
    const float *amp = ls__param_process(base->params[2], r, &ac);
    const float *pw = ls__param_process(base->params[3], r, &wc);
    float *y = ls__bus_alloc(r, &base->outputs[0], 1) ? base->outputs[0].ch[0] : p->spare;
    if (begin)
        memset(y, 0, sizeof(float) * begin);
    if (!p->running) {
        double ph = off * (double)p->inc[begin];
        p->phase = ph - floor(ph);
        p->running = true;
    }
    ls_polyblep_render(p->type, &p->phase, y + begin, end - begin, p->inc + begin, ic ? 0 : 1,
                       pw + (wc ? 0 : begin), wc ? 0 : 1, amp + (ac ? 0 : begin), ac ? 0 : 1);
    if (end < LS_Q)
        memset(y + end, 0, sizeof(float) * (LS_Q - end));
    return !base->sched.ended;
}

static void pb_on_message(ls_proc *base, ls_render *r, const ls_msg *m)
{
    (void)r;
    if (m->key == PB_MSG_TYPE)
        ((pb_proc *)base)->type = m->i0;
}

static const ls_proc_vtable pb_vtable = {pb_process, pb_on_message, NULL, NULL};

static bool is_pb(const ls_node *n)
{
    return n && n->type == LS_NODE_TYPE_POLYBLEP;
}

LS__OPTIONS_DEFAULT(polyblep)

ls_result ls_polyblep_create(ls_context *ctx, const ls_polyblep_options *options, ls_node **out)
{
    if (!ctx || !out)
        return LS_ERROR_INVALID_ARGUMENT;
    ls_polyblep_options o = options ? *options : ls_polyblep_options_default();
    if ((int)o.type < 0 || (int)o.type >= LS_POLYBLEP_TYPES)
        return LS_ERROR_INVALID_ARGUMENT;
    if (ls__check_param_options(&ls__polyblep_type, &o) != LS_OK)
        return LS_ERROR_RANGE;
    const ls_node_descriptor *desc = &ls__polyblep_type;
    ls_node *node;
    ls_result res = ls__node_create(ctx, LS_NODE_TYPE_POLYBLEP, &pb_vtable, sizeof(pb_proc), 0, 1,
                                    &desc->channel_defaults, &o.node, &node);
    if (res != LS_OK)
        return res;
    if (ls__params_create(node, desc, &o) != LS_OK) {
        ls__node_free_unpublished(node);
        return LS_ERROR_NO_MEM;
    }
    pb_proc *p = (pb_proc *)node->proc;
    p->ctl_type = o.type;
    p->type = (int)o.type;
    ls__sched_init(node->proc);
    ls__node_publish(node);
    *out = node;
    return LS_OK;
}

ls_polyblep_type ls_polyblep_get_type(const ls_node *node)
{
    return is_pb(node) ? ((const pb_proc *)node->proc)->ctl_type : LS_POLYBLEP_SAWTOOTH;
}

ls_result ls_polyblep_set_type(ls_node *node, ls_polyblep_type type)
{
    if (!is_pb(node) || (int)type < 0 || (int)type >= LS_POLYBLEP_TYPES)
        return LS_ERROR_INVALID_ARGUMENT;
    ls__lock(node->ctx);
    ((pb_proc *)node->proc)->ctl_type = type;
    ls_msg m = {0};
    m.type = LS_MSG_NODE;
    m.key = PB_MSG_TYPE;
    m.target.proc = node->proc;
    m.i0 = (int32_t)type;
    ls__post(node->ctx, &m);
    ls__unlock(node->ctx);
    return LS_OK;
}

LS__CREATE_FN(polyblep)

static ls_result get_type(const ls_node *node, ls_value *out)
{
    if (!node || node->type != LS_NODE_TYPE_POLYBLEP)
        return LS_ERROR_INVALID_ARGUMENT;
    out->i = ls_polyblep_get_type(node);
    return LS_OK;
}

static ls_result set_type(ls_node *node, const ls_value *v)
{
    return ls_polyblep_set_type(node, (ls_polyblep_type)v->i);
}

static const char *const type_names[] = {
    "triangle", "square", "rectangle", "sawtooth", "ramp", "modified_triangle",
    "modified_square", "half_wave_rectified_sine", "full_wave_rectified_sine",
    "triangular_pulse", "trapezoid_fixed", "trapezoid_variable", NULL};

static const ls_param_descriptor polyblep_params[] = {
    {"frequency", 440.0f, -22050.0f, 22050.0f, LS_AUTOMATION_RATE_A_RATE,
     LS_PARAM_RANGE_NYQUIST, "Hz", "frequency of the waveform"},
    {"detune", 0.0f, -LS__DETUNE_MAX, LS__DETUNE_MAX, LS_AUTOMATION_RATE_A_RATE, 0, "cents",
     "detuning of the frequency"},
    {"amplitude", 1.0f, LS__FLT_RANGE, LS_AUTOMATION_RATE_A_RATE, 0, "", "output scale"},
    {"pulse_width", 0.5f, 0.0f, 1.0f, LS_AUTOMATION_RATE_A_RATE, 0, "",
     "0 to 1, for the waveforms that have one"},
};

static const ls_option_descriptor polyblep_options[] = {
    {"type", LS_VALUE_ENUM, offsetof(ls_polyblep_options, type), 0, LS_POLYBLEP_SAWTOOTH,
     type_names, NULL, 0, "the waveform"},
    LS__PARAM_OPTION(ls_polyblep_options, frequency, "frequency"),
    LS__PARAM_OPTION(ls_polyblep_options, detune, "detune"),
    LS__PARAM_OPTION(ls_polyblep_options, amplitude, "amplitude"),
    LS__PARAM_OPTION(ls_polyblep_options, pulse_width, "pulse_width"),
};

static const ls_setting_descriptor polyblep_settings[] = {
    {"type", LS_VALUE_ENUM, type_names, "type", get_type, set_type, "the waveform"},
};

const ls_node_descriptor ls__polyblep_type = {
    .name = "PolyBLEP", .key = "polyblep", .type = LS_NODE_TYPE_POLYBLEP,
    .doc = "quasi-band-limited classic waveforms (PolyBLEP corrections at each discontinuity)",
    .number_of_inputs = 0, .number_of_outputs = 1, .flags = LS_NODE_TYPE_SCHEDULED_SOURCE,
    .channel_defaults = LS__CHANNELS_DEFAULT,
    .params = polyblep_params, .param_count = LS__COUNT(polyblep_params),
    .options = polyblep_options, .option_count = LS__COUNT(polyblep_options),
    .settings = polyblep_settings, .setting_count = LS__COUNT(polyblep_settings),
    .options_size = sizeof(ls_polyblep_options),
    .options_init = polyblep_options_init, .create = polyblep_create_any,
};
