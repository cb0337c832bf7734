/*
 * ADSRNode: an attack-decay-sustain-release envelope (src/dsp/envelope.c)
 * driven by its gate param, multiplying its input, or output alone (mono)
 * while nothing is connected to the input.
 *
 * Params, all a-rate: gate, attack_time, attack_level, decay_time,
 * sustain_time, sustain_level, release_time. The one-shot flag (the envelope
 * runs its sustain for sustain_time and releases by itself, ignoring the
 * gate's fall) travels to the render side in a node message.
 */
#include "../engine.h"
#include "../param.h"
#include "../dsp/envelope.h"
#include "../node_types.h"

#include <float.h>
#include <stddef.h>
#include <string.h>

#define ADSR_MSG_ONE_SHOT 100     /* i0 = 0 / 1 */

enum { P_GATE, P_ATTACK_TIME, P_ATTACK_LEVEL, P_DECAY_TIME, P_SUSTAIN_TIME, P_SUSTAIN_LEVEL,
       P_RELEASE_TIME, P_COUNT };

typedef struct adsr_proc {
    ls_proc base;
    int ctl_one_shot;             /* control */
    ls_envelope env;              /* render */
    float e[LS_Q];
} adsr_proc;

static bool adsr_process(ls_proc *base, ls_render *r)
{
    adsr_proc *p = (adsr_proc *)base;
    const float *v[P_COUNT];
    size_t step[P_COUNT];
    for (int k = 0; k < P_COUNT; k++) {
        bool c;
        v[k] = ls__param_process(base->params[k], r, &c);
        step[k] = c ? 0 : 1;
    }
    ls_envelope_inputs ein = {
        v[P_GATE], v[P_ATTACK_TIME], v[P_ATTACK_LEVEL], v[P_DECAY_TIME], v[P_SUSTAIN_TIME],
        v[P_SUSTAIN_LEVEL], v[P_RELEASE_TIME],
        step[P_GATE], step[P_ATTACK_TIME], step[P_ATTACK_LEVEL], step[P_DECAY_TIME],
        step[P_SUSTAIN_TIME], step[P_SUSTAIN_LEVEL], step[P_RELEASE_TIME]};
    ls_envelope_run(&p->env, &ein, r->sample_rate, p->e, LS_Q);

    ls_input *input = &base->inputs[0];
    ls_bus *out = &base->outputs[0];
    bool pending = base->params[P_GATE]->r.head || base->params[P_GATE]->r.inputs;
    /* a held gate sustains; a one-shot envelope that has run its release
     * sounds again only on a new rising edge, which needs a gate event or
     * a connection into the gate */
    bool alive = p->env.stage != LS_ENV_IDLE || (p->env.gate && !p->env.one_shot) || pending;
    if (input->count == 0) {
        /* nothing connected: the envelope itself */
        if (ls__bus_alloc(r, out, 1))
            memcpy(out->ch[0], p->e, sizeof p->e);
        return alive;
    }
    ls_bus *in = &input->bus;
    if (in->silent) {
        ls__bus_silence(r, out, in->channels);
        return alive;
    }
    if (!ls__bus_alloc(r, out, in->channels))
        return alive;
    for (uint32_t c = 0; c < in->channels; c++) {
        const float *restrict x = in->ch[c];
        float *restrict y = out->ch[c];
        for (int i = 0; i < LS_Q; i++)
            y[i] = x[i] * p->e[i];
    }
    return alive;
}

static void adsr_on_message(ls_proc *base, ls_render *r, const ls_msg *m)
{
    (void)r;
    if (m->key == ADSR_MSG_ONE_SHOT)
        ((adsr_proc *)base)->env.one_shot = m->i0 != 0;
}

static const ls_proc_vtable adsr_vtable = {adsr_process, adsr_on_message, NULL, NULL};

static bool is_adsr(const ls_node *n)
{
    return n && n->type == LS_NODE_TYPE_ADSR;
}

LS__OPTIONS_DEFAULT(adsr)

ls_result ls_adsr_create(ls_context *ctx, const ls_adsr_options *options, ls_node **out)
{
    if (!ctx || !out)
        return LS_ERROR_INVALID_ARGUMENT;
    const ls_node_descriptor *t = &ls__adsr_type;
    ls_adsr_options o = options ? *options : ls_adsr_options_default();
    ls_result res = ls__check_param_options(t, &o);
    if (res != LS_OK)
        return res;
    if (o.attack_time < 0 || o.decay_time < 0 || o.sustain_time < 0 || o.release_time < 0)
        return LS_ERROR_RANGE;
    ls_node *node;
    res = ls__node_create(ctx, t->type, &adsr_vtable, sizeof(adsr_proc), t->number_of_inputs,
                          t->number_of_outputs, &t->channel_defaults, &o.node, &node);
    if (res != LS_OK)
        return res;
    if (ls__params_create(node, t, &o) != LS_OK) {
        ls__node_free_unpublished(node);
        return LS_ERROR_NO_MEM;
    }
    adsr_proc *p = (adsr_proc *)node->proc;
    p->ctl_one_shot = o.one_shot != 0;
    ls_envelope_init(&p->env, o.one_shot != 0);
    ls__node_publish(node);
    *out = node;
    return LS_OK;
}

ls_param *ls_adsr_gate(ls_node *node)
{
    return is_adsr(node) ? node->proc->params[P_GATE] : NULL;
}

ls_result ls_adsr_gate_on(ls_node *node, double when)
{
    if (!is_adsr(node))
        return LS_ERROR_INVALID_ARGUMENT;
    if (!isfinite(when) || when < 0)
        return LS_ERROR_RANGE;
    return ls_param_set_value_at_time(node->proc->params[P_GATE], 1.0f, when);
}

ls_result ls_adsr_gate_off(ls_node *node, double when)
{
    if (!is_adsr(node))
        return LS_ERROR_INVALID_ARGUMENT;
    if (!isfinite(when) || when < 0)
        return LS_ERROR_RANGE;
    return ls_param_set_value_at_time(node->proc->params[P_GATE], 0.0f, when);
}

int ls_adsr_get_one_shot(const ls_node *node)
{
    return is_adsr(node) ? ((const adsr_proc *)node->proc)->ctl_one_shot : 0;
}

ls_result ls_adsr_set_one_shot(ls_node *node, int one_shot)
{
    if (!is_adsr(node))
        return LS_ERROR_INVALID_ARGUMENT;
    ls__lock(node->ctx);
    ((adsr_proc *)node->proc)->ctl_one_shot = one_shot != 0;
    ls_msg m = {0};
    m.type = LS_MSG_NODE;
    m.key = ADSR_MSG_ONE_SHOT;
    m.target.proc = node->proc;
    m.i0 = one_shot != 0;
    ls__post(node->ctx, &m);
    ls__unlock(node->ctx);
    return LS_OK;
}

LS__CREATE_FN(adsr)

static ls_result get_one_shot(const ls_node *node, ls_value *out)
{
    if (!is_adsr(node))
        return LS_ERROR_INVALID_ARGUMENT;
    out->i = ls_adsr_get_one_shot(node);
    return LS_OK;
}

static ls_result set_one_shot(ls_node *node, const ls_value *v)
{
    return ls_adsr_set_one_shot(node, v->i != 0);
}

/* in the order of the P_* indices */
static const ls_param_descriptor adsr_params[] = {
    {"gate", 0.0f, 0.0f, 1.0f, LS_AUTOMATION_RATE_A_RATE, 0, "",
     "above 0 the envelope attacks; back to 0 it releases"},
    {"attack_time", 0.125f, 0.0f, FLT_MAX, LS_AUTOMATION_RATE_A_RATE, 0, "s",
     "time from 0 to attack_level"},
    {"attack_level", 1.0f, -FLT_MAX, FLT_MAX, LS_AUTOMATION_RATE_A_RATE, 0, "",
     "level the attack reaches"},
    {"decay_time", 0.125f, 0.0f, FLT_MAX, LS_AUTOMATION_RATE_A_RATE, 0, "s",
     "time from attack_level to sustain_level"},
    {"sustain_time", 0.125f, 0.0f, FLT_MAX, LS_AUTOMATION_RATE_A_RATE, 0, "s",
     "time the sustain lasts in one-shot mode"},
    {"sustain_level", 0.5f, -FLT_MAX, FLT_MAX, LS_AUTOMATION_RATE_A_RATE, 0, "",
     "level held while the gate is on"},
    {"release_time", 0.125f, 0.0f, FLT_MAX, LS_AUTOMATION_RATE_A_RATE, 0, "s",
     "time from the sustain to 0"},
};

#define ADSR_PARAM_OPTION(field, what)                                                        \
    {#field, LS_VALUE_FLOAT, offsetof(ls_adsr_options, field), 0, 0, NULL, #field, 0,          \
     "initial value of the " what " param"}

static const ls_option_descriptor adsr_options[] = {
    ADSR_PARAM_OPTION(attack_time, "attack_time"),
    ADSR_PARAM_OPTION(attack_level, "attack_level"),
    ADSR_PARAM_OPTION(decay_time, "decay_time"),
    ADSR_PARAM_OPTION(sustain_time, "sustain_time"),
    ADSR_PARAM_OPTION(sustain_level, "sustain_level"),
    ADSR_PARAM_OPTION(release_time, "release_time"),
    {"one_shot", LS_VALUE_BOOL, offsetof(ls_adsr_options, one_shot), 0, 0, NULL, NULL, 0,
     "run the sustain for sustain_time and release without waiting for the gate"},
};

static const ls_setting_descriptor adsr_settings[] = {
    {"one_shot", LS_VALUE_BOOL, NULL, "one_shot", get_one_shot, set_one_shot,
     "run the sustain for sustain_time and release without waiting for the gate"},
};

const ls_node_descriptor ls__adsr_type = {
    .name = "ADSR", .key = "adsr", .type = LS_NODE_TYPE_ADSR,
    .doc = "an attack-decay-sustain-release envelope driven by its gate, applied to its input",
    .number_of_inputs = 1, .number_of_outputs = 1,
    .channel_defaults = {2, LS_CHANNEL_COUNT_MODE_MAX, LS_CHANNEL_INTERPRETATION_SPEAKERS},
    .params = adsr_params, .param_count = LS__COUNT(adsr_params),
    .options = adsr_options, .option_count = LS__COUNT(adsr_options),
    .settings = adsr_settings, .setting_count = LS__COUNT(adsr_settings),
    .options_size = sizeof(ls_adsr_options),
    .options_init = adsr_options_init,
    .create = adsr_create_any,
};
