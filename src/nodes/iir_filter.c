/*
 * IIRFilterNode: a general IIR filter per channel (src/dsp/iir.c) with fixed
 * coefficients given at creation, normalized by feedback[0]. The node keeps
 * producing its tail after its input falls silent, until its history decays
 * to zero. Channel-count changes keep the history of the channels that stay.
 */
#include "../engine.h"
#include "../node_types.h"

#include <stddef.h>
#include "../dsp/iir.h"

#include <string.h>

typedef struct iir_proc {
    ls_proc base;
    /* set once */
    ls_iir_coefs coefs;
    double ff[LS_IIR_MAX_COEFFS], fb[LS_IIR_MAX_COEFFS];   /* as given (record.h) */
    size_t nff, nfb;
    /* render */
    uint32_t channels;
    bool active;
    ls_iir_state st[LS_MAX_CHANNELS];
} iir_proc;

static bool iir_process(ls_proc *base, ls_render *r)
{
    iir_proc *p = (iir_proc *)base;
    ls_bus *in = &base->inputs[0].bus;
    ls_bus *out = &base->outputs[0];
    if (in->silent && !p->active) {
        ls__bus_silence(r, out, in->channels);
        return false;
    }
    uint32_t nch = in->channels;
    if (in->silent && p->channels > nch)
        nch = p->channels;
    for (uint32_t c = p->channels; c < nch; c++)
        ls_iir_reset(&p->st[c]);
    p->channels = nch;
    if (!ls__bus_alloc(r, out, nch))
        return true;
    uint32_t c = 0;
    for (; c + 1 < nch; c += 2) {
        const float *xa = c < in->channels ? in->ch[c] : r->pool->zero;
        const float *xb = c + 1 < in->channels ? in->ch[c + 1] : r->pool->zero;
        ls_iir_run2(&p->coefs, &p->st[c], &p->st[c + 1], xa, xb, out->ch[c], out->ch[c + 1], LS_Q);
    }
    for (; c < nch; c++) {
        const float *x = c < in->channels ? in->ch[c] : r->pool->zero;
        ls_iir_run(&p->coefs, &p->st[c], x, out->ch[c], LS_Q);
    }
    if (in->silent) {
        bool any = false;
        for (uint32_t c = 0; c < nch; c++)
            if (!ls_iir_state_settle(&p->st[c]))
                any = true;
        p->active = any;
    } else {
        p->active = true;
    }
    return p->active;
}

static const ls_proc_vtable iir_vtable = {iir_process, NULL, NULL, NULL};

LS__OPTIONS_DEFAULT(iir_filter)

ls_result ls_iir_filter_create(ls_context *ctx, const ls_iir_filter_options *options,
                               ls_node **out)
{
    if (!ctx || !out || !options)
        return LS_ERROR_INVALID_ARGUMENT;
    const ls_iir_filter_options *o = options;
    const ls_node_descriptor *t = &ls__iir_filter_type;
    if (o->feedforward_count < 1 || o->feedforward_count > LS_IIR_MAX_COEFFS ||
        o->feedback_count < 1 || o->feedback_count > LS_IIR_MAX_COEFFS)
        return LS_ERROR_NOT_SUPPORTED;
    if (!o->feedforward || !o->feedback)
        return LS_ERROR_INVALID_ARGUMENT;
    bool all_zero = true;
    for (size_t i = 0; i < o->feedforward_count; i++) {
        if (!isfinite(o->feedforward[i]))
            return LS_ERROR_RANGE;
        if (o->feedforward[i] != 0.0)
            all_zero = false;
    }
    for (size_t i = 0; i < o->feedback_count; i++)
        if (!isfinite(o->feedback[i]))
            return LS_ERROR_RANGE;
    if (all_zero || o->feedback[0] == 0.0)
        return LS_ERROR_INVALID_STATE;
    ls_node *node;
    ls_result res = ls__node_create(ctx, t->type, &iir_vtable, sizeof(iir_proc),
                                    t->number_of_inputs, t->number_of_outputs,
                                    &t->channel_defaults, &o->node, &node);
    if (res != LS_OK)
        return res;
    iir_proc *p = (iir_proc *)node->proc;
    ls_iir_coefs_set(&p->coefs, o->feedforward, o->feedforward_count, o->feedback,
                     o->feedback_count);
    memcpy(p->ff, o->feedforward, sizeof(double) * o->feedforward_count);
    memcpy(p->fb, o->feedback, sizeof(double) * o->feedback_count);
    p->nff = o->feedforward_count;
    p->nfb = o->feedback_count;
    ls__node_publish(node);
    *out = node;
    return LS_OK;
}

ls_result ls_iir_filter_get_frequency_response(ls_node *node, const float *frequencies,
                                               float *mag, float *phase, size_t n)
{
    if (!node || node->type != LS_NODE_TYPE_IIR_FILTER || (n && (!frequencies || !mag || !phase)))
        return LS_ERROR_INVALID_ARGUMENT;
    const iir_proc *p = (const iir_proc *)node->proc;
    double nyq = node->ctx->sample_rate / 2.0;
    for (size_t i = 0; i < n; i++) {
        double f = frequencies[i];
        if (!(f >= 0.0 && f <= nyq)) {
            mag[i] = NAN;
            phase[i] = NAN;
            continue;
        }
        double m, ph;
        ls_iir_response(&p->coefs, f / nyq, &m, &ph);
        mag[i] = (float)m;
        phase[i] = (float)ph;
    }
    return LS_OK;
}

/** Any thread. Errors: INVALID_ARGUMENT. */
ls_result ls_iir_filter_coefficients(const ls_node *node, const double **feedforward,
                                     size_t *nff, const double **feedback, size_t *nfb)
{
    if (!node || node->type != LS_NODE_TYPE_IIR_FILTER || !feedforward || !nff || !feedback ||
        !nfb)
        return LS_ERROR_INVALID_ARGUMENT;
    const iir_proc *p = (const iir_proc *)node->proc;
    *feedforward = p->ff;
    *nff = p->nff;
    *feedback = p->fb;
    *nfb = p->nfb;
    return LS_OK;
}

LS__CREATE_FN(iir_filter)

static const ls_option_descriptor iir_options[] = {
    {"feedforward", LS_VALUE_DOUBLE_ARRAY, offsetof(ls_iir_filter_options, feedforward),
     offsetof(ls_iir_filter_options, feedforward_count), 0, NULL, NULL, LS_OPTION_REQUIRED,
     "numerator coefficients b, 1 to 20 of them, not all zero"},
    {"feedback", LS_VALUE_DOUBLE_ARRAY, offsetof(ls_iir_filter_options, feedback),
     offsetof(ls_iir_filter_options, feedback_count), 0, NULL, NULL, LS_OPTION_REQUIRED,
     "denominator coefficients a, 1 to 20 of them, a[0] not zero"},
};

const ls_node_descriptor ls__iir_filter_type = {
    .name = "IIRFilter", .key = "iir_filter", .type = LS_NODE_TYPE_IIR_FILTER,
    .doc = "a general IIR filter from its transfer function's coefficients",
    .number_of_inputs = 1, .number_of_outputs = 1,
    .channel_defaults = LS__CHANNELS_DEFAULT,
    .options = iir_options, .option_count = LS__COUNT(iir_options),
    .options_size = sizeof(ls_iir_filter_options),
    .options_init = iir_filter_options_init, .create = iir_filter_create_any,
};
