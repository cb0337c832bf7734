/*
 * NoiseNode: a scheduled source of white, pink or brown noise
 * (src/dsp/noise.c) from a seeded generator, so that a render repeats exactly.
 * The type may change while it plays (the generator and filters go on).
 */
#include "../engine.h"
#include "../node_types.h"

#include <float.h>
#include <stddef.h>
#include "../dsp/noise.h"

#include <string.h>
#include <time.h>

#define NOISE_MSG_TYPE 100        /* i0 = type */

typedef struct noise_proc {
    ls_proc base;
    ls_noise_type ctl_type;       /* control */
    uint64_t ctl_seed;            /* set once */
    ls_noise_state st;            /* render */
    float spare[LS_Q];
} noise_proc;

static bool noise_process(ls_proc *base, ls_render *r)
{
    noise_proc *p = (noise_proc *)base;
    uint32_t begin, end;
    double off;
    if (!ls__sched_range(base, &base->sched, r, &begin, &end, &off)) {
        ls__bus_silence(r, &base->outputs[0], 1);
        return !base->sched.ended && !(base->released && !base->sched.started);
    }
    float *y = ls__bus_alloc(r, &base->outputs[0], 1) ? base->outputs[0].ch[0] : p->spare;
    if (begin)
        memset(y, 0, sizeof(float) * begin);
    ls_noise_render(&p->st, y + begin, end - begin);
    if (end < LS_Q)
        memset(y + end, 0, sizeof(float) * (LS_Q - end));
    return !base->sched.ended;
}

static void noise_on_message(ls_proc *base, ls_render *r, const ls_msg *m)
{
    (void)r;
    if (m->key == NOISE_MSG_TYPE)
        ((noise_proc *)base)->st.type = m->i0;
}

static const ls_proc_vtable noise_vtable = {noise_process, noise_on_message, NULL, NULL};

static bool is_noise(const ls_node *n)
{
    return n && n->type == LS_NODE_TYPE_NOISE;
}

LS__OPTIONS_DEFAULT(noise)

static uint64_t fresh_seed(const void *salt)
{
    static atomic_uint_fast64_t counter;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    uint64_t c = atomic_fetch_add(&counter, 1);
    return ls_noise_mix_seed(c ^ ((uint64_t)ts.tv_nsec << 20) ^ (uint64_t)ts.tv_sec ^
                             (uint64_t)(uintptr_t)salt);
}

ls_result ls_noise_create(ls_context *ctx, const ls_noise_options *options, ls_node **out)
{
    if (!ctx || !out)
        return LS_ERROR_INVALID_ARGUMENT;
    ls_noise_options o = options ? *options : ls_noise_options_default();
    if ((int)o.type < 0 || o.type > LS_NOISE_BROWN)
        return LS_ERROR_INVALID_ARGUMENT;
    const ls_node_descriptor *desc = &ls__noise_type;
    ls_node *node;
    ls_result r = ls__node_create(ctx, LS_NODE_TYPE_NOISE, &noise_vtable, sizeof(noise_proc), 0,
                                  1, &desc->channel_defaults, &o.node, &node);
    if (r != LS_OK)
        return r;
    noise_proc *p = (noise_proc *)node->proc;
    p->ctl_type = o.type;
    p->ctl_seed = o.has_seed ? o.seed : fresh_seed(node);
    ls_noise_init(&p->st, ctx->sample_rate, p->ctl_seed, (int)o.type);
    ls__sched_init(node->proc);
    ls__node_publish(node);
    *out = node;
    return LS_OK;
}

ls_noise_type ls_noise_get_type(const ls_node *node)
{
    return is_noise(node) ? ((const noise_proc *)node->proc)->ctl_type : LS_NOISE_WHITE;
}

ls_result ls_noise_set_type(ls_node *node, ls_noise_type type)
{
    if (!is_noise(node) || (int)type < 0 || type > LS_NOISE_BROWN)
        return LS_ERROR_INVALID_ARGUMENT;
    ls__lock(node->ctx);
    ((noise_proc *)node->proc)->ctl_type = type;
    ls_msg m = {0};
    m.type = LS_MSG_NODE;
    m.key = NOISE_MSG_TYPE;
    m.target.proc = node->proc;
    m.i0 = (int32_t)type;
    ls__post(node->ctx, &m);
    ls__unlock(node->ctx);
    return LS_OK;
}

uint64_t ls_noise_get_seed(const ls_node *node)
{
    return is_noise(node) ? ((const noise_proc *)node->proc)->ctl_seed : 0;
}

LS__CREATE_FN(noise)

static ls_result get_type(const ls_node *node, ls_value *out)
{
    if (!node || node->type != LS_NODE_TYPE_NOISE)
        return LS_ERROR_INVALID_ARGUMENT;
    out->i = ls_noise_get_type(node);
    return LS_OK;
}

static ls_result set_type(ls_node *node, const ls_value *v)
{
    return ls_noise_set_type(node, (ls_noise_type)v->i);
}

static ls_result get_seed(const ls_node *node, ls_value *out)
{
    if (!node || node->type != LS_NODE_TYPE_NOISE)
        return LS_ERROR_INVALID_ARGUMENT;
    out->i = (int64_t)ls_noise_get_seed(node);
    return LS_OK;
}

static const char *const type_names[] = {"white", "pink", "brown", NULL};

static const ls_option_descriptor noise_options[] = {
    {"type", LS_VALUE_ENUM, offsetof(ls_noise_options, type), 0, LS_NOISE_WHITE, type_names,
     NULL, 0, "the colour: white (flat), pink (-3 dB/octave) or brown (-6 dB/octave)"},
    {"seed", LS_VALUE_UINT64, offsetof(ls_noise_options, seed),
     offsetof(ls_noise_options, has_seed), 0, NULL, NULL, LS_OPTION_OPTIONAL,
     "the generator's seed: the same seed renders the same samples (none: the engine picks one)"},
};

static const ls_setting_descriptor noise_settings[] = {
    {"type", LS_VALUE_ENUM, type_names, "type", get_type, set_type, "the colour of the noise"},
    {"seed", LS_VALUE_UINT64, NULL, NULL, get_seed, NULL, "the seed the generator started from"},
};

const ls_node_descriptor ls__noise_type = {
    .name = "Noise", .key = "noise", .type = LS_NODE_TYPE_NOISE,
    .doc = "white, pink or brown noise from a seeded generator",
    .number_of_inputs = 0, .number_of_outputs = 1, .flags = LS_NODE_TYPE_SCHEDULED_SOURCE,
    .channel_defaults = {1, LS_CHANNEL_COUNT_MODE_MAX, LS_CHANNEL_INTERPRETATION_SPEAKERS},
    .options = noise_options, .option_count = LS__COUNT(noise_options),
    .settings = noise_settings, .setting_count = LS__COUNT(noise_settings),
    .options_size = sizeof(ls_noise_options),
    .options_init = noise_options_init, .create = noise_create_any,
};
