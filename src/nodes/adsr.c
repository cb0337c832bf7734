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

#include <float.h>
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

ls_adsr_options ls_adsr_options_default(void)
{
    ls_adsr_options o;
    o.node = ls_node_options_default();
    o.attack_time = 0.125f;
    o.attack_level = 1.0f;
    o.decay_time = 0.125f;
    o.sustain_time = 0.125f;
    o.sustain_level = 0.5f;
    o.release_time = 0.125f;
    o.one_shot = 0;
    return o;
}

ls_result ls_adsr_create(ls_context *ctx, const ls_adsr_options *options, ls_node **out)
{
    if (!ctx || !out)
        return LS_ERROR_INVALID_ARGUMENT;
    ls_adsr_options o = options ? *options : ls_adsr_options_default();
    const float init[P_COUNT] = {0.0f, o.attack_time, o.attack_level, o.decay_time,
                                 o.sustain_time, o.sustain_level, o.release_time};
    for (int k = 0; k < P_COUNT; k++)
        if (!isfinite(init[k]))
            return LS_ERROR_RANGE;
    if (o.attack_time < 0 || o.decay_time < 0 || o.sustain_time < 0 || o.release_time < 0)
        return LS_ERROR_RANGE;
    static const ls_node_options defaults = {2, LS_CHANNEL_COUNT_MODE_MAX,
                                             LS_CHANNEL_INTERPRETATION_SPEAKERS};
    ls_node *node;
    ls_result res = ls__node_create(ctx, LS_NODE_TYPE_ADSR, &adsr_vtable, sizeof(adsr_proc), 1, 1,
                                    &defaults, &o.node, &node);
    if (res != LS_OK)
        return res;
    static const char *const names[P_COUNT] = {"gate", "attack_time", "attack_level",
                                               "decay_time", "sustain_time", "sustain_level",
                                               "release_time"};
    const float defs[P_COUNT] = {0.0f, 0.125f, 1.0f, 0.125f, 0.125f, 0.5f, 0.125f};
    for (int k = 0; k < P_COUNT; k++) {
        bool is_time = k == P_ATTACK_TIME || k == P_DECAY_TIME || k == P_SUSTAIN_TIME ||
                       k == P_RELEASE_TIME;
        float lo = k == P_GATE ? 0.0f : is_time ? 0.0f : -FLT_MAX;
        float hi = k == P_GATE ? 1.0f : FLT_MAX;
        ls_param *prm = ls__param_create(node, names[k], defs[k], lo, hi,
                                         LS_AUTOMATION_RATE_A_RATE, false);
        if (!prm) {
            ls__node_free_unpublished(node);
            return LS_ERROR_NO_MEM;
        }
        atomic_store(&prm->value_bits, ls__float_bits(init[k]));
        prm->r.intrinsic = init[k];
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
