/*
 * GranulationNode: a scheduled source playing grains of an AudioBuffer
 * (kernel: src/dsp/granulation.c). Grains start at the first played frame
 * and then every sample_rate / grain_rate frames; each reads its duration,
 * position range and playback rate at its onset frame, draws its position in
 * the range from a seeded splitmix64 and sounds on one of max_voices
 * preallocated voices (a grain due while all sound is dropped and counted).
 * The output has the buffer's channels; each channel is granulated alike.
 */
#include "../engine.h"
#include "../node_types.h"

#include <stddef.h>
#include "../param.h"
#include "../dsp/granulation.h"

#include <float.h>
#include <stdlib.h>
#include <string.h>

#define GRAN_MSG_WINDOW 100       /* i0 = window */
#define GRAN_MSG_INTERP 101       /* i0 = LS_INTERP_* */
#define GRAN_ONSET_EPS 1e-6       /* onsets within this of a whole frame are that frame */
#define GRAN_MAX_FRAMES (1ull << 40)

enum { P_DURATION, P_RATE, P_START, P_END, P_PLAYBACK };

typedef struct gran_voice {
    uint64_t length, done;        /* frames of the grain, frames rendered */
    double pos, step;             /* buffer frames: first position, per output frame */
    uint8_t active;
    uint8_t window;
    uint8_t interp;               /* LS_INTERP_* */
} gran_voice;

typedef struct gran_proc {
    ls_proc base;
    /* set once */
    ls_buffer *buffer;            /* one reference, released by destroy */
    const float *data[LS_MAX_CHANNELS];
    uint32_t channels;
    uint64_t frames;
    double buf_rate, buf_seconds;
    uint64_t seed;
    uint32_t max_voices;
    /* control */
    ls_grain_window ctl_window;
    int ctl_interp;               /* ls_interpolation, never DEFAULT */
    /* shared */
    atomic_uint_fast64_t started, dropped;
    /* render */
    int window;
    int interp;                   /* LS_INTERP_* of grains starting now */
    bool running;
    uint64_t origin;              /* the first played frame */
    double t_next;                /* the next onset, frames after origin */
    uint64_t rng;
    float win[LS_Q];              /* a voice's window over the frames being rendered */
    gran_voice voices[];          /* max_voices */
} gran_proc;

static double next_uniform(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    return (double)(z >> 11) * 0x1.0p-53;
}

static float at(const float *v, bool constant, uint32_t i)
{
    return v[constant ? 0 : i];
}

/* Start the grain due at frame i of this quantum. */
static void launch(gran_proc *p, ls_render *r, uint32_t i, const float *const *pv,
                   const bool *pc)
{
    double u = next_uniform(&p->rng);
    double dur = at(pv[P_DURATION], pc[P_DURATION], i);
    double rate = at(pv[P_PLAYBACK], pc[P_PLAYBACK], i);
    double start = at(pv[P_START], pc[P_START], i);
    double end = at(pv[P_END], pc[P_END], i);
    double len = floor(dur * r->sample_rate + 0.5);
    if (!(len >= 1.0))
        return;
    if (len > (double)GRAN_MAX_FRAMES)
        len = (double)GRAN_MAX_FRAMES;
    start = start < 0 ? 0 : (start > p->buf_seconds ? p->buf_seconds : start);
    end = end < start ? start : (end > p->buf_seconds ? p->buf_seconds : end);
    double room = end - start - dur * rate;
    double pos = start + u * (room > 0 ? room : 0.0);
    gran_voice *v = NULL;
    for (uint32_t k = 0; k < p->max_voices; k++)
        if (!p->voices[k].active) {
            v = &p->voices[k];
            break;
        }
    if (!v) {
        atomic_fetch_add_explicit(&p->dropped, 1, memory_order_relaxed);
        return;
    }
    v->active = 1;
    v->window = (uint8_t)p->window;
    v->interp = (uint8_t)p->interp;
    v->length = (uint64_t)len;
    v->done = 0;
    v->pos = pos * p->buf_rate;
    v->step = rate * p->buf_rate / r->sample_rate;
    atomic_fetch_add_explicit(&p->started, 1, memory_order_relaxed);
}

/* Frames [from, to) of this quantum of every sounding grain. */
static void render_voices(gran_proc *p, ls_bus *out, uint32_t from, uint32_t to)
{
    if (from >= to)
        return;
    for (uint32_t k = 0; k < p->max_voices; k++) {
        gran_voice *v = &p->voices[k];
        if (!v->active)
            continue;
        uint64_t n = v->length - v->done;
        if (n > to - from)
            n = to - from;
        if (out) {
            ls_grain_window_fill(p->win, v->window, v->length, v->done, (uint32_t)n);
            for (uint32_t c = 0; c < p->channels; c++)
                ls_grain_add_interp(out->ch[c] + from, p->win, (uint32_t)n, v->done,
                                    p->data[c], p->frames, v->pos, v->step, v->interp);
        }
        v->done += n;
        if (v->done >= v->length)
            v->active = 0;
    }
}

static bool gran_process(ls_proc *base, ls_render *r)
{
    gran_proc *p = (gran_proc *)base;
    uint32_t begin, end;
    double off;
    if (!ls__sched_range(base, &base->sched, r, &begin, &end, &off)) {
        ls__bus_silence(r, &base->outputs[0], p->channels);
        return !base->sched.ended && !(base->released && !base->sched.started);
    }
    const float *pv[5];
    bool pc[5];
    for (int k = 0; k < 5; k++)
        pv[k] = ls__param_process(base->params[k], r, &pc[k]);
    bool have = ls__bus_alloc(r, &base->outputs[0], p->channels);
    if (have)
        ls__bus_zero(&base->outputs[0]);
    if (!p->running) {
        p->running = true;
        p->origin = r->frame + begin;
        p->t_next = 0.0;
    }
    /* grains due in [begin, end): the voices render up to each onset, so a
     * voice whose grain ended before it is free for it */
    const double first = (double)r->frame - (double)p->origin;  /* frame 0 of the quantum */
    uint32_t cursor = begin;
    for (;;) {
        double onset = ceil(p->t_next - GRAN_ONSET_EPS) - first;
        if (onset >= (double)end)
            break;
        uint32_t i = onset < (double)cursor ? cursor : (uint32_t)onset;
        double rate = at(pv[P_RATE], pc[P_RATE], i);
        if (!(rate > 0.0)) {
            /* no grains while the rate is 0: the next is due next quantum */
            p->t_next = first + (double)LS_Q;
            break;
        }
        render_voices(p, have ? &base->outputs[0] : NULL, cursor, i);
        cursor = i;
        launch(p, r, i, pv, pc);
        /* at most one grain per frame: a rate above the sample rate is the sample rate */
        double period = r->sample_rate / rate;
        p->t_next += period < 1.0 ? 1.0 : period;
    }
    render_voices(p, have ? &base->outputs[0] : NULL, cursor, end);
    return !base->sched.ended;
}

static void gran_on_message(ls_proc *base, ls_render *r, const ls_msg *m)
{
    (void)r;
    if (m->key == GRAN_MSG_WINDOW)
        ((gran_proc *)base)->window = m->i0;
    else if (m->key == GRAN_MSG_INTERP)
        ((gran_proc *)base)->interp = m->i0;
}

static void gran_destroy(ls_proc *base)
{
    gran_proc *p = (gran_proc *)base;
    ls_buffer_release(p->buffer);
    p->buffer = NULL;
}

static const ls_proc_vtable gran_vtable = {gran_process, gran_on_message, gran_destroy, NULL};

static gran_proc *as_gran(const ls_node *n)
{
    return n && n->type == LS_NODE_TYPE_GRANULATION ? (gran_proc *)n->proc : NULL;
}

LS__OPTIONS_DEFAULT(granulation)

ls_result ls_granulation_create(ls_context *ctx, const ls_granulation_options *options,
                                ls_node **out)
{
    if (!ctx || !out)
        return LS_ERROR_INVALID_ARGUMENT;
    ls_granulation_options o = options ? *options : ls_granulation_options_default();
    if (!o.buffer || ls_buffer_length(o.buffer) == 0)
        return LS_ERROR_INVALID_ARGUMENT;
    if ((int)o.window < 0 || (int)o.window >= LS_GRAIN_WINDOW_COUNT)
        return LS_ERROR_INVALID_ARGUMENT;
    if (!isfinite(o.grain_duration) || !(o.grain_duration > 0.0f) || !isfinite(o.grain_rate) ||
        o.grain_rate < 0.0f || !isfinite(o.position_start) || o.position_start < 0.0f ||
        !isfinite(o.position_end) || !isfinite(o.playback_rate) || o.playback_rate < 0.0f)
        return LS_ERROR_RANGE;
    if (o.max_voices < 1 || o.max_voices > LS_GRANULATION_MAX_VOICES)
        return LS_ERROR_NOT_SUPPORTED;
    ls_result ierr;
    int interp = ls__interpolation_resolve(ctx, (int)o.interpolation, &ierr);
    if (ierr != LS_OK)
        return ierr;
    uint32_t channels = ls_buffer_number_of_channels(o.buffer);
    ls_node_options defaults = {(int32_t)channels, LS_CHANNEL_COUNT_MODE_MAX,
                                LS_CHANNEL_INTERPRETATION_SPEAKERS};
    ls_node_options user = defaults;
    ls_node *node;
    ls_result res = ls__node_create(ctx, LS_NODE_TYPE_GRANULATION, &gran_vtable,
                                    sizeof(gran_proc) + sizeof(gran_voice) * o.max_voices, 0, 1,
                                    &defaults, &user, &node);
    if (res != LS_OK)
        return res;
    gran_proc *p = (gran_proc *)node->proc;
    double seconds = (double)ls_buffer_length(o.buffer) / ls_buffer_sample_rate(o.buffer);
    float pos_end = o.position_end < 0.0f ? (float)seconds : o.position_end;
    /* position_end: below 0 the buffer's end, which is also its default */
    if (ls__params_create(node, &ls__granulation_type, &o) != LS_OK) {
        ls__node_free_unpublished(node);
        return LS_ERROR_NO_MEM;
    }
    ls_param *end = node->proc->params[3];
    end->default_value = (float)seconds;
    atomic_store(&end->value_bits, ls__float_bits(pos_end));
    end->r.intrinsic = pos_end;
    ls_buffer_retain(o.buffer);
    p->buffer = o.buffer;
    p->channels = channels;
    p->frames = ls_buffer_length(o.buffer);
    p->buf_rate = ls_buffer_sample_rate(o.buffer);
    p->buf_seconds = seconds;
    for (uint32_t c = 0; c < channels; c++)
        p->data[c] = ls_buffer_channel_data(o.buffer, c);
    p->seed = o.seed;
    p->rng = o.seed;
    p->max_voices = o.max_voices;
    p->ctl_window = o.window;
    p->window = (int)o.window;
    p->ctl_interp = p->interp = interp;
    atomic_init(&p->started, 0);
    atomic_init(&p->dropped, 0);
    memset(p->voices, 0, sizeof(gran_voice) * o.max_voices);
    ls__sched_init(node->proc);
    ls__node_publish(node);
    *out = node;
    return LS_OK;
}

ls_result ls_granulation_set_window(ls_node *node, ls_grain_window window)
{
    gran_proc *p = as_gran(node);
    if (!p || (int)window < 0 || (int)window >= LS_GRAIN_WINDOW_COUNT)
        return LS_ERROR_INVALID_ARGUMENT;
    ls__lock(node->ctx);
    p->ctl_window = window;
    ls__post_node(node, GRAN_MSG_WINDOW, 0, (int32_t)window, NULL);
    ls__unlock(node->ctx);
    return LS_OK;
}

ls_grain_window ls_granulation_get_window(const ls_node *node)
{
    gran_proc *p = as_gran(node);
    return p ? p->ctl_window : LS_GRAIN_WINDOW_HANN;
}

uint64_t ls_granulation_get_seed(const ls_node *node)
{
    gran_proc *p = as_gran(node);
    return p ? p->seed : 0;
}

uint32_t ls_granulation_max_voices(const ls_node *node)
{
    gran_proc *p = as_gran(node);
    return p ? p->max_voices : 0;
}

ls_buffer *ls_granulation_buffer(const ls_node *node)
{
    gran_proc *p = as_gran(node);
    return p ? p->buffer : NULL;
}

uint64_t ls_granulation_grains_started(const ls_node *node)
{
    gran_proc *p = as_gran(node);
    return p ? atomic_load(&p->started) : 0;
}

uint64_t ls_granulation_grains_dropped(const ls_node *node)
{
    gran_proc *p = as_gran(node);
    return p ? atomic_load(&p->dropped) : 0;
}

ls_result ls_granulation_set_interpolation(ls_node *node, ls_interpolation mode)
{
    gran_proc *p = as_gran(node);
    if (!p)
        return LS_ERROR_INVALID_ARGUMENT;
    ls_result err;
    int m = ls__interpolation_resolve(node->ctx, (int)mode, &err);
    if (err != LS_OK)
        return err;
    ls__lock(node->ctx);
    p->ctl_interp = m;
    ls__post_node(node, GRAN_MSG_INTERP, 0, m, NULL);
    ls__unlock(node->ctx);
    return LS_OK;
}

ls_interpolation ls_granulation_interpolation(const ls_node *node)
{
    gran_proc *p = as_gran(node);
    return p ? (ls_interpolation)p->ctl_interp : LS_INTERPOLATION_DEFAULT;
}

LS__CREATE_FN(granulation)

static ls_result get_window(const ls_node *node, ls_value *out)
{
    if (!node || node->type != LS_NODE_TYPE_GRANULATION)
        return LS_ERROR_INVALID_ARGUMENT;
    out->i = ls_granulation_get_window(node);
    return LS_OK;
}

static ls_result set_window(ls_node *node, const ls_value *v)
{
    return ls_granulation_set_window(node, (ls_grain_window)v->i);
}

static ls_result get_seed(const ls_node *node, ls_value *out)
{
    if (!node || node->type != LS_NODE_TYPE_GRANULATION)
        return LS_ERROR_INVALID_ARGUMENT;
    out->i = (int64_t)ls_granulation_get_seed(node);
    return LS_OK;
}

static ls_result get_max_voices(const ls_node *node, ls_value *out)
{
    if (!node || node->type != LS_NODE_TYPE_GRANULATION)
        return LS_ERROR_INVALID_ARGUMENT;
    out->i = ls_granulation_max_voices(node);
    return LS_OK;
}

static ls_result get_buffer(const ls_node *node, ls_value *out)
{
    if (!node || node->type != LS_NODE_TYPE_GRANULATION)
        return LS_ERROR_INVALID_ARGUMENT;
    out->p = ls_granulation_buffer(node);
    return LS_OK;
}

static const char *const window_names[] = {"hann", "triangle", "gaussian", "tukey", "blackman",
                                           "rectangle", "hamming", NULL};

static const ls_param_descriptor granulation_params[] = {
    {"grain_duration", 0.1f, 0.0f, FLT_MAX, LS_AUTOMATION_RATE_K_RATE, 0, "s",
     "length of each grain"},
    {"grain_rate", 20.0f, 0.0f, FLT_MAX, LS_AUTOMATION_RATE_K_RATE, 0, "Hz",
     "grains started per second"},
    {"position_start", 0.0f, 0.0f, FLT_MAX, LS_AUTOMATION_RATE_K_RATE, 0, "s",
     "start of the region of the buffer grains are taken from"},
    {"position_end", -1.0f, 0.0f, FLT_MAX, LS_AUTOMATION_RATE_K_RATE,
     LS_PARAM_DEFAULT_FROM_OPTIONS, "s",
     "end of that region (by default the buffer's end)"},
    {"playback_rate", 1.0f, 0.0f, FLT_MAX, LS_AUTOMATION_RATE_K_RATE, 0, "",
     "source seconds read per output second within a grain"},
};

/* interpolation: "default" is the context's (as an option, and set on a
 * node); a node reads back the mode it uses, never "default" */
static const char *const interpolation_names[] = {"default", "linear", "cubic", "sinc", NULL};

static ls_result get_interpolation(const ls_node *node, ls_value *out)
{
    if (!node || node->type != LS_NODE_TYPE_GRANULATION)
        return LS_ERROR_INVALID_ARGUMENT;
    out->i = (int64_t)ls_granulation_interpolation(node) - LS_INTERPOLATION_DEFAULT;
    return LS_OK;
}

static ls_result set_interpolation(ls_node *node, const ls_value *v)
{
    return ls_granulation_set_interpolation(node, (ls_interpolation)(v->i + LS_INTERPOLATION_DEFAULT));
}

static const ls_option_descriptor granulation_options[] = {
    {"buffer", LS_VALUE_BUFFER, offsetof(ls_granulation_options, buffer), 0, 0, NULL, NULL,
     LS_OPTION_REQUIRED, "the audio grains are taken from (at least one frame)"},
    {"grain_duration", LS_VALUE_FLOAT, offsetof(ls_granulation_options, grain_duration), 0, 0,
     NULL, "grain_duration", LS_OPTION_ABOVE_MIN, "initial value of the grain_duration param"},
    LS__PARAM_OPTION(ls_granulation_options, grain_rate, "grain_rate"),
    LS__PARAM_OPTION(ls_granulation_options, position_start, "position_start"),
    {"position_end", LS_VALUE_FLOAT, offsetof(ls_granulation_options, position_end), 0, -1.0,
     NULL, "position_end", 0, "initial value of the position_end param; below 0: the buffer's end"},
    LS__PARAM_OPTION(ls_granulation_options, playback_rate, "playback_rate"),
    {"window", LS_VALUE_ENUM, offsetof(ls_granulation_options, window), 0, LS_GRAIN_WINDOW_HANN,
     window_names, NULL, 0, "the grains' envelope"},
    {"seed", LS_VALUE_UINT64, offsetof(ls_granulation_options, seed), 0, 0, NULL, NULL, 0,
     "seed of the generator that places the grains"},
    {"max_voices", LS_VALUE_UINT, offsetof(ls_granulation_options, max_voices), 0, 8, NULL, NULL,
     0, "grains sounding at once, 1 to 256", 1, LS_GRANULATION_MAX_VOICES},
    {"interpolation", LS_VALUE_ENUM, offsetof(ls_granulation_options, interpolation), 0,
     LS_INTERPOLATION_DEFAULT,
     interpolation_names, NULL, 0,
     "how the buffer is read between its frames: default (the context's), linear, cubic or sinc"},
};

static const ls_setting_descriptor granulation_settings[] = {
    {"window", LS_VALUE_ENUM, window_names, "window", get_window, set_window,
     "the grains' envelope"},
    {"seed", LS_VALUE_UINT64, NULL, "seed", get_seed, NULL, "the generator's seed (read-only)"},
    {"max_voices", LS_VALUE_UINT, NULL, "max_voices", get_max_voices, NULL,
     "grains sounding at once (read-only)"},
    {"buffer", LS_VALUE_BUFFER, NULL, "buffer", get_buffer, NULL,
     "the audio grains are taken from (read-only)"},
    {"interpolation", LS_VALUE_ENUM, interpolation_names, NULL, get_interpolation,
     set_interpolation, "how the buffer is read between its frames (the context's when made with default)"},
};

const ls_node_descriptor ls__granulation_type = {
    .name = "Granulation", .key = "granulation", .type = LS_NODE_TYPE_GRANULATION,
    .doc = "granular synthesis: overlapping windowed grains read from a buffer",
    .number_of_inputs = 0, .number_of_outputs = 1,
    .flags = LS_NODE_TYPE_SCHEDULED_SOURCE | LS_NODE_TYPE_FIXED_CHANNELS,
    .channel_defaults = LS__CHANNELS_DEFAULT,
    .params = granulation_params, .param_count = LS__COUNT(granulation_params),
    .options = granulation_options, .option_count = LS__COUNT(granulation_options),
    .settings = granulation_settings, .setting_count = LS__COUNT(granulation_settings),
    .options_size = sizeof(ls_granulation_options),
    .options_init = granulation_options_init, .create = granulation_create_any,
};
