/*
 * NoiseNode: a scheduled source of white, pink or brown noise
 * (src/dsp/noise.c) from a seeded generator, so that a render repeats exactly.
 * The type may change while it plays (the generator and filters go on).
 */
#include "../engine.h"
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

ls_noise_options ls_noise_options_default(void)
{
    ls_noise_options o;
    o.node = ls_node_options_default();
    o.type = LS_NOISE_WHITE;
    o.has_seed = 0;
    o.seed = 0;
    return o;
}

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
    static const ls_node_options defaults = {1, LS_CHANNEL_COUNT_MODE_MAX,
                                             LS_CHANNEL_INTERPRETATION_SPEAKERS};
    ls_node *node;
    ls_result r = ls__node_create(ctx, LS_NODE_TYPE_NOISE, &noise_vtable, sizeof(noise_proc), 0,
                                  1, &defaults, &o.node, &node);
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
