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
#include "../node_types.h"

#include <float.h>
#include <stddef.h>
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

extern const ls_node_descriptor ls__sfxr_type;

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
    const ls_node_descriptor *desc = &ls__sfxr_type;
    ls_node *node;
    ls_result r = ls__node_create(ctx, LS_NODE_TYPE_SFXR, &sfxr_vtable, sizeof(sfxr_proc), 0, 1,
                                  &desc->channel_defaults, &o.node, &node);
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

/* ------------------------------------------------------------------ */
/* Descriptor                                                          */
/* ------------------------------------------------------------------ */

static void sfxr_options_init(void *o)
{
    *(ls_sfxr_options *)o = ls_sfxr_options_default();
}

static ls_result sfxr_create_any(ls_context *ctx, const void *o, ls_node **out)
{
    return ls_sfxr_create(ctx, (const ls_sfxr_options *)o, out);
}

static ls_result get_wave_type(const ls_node *node, ls_value *out)
{
    if (!is_sfxr(node))
        return LS_ERROR_INVALID_ARGUMENT;
    out->i = (int64_t)ls_sfxr_get(node, 0);
    return LS_OK;
}

static ls_result set_wave_type(ls_node *node, const ls_value *v)
{
    return ls_sfxr_set(node, 0, (float)v->i);
}

static ls_result get_seed(const ls_node *node, ls_value *out)
{
    if (!is_sfxr(node))
        return LS_ERROR_INVALID_ARGUMENT;
    out->i = (int64_t)ls_sfxr_get_seed(node);
    return LS_OK;
}

/* a getter and a setter per slider, by its index in ls_sfxr_setting_names */
#define SFXR_SLIDER(i, name)                                                         \
    static ls_result get_##name(const ls_node *node, ls_value *out)                  \
    {                                                                                \
        if (!is_sfxr(node))                                                          \
            return LS_ERROR_INVALID_ARGUMENT;                                        \
        out->f = ls_sfxr_get(node, i);                                               \
        return LS_OK;                                                                \
    }                                                                                \
    static ls_result set_##name(ls_node *node, const ls_value *v)                    \
    {                                                                                \
        if (!(fabs(v->f) <= FLT_MAX))                                                \
            return LS_ERROR_RANGE;                                                   \
        return ls_sfxr_set(node, i, (float)v->f);                                    \
    }
#define SFXR_SLIDERS(X)                                                                      \
    X(1, attack, 0.0, "envelope attack") X(2, sustain, 0.3, "envelope sustain")              \
    X(3, sustain_punch, 0.0, "sustain punch") X(4, decay, 0.4, "envelope decay")             \
    X(5, start_frequency, 0.3, "start frequency") X(6, min_frequency, 0.0, "frequency cutoff") \
    X(7, slide, 0.0, "frequency slide") X(8, delta_slide, 0.0, "slide change")               \
    X(9, vibrato_depth, 0.0, "vibrato depth") X(10, vibrato_speed, 0.0, "vibrato speed")     \
    X(11, change_amount, 0.0, "pitch change amount") X(12, change_speed, 0.0, "pitch change speed") \
    X(13, square_duty, 0.0, "square duty") X(14, duty_sweep, 0.0, "duty sweep")              \
    X(15, repeat_speed, 0.0, "repeat speed") X(16, phaser_offset, 0.0, "phaser offset")      \
    X(17, phaser_sweep, 0.0, "phaser sweep") X(18, lpf_cutoff, 1.0, "low-pass cutoff")       \
    X(19, lpf_cutoff_sweep, 0.0, "low-pass cutoff sweep")                                    \
    X(20, lpf_resonance, 0.0, "low-pass resonance") X(21, hpf_cutoff, 0.0, "high-pass cutoff") \
    X(22, hpf_cutoff_sweep, 0.0, "high-pass cutoff sweep") X(23, volume, 0.5, "volume")

#define SFXR_DEFINE(i, name, def, doc) SFXR_SLIDER(i, name)
SFXR_SLIDERS(SFXR_DEFINE)

static const char *const wave_names[] = {"square", "sawtooth", "sine", "noise", NULL};

/* slider defaults and ranges: the kernel's (ls_sfxr_defaults,
 * ls_sfxr_setting_min / _max); tests/c/test_descriptors.c checks they agree */
#define SFXR_MIN_attack 0.0
#define SFXR_MIN_sustain 0.0
#define SFXR_MIN_sustain_punch 0.0
#define SFXR_MIN_decay 0.0
#define SFXR_MIN_start_frequency 0.0
#define SFXR_MIN_min_frequency 0.0
#define SFXR_MIN_slide -1.0
#define SFXR_MIN_delta_slide -1.0
#define SFXR_MIN_vibrato_depth 0.0
#define SFXR_MIN_vibrato_speed 0.0
#define SFXR_MIN_change_amount -1.0
#define SFXR_MIN_change_speed 0.0
#define SFXR_MIN_square_duty 0.0
#define SFXR_MIN_duty_sweep -1.0
#define SFXR_MIN_repeat_speed 0.0
#define SFXR_MIN_phaser_offset -1.0
#define SFXR_MIN_phaser_sweep -1.0
#define SFXR_MIN_lpf_cutoff 0.0
#define SFXR_MIN_lpf_cutoff_sweep -1.0
#define SFXR_MIN_lpf_resonance 0.0
#define SFXR_MIN_hpf_cutoff 0.0
#define SFXR_MIN_hpf_cutoff_sweep -1.0
#define SFXR_MIN_volume 0.0
#define SFXR_OPTION(i, name, def, doc)                                               \
    {#name, LS_VALUE_FLOAT, offsetof(ls_sfxr_options, name), 0, def, NULL, NULL, 0,  \
     "sfxr's " doc " slider", SFXR_MIN_##name, 1.0},
static const ls_option_descriptor sfxr_options[] = {
    {"wave_type", LS_VALUE_ENUM, offsetof(ls_sfxr_options, wave_type), 0, LS_SFXR_WAVE_SQUARE,
     wave_names, NULL, 0, "the oscillator's waveform"},
    SFXR_SLIDERS(SFXR_OPTION)
    {"seed", LS_VALUE_UINT64, offsetof(ls_sfxr_options, seed), offsetof(ls_sfxr_options, has_seed),
     0, NULL, NULL, LS_OPTION_OPTIONAL, "the noise generator's seed (none: the engine picks one)"},
};

#define SFXR_SETTING(i, name, def, doc)                                              \
    {#name, LS_VALUE_FLOAT, NULL, #name, get_##name, set_##name,                     \
     "sfxr's " doc " slider, read when the sound starts"},
static const ls_setting_descriptor sfxr_settings[] = {
    {"wave_type", LS_VALUE_ENUM, wave_names, "wave_type", get_wave_type, set_wave_type,
     "the oscillator's waveform"},
    SFXR_SLIDERS(SFXR_SETTING)
    {"seed", LS_VALUE_UINT64, NULL, NULL, get_seed, NULL, "the noise generator's seed"},
};

const ls_node_descriptor ls__sfxr_type = {
    .name = "Sfxr", .key = "sfxr", .type = LS_NODE_TYPE_SFXR,
    .doc = "sfxr's retro sound effects synthesizer, set by its sliders or a preset",
    .number_of_inputs = 0, .number_of_outputs = 1, .flags = LS_NODE_TYPE_SCHEDULED_SOURCE,
    .channel_defaults = {1, LS_CHANNEL_COUNT_MODE_MAX, LS_CHANNEL_INTERPRETATION_SPEAKERS},
    .options = sfxr_options, .option_count = LS__COUNT(sfxr_options),
    .settings = sfxr_settings, .setting_count = LS__COUNT(sfxr_settings),
    .options_size = sizeof(ls_sfxr_options),
    .options_init = sfxr_options_init, .create = sfxr_create_any,
};
