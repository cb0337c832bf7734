/*
 * SfxrNode: a scheduled source playing one sfxr sound (src/dsp/sfxr.c) from
 * start(): its settings are read at the frame the sound starts, the
 * frequency group again at each repeat. The sound ends by itself when its
 * envelope is over (or its frequency falls below min_frequency); the node
 * then ends as if stopped. At 44.1 kHz the output is sfxr's own samples; at
 * another context rate the 44.1 kHz stream is linearly interpolated, so the
 * sound keeps its pitch and length in seconds.
 */
#include "../engine.h"
#include "../dsp/sfxr.h"

#include <math.h>
#include <string.h>
#include <time.h>

#define SFXR_MSG_SETTING 100      /* i0 = setting index, d0 = value */

typedef struct sfxr_proc {
    ls_proc base;
    ls_sfxr_settings ctl;         /* control */
    uint64_t ctl_seed;            /* set once */
    /* render */
    ls_sfxr_settings set;
    ls_sfxr_state st;
    bool running, done;
    double step, pos;             /* 44.1 kHz frames per output frame; position in [0, 1) */
    float prev, cur;              /* the two native frames around pos */
    float spare[LS_Q];
} sfxr_proc;

static void finish(ls_proc *base, ls_render *r, uint32_t frame)
{
    if (base->sched.ended)
        return;
    base->sched.ended = 1;
    base->sched.stop_time = (double)(r->frame + frame) / r->sample_rate;
    if (!base->ended_sent) {
        base->ended_sent = 1;
        ls__give_back(r->ctx, &base->ended);
    }
}

/* One native frame, or 0 with done set once the sound is over. */
static float next_native(sfxr_proc *p)
{
    float x = 0.0f;
    if (!p->done && ls_sfxr_render(&p->st, &x, 1) == 0) {
        p->done = true;
        x = 0.0f;
    }
    return x;
}

static bool sfxr_process(ls_proc *base, ls_render *r)
{
    sfxr_proc *p = (sfxr_proc *)base;
    uint32_t begin, end;
    double off;
    if (!ls__sched_range(base, &base->sched, r, &begin, &end, &off)) {
        ls__bus_silence(r, &base->outputs[0], 1);
        return !base->sched.ended && !(base->released && !base->sched.started);
    }
    float *y = ls__bus_alloc(r, &base->outputs[0], 1) ? base->outputs[0].ch[0] : p->spare;
    memset(y, 0, sizeof(float) * LS_Q);
    if (!p->running) {
        ls_sfxr_start(&p->st, &p->set, p->ctl_seed);
        p->running = true;
        p->done = false;
        p->step = LS_SFXR_RATE / r->sample_rate;
        p->pos = 0.0;
        if (p->step != 1.0) {
            p->prev = next_native(p);
            p->cur = next_native(p);
        }
    }
    uint32_t i = begin;
    if (p->step == 1.0) {
        size_t got = p->done ? 0 : ls_sfxr_render(&p->st, y + begin, end - begin);
        i = begin + (uint32_t)got;
        if (got < end - begin)
            p->done = true;
    } else {
        /* output frame k lies at native time k * step: between native
         * frames prev (at floor) and cur (at floor + 1) */
        for (; i < end; i++) {
            y[i] = p->prev + (float)p->pos * (p->cur - p->prev);
            p->pos += p->step;
            while (p->pos >= 1.0) {
                p->pos -= 1.0;
                p->prev = p->cur;
                p->cur = next_native(p);
            }
            if (p->done && p->prev == 0.0f && p->cur == 0.0f) {
                i++;
                break;
            }
        }
    }
    if (p->done && i < end) {
        finish(base, r, i);
        return false;
    }
    return !base->sched.ended;
}

static void sfxr_on_message(ls_proc *base, ls_render *r, const ls_msg *m)
{
    (void)r;
    sfxr_proc *p = (sfxr_proc *)base;
    if (m->key == SFXR_MSG_SETTING && m->i0 >= 0 && m->i0 < LS_SFXR_SETTINGS)
        *ls_sfxr_field(&p->set, m->i0) = (float)m->d0;
}

static const ls_proc_vtable sfxr_vtable = {sfxr_process, sfxr_on_message, NULL, NULL};

static bool is_sfxr(const ls_node *n)
{
    return n && n->type == LS_NODE_TYPE_SFXR;
}

static void to_settings(const ls_sfxr_options *o, ls_sfxr_settings *s)
{
    s->wave_type = (float)o->wave_type;
    memcpy(&s->attack, &o->attack, sizeof(float) * (LS_SFXR_SETTINGS - 1));
}

ls_sfxr_options ls_sfxr_options_default(void)
{
    ls_sfxr_options o;
    memset(&o, 0, sizeof o);
    o.node = ls_node_options_default();
    ls_sfxr_settings s;
    ls_sfxr_defaults(&s);
    o.wave_type = LS_SFXR_WAVE_SQUARE;
    memcpy(&o.attack, &s.attack, sizeof(float) * (LS_SFXR_SETTINGS - 1));
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
    return (c * 0x9E3779B97F4A7C15ull) ^ ((uint64_t)ts.tv_nsec << 20) ^ (uint64_t)ts.tv_sec ^
           (uint64_t)(uintptr_t)salt;
}

static int check_value(int i, double v)
{
    if (!isfinite(v))
        return 0;
    if (i == 0)
        return v == floor(v) && v >= 0 && v <= 3;
    return v >= ls_sfxr_setting_min[i] && v <= ls_sfxr_setting_max[i];
}

ls_result ls_sfxr_create(ls_context *ctx, const ls_sfxr_options *options, ls_node **out)
{
    if (!ctx || !out)
        return LS_ERROR_INVALID_ARGUMENT;
    ls_sfxr_options o = options ? *options : ls_sfxr_options_default();
    if ((int)o.wave_type < 0 || o.wave_type > LS_SFXR_WAVE_NOISE)
        return LS_ERROR_INVALID_ARGUMENT;
    ls_sfxr_settings s;
    to_settings(&o, &s);
    for (int i = 1; i < LS_SFXR_SETTINGS; i++)
        if (!check_value(i, *ls_sfxr_field(&s, i)))
            return LS_ERROR_RANGE;
    static const ls_node_options defaults = {1, LS_CHANNEL_COUNT_MODE_MAX,
                                             LS_CHANNEL_INTERPRETATION_SPEAKERS};
    ls_node *node;
    ls_result r = ls__node_create(ctx, LS_NODE_TYPE_SFXR, &sfxr_vtable, sizeof(sfxr_proc), 0, 1,
                                  &defaults, &o.node, &node);
    if (r != LS_OK)
        return r;
    sfxr_proc *p = (sfxr_proc *)node->proc;
    p->ctl = s;
    p->set = s;
    p->ctl_seed = o.has_seed ? o.seed : fresh_seed(node);
    ls__sched_init(node->proc);
    ls__node_publish(node);
    *out = node;
    return LS_OK;
}

int ls_sfxr_setting_count(void)
{
    return LS_SFXR_SETTINGS;
}

const char *ls_sfxr_setting_name(int index)
{
    return index >= 0 && index < LS_SFXR_SETTINGS ? ls_sfxr_setting_names[index] : NULL;
}

ls_result ls_sfxr_setting_range(int index, float *lo, float *hi)
{
    if (index < 0 || index >= LS_SFXR_SETTINGS)
        return LS_ERROR_INVALID_ARGUMENT;
    if (lo)
        *lo = ls_sfxr_setting_min[index];
    if (hi)
        *hi = ls_sfxr_setting_max[index];
    return LS_OK;
}

float ls_sfxr_get(const ls_node *node, int index)
{
    if (!is_sfxr(node) || index < 0 || index >= LS_SFXR_SETTINGS)
        return NAN;
    sfxr_proc *p = (sfxr_proc *)node->proc;
    return *ls_sfxr_field(&p->ctl, index);
}

static void post_setting(ls_node *node, int index, float v)
{
    ls_msg m = {0};
    m.type = LS_MSG_NODE;
    m.key = SFXR_MSG_SETTING;
    m.target.proc = node->proc;
    m.i0 = index;
    m.d0 = v;
    ls__post(node->ctx, &m);
}

ls_result ls_sfxr_set(ls_node *node, int index, float value)
{
    if (!is_sfxr(node) || index < 0 || index >= LS_SFXR_SETTINGS)
        return LS_ERROR_INVALID_ARGUMENT;
    if (!check_value(index, value))
        return index == 0 && isfinite(value) ? LS_ERROR_INVALID_ARGUMENT : LS_ERROR_RANGE;
    ls__lock(node->ctx);
    *ls_sfxr_field(&((sfxr_proc *)node->proc)->ctl, index) = value;
    post_setting(node, index, value);
    ls__unlock(node->ctx);
    return LS_OK;
}

ls_result ls_sfxr_apply_preset(ls_node *node, ls_sfxr_preset preset, uint64_t seed)
{
    if (!is_sfxr(node) || (int)preset < 0 || preset >= LS_SFXR_PRESET_COUNT)
        return LS_ERROR_INVALID_ARGUMENT;
    ls__lock(node->ctx);
    sfxr_proc *p = (sfxr_proc *)node->proc;
    ls_sfxr_settings s = p->ctl;
    ls_sfxr_make_preset(&s, (int)preset, seed);
    for (int i = 0; i < LS_SFXR_SETTINGS; i++) {
        float v = *ls_sfxr_field(&s, i);
        if (v != *ls_sfxr_field(&p->ctl, i))
            post_setting(node, i, v);
    }
    p->ctl = s;
    ls__unlock(node->ctx);
    return LS_OK;
}

uint64_t ls_sfxr_get_seed(const ls_node *node)
{
    return is_sfxr(node) ? ((const sfxr_proc *)node->proc)->ctl_seed : 0;
}

uint64_t ls_sfxr_length_frames(const ls_node *node)
{
    if (!is_sfxr(node))
        return 0;
    return ls_sfxr_envelope_frames(&((const sfxr_proc *)node->proc)->ctl);
}
