/*
 * BiquadFilterNode: one second-order section per channel with the spec's
 * coefficient formulas (src/dsp/biquad.c). frequency, detune, Q and gain are
 * a-rate: while any of them changes within a quantum the coefficients are
 * recomputed for every frame; otherwise once per quantum, and only when one
 * of them (or the type) differs from the last constant quantum's.
 *
 * Control half: options, the type setter (a node message) and
 * getFrequencyResponse, computed from the params' current values.
 * Render half: the filter state of each channel, kept across channel-count
 * changes (new channels start from rest); the node keeps producing its tail
 * after its input falls silent, until the state decays to zero.
 */
#include "../engine.h"
#include "../param.h"
#include "../node_types.h"
#include "../dsp/biquad.h"

#include <float.h>
#include <stddef.h>
#include <string.h>

#define BQ_MSG_SET_TYPE 100   /* i0 = type */

typedef struct biquad_proc {
    ls_proc base;
    /* control */
    ls_biquad_type ctl_type;
    /* render */
    int type;
    uint32_t channels;            /* channels with live state */
    bool active;                  /* some state may be non-zero */
    ls_biquad_state st[LS_MAX_CHANNELS];
    ls_biquad_coefs coefs[LS_Q];  /* per-frame coefficients while automated */
    /* the last constant quantum's coefficients and what they were computed
     * from (bit patterns: frequency, detune, Q, gain), reused while unchanged */
    bool have_last;
    int last_type;
    float last_in[4];
    ls_biquad_coefs last;
} biquad_proc;

static inline double computed_frequency(float f, float detune)
{
    return detune == 0.0f ? (double)f : (double)f * exp2((double)detune / 1200.0);
}

static bool biquad_process(ls_proc *base, ls_render *r)
{
    biquad_proc *p = (biquad_proc *)base;
    ls_bus *in = &base->inputs[0].bus;
    ls_bus *out = &base->outputs[0];
    if (in->silent && !p->active) {
        ls__bus_silence(r, out, in->channels);
        return false;
    }
    uint32_t nch = in->channels;
    if (in->silent && p->channels > nch)
        nch = p->channels;          /* the tail keeps the channels it had */
    for (uint32_t c = p->channels; c < nch; c++)
        memset(&p->st[c], 0, sizeof p->st[c]);
    p->channels = nch;

    bool fc, dc, qc, gc;
    const float *f = ls__param_process(base->params[0], r, &fc);
    const float *d = ls__param_process(base->params[1], r, &dc);
    const float *q = ls__param_process(base->params[2], r, &qc);
    const float *g = ls__param_process(base->params[3], r, &gc);
    const bool constant = fc && dc && qc && gc;

    if (!ls__bus_alloc(r, out, nch))
        return true;
    if (constant) {
        const float key[4] = {f[0], d[0], q[0], g[0]};
        if (!p->have_last || p->last_type != p->type || memcmp(key, p->last_in, sizeof key) != 0) {
            p->last = ls_biquad_coefs_compute(p->type, computed_frequency(f[0], d[0]), q[0], g[0],
                                              r->sample_rate);
            p->last_type = p->type;
            memcpy(p->last_in, key, sizeof key);
            p->have_last = true;
        }
        const ls_biquad_coefs c = p->last;
        uint32_t ch = 0;
        for (; ch + 1 < nch; ch += 2) {   /* channels in pairs: their latencies overlap */
            const float *xa = ch < in->channels ? in->ch[ch] : r->pool->zero;
            const float *xb = ch + 1 < in->channels ? in->ch[ch + 1] : r->pool->zero;
            ls_biquad_run2(&c, &p->st[ch], &p->st[ch + 1], xa, xb, out->ch[ch], out->ch[ch + 1], LS_Q);
        }
        for (; ch < nch; ch++) {
            const float *x = ch < in->channels ? in->ch[ch] : r->pool->zero;
            ls_biquad_run(&c, &p->st[ch], x, out->ch[ch], LS_Q);
        }
    } else {
        if (qc && gc) {
            /* the usual case: a frequency sweep; Q and gain parts once */
            ls_biquad_qg qg = ls_biquad_qg_compute(q[0], g[0]);
            double f0[LS_Q];
            if (dc && d[0] == 0.0f)
                for (int i = 0; i < LS_Q; i++)
                    f0[i] = (double)f[fc ? 0 : i];
            else
                for (int i = 0; i < LS_Q; i++)
                    f0[i] = computed_frequency(f[fc ? 0 : i], d[dc ? 0 : i]);
            ls_biquad_coefs_batch(p->type, f0, LS_Q, &qg, r->sample_rate, p->coefs);
        } else {
            for (int i = 0; i < LS_Q; i++)
                p->coefs[i] = ls_biquad_coefs_compute(
                    p->type, computed_frequency(f[fc ? 0 : i], d[dc ? 0 : i]), q[qc ? 0 : i],
                    g[gc ? 0 : i], r->sample_rate);
        }
        for (uint32_t ch = 0; ch < nch; ch++) {
            const float *x = ch < in->channels ? in->ch[ch] : r->pool->zero;
            float *y = out->ch[ch];
            ls_biquad_state *s = &p->st[ch];
            for (int i = 0; i < LS_Q; i++)
                y[i] = ls_biquad_tick(&p->coefs[i], s, x[i]);
        }
    }
    if (in->silent) {
        bool any = false;
        for (uint32_t ch = 0; ch < nch; ch++)
            if (!ls_biquad_state_settle(&p->st[ch]))
                any = true;
        p->active = any;
    } else {
        p->active = true;
    }
    return p->active;
}

static void biquad_on_message(ls_proc *base, ls_render *r, const ls_msg *m)
{
    (void)r;
    if (m->key == BQ_MSG_SET_TYPE)
        ((biquad_proc *)base)->type = m->i0;
}

static const ls_proc_vtable biquad_vtable = {biquad_process, biquad_on_message, NULL, NULL};

/* ------------------------------------------------------------------ */
/* Control half                                                        */
/* ------------------------------------------------------------------ */

static bool is_biquad(const ls_node *n)
{
    return n && n->type == LS_NODE_TYPE_BIQUAD_FILTER;
}

LS__OPTIONS_DEFAULT(biquad_filter)

ls_result ls_biquad_filter_create(ls_context *ctx, const ls_biquad_filter_options *options,
                                  ls_node **out)
{
    if (!ctx || !out)
        return LS_ERROR_INVALID_ARGUMENT;
    ls_biquad_filter_options o = options ? *options : ls_biquad_filter_options_default();
    const ls_node_descriptor *t = &ls__biquad_filter_type;
    if ((int)o.type < 0 || o.type > LS_BIQUAD_ALLPASS)
        return LS_ERROR_INVALID_ARGUMENT;
    ls_result res = ls__check_param_options(t, &o);
    if (res != LS_OK)
        return res;
    ls_node *node;
    res = ls__node_create(ctx, t->type, &biquad_vtable, sizeof(biquad_proc), t->number_of_inputs,
                          t->number_of_outputs, &t->channel_defaults, &o.node, &node);
    if (res != LS_OK)
        return res;
    biquad_proc *p = (biquad_proc *)node->proc;
    p->ctl_type = o.type;
    p->type = (int)o.type;
    if (ls__params_create(node, t, &o) != LS_OK) {
        ls__node_free_unpublished(node);
        return LS_ERROR_NO_MEM;
    }
    ls__node_publish(node);
    *out = node;
    return LS_OK;
}

ls_biquad_type ls_biquad_filter_get_type(const ls_node *node)
{
    return is_biquad(node) ? ((biquad_proc *)node->proc)->ctl_type : LS_BIQUAD_LOWPASS;
}

ls_result ls_biquad_filter_set_type(ls_node *node, ls_biquad_type type)
{
    if (!is_biquad(node) || (int)type < 0 || type > LS_BIQUAD_ALLPASS)
        return LS_ERROR_INVALID_ARGUMENT;
    ls_context *ctx = node->ctx;
    ls__lock(ctx);
    ((biquad_proc *)node->proc)->ctl_type = type;
    ls_msg m = {0};
    m.type = LS_MSG_NODE;
    m.key = BQ_MSG_SET_TYPE;
    m.target.proc = node->proc;
    m.i0 = (int32_t)type;
    ls__post(ctx, &m);
    ls__unlock(ctx);
    return LS_OK;
}

ls_param *ls_biquad_filter_frequency(ls_node *node)
{
    return is_biquad(node) ? node->proc->params[0] : NULL;
}
ls_param *ls_biquad_filter_detune(ls_node *node)
{
    return is_biquad(node) ? node->proc->params[1] : NULL;
}
ls_param *ls_biquad_filter_q(ls_node *node)
{
    return is_biquad(node) ? node->proc->params[2] : NULL;
}
ls_param *ls_biquad_filter_gain(ls_node *node)
{
    return is_biquad(node) ? node->proc->params[3] : NULL;
}

ls_result ls_biquad_filter_get_frequency_response(ls_node *node, const float *frequencies,
                                                  float *mag, float *phase, size_t n)
{
    if (!is_biquad(node) || (n && (!frequencies || !mag || !phase)))
        return LS_ERROR_INVALID_ARGUMENT;
    ls_context *ctx = node->ctx;
    ls__lock(ctx);
    int type = (int)((biquad_proc *)node->proc)->ctl_type;
    ls__unlock(ctx);
    ls_param **ps = node->proc->params;
    double sr = ctx->sample_rate, nyq = sr / 2.0;
    double f0 = computed_frequency(ls_param_value(ps[0]), ls_param_value(ps[1]));
    ls_biquad_coefs c = ls_biquad_coefs_compute(type, f0, ls_param_value(ps[2]),
                                                ls_param_value(ps[3]), sr);
    for (size_t i = 0; i < n; i++) {
        double f = frequencies[i];
        if (!(f >= 0.0 && f <= nyq)) {
            mag[i] = NAN;
            phase[i] = NAN;
            continue;
        }
        double m, ph;
        ls_biquad_response(&c, f / nyq, &m, &ph);
        mag[i] = (float)m;
        phase[i] = (float)ph;
    }
    return LS_OK;
}

LS__CREATE_FN(biquad_filter)

static ls_result get_type(const ls_node *node, ls_value *out)
{
    if (!is_biquad(node))
        return LS_ERROR_INVALID_ARGUMENT;
    out->i = ls_biquad_filter_get_type(node);
    return LS_OK;
}

static ls_result set_type(ls_node *node, const ls_value *v)
{
    return ls_biquad_filter_set_type(node, (ls_biquad_type)v->i);
}

static const char *const type_names[] = {"lowpass", "highpass", "bandpass", "lowshelf",
                                         "highshelf", "peaking", "notch", "allpass", NULL};

/* gain's maximum: 40 log10(FLT_MAX), the spec's */
static const ls_param_descriptor biquad_params[] = {
    {"frequency", 350.0f, 0.0f, 22050.0f, LS_AUTOMATION_RATE_A_RATE,
     LS_PARAM_RANGE_NYQUIST | LS_PARAM_MIN_ZERO_NYQUIST, "Hz", "cutoff or centre frequency"},
    {"detune", 0.0f, -LS__DETUNE_MAX, LS__DETUNE_MAX, LS_AUTOMATION_RATE_A_RATE, 0, "cents",
     "detuning of the frequency"},
    {"Q", 1.0f, LS__FLT_RANGE, LS_AUTOMATION_RATE_A_RATE, 0, "",
     "quality factor (resonance; in dB for lowpass and highpass)"},
    {"gain", 0.0f, -FLT_MAX, 1541.27368f, LS_AUTOMATION_RATE_A_RATE, 0, "dB",
     "boost of the shelving and peaking types"},
};

static const ls_option_descriptor biquad_options[] = {
    {"type", LS_VALUE_ENUM, offsetof(ls_biquad_filter_options, type), 0, LS_BIQUAD_LOWPASS,
     type_names, NULL, 0, "the filter's response"},
    LS__PARAM_OPTION(ls_biquad_filter_options, frequency, "frequency"),
    LS__PARAM_OPTION(ls_biquad_filter_options, detune, "detune"),
    {"Q", LS_VALUE_FLOAT, offsetof(ls_biquad_filter_options, q), 0, 0, NULL, "Q", 0,
     "initial value of the Q param"},
    LS__PARAM_OPTION(ls_biquad_filter_options, gain, "gain"),
};

static const ls_setting_descriptor biquad_settings[] = {
    {"type", LS_VALUE_ENUM, type_names, "type", get_type, set_type, "the filter's response"},
};

const ls_node_descriptor ls__biquad_filter_type = {
    .name = "BiquadFilter", .key = "biquad_filter", .type = LS_NODE_TYPE_BIQUAD_FILTER,
    .doc = "a second-order filter of the Audio EQ Cookbook's kinds",
    .number_of_inputs = 1, .number_of_outputs = 1,
    .channel_defaults = LS__CHANNELS_DEFAULT,
    .params = biquad_params, .param_count = LS__COUNT(biquad_params),
    .options = biquad_options, .option_count = LS__COUNT(biquad_options),
    .settings = biquad_settings, .setting_count = LS__COUNT(biquad_settings),
    .options_size = sizeof(ls_biquad_filter_options),
    .options_init = biquad_filter_options_init, .create = biquad_filter_create_any,
};
