/*
 * RecorderNode (after LabSound's): passes its input through and, between
 * start and stop, appends it (mixed to its channel count) to a recording.
 *
 * The render side never allocates: the control side sends it chunks of
 * REC_CHUNK_FRAMES frames ahead of time (REC_CHUNKS_AHEAD of them), the
 * render side fills them in order and publishes each chunk's fill level
 * with a release store. A full chunk is handed back on the return stack;
 * its dispose (control side) sends a fresh chunk in its place, so the render
 * side stays REC_CHUNKS_AHEAD chunks ahead of need. Should it ever run out
 * (the control side not collecting for that long), the frames it cannot
 * store are counted as dropped. The control side keeps every chunk in a list
 * in the order it sent them and reads them, up to their published fill
 * level, to build a buffer.
 */
#include "../engine.h"
#include "../node_types.h"

#include <float.h>
#include <stddef.h>

#include <stdlib.h>
#include <string.h>

#define REC_CHUNK_FRAMES 16384u
#define REC_CHUNKS_AHEAD 4u

#define REC_MSG_CHUNK 100   /* ptr = rec_chunk* to queue */
#define REC_MSG_START 101
#define REC_MSG_STOP 102

typedef struct rec_chunk {
    ls_returnable ret;          /* given back when full */
    struct rec_chunk *ctl_next; /* control: every chunk, in sending order */
    struct rec_chunk *r_next;   /* render: the queue of chunks to fill */
    struct rec_proc *owner;
    atomic_uint filled;         /* shared: frames written (release by render) */
    float *data;                /* channels x REC_CHUNK_FRAMES, planar */
} rec_chunk;

typedef struct rec_proc {
    ls_proc base;
    /* set once */
    uint32_t channels;
    /* shared */
    atomic_uint_fast64_t dropped;
    /* control (under the context's lock) */
    rec_chunk *ctl_head, *ctl_tail;
    uint32_t ahead;             /* chunks sent and not yet handed back full */
    bool ctl_recording;
    /* render */
    bool recording;
    rec_chunk *cur, *last;      /* queue of chunks to fill: cur first */
} rec_proc;

static void chunk_free(rec_chunk *c)
{
    if (c) {
        free(c->data);
        free(c);
    }
}

static void chunk_full_dispose(ls_context *ctx, ls_returnable *item);

/* control, under lock: send one more chunk; false when out of memory. */
static bool send_chunk(rec_proc *p)
{
    rec_chunk *c = calloc(1, sizeof *c);
    if (!c)
        return false;
    c->data = malloc(sizeof(float) * (size_t)p->channels * REC_CHUNK_FRAMES);
    if (!c->data) {
        free(c);
        return false;
    }
    c->ret.dispose = chunk_full_dispose;
    c->owner = p;
    atomic_init(&c->filled, 0);
    if (p->ctl_tail)
        p->ctl_tail->ctl_next = c;
    else
        p->ctl_head = c;
    p->ctl_tail = c;
    p->ahead++;
    ls_msg m = {0};
    m.type = LS_MSG_NODE;
    m.key = REC_MSG_CHUNK;
    m.target.proc = &p->base;
    m.ptr = c;
    ls__post(p->base.node->ctx, &m);
    return true;
}

static void chunk_full_dispose(ls_context *ctx, ls_returnable *item)
{
    (void)ctx;
    rec_chunk *c = (rec_chunk *)item;
    rec_proc *p = c->owner;
    p->ahead--;
    /* the node may be on its way out: only refill while it records */
    if (p->ctl_recording && !p->base.node->removing)
        while (p->ahead < REC_CHUNKS_AHEAD && send_chunk(p))
            ;
}

/* ------------------------------------------------------------------ */
/* Render half                                                         */
/* ------------------------------------------------------------------ */

static bool rec_process(ls_proc *base, ls_render *r)
{
    rec_proc *p = (rec_proc *)base;
    ls_bus *in = &base->inputs[0].bus;
    ls_bus *out = &base->outputs[0];
    if (in->silent) {
        ls__bus_silence(r, out, in->channels);
    } else if (ls__bus_alloc(r, out, in->channels)) {
        for (uint32_t c = 0; c < in->channels; c++)
            memcpy(out->ch[c], in->ch[c], sizeof(float) * LS_Q);
    }
    if (!p->recording)
        return false;
    uint32_t done = 0;
    while (done < LS_Q) {
        rec_chunk *c = p->cur;
        if (!c) {
            atomic_fetch_add_explicit(&p->dropped, LS_Q - done, memory_order_relaxed);
            break;
        }
        uint32_t f = atomic_load_explicit(&c->filled, memory_order_relaxed);
        uint32_t n = REC_CHUNK_FRAMES - f;
        if (n > LS_Q - done)
            n = LS_Q - done;
        for (uint32_t ch = 0; ch < p->channels; ch++) {
            float *dst = c->data + (size_t)ch * REC_CHUNK_FRAMES + f;
            if (in->silent || ch >= in->channels)
                memset(dst, 0, sizeof(float) * n);
            else
                memcpy(dst, in->ch[ch] + done, sizeof(float) * n);
        }
        atomic_store_explicit(&c->filled, f + n, memory_order_release);
        done += n;
        if (f + n == REC_CHUNK_FRAMES) {
            p->cur = c->r_next;
            if (!p->cur)
                p->last = NULL;
            ls__give_back(r->ctx, &c->ret);
        }
    }
    return false;
}

static void rec_on_message(ls_proc *base, ls_render *r, const ls_msg *m)
{
    rec_proc *p = (rec_proc *)base;
    switch (m->key) {
    case REC_MSG_CHUNK: {
        rec_chunk *c = m->ptr;
        c->r_next = NULL;
        if (p->last)
            p->last->r_next = c;
        else
            p->cur = c;
        p->last = c;
        break;
    }
    case REC_MSG_START: p->recording = true; break;
    case REC_MSG_STOP: p->recording = false; break;
    default: break;
    }
}

static void rec_destroy(ls_proc *base)
{
    rec_proc *p = (rec_proc *)base;
    rec_chunk *c = p->ctl_head;
    while (c) {
        rec_chunk *next = c->ctl_next;
        chunk_free(c);
        c = next;
    }
    p->ctl_head = p->ctl_tail = NULL;
    p->cur = p->last = NULL;
}

static const ls_proc_vtable rec_vtable = {rec_process, rec_on_message, rec_destroy};

/* ------------------------------------------------------------------ */
/* Control half                                                        */
/* ------------------------------------------------------------------ */

static rec_proc *as_rec(const ls_node *node)
{
    return node && node->type == LS_NODE_TYPE_RECORDER ? (rec_proc *)node->proc : NULL;
}

uint32_t ls_recorder_channels(const ls_node *node)
{
    const rec_proc *p = as_rec(node);
    return p ? p->channels : 0;
}

ls_result ls_recorder_create(ls_context *ctx, uint32_t channels, ls_node **out)
{
    if (!ctx || !out)
        return LS_ERROR_INVALID_ARGUMENT;
    if (channels < 1 || channels > LS_MAX_CHANNELS)
        return LS_ERROR_NOT_SUPPORTED;
    ls_node_options defaults = {(int32_t)channels, LS_CHANNEL_COUNT_MODE_EXPLICIT,
                                LS_CHANNEL_INTERPRETATION_SPEAKERS};
    ls_node *node;
    ls_result r = ls__node_create(ctx, LS_NODE_TYPE_RECORDER, &rec_vtable, sizeof(rec_proc), 1, 1,
                                  &defaults, NULL, &node);
    if (r != LS_OK)
        return r;
    rec_proc *p = (rec_proc *)node->proc;
    p->channels = channels;
    atomic_init(&p->dropped, 0);
    /* the recording's channel count is fixed: inputs are mixed to it */
    node->channel_count_fixed = 1;
    node->channel_mode_fixed = 1;
    ls__node_publish(node);
    *out = node;
    return LS_OK;
}

static ls_result post_key(ls_node *node, uint32_t key)
{
    ls_msg m = {0};
    m.type = LS_MSG_NODE;
    m.key = key;
    m.target.proc = node->proc;
    ls__post(node->ctx, &m);
    return LS_OK;
}

ls_result ls_recorder_start(ls_node *node)
{
    rec_proc *p = as_rec(node);
    if (!p)
        return LS_ERROR_INVALID_ARGUMENT;
    ls__lock(node->ctx);
    while (p->ahead < REC_CHUNKS_AHEAD) {
        if (!send_chunk(p)) {
            ls__unlock(node->ctx);
            return LS_ERROR_NO_MEM;
        }
    }
    p->ctl_recording = true;
    post_key(node, REC_MSG_START);
    ls__unlock(node->ctx);
    return LS_OK;
}

ls_result ls_recorder_stop(ls_node *node)
{
    rec_proc *p = as_rec(node);
    if (!p)
        return LS_ERROR_INVALID_ARGUMENT;
    ls__lock(node->ctx);
    p->ctl_recording = false;
    post_key(node, REC_MSG_STOP);
    ls__unlock(node->ctx);
    return LS_OK;
}

uint64_t ls_recorder_frames(ls_node *node)
{
    rec_proc *p = as_rec(node);
    if (!p)
        return 0;
    uint64_t total = 0;
    ls__lock(node->ctx);
    for (rec_chunk *c = p->ctl_head; c; c = c->ctl_next)
        total += atomic_load_explicit(&c->filled, memory_order_acquire);
    ls__unlock(node->ctx);
    return total;
}

uint64_t ls_recorder_dropped_frames(ls_node *node)
{
    rec_proc *p = as_rec(node);
    return p ? atomic_load(&p->dropped) : 0;
}

ls_result ls_recorder_to_buffer(ls_node *node, ls_buffer **out)
{
    rec_proc *p = as_rec(node);
    if (!p || !out)
        return LS_ERROR_INVALID_ARGUMENT;
    ls__lock(node->ctx);
    uint32_t counts[64];
    uint64_t total = 0;
    rec_chunk *c;
    size_t k = 0;
    /* fill levels, read once: the render side may go on writing past them */
    for (c = p->ctl_head; c; c = c->ctl_next, k++) {
        uint32_t f = atomic_load_explicit(&c->filled, memory_order_acquire);
        if (k < 64)
            counts[k] = f;
        total += f;
    }
    if (total == 0) {
        ls__unlock(node->ctx);
        return LS_ERROR_INVALID_STATE;
    }
    ls_buffer *b = NULL;
    ls_result r = ls_buffer_create(p->channels, total, node->ctx->sample_rate, &b);
    if (r == LS_OK) {
        uint64_t at = 0;
        k = 0;
        for (c = p->ctl_head; c && at < total; c = c->ctl_next, k++) {
            uint32_t f = k < 64 ? counts[k] : atomic_load_explicit(&c->filled, memory_order_acquire);
            if (f > total - at)
                f = (uint32_t)(total - at);
            for (uint32_t ch = 0; ch < p->channels; ch++)
                memcpy(ls_buffer_channel_data(b, ch) + at, c->data + (size_t)ch * REC_CHUNK_FRAMES,
                       sizeof(float) * f);
            at += f;
        }
        *out = b;
    }
    ls__unlock(node->ctx);
    return r;
}

/* The descriptor's options: ls_recorder_create takes a channel count. */
typedef struct recorder_options {
    ls_node_options node;
    uint32_t channels;
} recorder_options;

static const ls_option_descriptor recorder_options_desc[] = {
    {"channels", LS_VALUE_UINT, offsetof(recorder_options, channels), 0, 2, NULL, NULL, 0,
     "channels recorded, 1 to 32 (inputs are mixed to them)", 1, LS_MAX_CHANNELS},
};

extern const ls_node_descriptor ls__recorder_type;

static void recorder_options_init(void *o)
{
    ls__options_init(&ls__recorder_type, o);
}

static ls_result recorder_create_any(ls_context *ctx, const void *o, ls_node **out)
{
    const recorder_options *ro = (const recorder_options *)o;
    return ls_recorder_create(ctx, ro ? ro->channels : 2, out);
}

static ls_result get_frames(const ls_node *node, ls_value *out)
{
    if (!node || node->type != LS_NODE_TYPE_RECORDER)
        return LS_ERROR_INVALID_ARGUMENT;
    out->i = (int64_t)ls_recorder_frames((ls_node *)node);
    return LS_OK;
}

static ls_result get_channels(const ls_node *node, ls_value *out)
{
    if (!node || node->type != LS_NODE_TYPE_RECORDER)
        return LS_ERROR_INVALID_ARGUMENT;
    out->i = (int64_t)ls_recorder_channels(node);
    return LS_OK;
}

static const ls_setting_descriptor recorder_settings[] = {
    {"frames", LS_VALUE_UINT64, NULL, NULL, get_frames, NULL, "frames recorded so far (read-only)"},
    {"channels", LS_VALUE_UINT, NULL, "channels", get_channels, NULL,
     "channels recorded (read-only)"},
};

const ls_node_descriptor ls__recorder_type = {
    .name = "Recorder", .key = "recorder", .type = LS_NODE_TYPE_RECORDER,
    .doc = "records its input into memory, passing it through",
    .number_of_inputs = 1, .number_of_outputs = 1, .flags = LS_NODE_TYPE_FIXED_CHANNELS,
    .channel_defaults = {2, LS_CHANNEL_COUNT_MODE_EXPLICIT, LS_CHANNEL_INTERPRETATION_SPEAKERS},
    .options = recorder_options_desc, .option_count = LS__COUNT(recorder_options_desc),
    .settings = recorder_settings, .setting_count = LS__COUNT(recorder_settings),
    .options_size = sizeof(recorder_options),
    .options_init = recorder_options_init, .create = recorder_create_any,
};
