/*
 * OscillatorNode: a scheduled source reading a band-limited wavetable set
 * (a built-in shape or a PeriodicWave) at the computed frequency
 * frequency * 2^(detune / 1200), both a-rate.
 *
 * Control half: options, the type / periodic-wave setters. A new wave
 * travels to the render side in a small box holding a reference to it; the
 * render side swaps the box in and gives the old one back, and its dispose
 * (control side) drops that reference. The phase lives on the render side
 * and is kept across type and wave changes, as the spec requires.
 */
#include "../engine.h"
#include "../param.h"
#include "../dsp/wavetable.h"
#include "../node_types.h"

#include <float.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* Node-specific message keys (the core handles start/stop). */
#define LS_OSC_MSG_SET_WAVE 100   /* ptr = osc_wave_box* to swap in */

/* A wave on its way to, or in use by, the render side. */
typedef struct osc_wave_box {
    ls_returnable ret;            /* given back when replaced */
    ls_periodic_wave *wave;       /* one reference */
} osc_wave_box;

typedef struct osc_proc {
    ls_proc base;
    /* render */
    osc_wave_box *box;            /* never NULL once published */
    double phase;                 /* cycles, in [0, 1) */
    bool running;                 /* the first frame has played */
    float freq[LS_Q];             /* computed frequency, per frame */
    float spare[LS_Q];            /* output when the block pool is exhausted */
} osc_proc;

static void box_dispose(ls_context *ctx, ls_returnable *item)
{
    (void)ctx;
    osc_wave_box *box = (osc_wave_box *)item;
    ls_periodic_wave_release(box->wave);
    free(box);
}

/* control: a box holding a new reference to w (NULL when out of memory). */
static osc_wave_box *box_new(ls_periodic_wave *w)
{
    osc_wave_box *box = malloc(sizeof *box);
    if (!box)
        return NULL;
    box->ret.next = NULL;
    box->ret.dispose = box_dispose;
    box->wave = w;
    ls_periodic_wave_retain(w);
    return box;
}

/* ------------------------------------------------------------------ */
/* Render half                                                         */
/* ------------------------------------------------------------------ */

static inline double wrap_phase(double ph)
{
    return isfinite(ph) ? ph - floor(ph) : 0.0;
}

static bool osc_process(ls_proc *base, ls_render *r)
{
    osc_proc *p = (osc_proc *)base;
    uint32_t begin, end;
    double start_offset;
    /* Params are computed only while the source plays: their timelines are
     * functions of time, so skipping silent quanta loses nothing, and a graph
     * with many scheduled notes does not pay for the ones not sounding. */
    if (!ls__sched_range(base, &base->sched, r, &begin, &end, &start_offset)) {
        ls__bus_silence(r, &base->outputs[0], 1);
        return !base->sched.ended && !(base->released && !base->sched.started);
    }
    bool f_const, d_const;
    const float *freq = ls__param_process(base->params[0], r, &f_const);
    const float *det = ls__param_process(base->params[1], r, &d_const);
    /* Without a block the output stays silent, but the phase still runs. */
    float *y = ls__bus_alloc(r, &base->outputs[0], 1) ? base->outputs[0].ch[0] : p->spare;
    const ls_wavetable *wt = ls__periodic_wave_table(p->box->wave);
    const uint32_t n = end - begin;
    const double sr = r->sample_rate;

    if (begin)
        memset(y, 0, sizeof(float) * begin);
    if (f_const && d_const) {
        double f = (double)freq[0];
        if (det[0] != 0.0f)
            f *= exp2((double)det[0] / 1200.0);
        if (!p->running) {
            /* sub-sample start: the first frame lies start_offset frames
             * after the exact start time, where the phase was 0 */
            p->phase = wrap_phase(start_offset * f / sr);
            p->running = true;
        }
        ls_wavetable_render_constant(wt, y + begin, n, f, &p->phase);
    } else {
        float *fc = p->freq;
        if (d_const) {
            double m = det[0] != 0.0f ? exp2((double)det[0] / 1200.0) : 1.0;
            for (uint32_t i = begin; i < end; i++)
                fc[i] = (float)((double)freq[f_const ? 0 : i] * m);
        } else {
            for (uint32_t i = begin; i < end; i++)
                fc[i] = (float)((double)freq[f_const ? 0 : i] * exp2((double)det[i] / 1200.0));
        }
        if (!p->running) {
            p->phase = wrap_phase(start_offset * (double)fc[begin] / sr);
            p->running = true;
        }
        ls_wavetable_render(wt, y + begin, n, fc + begin, &p->phase);
    }
    if (end < LS_Q)
        memset(y + end, 0, sizeof(float) * (LS_Q - end));
    return !base->sched.ended;
}

static void osc_on_message(ls_proc *base, ls_render *r, const ls_msg *m)
{
    osc_proc *p = (osc_proc *)base;
    if (m->key == LS_OSC_MSG_SET_WAVE) {
        osc_wave_box *old = p->box;
        p->box = m->ptr;
        if (old)
            ls__give_back(r->ctx, &old->ret);
    }
}

/* control: the node is being freed. */
static void osc_destroy(ls_proc *base)
{
    osc_proc *p = (osc_proc *)base;
    if (p->box)
        box_dispose(NULL, &p->box->ret);
    p->box = NULL;
    ls_periodic_wave_release(base->node->u.osc.wave);
    base->node->u.osc.wave = NULL;
}

static const ls_proc_vtable osc_vtable = {osc_process, osc_on_message, osc_destroy};

/* ------------------------------------------------------------------ */
/* Control half                                                        */
/* ------------------------------------------------------------------ */

static bool is_oscillator(const ls_node *node)
{
    return node && node->type == LS_NODE_TYPE_OSCILLATOR;
}

static bool wave_fits(const ls_context *ctx, const ls_periodic_wave *w)
{
    return ls__periodic_wave_table(w)->sample_rate == ctx->sample_rate;
}

LS__OPTIONS_DEFAULT(oscillator)

ls_result ls_oscillator_create(ls_context *ctx, const ls_oscillator_options *options,
                               ls_node **out)
{
    if (!ctx || !out)
        return LS_ERROR_INVALID_ARGUMENT;
    ls_oscillator_options o = options ? *options : ls_oscillator_options_default();
    const ls_node_descriptor *t = &ls__oscillator_type;
    if (!o.periodic_wave) {
        if ((int)o.type < 0 || o.type > LS_OSCILLATOR_TYPE_CUSTOM)
            return LS_ERROR_INVALID_ARGUMENT;
        if (o.type == LS_OSCILLATOR_TYPE_CUSTOM)
            return LS_ERROR_INVALID_STATE;
    } else {
        /* a wave given: the type is custom, whatever was asked */
        o.type = LS_OSCILLATOR_TYPE_CUSTOM;
        if (!wave_fits(ctx, o.periodic_wave))
            return LS_ERROR_INVALID_ACCESS;
    }
    ls_result res = ls__check_param_options(t, &o);
    if (res != LS_OK)
        return res;

    /* the wave to play first (a built-in one is built here, never on the
     * render thread) */
    ls_periodic_wave *wave;
    if (o.periodic_wave) {
        wave = o.periodic_wave;
        ls_periodic_wave_retain(wave);
    } else {
        wave = ls__periodic_wave_basic(o.type, ctx->sample_rate);
        if (!wave)
            return LS_ERROR_NO_MEM;
    }
    osc_wave_box *box = box_new(wave);
    ls_periodic_wave_release(wave);
    if (!box)
        return LS_ERROR_NO_MEM;

    ls_node *node;
    res = ls__node_create(ctx, t->type, &osc_vtable, sizeof(osc_proc), t->number_of_inputs,
                          t->number_of_outputs, &t->channel_defaults, &o.node, &node);
    if (res != LS_OK) {
        box_dispose(NULL, &box->ret);
        return res;
    }
    osc_proc *p = (osc_proc *)node->proc;
    p->box = box;
    node->u.osc.type = o.type;
    node->u.osc.wave = o.periodic_wave;
    ls_periodic_wave_retain(o.periodic_wave);

    if (ls__params_create(node, t, &o) != LS_OK) {
        ls__node_free_unpublished(node);
        return LS_ERROR_NO_MEM;
    }

    ls__sched_init(node->proc);
    ls__node_publish(node);
    *out = node;
    return LS_OK;
}

ls_oscillator_type ls_oscillator_get_type(const ls_node *osc)
{
    return is_oscillator(osc) ? osc->u.osc.type : LS_OSCILLATOR_TYPE_SINE;
}

/** Control thread. */
ls_periodic_wave *ls_oscillator_periodic_wave(ls_node *osc)
{
    if (!is_oscillator(osc))
        return NULL;
    ls__lock(osc->ctx);
    ls_periodic_wave *w = osc->u.osc.type == LS_OSCILLATOR_TYPE_CUSTOM ? osc->u.osc.wave : NULL;
    ls_periodic_wave_retain(w);
    ls__unlock(osc->ctx);
    return w;
}

/* control: send `wave` (a reference the caller hands over) to the render
 * side and record the new type; drops the previous custom wave. */
static ls_result install_wave(ls_node *osc, ls_oscillator_type type, ls_periodic_wave *wave,
                              ls_periodic_wave *custom)
{
    osc_wave_box *box = box_new(wave);
    ls_periodic_wave_release(wave);
    if (!box)
        return LS_ERROR_NO_MEM;
    ls_context *ctx = osc->ctx;
    ls__lock(ctx);
    ls_periodic_wave *old = osc->u.osc.wave;
    osc->u.osc.type = type;
    osc->u.osc.wave = custom;
    ls_periodic_wave_retain(custom);
    ls_msg m = {0};
    m.type = LS_MSG_NODE;
    m.key = LS_OSC_MSG_SET_WAVE;
    m.target.proc = osc->proc;
    m.ptr = box;
    ls__post(ctx, &m);
    ls__unlock(ctx);
    ls_periodic_wave_release(old);
    return LS_OK;
}

ls_result ls_oscillator_set_type(ls_node *osc, ls_oscillator_type type)
{
    if (!is_oscillator(osc) || (int)type < 0 || type > LS_OSCILLATOR_TYPE_CUSTOM)
        return LS_ERROR_INVALID_ARGUMENT;
    if (type == LS_OSCILLATOR_TYPE_CUSTOM)
        return LS_ERROR_INVALID_STATE;
    ls_periodic_wave *wave = ls__periodic_wave_basic(type, osc->ctx->sample_rate);
    if (!wave)
        return LS_ERROR_NO_MEM;
    return install_wave(osc, type, wave, NULL);
}

ls_result ls_oscillator_set_periodic_wave(ls_node *osc, ls_periodic_wave *wave)
{
    if (!is_oscillator(osc) || !wave)
        return LS_ERROR_INVALID_ARGUMENT;
    if (!wave_fits(osc->ctx, wave))
        return LS_ERROR_INVALID_ACCESS;
    ls_periodic_wave_retain(wave);
    return install_wave(osc, LS_OSCILLATOR_TYPE_CUSTOM, wave, wave);
}

ls_param *ls_oscillator_frequency(ls_node *osc)
{
    return is_oscillator(osc) ? osc->proc->params[0] : NULL;
}

ls_param *ls_oscillator_detune(ls_node *osc)
{
    return is_oscillator(osc) ? osc->proc->params[1] : NULL;
}

LS__CREATE_FN(oscillator)

static ls_result get_type(const ls_node *node, ls_value *out)
{
    if (!is_oscillator(node))
        return LS_ERROR_INVALID_ARGUMENT;
    out->i = ls_oscillator_get_type(node);
    return LS_OK;
}

static ls_result set_type(ls_node *node, const ls_value *v)
{
    return ls_oscillator_set_type(node, (ls_oscillator_type)v->i);
}

static const char *const type_names[] = {"sine", "square", "sawtooth", "triangle", "custom",
                                         NULL};

static const ls_param_descriptor osc_params[] = {
    {"frequency", 440.0f, -22050.0f, 22050.0f, LS_AUTOMATION_RATE_A_RATE,
     LS_PARAM_RANGE_NYQUIST, "Hz", "frequency of the waveform"},
    {"detune", 0.0f, -153600.0f, 153600.0f, LS_AUTOMATION_RATE_A_RATE, 0, "cents",
     "detuning of the frequency: it plays at frequency * 2^(detune / 1200)"},
};

static const ls_option_descriptor osc_options[] = {
    {"type", LS_VALUE_ENUM, offsetof(ls_oscillator_options, type), 0, LS_OSCILLATOR_TYPE_SINE,
     type_names, NULL, 0, "the waveform; \"custom\" only through periodic_wave"},
    {"frequency", LS_VALUE_FLOAT, offsetof(ls_oscillator_options, frequency), 0, 0, NULL,
     "frequency", 0, "initial value of the frequency param"},
    {"detune", LS_VALUE_FLOAT, offsetof(ls_oscillator_options, detune), 0, 0, NULL, "detune", 0,
     "initial value of the detune param"},
    {"periodic_wave", LS_VALUE_PERIODIC_WAVE, offsetof(ls_oscillator_options, periodic_wave), 0,
     0, NULL, NULL, 0, "a custom waveform; when given, type is \"custom\""},
};

static const ls_setting_descriptor osc_settings[] = {
    {"type", LS_VALUE_ENUM, type_names, "type", get_type, set_type,
     "the waveform; setting \"custom\" is refused (use set_periodic_wave)"},
};

const ls_node_descriptor ls__oscillator_type = {
    .name = "Oscillator", .key = "oscillator", .type = LS_NODE_TYPE_OSCILLATOR,
    .doc = "a periodic waveform: a built-in shape or a PeriodicWave",
    .number_of_inputs = 0, .number_of_outputs = 1,
    .flags = LS_NODE_TYPE_SCHEDULED_SOURCE,
    .channel_defaults = {2, LS_CHANNEL_COUNT_MODE_MAX, LS_CHANNEL_INTERPRETATION_SPEAKERS},
    .params = osc_params, .param_count = LS__COUNT(osc_params),
    .options = osc_options, .option_count = LS__COUNT(osc_options),
    .settings = osc_settings, .setting_count = LS__COUNT(osc_settings),
    .options_size = sizeof(ls_oscillator_options),
    .options_init = oscillator_options_init,
    .create = oscillator_create_any,
};
