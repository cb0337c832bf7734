/*
 * SampledAudioNode: LabSound's sampler. One buffer, any number of schedules,
 * each a voice that plays the buffer (a region of it, looped loop_count
 * times) from its own start time; voices overlap and are summed.
 *
 * Control half: the buffer (replaceable), schedule(when, loop_count, offset,
 * duration) as three messages posted together under the lock (ARGS,
 * DURATION, SCHEDULE), stop(when), clear_schedules().
 *
 * Render half: LS_SAMPLED_AUDIO_MAX_VOICES voices kept in the processor, so
 * nothing is allocated on the render thread. A schedule that finds every
 * voice taken replaces the one that started first. A voice's first frame is
 * ceil(when * rate) (a time already past when the message arrives starts at
 * once); its playhead starts at offset plus the sub-frame part of the start
 * time times the step, as AudioBufferSourceNode's does, and advances
 * playback_rate * 2^(detune / 1200) * buffer rate / context rate buffer
 * frames per frame (the kernel in src/dsp/sampler.c), read between frames
 * with the node's interpolation. When the last voice
 * ends, an ended notice goes back to the control side, which queues an
 * LS_EVENT_ENDED event (one notice in flight at a time: ends that fall
 * together make one event).
 */
#include "../engine.h"
#include "../node_types.h"

#include <stddef.h>
#include "../param.h"
#include "../dsp/sampler.h"
#include "labsound/extended.h"

#include <float.h>
#include <stdlib.h>
#include <string.h>

#define SA_MSG_BUFFER 100        /* ptr = sa_box* */
#define SA_MSG_ARGS 101          /* d0 = offset seconds, i0 = loop_count */
#define SA_MSG_DURATION 102      /* d0 = duration seconds (< 0: to the end) */
#define SA_MSG_SCHEDULE 103      /* d0 = when */
#define SA_MSG_STOP 104          /* d0 = when */
#define SA_MSG_CLEAR 105
#define SA_MSG_INTERP 106        /* i0 = LS_INTERP_* */

typedef struct sa_box {
    ls_returnable ret;
    ls_buffer *buffer;           /* one reference */
} sa_box;

typedef struct sa_voice {
    uint8_t used, started;
    double when;                 /* seconds */
    uint64_t start_frame;
    uint64_t stop_frame;         /* UINT64_MAX: none */
    double offset, duration;     /* seconds; duration < 0: to the end */
    int32_t loop_count;
    uint64_t seq;                /* schedule order */
    ls_sampler_voice v;
} sa_voice;

typedef struct sa_proc {
    ls_proc base;
    /* control */
    ls_buffer *ctl_buffer;       /* one reference */
    uint64_t ctl_schedules;
    int ctl_interp;              /* ls_interpolation, never DEFAULT */
    /* shared: an ended notice is on its way */
    atomic_int notice_busy;
    ls_returnable notice;
    double notice_time;          /* render writes before giving the notice back */
    /* render */
    sa_box *box;
    const float *data[LS_MAX_CHANNELS];
    uint32_t channels;
    int64_t frames;
    double rate;
    double next_offset, next_duration;
    int32_t next_loop;
    int interp;                  /* LS_INTERP_* */
    uint64_t seq;
    uint32_t active;             /* voices in use */
    sa_voice voices[LS_SAMPLED_AUDIO_MAX_VOICES];
} sa_proc;

static void box_dispose(ls_context *ctx, ls_returnable *item)
{
    (void)ctx;
    sa_box *box = (sa_box *)item;
    ls_buffer_release(box->buffer);
    free(box);
}

/* control, under lock: the last voice ended */
static void notice_dispose(ls_context *ctx, ls_returnable *item)
{
    sa_proc *p = (sa_proc *)((char *)item - offsetof(sa_proc, notice));
    double t = p->notice_time;
    atomic_store(&p->notice_busy, 0);
    ls__queue_event(ctx, LS_EVENT_ENDED, p->base.node, t);
}

/* ------------------------------------------------------------------ */
/* Render half                                                         */
/* ------------------------------------------------------------------ */

static inline double snap(double f)
{
    double r = floor(f + 0.5);
    return fabs(f - r) < 1e-6 ? r : f;
}

static void voice_end(sa_proc *p, sa_voice *v, ls_render *r, uint32_t frame)
{
    v->used = 0;
    p->active--;
    if (p->active == 0 && !atomic_load(&p->notice_busy)) {
        atomic_store(&p->notice_busy, 1);
        p->notice_time = (double)(r->frame + frame) / r->sample_rate;
        ls__give_back(r->ctx, &p->notice);
    }
}

/* the region of voice v in buffer frames, and its first playhead */
static void voice_begin(sa_proc *p, sa_voice *v, double start_offset, double step)
{
    double n = (double)p->frames;
    double off = snap(v->offset * p->rate);
    if (off > n)
        off = n;
    double end = v->duration < 0 ? n : off + snap(v->duration * p->rate);
    if (end > n)
        end = n;
    v->v.region_start = off;
    v->v.region_end = end;
    v->v.loops_left = v->loop_count;
    v->v.pos = off + start_offset * step;
    v->started = 1;
}

static bool sa_process(ls_proc *base, ls_render *r)
{
    sa_proc *p = (sa_proc *)base;
    ls_bus *out = &base->outputs[0];
    bool c1, c2;
    const float *pr = ls__param_process(base->params[0], r, &c1);
    const float *dt = ls__param_process(base->params[1], r, &c2);
    const uint32_t nch = p->box ? p->channels : 1;
    if (!p->active) {
        ls__bus_silence(r, out, nch);
        return false;
    }
    if (!p->box) {
        /* no buffer: every voice ends */
        for (int k = 0; k < LS_SAMPLED_AUDIO_MAX_VOICES; k++)
            if (p->voices[k].used)
                voice_end(p, &p->voices[k], r, 0);
        ls__bus_silence(r, out, 1);
        return false;
    }
    double rate = (double)pr[0];
    if (dt[0] != 0.0f)
        rate *= exp2((double)dt[0] / 1200.0);
    if (!(rate >= 0.0) || !isfinite(rate))
        rate = 0.0;
    const double step = rate * p->rate / r->sample_rate;
    const uint64_t q0 = r->frame, q1 = r->frame + LS_Q;
    bool have = false;
    for (int k = 0; k < LS_SAMPLED_AUDIO_MAX_VOICES; k++) {
        sa_voice *v = &p->voices[k];
        if (!v->used || v->start_frame >= q1)
            continue;
        uint32_t begin = v->start_frame > q0 ? (uint32_t)(v->start_frame - q0) : 0;
        uint32_t end = LS_Q;
        if (v->stop_frame < q1)
            end = v->stop_frame > q0 ? (uint32_t)(v->stop_frame - q0) : 0;
        if (!v->started) {
            double exact = snap(v->when * r->sample_rate);
            double so = exact > (double)q0 - 1.0 ? (double)(q0 + begin) - exact : 0.0;
            voice_begin(p, v, so < 0 ? 0 : so, step);
        }
        if (end > begin) {
            if (!have) {
                if (!ls__bus_alloc(r, out, p->channels))
                    return true;
                ls__bus_zero(out);
                have = true;
            }
            uint32_t at = ls_sampler_voice_add(&v->v, p->data, p->channels, p->frames, step,
                                               p->interp, out->ch, begin, end);
            if (at < end) {
                voice_end(p, v, r, at);
                continue;
            }
        }
        if (v->stop_frame <= q1 && end < LS_Q)
            voice_end(p, v, r, end);
    }
    if (!have)
        ls__bus_silence(r, out, p->channels);
    return p->active > 0;
}

static void schedule(sa_proc *p, ls_render *r, double when)
{
    sa_voice *v = NULL;
    for (int k = 0; k < LS_SAMPLED_AUDIO_MAX_VOICES && !v; k++)
        if (!p->voices[k].used)
            v = &p->voices[k];
    if (!v) {
        /* every voice taken: replace the one that started first */
        v = &p->voices[0];
        for (int k = 1; k < LS_SAMPLED_AUDIO_MAX_VOICES; k++) {
            sa_voice *w = &p->voices[k];
            if (w->start_frame < v->start_frame ||
                (w->start_frame == v->start_frame && w->seq < v->seq))
                v = w;
        }
        p->active--;
    }
    memset(v, 0, sizeof *v);
    v->used = 1;
    v->when = when;
    double f = ceil(snap(when * r->sample_rate));
    v->start_frame = f <= (double)r->frame ? r->frame : (f >= 1.8e19 ? UINT64_MAX : (uint64_t)f);
    v->stop_frame = UINT64_MAX;
    v->offset = p->next_offset;
    v->duration = p->next_duration;
    v->loop_count = p->next_loop;
    v->seq = p->seq++;
    p->active++;
}

static void set_box(sa_proc *p, ls_render *r, sa_box *box)
{
    sa_box *old = p->box;
    p->box = box;
    if (box) {
        ls_buffer *b = box->buffer;
        p->channels = ls_buffer_number_of_channels(b);
        p->frames = (int64_t)ls_buffer_length(b);
        p->rate = ls_buffer_sample_rate(b);
        for (uint32_t c = 0; c < p->channels; c++)
            p->data[c] = ls_buffer_channel_data(b, c);
    } else {
        p->channels = 1;
        p->frames = 0;
    }
    /* voices playing the old buffer stop; those not started play the new one */
    for (int k = 0; k < LS_SAMPLED_AUDIO_MAX_VOICES; k++)
        if (p->voices[k].used && p->voices[k].started)
            voice_end(p, &p->voices[k], r, 0);
    if (old)
        ls__give_back(r->ctx, &old->ret);
}

static void sa_on_message(ls_proc *base, ls_render *r, const ls_msg *m)
{
    sa_proc *p = (sa_proc *)base;
    switch (m->key) {
    case SA_MSG_BUFFER: set_box(p, r, m->ptr); break;
    case SA_MSG_ARGS:
        p->next_offset = m->d0;
        p->next_loop = m->i0;
        break;
    case SA_MSG_DURATION: p->next_duration = m->d0; break;
    case SA_MSG_INTERP: p->interp = m->i0; break;
    case SA_MSG_SCHEDULE: schedule(p, r, m->d0); break;
    case SA_MSG_STOP: {
        double f = ceil(snap(m->d0 * r->sample_rate));
        uint64_t s = f <= (double)r->frame ? r->frame : (f >= 1.8e19 ? UINT64_MAX : (uint64_t)f);
        for (int k = 0; k < LS_SAMPLED_AUDIO_MAX_VOICES; k++) {
            sa_voice *v = &p->voices[k];
            if (v->used && s < v->stop_frame)
                v->stop_frame = s;
        }
        break;
    }
    case SA_MSG_CLEAR:
        for (int k = 0; k < LS_SAMPLED_AUDIO_MAX_VOICES; k++)
            if (p->voices[k].used && !p->voices[k].started)
                voice_end(p, &p->voices[k], r, 0);
        break;
    default: break;
    }
}

static void sa_destroy(ls_proc *base)
{
    sa_proc *p = (sa_proc *)base;
    if (p->box)
        box_dispose(NULL, &p->box->ret);
    p->box = NULL;
    ls_buffer_release(p->ctl_buffer);
    p->ctl_buffer = NULL;
}

static const ls_proc_vtable sa_vtable = {sa_process, sa_on_message, sa_destroy, NULL};

/* ------------------------------------------------------------------ */
/* Control half                                                        */
/* ------------------------------------------------------------------ */

static sa_proc *as_sa(const ls_node *n)
{
    return n && n->type == LS_NODE_TYPE_SAMPLED_AUDIO ? (sa_proc *)n->proc : NULL;
}

LS__OPTIONS_DEFAULT(sampled_audio)

static sa_box *make_box(ls_buffer *b)
{
    sa_box *box = malloc(sizeof *box);
    if (!box)
        return NULL;
    box->ret.next = NULL;
    box->ret.dispose = box_dispose;
    ls_buffer_retain(b);
    box->buffer = b;
    return box;
}

ls_result ls_sampled_audio_create(ls_context *ctx, const ls_sampled_audio_options *options,
                                  ls_node **out)
{
    if (!ctx || !out)
        return LS_ERROR_INVALID_ARGUMENT;
    ls_sampled_audio_options o = options ? *options : ls_sampled_audio_options_default();
    if (ls__check_param_options(&ls__sampled_audio_type, &o) != LS_OK)
        return LS_ERROR_RANGE;
    ls_result ierr;
    int interp = ls__interpolation_resolve(ctx, (int)o.interpolation, &ierr);
    if (ierr != LS_OK)
        return ierr;
    sa_box *box = NULL;
    if (o.buffer && !(box = make_box(o.buffer)))
        return LS_ERROR_NO_MEM;
    const ls_node_descriptor *desc = &ls__sampled_audio_type;
    ls_node *node;
    ls_result res = ls__node_create(ctx, LS_NODE_TYPE_SAMPLED_AUDIO, &sa_vtable,
                                    sizeof(sa_proc), 0, 1, &desc->channel_defaults, &o.node, &node);
    if (res != LS_OK) {
        if (box)
            box_dispose(NULL, &box->ret);
        return res;
    }
    sa_proc *p = (sa_proc *)node->proc;
    p->notice.dispose = notice_dispose;
    atomic_init(&p->notice_busy, 0);
    p->channels = 1;
    p->next_duration = -1;
    p->ctl_interp = p->interp = interp;
    if (box) {
        ls_buffer_retain(o.buffer);
        p->ctl_buffer = o.buffer;
        p->box = box;
        p->channels = ls_buffer_number_of_channels(o.buffer);
        p->frames = (int64_t)ls_buffer_length(o.buffer);
        p->rate = ls_buffer_sample_rate(o.buffer);
        for (uint32_t c = 0; c < p->channels; c++)
            p->data[c] = ls_buffer_channel_data(o.buffer, c);
    }
    if (ls__params_create(node, desc, &o) != LS_OK) {
        ls__node_free_unpublished(node);
        return LS_ERROR_NO_MEM;
    }
    ls__node_publish(node);
    *out = node;
    return LS_OK;
}

ls_result ls_sampled_audio_set_buffer(ls_node *node, ls_buffer *buffer)
{
    sa_proc *p = as_sa(node);
    if (!p)
        return LS_ERROR_INVALID_ARGUMENT;
    sa_box *box = NULL;
    if (buffer && !(box = make_box(buffer)))
        return LS_ERROR_NO_MEM;
    ls__lock(node->ctx);
    ls_buffer *old = p->ctl_buffer;
    p->ctl_buffer = buffer;
    if (buffer)
        ls_buffer_retain(buffer);
    ls__post_node(node, SA_MSG_BUFFER, 0, 0, box);
    ls__unlock(node->ctx);
    ls_buffer_release(old);
    return LS_OK;
}

ls_buffer *ls_sampled_audio_buffer(const ls_node *node)
{
    sa_proc *p = as_sa(node);
    if (!p)
        return NULL;
    ls__lock(node->ctx);
    ls_buffer *b = p->ctl_buffer;
    if (b)
        ls_buffer_retain(b);
    ls__unlock(node->ctx);
    return b;
}

ls_result ls_sampled_audio_schedule(ls_node *node, double when, int32_t loop_count,
                                    double offset, double duration)
{
    if (!as_sa(node) || loop_count < -1)
        return LS_ERROR_INVALID_ARGUMENT;
    if (!isfinite(when) || when < 0 || !isfinite(offset) || offset < 0 ||
        (duration >= 0 ? !isfinite(duration) : !(duration < 0)))
        return LS_ERROR_RANGE;
    ls__lock(node->ctx);
    as_sa(node)->ctl_schedules++;
    ls__post_node(node, SA_MSG_ARGS, offset, loop_count, NULL);
    ls__post_node(node, SA_MSG_DURATION, duration, 0, NULL);
    ls__post_node(node, SA_MSG_SCHEDULE, when, 0, NULL);
    ls__record_call(node, LS_CALL_RECORD_SCHEDULE, when, offset, duration, loop_count);
    ls__unlock(node->ctx);
    return LS_OK;
}

ls_result ls_sampled_audio_stop(ls_node *node, double when)
{
    if (!as_sa(node))
        return LS_ERROR_INVALID_ARGUMENT;
    if (!isfinite(when) || when < 0)
        return LS_ERROR_RANGE;
    ls__lock(node->ctx);
    ls__post_node(node, SA_MSG_STOP, when, 0, NULL);
    ls__record_call(node, LS_CALL_RECORD_STOP, when, 0.0, -1.0, 0);
    ls__unlock(node->ctx);
    return LS_OK;
}

ls_result ls_sampled_audio_clear_schedules(ls_node *node)
{
    if (!as_sa(node))
        return LS_ERROR_INVALID_ARGUMENT;
    ls__lock(node->ctx);
    ls__post_node(node, SA_MSG_CLEAR, 0, 0, NULL);
    ls__record_call(node, LS_CALL_RECORD_CLEAR_SCHEDULES, 0.0, 0.0, -1.0, 0);
    ls__unlock(node->ctx);
    return LS_OK;
}

ls_result ls_sampled_audio_set_interpolation(ls_node *node, ls_interpolation mode)
{
    sa_proc *p = as_sa(node);
    if (!p)
        return LS_ERROR_INVALID_ARGUMENT;
    ls_result err;
    int m = ls__interpolation_resolve(node->ctx, (int)mode, &err);
    if (err != LS_OK)
        return err;
    ls__lock(node->ctx);
    p->ctl_interp = m;
    ls__post_node(node, SA_MSG_INTERP, 0, m, NULL);
    ls__unlock(node->ctx);
    return LS_OK;
}

ls_interpolation ls_sampled_audio_interpolation(const ls_node *node)
{
    sa_proc *p = as_sa(node);
    return p ? (ls_interpolation)p->ctl_interp : LS_INTERPOLATION_DEFAULT;
}

uint64_t ls_sampled_audio_schedule_count(const ls_node *node)
{
    sa_proc *p = as_sa(node);
    return p ? p->ctl_schedules : 0;
}

ls_param *ls_sampled_audio_playback_rate(ls_node *node)
{
    return as_sa(node) ? node->proc->params[0] : NULL;
}

ls_param *ls_sampled_audio_detune(ls_node *node)
{
    return as_sa(node) ? node->proc->params[1] : NULL;
}

LS__CREATE_FN(sampled_audio)

static ls_result get_buffer(const ls_node *node, ls_value *out)
{
    if (!node || node->type != LS_NODE_TYPE_SAMPLED_AUDIO)
        return LS_ERROR_INVALID_ARGUMENT;
    out->p = ls_sampled_audio_buffer(node);
    return LS_OK;
}

static ls_result set_buffer(ls_node *node, const ls_value *v)
{
    return ls_sampled_audio_set_buffer(node, (ls_buffer *)v->p);
}

static const ls_param_descriptor sampled_audio_params[] = {
    {"playbackRate", 1.0f, LS__FLT_RANGE, LS_AUTOMATION_RATE_K_RATE, LS_PARAM_RATE_FIXED, "",
     "speed factor of every voice"},
    {"detune", 0.0f, LS__FLT_RANGE, LS_AUTOMATION_RATE_K_RATE, LS_PARAM_RATE_FIXED, "cents",
     "detuning of every voice"},
};

/* interpolation: "default" is the context's (as an option, and set on a
 * node); a node reads back the mode it uses, never "default" */
static const char *const interpolation_names[] = {"default", "linear", "cubic", "sinc", NULL};

static ls_result get_interpolation(const ls_node *node, ls_value *out)
{
    if (!node || node->type != LS_NODE_TYPE_SAMPLED_AUDIO)
        return LS_ERROR_INVALID_ARGUMENT;
    out->i = (int64_t)ls_sampled_audio_interpolation(node) - LS_INTERPOLATION_DEFAULT;
    return LS_OK;
}

static ls_result set_interpolation(ls_node *node, const ls_value *v)
{
    return ls_sampled_audio_set_interpolation(node, (ls_interpolation)(v->i + LS_INTERPOLATION_DEFAULT));
}

static const ls_option_descriptor sampled_audio_options[] = {
    {"buffer", LS_VALUE_BUFFER, offsetof(ls_sampled_audio_options, buffer), 0, 0, NULL, NULL, 0,
     "the sample played"},
    LS__PARAM_OPTION(ls_sampled_audio_options, playback_rate, "playbackRate"),
    LS__PARAM_OPTION(ls_sampled_audio_options, detune, "detune"),
    {"interpolation", LS_VALUE_ENUM, offsetof(ls_sampled_audio_options, interpolation), 0,
     LS_INTERPOLATION_DEFAULT,
     interpolation_names, NULL, 0,
     "how the buffer is read between its frames: default (the context's), linear, cubic or sinc"},
};

static const ls_setting_descriptor sampled_audio_settings[] = {
    {"buffer", LS_VALUE_BUFFER, NULL, "buffer", get_buffer, set_buffer, "the sample played"},
    {"interpolation", LS_VALUE_ENUM, interpolation_names, NULL, get_interpolation,
     set_interpolation, "how the buffer is read between its frames (the context's when made with default)"},
};

const ls_node_descriptor ls__sampled_audio_type = {
    .name = "SampledAudio", .key = "sampled_audio", .type = LS_NODE_TYPE_SAMPLED_AUDIO,
    .doc = "a sampler: plays its buffer once per schedule, voices overlapping",
    .number_of_inputs = 0, .number_of_outputs = 1,
    .channel_defaults = LS__CHANNELS_DEFAULT,
    .params = sampled_audio_params, .param_count = LS__COUNT(sampled_audio_params),
    .options = sampled_audio_options, .option_count = LS__COUNT(sampled_audio_options),
    .settings = sampled_audio_settings, .setting_count = LS__COUNT(sampled_audio_settings),
    .options_size = sizeof(ls_sampled_audio_options),
    .options_init = sampled_audio_options_init, .create = sampled_audio_create_any,
};
