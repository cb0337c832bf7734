/*
 * BPMDelayNode: LabSound's BPMDelay, a DelayNode whose delay time follows a
 * tempo and a note value: 60 / tempo * beats(note) seconds. It is the
 * DelayNode's processor (delay.c) under its own node type: the same delay
 * line, linear interpolation, cycles through it allowed. Tempo and note live
 * on the control side (ls_node.u.bpm); a change sets the delayTime param's
 * value at the context's current time.
 */
#include "../engine.h"
#include "../node_types.h"

#include <float.h>
#include <stddef.h>
#include "../param.h"
#include "delay_line.h"
#include "labsound/extended.h"
#include "labsound/filters.h"

#include <math.h>

double ls_note_value_beats(ls_note_value note)
{
    static const double plain[6] = {4.0, 2.0, 1.0, 0.5, 0.25, 0.125};
    if ((int)note < 0 || note >= LS_NOTE_COUNT)
        return 0.0;
    int k = (int)note;
    if (k < 6)
        return plain[k];
    if (k < 12)
        return plain[k - 6] * 1.5;
    return plain[k - 12] * 2.0 / 3.0;
}

double ls_tempo_delay_time(double tempo, ls_note_value note)
{
    double beats = ls_note_value_beats(note);
    if (!(isfinite(tempo) && tempo > 0.0) || beats == 0.0)
        return NAN;
    return 60.0 / tempo * beats;
}

static bool is_bpm(const ls_node *n)
{
    return n && n->type == LS_NODE_TYPE_BPM_DELAY;
}

LS__OPTIONS_DEFAULT(bpm_delay)

/* the delay of tempo and note, or an error when out of range */
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

ls_result ls_bpm_delay_create(ls_context *ctx, const ls_bpm_delay_options *options,
                              ls_node **out)
{
    if (!ctx || !out)
        return LS_ERROR_INVALID_ARGUMENT;
    ls_bpm_delay_options o = options ? *options : ls_bpm_delay_options_default();
    if (!(o.max_delay_time > 0.0 && o.max_delay_time < LS_DELAY_MAX_TIME))
        return LS_ERROR_NOT_SUPPORTED;
    double t;
    ls_result res = delay_of(o.tempo, o.note, o.max_delay_time, &t);
    if (res != LS_OK)
        return res;
    ls_delay_options d = ls_delay_options_default();
    d.node = o.node;
    d.max_delay_time = o.max_delay_time;
    d.delay_time = (float)t;
    ls_node *node;
    res = ls__delay_create_typed(ctx, LS_NODE_TYPE_BPM_DELAY, &d, &node);
    if (res != LS_OK)
        return res;
    node->u.bpm.tempo = o.tempo;
    node->u.bpm.note = (int)o.note;
    node->u.bpm.max_delay = o.max_delay_time;
    *out = node;
    return LS_OK;
}

static ls_result set(ls_node *node, double tempo, ls_note_value note)
{
    if (!is_bpm(node))
        return LS_ERROR_INVALID_ARGUMENT;
    double t;
    ls_result res = delay_of(tempo, note, ls_bpm_delay_max_delay_time(node), &t);
    if (res != LS_OK)
        return res;
    res = ls_param_set_value(node->proc->params[0], (float)t);
    if (res != LS_OK)
        return res;
    ls__lock(node->ctx);
    node->u.bpm.tempo = tempo;
    node->u.bpm.note = (int)note;
    ls__unlock(node->ctx);
    return LS_OK;
}

ls_result ls_bpm_delay_set_tempo(ls_node *node, double tempo)
{
    return is_bpm(node) ? set(node, tempo, (ls_note_value)node->u.bpm.note)
                        : LS_ERROR_INVALID_ARGUMENT;
}

ls_result ls_bpm_delay_set_note(ls_node *node, ls_note_value note)
{
    return is_bpm(node) ? set(node, node->u.bpm.tempo, note) : LS_ERROR_INVALID_ARGUMENT;
}

double ls_bpm_delay_tempo(const ls_node *node)
{
    return is_bpm(node) ? node->u.bpm.tempo : 0.0;
}

int ls_bpm_delay_note(const ls_node *node)
{
    return is_bpm(node) ? node->u.bpm.note : -1;
}

double ls_bpm_delay_delay_time(const ls_node *node)
{
    return is_bpm(node) ? ls_tempo_delay_time(node->u.bpm.tempo, (ls_note_value)node->u.bpm.note)
                        : NAN;
}

double ls_bpm_delay_max_delay_time(const ls_node *node)
{
    return is_bpm(node) ? node->u.bpm.max_delay : NAN;
}

LS__CREATE_FN(bpm_delay)

static ls_result get_tempo(const ls_node *node, ls_value *out)
{
    if (!node || node->type != LS_NODE_TYPE_BPM_DELAY)
        return LS_ERROR_INVALID_ARGUMENT;
    out->f = ls_bpm_delay_tempo(node);
    return LS_OK;
}

static ls_result set_tempo(ls_node *node, const ls_value *v)
{
    return ls_bpm_delay_set_tempo(node, v->f);
}

static ls_result get_note(const ls_node *node, ls_value *out)
{
    if (!node || node->type != LS_NODE_TYPE_BPM_DELAY)
        return LS_ERROR_INVALID_ARGUMENT;
    out->i = ls_bpm_delay_note(node);
    return LS_OK;
}

static ls_result set_note(ls_node *node, const ls_value *v)
{
    return ls_bpm_delay_set_note(node, (ls_note_value)v->i);
}

static ls_result get_delay_time(const ls_node *node, ls_value *out)
{
    if (!node || node->type != LS_NODE_TYPE_BPM_DELAY)
        return LS_ERROR_INVALID_ARGUMENT;
    out->f = ls_bpm_delay_delay_time(node);
    return LS_OK;
}

static ls_result get_max_delay_time(const ls_node *node, ls_value *out)
{
    if (!node || node->type != LS_NODE_TYPE_BPM_DELAY)
        return LS_ERROR_INVALID_ARGUMENT;
    out->f = ls_bpm_delay_max_delay_time(node);
    return LS_OK;
}

static const char *const note_names[] = {
    "whole", "half", "quarter", "eighth", "sixteenth", "thirty-second",
    "dotted-whole", "dotted-half", "dotted-quarter", "dotted-eighth", "dotted-sixteenth",
    "dotted-thirty-second",
    "whole-triplet", "half-triplet", "quarter-triplet", "eighth-triplet", "sixteenth-triplet",
    "thirty-second-triplet", NULL};

static const ls_setting_descriptor bpm_delay_settings[] = {
    {"tempo", LS_VALUE_DOUBLE, NULL, "tempo", get_tempo, set_tempo, "beats per minute"},
    {"note", LS_VALUE_ENUM, note_names, "note", get_note, set_note,
     "the note value the delay lasts at the tempo"},
    {"delay_time", LS_VALUE_DOUBLE, NULL, NULL, get_delay_time, NULL,
     "the delay the tempo and note give, in seconds (read-only)"},
    {"max_delay_time", LS_VALUE_DOUBLE, NULL, "max_delay_time", get_max_delay_time, NULL,
     "the longest delay, in seconds (read-only)"},
};

static const ls_param_descriptor bpm_delay_params[] = {
    {"delayTime", 0.0f, 0.0f, 2.0f, LS_AUTOMATION_RATE_A_RATE,
     LS_PARAM_RANGE_FROM_OPTIONS | LS_PARAM_DRIVEN, "s", "the delay, set from tempo and note"},
};

static const ls_option_descriptor bpm_delay_options[] = {
    {"tempo", LS_VALUE_DOUBLE, offsetof(ls_bpm_delay_options, tempo), 0, 120.0, NULL, NULL,
     LS_OPTION_ABOVE_MIN,
     "beats per minute (above 0)", 0.0, DBL_MAX},
    {"note", LS_VALUE_ENUM, offsetof(ls_bpm_delay_options, note), 0, LS_NOTE_QUARTER, note_names,
     NULL, 0,
     "the note value the delay lasts at the tempo"},
    {"max_delay_time", LS_VALUE_DOUBLE, offsetof(ls_bpm_delay_options, max_delay_time), 0, 2.0,
     NULL, NULL, LS_OPTION_ABOVE_MIN,
     "the longest delay, in seconds (above 0, below 180)", 0.0, LS_DELAY_MAX_TIME},
};

const ls_node_descriptor ls__bpm_delay_type = {
    .name = "BPMDelay", .key = "bpm_delay", .type = LS_NODE_TYPE_BPM_DELAY,
    .doc = "a delay whose time is a note value at a tempo",
    .number_of_inputs = 1, .number_of_outputs = 1,
    .channel_defaults = LS__CHANNELS_DEFAULT,
    .params = bpm_delay_params, .param_count = LS__COUNT(bpm_delay_params),
    .options = bpm_delay_options, .option_count = LS__COUNT(bpm_delay_options),
    .settings = bpm_delay_settings, .setting_count = LS__COUNT(bpm_delay_settings),
    .options_size = sizeof(ls_bpm_delay_options),
    .options_init = bpm_delay_options_init, .create = bpm_delay_create_any,
};
