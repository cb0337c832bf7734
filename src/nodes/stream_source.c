/*
 * StreamSourceNode: plays audio a producer outside the graph writes into a
 * bounded lock-free ring (src/ring.h): a file read in blocks, a generator,
 * a network stream. The render half takes one quantum from the ring; an
 * empty or short ring gives silence for what is missing and counts an
 * underrun, unless the producer has ended the stream, in which case the node
 * ends once the ring is played out. It never waits for the producer.
 */
#include "../engine.h"
#include "../node_types.h"
#include "../ring.h"

#include <stddef.h>
#include <string.h>

typedef struct stream_proc {
    ls_proc base;
    /* set once */
    uint32_t channels;
    ls_audio_ring ring;            /* producer writes, render reads */
    /* shared */
    atomic_int eos;                /* 1: ended by the producer; 2: ended, queued audio dropped */
    atomic_int finished;           /* render: the stream is played out */
    atomic_uint_fast64_t underruns, played;
    /* render */
    uint8_t primed;                /* a frame has been played: short rings count from now */
} stream_proc;

static bool is_stream(const ls_node *n)
{
    return n && n->type == LS_NODE_TYPE_STREAM_SOURCE;
}

static void stream_finish(ls_proc *base, ls_render *r)
{
    stream_proc *p = (stream_proc *)base;
    base->sched.ended = 1;
    base->sched.stop_time = (double)(r->frame + LS_Q) / r->sample_rate;
    atomic_store_explicit(&p->finished, 1, memory_order_release);
    if (!base->ended_sent) {
        base->ended_sent = 1;
        ls__give_back(r->ctx, &base->ended);
    }
}

static bool stream_process(ls_proc *base, ls_render *r)
{
    stream_proc *p = (stream_proc *)base;
    if (base->sched.ended) {
        ls__bus_silence(r, &base->outputs[0], p->channels);
        return false;
    }
    /* the end flag first: once it is seen, the ring's write position is final */
    int eos = atomic_load_explicit(&p->eos, memory_order_acquire);
    if (eos == 2)
        ls_audio_ring_drop(&p->ring);
    uint64_t there = ls_audio_ring_readable(&p->ring);
    uint32_t n = there < LS_Q ? (uint32_t)there : LS_Q;
    if (n == 0) {
        ls__bus_silence(r, &base->outputs[0], p->channels);
    } else if (ls__bus_alloc(r, &base->outputs[0], p->channels)) {
        ls_audio_ring_read(&p->ring, base->outputs[0].ch, n);
        for (uint32_t c = 0; c < p->channels; c++)
            if (n < LS_Q)
                memset(base->outputs[0].ch[c] + n, 0, sizeof(float) * (LS_Q - n));
    } else {
        /* no block for the output (counted by the pool): the frames are lost */
        float scratch[LS_Q];
        float *dst[LS_MAX_CHANNELS];
        for (uint32_t c = 0; c < p->channels; c++)
            dst[c] = scratch;
        ls_audio_ring_read(&p->ring, dst, n);
    }
    if (n) {
        p->primed = 1;
        atomic_store_explicit(&p->played, atomic_load_explicit(&p->played, memory_order_relaxed) + n,
                              memory_order_relaxed);
    }
    if (eos && ls_audio_ring_readable(&p->ring) == 0) {
        stream_finish(base, r);
        return n > 0;
    }
    if (n < LS_Q && p->primed && !eos) {
        atomic_store_explicit(&p->underruns,
                              atomic_load_explicit(&p->underruns, memory_order_relaxed) + 1,
                              memory_order_relaxed);
        atomic_fetch_add_explicit(&r->ctx->stat_stream_underruns, 1, memory_order_relaxed);
    }
    return true;
}

static void stream_destroy(ls_proc *base)
{
    ls_audio_ring_free(&((stream_proc *)base)->ring);
}

static const ls_proc_vtable stream_vtable = {stream_process, NULL, stream_destroy, NULL};

LS__OPTIONS_DEFAULT(stream_source)

ls_result ls_stream_source_create(ls_context *ctx, const ls_stream_source_options *options,
                                  ls_node **out)
{
    if (!ctx || !out)
        return LS_ERROR_INVALID_ARGUMENT;
    ls_stream_source_options o = options ? *options : ls_stream_source_options_default();
    if (o.channels < 1 || o.channels > LS_MAX_CHANNELS)
        return LS_ERROR_NOT_SUPPORTED;
    if (o.capacity_frames < LS_Q || o.capacity_frames > (1u << 24))
        return LS_ERROR_RANGE;
    const ls_node_descriptor *desc = &ls__stream_source_type;
    ls_node_options defaults = desc->channel_defaults;
    defaults.channel_count = (int32_t)o.channels;
    ls_node *node;
    ls_result r = ls__node_create(ctx, LS_NODE_TYPE_STREAM_SOURCE, &stream_vtable,
                                  sizeof(stream_proc), 0, 1, &defaults, &o.node, &node);
    if (r != LS_OK)
        return r;
    stream_proc *p = (stream_proc *)node->proc;
    p->channels = o.channels;
    if (!ls_audio_ring_init(&p->ring, o.channels, o.capacity_frames)) {
        ls__node_free_unpublished(node);
        return LS_ERROR_NO_MEM;
    }
    atomic_init(&p->eos, 0);
    atomic_init(&p->finished, 0);
    atomic_init(&p->underruns, 0);
    atomic_init(&p->played, 0);
    /* a source playing from now: started, with no start or stop for users */
    ls__sched_init(node->proc);
    node->proc->sched.started = 1;
    node->proc->sched.start_time = ls_context_current_time(ctx);
    node->proc->sched.start_frame = ls_context_current_frame(ctx);
    node->started = true;
    node->stop_called = true;
    atomic_store(&node->source_state, 1);
    ls__node_publish(node);
    *out = node;
    return LS_OK;
}

uint64_t ls_stream_source_writable(ls_node *node)
{
    if (!is_stream(node))
        return 0;
    stream_proc *p = (stream_proc *)node->proc;
    return atomic_load(&p->eos) ? 0 : ls_audio_ring_writable(&p->ring);
}

uint64_t ls_stream_source_queued(ls_node *node)
{
    return is_stream(node) ? ls_audio_ring_readable(&((stream_proc *)node->proc)->ring) : 0;
}

ls_result ls_stream_source_write(ls_node *node, const float *data, size_t stride, uint64_t frames,
                                 uint64_t *written)
{
    if (written)
        *written = 0;
    if (!is_stream(node) || !written || (!data && frames))
        return LS_ERROR_INVALID_ARGUMENT;
    stream_proc *p = (stream_proc *)node->proc;
    if (p->channels > 1 && stride < frames)
        return LS_ERROR_INVALID_ARGUMENT;
    if (atomic_load(&p->eos))
        return LS_ERROR_INVALID_STATE;
    *written = ls_audio_ring_write(&p->ring, data, stride, frames);
    return LS_OK;
}

ls_result ls_stream_source_write_interleaved(ls_node *node, const void *data,
                                             ls_stream_sample_format format, uint64_t frames,
                                             uint64_t *written)
{
    if (written)
        *written = 0;
    if (!is_stream(node) || !written || (!data && frames))
        return LS_ERROR_INVALID_ARGUMENT;
    uint32_t bytes;
    switch (format) {
    case LS_STREAM_SAMPLE_S16: bytes = 2; break;
    case LS_STREAM_SAMPLE_S32:
    case LS_STREAM_SAMPLE_F32: bytes = 4; break;
    default: return LS_ERROR_INVALID_ARGUMENT;
    }
    stream_proc *p = (stream_proc *)node->proc;
    if (atomic_load(&p->eos))
        return LS_ERROR_INVALID_STATE;
    *written = ls_audio_ring_write_interleaved(&p->ring, data, bytes,
                                               format == LS_STREAM_SAMPLE_F32, frames);
    return LS_OK;
}

ls_result ls_stream_source_end(ls_node *node, int discard)
{
    if (!is_stream(node))
        return LS_ERROR_INVALID_ARGUMENT;
    stream_proc *p = (stream_proc *)node->proc;
    int want = discard ? 2 : 1, cur = atomic_load(&p->eos);
    while (cur < want && !atomic_compare_exchange_weak(&p->eos, &cur, want)) {
    }
    return LS_OK;
}

uint64_t ls_stream_source_underruns(const ls_node *node)
{
    return is_stream(node) ? atomic_load(&((stream_proc *)node->proc)->underruns) : 0;
}

uint64_t ls_stream_source_frames_played(const ls_node *node)
{
    return is_stream(node) ? atomic_load(&((stream_proc *)node->proc)->played) : 0;
}

int ls_stream_source_finished(const ls_node *node)
{
    return is_stream(node) ? atomic_load(&((stream_proc *)node->proc)->finished) : 0;
}

uint32_t ls_stream_source_capacity(const ls_node *node)
{
    return is_stream(node) ? (uint32_t)((stream_proc *)node->proc)->ring.capacity : 0;
}

uint32_t ls_stream_source_channels(const ls_node *node)
{
    return is_stream(node) ? ((stream_proc *)node->proc)->channels : 0;
}

LS__CREATE_FN(stream_source)

static ls_result get_underruns(const ls_node *node, ls_value *out)
{
    if (!is_stream(node))
        return LS_ERROR_INVALID_ARGUMENT;
    out->i = (int64_t)ls_stream_source_underruns(node);
    return LS_OK;
}

static ls_result get_queued(const ls_node *node, ls_value *out)
{
    if (!is_stream(node))
        return LS_ERROR_INVALID_ARGUMENT;
    out->i = (int64_t)ls_stream_source_queued((ls_node *)node);
    return LS_OK;
}

static const ls_option_descriptor stream_source_options[] = {
    {"channels", LS_VALUE_UINT, offsetof(ls_stream_source_options, channels), 0, 2, NULL, NULL, 0,
     "output channels (1 to 32)"},
    {"capacity_frames", LS_VALUE_UINT, offsetof(ls_stream_source_options, capacity_frames), 0,
     16384, NULL, NULL, 0, "the ring's size in frames (128 to 2^24)"},
};

static const ls_setting_descriptor stream_source_settings[] = {
    {"underruns", LS_VALUE_UINT64, NULL, NULL, get_underruns, NULL,
     "quanta the ring ran dry in before the stream ended"},
    {"queued", LS_VALUE_UINT64, NULL, NULL, get_queued, NULL, "frames written and not yet played"},
};

const ls_node_descriptor ls__stream_source_type = {
    .name = "StreamSource", .key = "stream_source", .type = LS_NODE_TYPE_STREAM_SOURCE,
    .doc = "plays audio written into its lock-free ring from outside the graph",
    .number_of_inputs = 0, .number_of_outputs = 1, .flags = LS_NODE_TYPE_EXTERNAL,
    .channel_defaults = LS__CHANNELS_DEFAULT,
    .options = stream_source_options, .option_count = LS__COUNT(stream_source_options),
    .settings = stream_source_settings, .setting_count = LS__COUNT(stream_source_settings),
    .options_size = sizeof(ls_stream_source_options),
    .options_init = stream_source_options_init, .create = stream_source_create_any,
};
