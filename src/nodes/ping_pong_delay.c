/*
 * PingPongDelayNode: LabSound's PingPongDelayNode (two BPMDelays, a
 * splitter, a merger and gains) as one node. The input, mixed to mono, goes
 * into the left delay line; the left line's output goes into the right
 * line; the right line's output times `feedback` goes back into the left:
 *
 *     a[n] = x[n] + feedback[n] * right[n]      (written into the left line)
 *     left[n]  = a[n - D]
 *     right[n] = left[n - D]
 *     out_L[n] = dry[n] * in_L[n] + wet[n] * left[n]
 *     out_R[n] = dry[n] * in_R[n] + wet[n] * right[n]
 *
 * so an impulse echoes left at D, right at 2D, left at 3D times feedback,
 * and so on. D = 60 / tempo * beats(note) seconds, in frames (fractional
 * delays read with the delay line's linear interpolation,
 * src/dsp/delay.c), at least one frame. The feedback loop runs in chunks of
 * at most floor(D) frames, so every frame a chunk reads was written before.
 *
 * Memory: two mono rings of ceil(max_delay_time * rate) + 1 quantum frames,
 * allocated on the control side. The node has a tail: it keeps rendering
 * until everything written into both rings for as far back as they are read
 * (the delay and a quantum) stayed below the noise floor (LS_NOISE_FLOOR); it then clears the rings, so the
 * echoes of a feedback below 1 end after a bounded time (a feedback of 0.99
 * would take minutes to underflow to zero) and identically whether or not
 * the node is reclaimed.
 */
#include "../engine.h"
#include "../node_types.h"

#include <stddef.h>
#include "../param.h"
#include "../dsp/delay.h"
#include "labsound/extended.h"
#include "labsound/filters.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PPD_MSG_DELAY 100        /* d0 = delay, seconds */

enum { PPD_FEEDBACK, PPD_WET, PPD_DRY, PPD_NPARAMS };

typedef struct ppd_proc {
    ls_proc base;
    /* set once */
    uint32_t len;                /* ring frames */
    double max_delay;
    float *ring[2];              /* left, right */
    /* control */
    double ctl_tempo;
    int ctl_note;
    /* render */
    double delay;                /* seconds */
    uint32_t pos;                /* where the next frame is written */
    uint64_t quiet;              /* frames below the noise floor written in a row */
    float mono[LS_Q], left[LS_Q], right[LS_Q], a[LS_Q];
} ppd_proc;

static bool ppd_process(ls_proc *base, ls_render *r)
{
    ppd_proc *p = (ppd_proc *)base;
    ls_bus *in = &base->inputs[0].bus;
    ls_bus *out = &base->outputs[0];
    const float *v[PPD_NPARAMS];
    bool cst[PPD_NPARAMS];
    for (int k = 0; k < PPD_NPARAMS; k++)
        v[k] = ls__param_process(base->params[k], r, &cst[k]);
    float d = (float)(p->delay * r->sample_rate);
    const float hi = (float)(p->len - LS_Q);
    if (!(d >= 1.0f))
        d = 1.0f;
    if (d > hi)
        d = hi;
    /* the lines read at most d frames back: once everything written for
     * that long (and a quantum) stayed below the noise floor, the tail is over */
    const uint64_t reach = (uint64_t)ceilf(d) + LS_Q;
    if (in->silent && p->quiet >= reach) {
        if (p->quiet < reach + LS_Q) {
            /* the tail just ended: clear what is left below the noise floor */
            memset(p->ring[0], 0, sizeof(float) * p->len);
            memset(p->ring[1], 0, sizeof(float) * p->len);
            p->quiet = UINT64_MAX / 2;
        }
        ls__bus_silence(r, out, 2);
        return false;
    }
    if (!ls__bus_alloc(r, out, 2)) {
        ls__bus_silence(r, out, 2);
        return true;
    }
    /* the mono sum of the input */
    if (in->silent)
        memset(p->mono, 0, sizeof p->mono);
    else if (in->channels == 1)
        memcpy(p->mono, in->ch[0], sizeof p->mono);
    else
        for (int i = 0; i < LS_Q; i++)
            p->mono[i] = 0.5f * (in->ch[0][i] + in->ch[1][i]);
    const uint32_t chunk = d >= (float)LS_Q ? LS_Q : (uint32_t)d;
    const float *fb = v[PPD_FEEDBACK];
    float peak = 0.0f;
    for (uint32_t i = 0; i < LS_Q; i += chunk) {
        uint32_t n = LS_Q - i < chunk ? LS_Q - i : chunk;
        uint32_t pos = p->pos + i;
        if (pos >= p->len)
            pos -= p->len;
        ls_delay_read(p->ring[0], p->len, pos, d, p->left + i, n);
        ls_delay_read(p->ring[1], p->len, pos, d, p->right + i, n);
        for (uint32_t k = i; k < i + n; k++) {
            float f = cst[PPD_FEEDBACK] ? fb[0] : fb[k];
            p->a[k] = p->mono[k] + f * p->right[k];
            float m = fabsf(p->a[k]) > fabsf(p->left[k]) ? fabsf(p->a[k]) : fabsf(p->left[k]);
            peak = m > peak ? m : peak;
        }
        ls_delay_write(p->ring[0], p->len, pos, p->a + i, n);
        ls_delay_write(p->ring[1], p->len, pos, p->left + i, n);
    }
    p->pos += LS_Q;
    if (p->pos >= p->len)
        p->pos -= p->len;
    p->quiet = peak < LS_NOISE_FLOOR ? p->quiet + LS_Q : 0;
    const float *wet = v[PPD_WET], *dry = v[PPD_DRY];
    const float *xl = in->silent ? p->mono : in->ch[0];
    const float *xr = in->silent ? p->mono : in->ch[in->channels > 1 ? 1 : 0];
    float *yl = out->ch[0], *yr = out->ch[1];
    for (int i = 0; i < LS_Q; i++) {
        float w = cst[PPD_WET] ? wet[0] : wet[i];
        float g = cst[PPD_DRY] ? dry[0] : dry[i];
        yl[i] = g * xl[i] + w * p->left[i];
        yr[i] = g * xr[i] + w * p->right[i];
    }
    return true;
}

static void ppd_on_message(ls_proc *base, ls_render *r, const ls_msg *m)
{
    (void)r;
    if (m->key == PPD_MSG_DELAY)
        ((ppd_proc *)base)->delay = m->d0;
}

static void ppd_destroy(ls_proc *base)
{
    ppd_proc *p = (ppd_proc *)base;
    free(p->ring[0]);
    free(p->ring[1]);
    p->ring[0] = p->ring[1] = NULL;
}

static const ls_proc_vtable ppd_vtable = {ppd_process, ppd_on_message, ppd_destroy, NULL};

static ppd_proc *as_ppd(const ls_node *n)
{
    return n && n->type == LS_NODE_TYPE_PING_PONG_DELAY ? (ppd_proc *)n->proc : NULL;
}

LS__OPTIONS_DEFAULT(ping_pong_delay)

static ls_result delay_of(double tempo, ls_note_value note, double max_delay, double *out)
{
    if (ls_note_value_beats(note) == 0.0)
        return LS_ERROR_INVALID_ARGUMENT;
    double t = ls_tempo_delay_time(tempo, note);
    if (!(t <= max_delay))
        return LS_ERROR_RANGE;
    *out = t;
    return LS_OK;
}

ls_result ls_ping_pong_delay_create(ls_context *ctx, const ls_ping_pong_delay_options *options,
                                    ls_node **out)
{
    if (!ctx || !out)
        return LS_ERROR_INVALID_ARGUMENT;
    ls_ping_pong_delay_options o = options ? *options : ls_ping_pong_delay_options_default();
    if (!(o.max_delay_time > 0.0 && o.max_delay_time < LS_DELAY_MAX_TIME))
        return LS_ERROR_NOT_SUPPORTED;
    if (o.node.channel_count > 2 || o.node.channel_count_mode == LS_CHANNEL_COUNT_MODE_MAX)
        return LS_ERROR_NOT_SUPPORTED;
    if (ls__check_param_options(&ls__ping_pong_delay_type, &o) != LS_OK)
        return LS_ERROR_RANGE;
    double t;
    ls_result res = delay_of(o.tempo, o.note, o.max_delay_time, &t);
    if (res != LS_OK)
        return res;
    uint32_t len = (uint32_t)ceil(o.max_delay_time * ctx->sample_rate) + LS_Q;
    float *rl = calloc(len, sizeof(float)), *rr = calloc(len, sizeof(float));
    if (!rl || !rr) {
        free(rl);
        free(rr);
        return LS_ERROR_NO_MEM;
    }
    const ls_node_descriptor *desc = &ls__ping_pong_delay_type;
    ls_node *node;
    res = ls__node_create(ctx, LS_NODE_TYPE_PING_PONG_DELAY, &ppd_vtable, sizeof(ppd_proc), 1, 1,
                          &desc->channel_defaults, &o.node, &node);
    if (res != LS_OK) {
        free(rl);
        free(rr);
        return res;
    }
    node->channel_count_limit = 2;
    node->channel_mode_max_unsupported = 1;
    ppd_proc *p = (ppd_proc *)node->proc;
    p->len = len;
    p->max_delay = o.max_delay_time;
    p->ring[0] = rl;
    p->ring[1] = rr;
    p->ctl_tempo = o.tempo;
    p->ctl_note = (int)o.note;
    p->delay = t;
    p->quiet = UINT64_MAX / 2;         /* the rings start silent */
    if (ls__params_create(node, desc, &o) != LS_OK) {
        ls__node_free_unpublished(node);
        return LS_ERROR_NO_MEM;
    }
    ls__node_publish(node);
    *out = node;
    return LS_OK;
}

static ls_result set(ls_node *node, double tempo, ls_note_value note)
{
    ppd_proc *p = as_ppd(node);
    if (!p)
        return LS_ERROR_INVALID_ARGUMENT;
    double t;
    ls_result res = delay_of(tempo, note, p->max_delay, &t);
    if (res != LS_OK)
        return res;
    ls__lock(node->ctx);
    p->ctl_tempo = tempo;
    p->ctl_note = (int)note;
    ls__post_node(node, PPD_MSG_DELAY, t, 0, NULL);
    ls__unlock(node->ctx);
    return LS_OK;
}

ls_result ls_ping_pong_delay_set_tempo(ls_node *node, double tempo)
{
    ppd_proc *p = as_ppd(node);
    return p ? set(node, tempo, (ls_note_value)p->ctl_note) : LS_ERROR_INVALID_ARGUMENT;
}

ls_result ls_ping_pong_delay_set_note(ls_node *node, ls_note_value note)
{
    ppd_proc *p = as_ppd(node);
    return p ? set(node, p->ctl_tempo, note) : LS_ERROR_INVALID_ARGUMENT;
}

double ls_ping_pong_delay_tempo(const ls_node *node)
{
    return as_ppd(node) ? as_ppd(node)->ctl_tempo : 0.0;
}

int ls_ping_pong_delay_note(const ls_node *node)
{
    return as_ppd(node) ? as_ppd(node)->ctl_note : -1;
}

double ls_ping_pong_delay_delay_time(const ls_node *node)
{
    ppd_proc *p = as_ppd(node);
    return p ? ls_tempo_delay_time(p->ctl_tempo, (ls_note_value)p->ctl_note) : NAN;
}

double ls_ping_pong_delay_max_delay_time(const ls_node *node)
{
    return as_ppd(node) ? as_ppd(node)->max_delay : NAN;
}

ls_param *ls_ping_pong_delay_feedback(ls_node *node)
{
    return as_ppd(node) ? node->proc->params[PPD_FEEDBACK] : NULL;
}

ls_param *ls_ping_pong_delay_wet(ls_node *node)
{
    return as_ppd(node) ? node->proc->params[PPD_WET] : NULL;
}

ls_param *ls_ping_pong_delay_dry(ls_node *node)
{
    return as_ppd(node) ? node->proc->params[PPD_DRY] : NULL;
}

LS__CREATE_FN(ping_pong_delay)

static ls_result get_tempo(const ls_node *node, ls_value *out)
{
    if (!node || node->type != LS_NODE_TYPE_PING_PONG_DELAY)
        return LS_ERROR_INVALID_ARGUMENT;
    out->f = ls_ping_pong_delay_tempo(node);
    return LS_OK;
}

static ls_result set_tempo(ls_node *node, const ls_value *v)
{
    return ls_ping_pong_delay_set_tempo(node, v->f);
}

static ls_result get_note(const ls_node *node, ls_value *out)
{
    if (!node || node->type != LS_NODE_TYPE_PING_PONG_DELAY)
        return LS_ERROR_INVALID_ARGUMENT;
    out->i = ls_ping_pong_delay_note(node);
    return LS_OK;
}

static ls_result set_note(ls_node *node, const ls_value *v)
{
    return ls_ping_pong_delay_set_note(node, (ls_note_value)v->i);
}

static ls_result get_delay_time(const ls_node *node, ls_value *out)
{
    if (!node || node->type != LS_NODE_TYPE_PING_PONG_DELAY)
        return LS_ERROR_INVALID_ARGUMENT;
    out->f = ls_ping_pong_delay_delay_time(node);
    return LS_OK;
}

static ls_result get_max_delay_time(const ls_node *node, ls_value *out)
{
    if (!node || node->type != LS_NODE_TYPE_PING_PONG_DELAY)
        return LS_ERROR_INVALID_ARGUMENT;
    out->f = ls_ping_pong_delay_max_delay_time(node);
    return LS_OK;
}

static const char *const note_names[] = {
    "whole", "half", "quarter", "eighth", "sixteenth", "thirty-second",
    "dotted-whole", "dotted-half", "dotted-quarter", "dotted-eighth", "dotted-sixteenth",
    "dotted-thirty-second",
    "whole-triplet", "half-triplet", "quarter-triplet", "eighth-triplet", "sixteenth-triplet",
    "thirty-second-triplet", NULL};

static const ls_setting_descriptor ping_pong_delay_settings[] = {
    {"tempo", LS_VALUE_DOUBLE, NULL, "tempo", get_tempo, set_tempo, "beats per minute"},
    {"note", LS_VALUE_ENUM, note_names, "note", get_note, set_note,
     "the note value the delay lasts at the tempo"},
    {"delay_time", LS_VALUE_DOUBLE, NULL, NULL, get_delay_time, NULL,
     "the delay the tempo and note give, in seconds (read-only)"},
    {"max_delay_time", LS_VALUE_DOUBLE, NULL, "max_delay_time", get_max_delay_time, NULL,
     "the longest delay, in seconds (read-only)"},
};

static const ls_param_descriptor ping_pong_delay_params[] = {
    {"feedback", 0.5f, LS__FLT_RANGE, LS_AUTOMATION_RATE_A_RATE, 0, "",
     "share of the right line's output fed back into the left one"},
    {"wet", 1.0f, LS__FLT_RANGE, LS_AUTOMATION_RATE_A_RATE, 0, "", "level of the delayed signal"},
    {"dry", 1.0f, LS__FLT_RANGE, LS_AUTOMATION_RATE_A_RATE, 0, "", "level of the input"},
};

static const ls_option_descriptor ping_pong_delay_options[] = {
    {"tempo", LS_VALUE_DOUBLE, offsetof(ls_ping_pong_delay_options, tempo), 0, 120.0, NULL, NULL,
     LS_OPTION_ABOVE_MIN,
     "beats per minute (above 0)", 0.0, DBL_MAX},
    {"note", LS_VALUE_ENUM, offsetof(ls_ping_pong_delay_options, note), 0, LS_NOTE_EIGHTH,
     note_names, NULL, 0,
     "the note value the delay lasts at the tempo"},
    {"max_delay_time", LS_VALUE_DOUBLE, offsetof(ls_ping_pong_delay_options, max_delay_time), 0,
     2.0, NULL, NULL, LS_OPTION_ABOVE_MIN,
     "the longest delay, in seconds (above 0, below 180)", 0.0, LS_DELAY_MAX_TIME},
    LS__PARAM_OPTION(ls_ping_pong_delay_options, feedback, "feedback"),
    LS__PARAM_OPTION(ls_ping_pong_delay_options, wet, "wet"),
    LS__PARAM_OPTION(ls_ping_pong_delay_options, dry, "dry"),
};

const ls_node_descriptor ls__ping_pong_delay_type = {
    .name = "PingPongDelay", .key = "ping_pong_delay", .type = LS_NODE_TYPE_PING_PONG_DELAY,
    .doc = "a stereo delay bouncing between the left and right channels",
    .number_of_inputs = 1, .number_of_outputs = 1,
    .channel_defaults = {2, LS_CHANNEL_COUNT_MODE_CLAMPED_MAX, LS_CHANNEL_INTERPRETATION_SPEAKERS},
    .params = ping_pong_delay_params, .param_count = LS__COUNT(ping_pong_delay_params),
    .options = ping_pong_delay_options, .option_count = LS__COUNT(ping_pong_delay_options),
    .settings = ping_pong_delay_settings, .setting_count = LS__COUNT(ping_pong_delay_settings),
    .options_size = sizeof(ls_ping_pong_delay_options),
    .options_init = ping_pong_delay_options_init, .create = ping_pong_delay_create_any,
};
