/*
 * SupersawNode: a scheduled source, the mean of N band-limited sawtooths
 * (src/dsp/polyblep.c), voice i at frequency * 2^(c_i / 1200) with
 * c_i = -detune + 2 * detune * i / (N - 1) cents (0 for one voice). The
 * voices start at spread phases (i times the golden ratio, mod 1) so that
 * they do not all jump at once. Frequency and detune are a-rate params:
 * when either varies within a quantum, the voices' phase increments follow
 * it every 16 frames (the value at the first frame of each 16).
 */
#include "../engine.h"
#include "../node_types.h"

#include <stddef.h>
#include "../param.h"
#include "../dsp/polyblep.h"

#include <float.h>
#include <string.h>

#define SS_MSG_VOICES 100         /* i0 = voices */
#define SS_SUB 16                 /* frames per increment update when params vary */

typedef struct ss_proc {
    ls_proc base;
    uint32_t ctl_voices;          /* control */
    /* render */
    uint32_t voices;
    double phase[LS_SUPERSAW_MAX_VOICES];
    float spare[LS_Q];
} ss_proc;

static void voice_incs(uint32_t n, double f, double det, double sr, double *inc)
{
    for (uint32_t v = 0; v < n; v++) {
        double c = n > 1 ? -det + 2.0 * det * (double)v / (double)(n - 1) : 0.0;
        inc[v] = f * exp2(c / 1200.0) / sr;
    }
}

static bool ss_process(ls_proc *base, ls_render *r)
{
    ss_proc *p = (ss_proc *)base;
    uint32_t begin, end;
    double off;
    if (!ls__sched_range(base, &base->sched, r, &begin, &end, &off)) {
        ls__bus_silence(r, &base->outputs[0], 1);
        return !base->sched.ended && !(base->released && !base->sched.started);
    }
    bool fc, dc;
    const float *f = ls__param_process(base->params[0], r, &fc);
    const float *d = ls__param_process(base->params[1], r, &dc);
    float *y = ls__bus_alloc(r, &base->outputs[0], 1) ? base->outputs[0].ch[0] : p->spare;
    memset(y, 0, sizeof(float) * LS_Q);
    const uint32_t n = p->voices;
    const float g = 1.0f / (float)n;
    double inc[LS_SUPERSAW_MAX_VOICES];
    if (fc && dc) {
        voice_incs(n, f[0], d[0], r->sample_rate, inc);
        for (uint32_t v = 0; v < n; v++)
            ls_polyblep_saw_add(&p->phase[v], inc[v], g, y + begin, end - begin);
    } else {
        for (uint32_t i = begin; i < end; i += SS_SUB) {
            uint32_t len = end - i < SS_SUB ? end - i : SS_SUB;
            voice_incs(n, f[fc ? 0 : i], d[dc ? 0 : i], r->sample_rate, inc);
            for (uint32_t v = 0; v < n; v++)
                ls_polyblep_saw_add(&p->phase[v], inc[v], g, y + i, len);
        }
    }
    return !base->sched.ended;
}

static void spread_phases(ss_proc *p)
{
    for (uint32_t v = 0; v < LS_SUPERSAW_MAX_VOICES; v++) {
        double ph = (double)v * 0.6180339887498949;
        p->phase[v] = ph - floor(ph);
    }
}

static void ss_on_message(ls_proc *base, ls_render *r, const ls_msg *m)
{
    (void)r;
    if (m->key == SS_MSG_VOICES)
        ((ss_proc *)base)->voices = (uint32_t)m->i0;
}

static const ls_proc_vtable ss_vtable = {ss_process, ss_on_message, NULL, NULL};

static bool is_ss(const ls_node *n)
{
    return n && n->type == LS_NODE_TYPE_SUPERSAW;
}

LS__OPTIONS_DEFAULT(supersaw)

ls_result ls_supersaw_create(ls_context *ctx, const ls_supersaw_options *options, ls_node **out)
{
    if (!ctx || !out)
        return LS_ERROR_INVALID_ARGUMENT;
    ls_supersaw_options o = options ? *options : ls_supersaw_options_default();
    if (o.voices < 1 || o.voices > LS_SUPERSAW_MAX_VOICES)
        return LS_ERROR_NOT_SUPPORTED;
    if (ls__check_param_options(&ls__supersaw_type, &o) != LS_OK)
        return LS_ERROR_RANGE;
    if (!(o.detune >= 0.0f && o.detune <= 1200.0f))
        return LS_ERROR_RANGE;      /* the detune param's range */
    const ls_node_descriptor *desc = &ls__supersaw_type;
    ls_node *node;
    ls_result res = ls__node_create(ctx, LS_NODE_TYPE_SUPERSAW, &ss_vtable, sizeof(ss_proc), 0, 1,
                                    &desc->channel_defaults, &o.node, &node);
    if (res != LS_OK)
        return res;
    if (ls__params_create(node, desc, &o) != LS_OK) {
        ls__node_free_unpublished(node);
        return LS_ERROR_NO_MEM;
    }
    ss_proc *p = (ss_proc *)node->proc;
    p->ctl_voices = p->voices = o.voices;
    spread_phases(p);
    ls__sched_init(node->proc);
    ls__node_publish(node);
    *out = node;
    return LS_OK;
}

uint32_t ls_supersaw_get_voices(const ls_node *node)
{
    return is_ss(node) ? ((const ss_proc *)node->proc)->ctl_voices : 0;
}

ls_result ls_supersaw_set_voices(ls_node *node, uint32_t voices)
{
    if (!is_ss(node))
        return LS_ERROR_INVALID_ARGUMENT;
    if (voices < 1 || voices > LS_SUPERSAW_MAX_VOICES)
        return LS_ERROR_NOT_SUPPORTED;
    ls__lock(node->ctx);
    ((ss_proc *)node->proc)->ctl_voices = voices;
    ls_msg m = {0};
    m.type = LS_MSG_NODE;
    m.key = SS_MSG_VOICES;
    m.target.proc = node->proc;
    m.i0 = (int32_t)voices;
    ls__post(node->ctx, &m);
    ls__unlock(node->ctx);
    return LS_OK;
}

LS__CREATE_FN(supersaw)

static ls_result get_voices(const ls_node *node, ls_value *out)
{
    if (!node || node->type != LS_NODE_TYPE_SUPERSAW)
        return LS_ERROR_INVALID_ARGUMENT;
    out->i = ls_supersaw_get_voices(node);
    return LS_OK;
}

static ls_result set_voices(ls_node *node, const ls_value *v)
{
    if (v->i < 1 || v->i > LS_SUPERSAW_MAX_VOICES)
        return LS_ERROR_NOT_SUPPORTED;
    return ls_supersaw_set_voices(node, (uint32_t)v->i);
}

static const ls_param_descriptor supersaw_params[] = {
    {"frequency", 440.0f, -22050.0f, 22050.0f, LS_AUTOMATION_RATE_A_RATE,
     LS_PARAM_RANGE_NYQUIST, "Hz", "frequency of the sawtooths"},
    {"detune", 12.0f, 0.0f, 1200.0f, LS_AUTOMATION_RATE_A_RATE, 0, "cents",
     "spread: the voices lie from -detune to +detune"},
};

static const ls_option_descriptor supersaw_options[] = {
    {"voices", LS_VALUE_UINT, offsetof(ls_supersaw_options, voices), 0, 7, NULL, NULL, 0,
     "number of sawtooths, 1 to 32", 1, LS_SUPERSAW_MAX_VOICES},
    LS__PARAM_OPTION(ls_supersaw_options, frequency, "frequency"),
    LS__PARAM_OPTION(ls_supersaw_options, detune, "detune"),
};

static const ls_setting_descriptor supersaw_settings[] = {
    {"voices", LS_VALUE_UINT, NULL, "voices", get_voices, set_voices,
     "number of sawtooths, 1 to 32"},
};

const ls_node_descriptor ls__supersaw_type = {
    .name = "Supersaw", .key = "supersaw", .type = LS_NODE_TYPE_SUPERSAW,
    .doc = "the mean of several band-limited sawtooths spread around a frequency",
    .number_of_inputs = 0, .number_of_outputs = 1, .flags = LS_NODE_TYPE_SCHEDULED_SOURCE,
    .channel_defaults = LS__CHANNELS_DEFAULT,
    .params = supersaw_params, .param_count = LS__COUNT(supersaw_params),
    .options = supersaw_options, .option_count = LS__COUNT(supersaw_options),
    .settings = supersaw_settings, .setting_count = LS__COUNT(supersaw_settings),
    .options_size = sizeof(ls_supersaw_options),
    .options_init = supersaw_options_init, .create = supersaw_create_any,
};
