/*
 * BPMDelayNode: LabSound's BPMDelay, a DelayNode whose delay time follows a
 * tempo and a note value: 60 / tempo * beats(note) seconds. It is the
 * DelayNode's processor (delay.c) under its own node type: the same delay
 * line, linear interpolation, cycles through it allowed. Tempo and note live
 * on the control side (ls_node.u.bpm); a change sets the delayTime param's
 * value at the context's current time.
 */
#include "../engine.h"
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

ls_bpm_delay_options ls_bpm_delay_options_default(void)
{
    ls_bpm_delay_options o;
    o.node = ls_node_options_default();
    o.tempo = 120.0;
    o.note = LS_NOTE_QUARTER;
    o.max_delay_time = 2.0;
    return o;
}

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
