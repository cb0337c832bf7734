/*
 * Script nodes: the render half calls a user function once per quantum
 * (include/labsound/script.h describes the two modes).
 *
 * The shared state (ls_script) is reference counted apart from the node: the
 * processor holds one reference, and a binding holds more for as long as it
 * has views of the memory or runs a worker thread, so neither ever sees
 * freed memory.
 *
 * WORKER mode ring: `nslots` = lookahead + 2 slots, each in one of three
 * states. FREE and DONE slots belong to the render thread; SUBMITTED ones to
 * the worker. Quantum q (counted per node) is submitted into slot q % nslots
 * and played from slot (q - lookahead) % nslots, which differ, so the slot
 * being played is never the one being filled. A slot the worker still holds
 * when its turn comes again is skipped (counted as dropped); a slot not DONE
 * with the expected sequence number when it must be played is a miss.
 */
#include "../engine.h"
#include "../node_types.h"

#include <float.h>
#include <stddef.h>
#include "../param.h"

#include <errno.h>
#include <semaphore.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { SLOT_FREE = 0, SLOT_SUBMITTED = 1, SLOT_DONE = 2 };

typedef struct script_slot {
    atomic_int state;
    /* owned by whoever owns the slot (see above) */
    uint64_t seq;                       /* the quantum it was submitted for */
    int rc;                             /* the function's result */
    ls_script_block block;
} script_slot;

struct ls_script {
    /* set once */
    ls_context *ctx;                    /* not a reference: for the close hook only */
    ls_script_mode mode;
    uint32_t nslots, lookahead;
    uint32_t num_inputs, num_outputs, num_params;
    uint32_t in_cap[LS_SCRIPT_MAX_IO], out_cap[LS_SCRIPT_MAX_IO];
    uint32_t out_fixed[LS_SCRIPT_MAX_IO];   /* 0: follows input 0 */
    size_t in_off[LS_SCRIPT_MAX_IO], out_off[LS_SCRIPT_MAX_IO], par_off, slot_floats;
    float *memory;                      /* nslots * slot_floats, 64-byte aligned */
    script_slot *slots;
    ls_script_fn fn;
    ls_script_release_fn release;
    void *user;

    /* shared */
    atomic_int refcount;
    atomic_int stop;                    /* node gone or context closed */
    atomic_int errored;
    atomic_int user_given_back;
    atomic_uint_fast64_t calls, misses, dropped;
    sem_t wake;                         /* WORKER: posted by the render thread */

    /* worker thread */
    uint64_t w_next;                    /* smallest sequence number not computed yet */

    /* render */
    uint64_t r_q;                       /* quanta submitted (WORKER) */

    /* control, under the registry lock */
    struct ls_script *reg_next, **reg_pprev;
};

typedef struct script_proc {
    ls_proc base;
    /* set once */
    ls_script *s;
    char names[LS_SCRIPT_MAX_PARAMS][LS_SCRIPT_NAME_MAX];
} script_proc;

/* Live scripts, for the context's close hook. Control side only. */
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static ls_script *registry;

/* ------------------------------------------------------------------ */
/* The shared state                                                    */
/* ------------------------------------------------------------------ */

static float *slot_base(ls_script *s, uint32_t slot)
{
    return s->memory + (size_t)slot * s->slot_floats;
}

static void give_user_back(ls_script *s)
{
    if (atomic_exchange(&s->user_given_back, 1) == 0 && s->release)
        s->release(s->user);
}

/* Stop calling the function: wake the worker so it sees `stop`. */
static void script_stop(ls_script *s)
{
    atomic_store_explicit(&s->stop, 1, memory_order_release);
    if (s->mode == LS_SCRIPT_MODE_WORKER)
        sem_post(&s->wake);
}

void ls_script_retain(ls_script *s)
{
    if (s)
        atomic_fetch_add(&s->refcount, 1);
}

void ls_script_release(ls_script *s)
{
    if (!s || atomic_fetch_sub(&s->refcount, 1) != 1)
        return;
    give_user_back(s);
    if (s->mode == LS_SCRIPT_MODE_WORKER)
        sem_destroy(&s->wake);
    free(s->memory);
    free(s->slots);
    free(s);
}

/* control, under ctx->lock (ls_context_close, end of an offline render):
 * the scripts of `ctx` will not run again: give their user data back. */
void ls__script_context_done(ls_context *ctx)
{
    pthread_mutex_lock(&registry_lock);
    for (ls_script *s = registry; s; s = s->reg_next) {
        if (s->ctx != ctx)
            continue;
        script_stop(s);
        give_user_back(s);
    }
    pthread_mutex_unlock(&registry_lock);
}

/* ------------------------------------------------------------------ */
/* Render half                                                         */
/* ------------------------------------------------------------------ */

/* render: copy the inputs and params of this quantum into `slot`. */
static void fill_slot(script_proc *sp, ls_render *r, uint32_t slot, ls_script_block *b)
{
    ls_proc *p = &sp->base;
    ls_script *s = sp->s;
    float *base = slot_base(s, slot);
    b->slot = slot;
    b->frame = r->frame;
    b->time = r->time;
    b->num_inputs = s->num_inputs;
    b->num_outputs = s->num_outputs;
    b->num_params = s->num_params;
    for (uint32_t i = 0; i < s->num_inputs; i++) {
        const ls_input *in = &p->inputs[i];
        uint32_t n = in->count ? in->bus.channels : 0;
        if (n > s->in_cap[i])
            n = s->in_cap[i];
        float *dst = base + s->in_off[i];
        for (uint32_t c = 0; c < n; c++)
            memcpy(dst + (size_t)c * LS_Q, in->bus.ch[c], sizeof(float) * LS_Q);
        b->input_channels[i] = n;
    }
    for (uint32_t o = 0; o < s->num_outputs; o++) {
        uint32_t n = s->out_fixed[o];
        if (!n) {
            n = s->num_inputs ? b->input_channels[0] : 1;
            if (n < 1)
                n = 1;
        }
        b->output_channels[o] = n;
    }
    for (uint32_t k = 0; k < s->num_params; k++) {
        bool constant;
        const float *v = ls__param_process(p->params[k], r, &constant);
        float *dst = base + s->par_off + (size_t)k * LS_Q;
        if (constant)
            dst[0] = v[0];
        else
            memcpy(dst, v, sizeof(float) * LS_Q);
        b->param_constant[k] = constant;
    }
}

static void zero_outputs(ls_script *s, uint32_t slot, const ls_script_block *b)
{
    float *base = slot_base(s, slot);
    for (uint32_t o = 0; o < s->num_outputs; o++)
        memset(base + s->out_off[o], 0, sizeof(float) * LS_Q * b->output_channels[o]);
}

/* render: point the output buses at a slot's outputs. */
static void play_slot(script_proc *sp, uint32_t slot, const ls_script_block *b)
{
    ls_script *s = sp->s;
    float *base = slot_base(s, slot);
    for (uint32_t o = 0; o < s->num_outputs; o++) {
        ls_bus *bus = &sp->base.outputs[o];
        /* the blocks are the node's own, not the pool's: nblocks stays 0 */
        bus->channels = (uint16_t)b->output_channels[o];
        bus->silent = 0;
        bus->nblocks = 0;
        for (uint32_t c = 0; c < b->output_channels[o]; c++)
            bus->ch[c] = base + s->out_off[o] + (size_t)c * LS_Q;
    }
}

static void silence_outputs(ls_proc *p, ls_render *r)
{
    for (uint32_t o = 0; o < p->num_outputs; o++)
        ls__bus_silence(r, &p->outputs[o], p->outputs[o].channels ? p->outputs[o].channels : 1);
}

/* render: the frames outside [begin, end) of a source's output are silent. */
static void trim_outputs(ls_proc *p, uint32_t begin, uint32_t end)
{
    if (begin == 0 && end == LS_Q)
        return;
    for (uint32_t o = 0; o < p->num_outputs; o++) {
        ls_bus *bus = &p->outputs[o];
        if (bus->silent)
            continue;
        for (uint32_t c = 0; c < bus->channels; c++) {
            memset(bus->ch[c], 0, sizeof(float) * begin);
            memset(bus->ch[c] + end, 0, sizeof(float) * (LS_Q - end));
        }
    }
}

/* render, SYNC: call the function here (the audited Python path: the
 * binding's function takes the interpreter lock). Returns its result. */
static int run_sync(script_proc *sp, ls_render *r)
{
    ls_script *s = sp->s;
    ls_script_block b;
    fill_slot(sp, r, 0, &b);
    zero_outputs(s, 0, &b);
    int rc = s->fn(s->user, &b);
    atomic_fetch_add_explicit(&s->calls, 1, memory_order_relaxed);
    if (rc < 0) {
        atomic_store(&s->errored, 1);
        silence_outputs(&sp->base, r);
        return rc;
    }
    play_slot(sp, 0, &b);
    return rc;
}

/* render, WORKER: hand this quantum over, play the one from `lookahead`
 * quanta ago. Returns the function's result for the played block (1 while
 * nothing has been played yet, -1 when it was missed). */
static int run_worker(script_proc *sp, ls_render *r)
{
    ls_script *s = sp->s;
    uint64_t q = s->r_q++;
    uint32_t in_slot = (uint32_t)(q % s->nslots);
    script_slot *in = &s->slots[in_slot];
    if (atomic_load_explicit(&in->state, memory_order_acquire) != SLOT_SUBMITTED) {
        fill_slot(sp, r, in_slot, &in->block);
        in->seq = q;
        atomic_store_explicit(&in->state, SLOT_SUBMITTED, memory_order_release);
        sem_post(&s->wake);
    } else {
        /* the worker still holds the slot: this quantum is lost, but the
         * params' timelines still advance through it */
        atomic_fetch_add_explicit(&s->dropped, 1, memory_order_relaxed);
        for (uint32_t k = 0; k < s->num_params; k++) {
            bool constant;
            (void)ls__param_process(sp->base.params[k], r, &constant);
        }
    }
    if (q < s->lookahead) {
        silence_outputs(&sp->base, r);
        return 1;
    }
    uint64_t t = q - s->lookahead;
    uint32_t out_slot = (uint32_t)(t % s->nslots);
    script_slot *out = &s->slots[out_slot];
    if (atomic_load_explicit(&out->state, memory_order_acquire) == SLOT_DONE && out->seq == t) {
        atomic_store_explicit(&out->state, SLOT_FREE, memory_order_relaxed);
        if (out->rc < 0) {
            silence_outputs(&sp->base, r);
            return -1;
        }
        play_slot(sp, out_slot, &out->block);
        return out->rc;
    }
    atomic_fetch_add_explicit(&s->misses, 1, memory_order_relaxed);
    silence_outputs(&sp->base, r);
    return -1;
}

static bool script_process(ls_proc *p, ls_render *r)
{
    script_proc *sp = (script_proc *)p;
    ls_script *s = sp->s;
    uint32_t begin = 0, end = LS_Q;
    if (p->is_source) {
        double start_offset;
        if (!ls__sched_range(p, &p->sched, r, &begin, &end, &start_offset)) {
            silence_outputs(p, r);
            return !p->sched.ended && !(p->released && !p->sched.started);
        }
    }
    if (atomic_load_explicit(&s->errored, memory_order_relaxed) ||
        atomic_load_explicit(&s->stop, memory_order_relaxed)) {
        silence_outputs(p, r);
        return false;
    }
    int rc = s->mode == LS_SCRIPT_MODE_SYNC ? run_sync(sp, r) : run_worker(sp, r);
    if (p->is_source) {
        trim_outputs(p, begin, end);
        return !p->sched.ended;
    }
    /* a late block (WORKER) says nothing about the processor: keep it */
    return s->mode == LS_SCRIPT_MODE_WORKER ? rc != 0 && !atomic_load(&s->errored) : rc > 0;
}

/* control: the node is being freed; the render side no longer calls us. */
static void script_destroy(ls_proc *p)
{
    ls_script *s = ((script_proc *)p)->s;
    if (!s)
        return;     /* never published */
    pthread_mutex_lock(&registry_lock);
    *s->reg_pprev = s->reg_next;
    if (s->reg_next)
        s->reg_next->reg_pprev = s->reg_pprev;
    pthread_mutex_unlock(&registry_lock);
    script_stop(s);
    give_user_back(s);
    ls_script_release(s);
}

static const ls_proc_vtable script_vtable = {script_process, NULL, script_destroy};

/* ------------------------------------------------------------------ */
/* The worker                                                          */
/* ------------------------------------------------------------------ */

int ls_script_worker_wait(ls_script *s, double timeout)
{
    if (!s || s->mode != LS_SCRIPT_MODE_WORKER)
        return -1;
    if (atomic_load_explicit(&s->stop, memory_order_acquire))
        return -1;
    for (uint32_t i = 0; i < s->nslots; i++)
        if (atomic_load_explicit(&s->slots[i].state, memory_order_acquire) == SLOT_SUBMITTED)
            return 1;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    if (!(timeout >= 0))
        timeout = 0;
    if (timeout > 3600)
        timeout = 3600;
    long long ns = until.tv_nsec + (long long)(timeout * 1e9);
    until.tv_sec += (time_t)(ns / 1000000000LL);
    until.tv_nsec = (long)(ns % 1000000000LL);
    int rc;
    while ((rc = sem_timedwait(&s->wake, &until)) != 0 && errno == EINTR)
        ;
    if (atomic_load_explicit(&s->stop, memory_order_acquire))
        return -1;
    return rc == 0 ? 1 : 0;
}

int ls_script_worker_run(ls_script *s)
{
    if (!s || s->mode != LS_SCRIPT_MODE_WORKER)
        return -1;
    int ran = 0;
    for (;;) {
        if (atomic_load_explicit(&s->stop, memory_order_acquire))
            return -1;
        /* the submitted slot with the smallest sequence number */
        script_slot *best = NULL;
        uint32_t best_i = 0;
        for (uint32_t i = 0; i < s->nslots; i++) {
            script_slot *sl = &s->slots[i];
            if (atomic_load_explicit(&sl->state, memory_order_acquire) == SLOT_SUBMITTED &&
                (!best || sl->seq < best->seq)) {
                best = sl;
                best_i = i;
            }
        }
        if (!best)
            return ran;
        if (atomic_load(&s->errored)) {
            best->rc = -1;
        } else {
            zero_outputs(s, best_i, &best->block);
            best->rc = s->fn(s->user, &best->block);
            atomic_fetch_add_explicit(&s->calls, 1, memory_order_relaxed);
            if (best->rc < 0)
                atomic_store(&s->errored, 1);
        }
        s->w_next = best->seq + 1;
        atomic_store_explicit(&best->state, SLOT_DONE, memory_order_release);
        ran++;
    }
}

/* ------------------------------------------------------------------ */
/* Control half                                                        */
/* ------------------------------------------------------------------ */

LS__OPTIONS_DEFAULT(script)

static ls_result check_options(ls_context *ctx, const ls_script_options *o, ls_script_mode *mode)
{
    if (!o->process)
        return LS_ERROR_INVALID_ARGUMENT;
    if (o->number_of_inputs > LS_SCRIPT_MAX_IO || o->number_of_outputs > LS_SCRIPT_MAX_IO ||
        o->num_params > LS_SCRIPT_MAX_PARAMS || o->num_params > LS_MAX_PARAMS ||
        (o->scheduled_source && o->number_of_inputs) || o->lookahead > 64)
        return LS_ERROR_INDEX_SIZE;
    if (!o->number_of_inputs && !o->number_of_outputs)
        return LS_ERROR_NOT_SUPPORTED;
    for (uint32_t i = 0; i < o->number_of_outputs; i++)
        if (o->output_channel_count[i] > LS_MAX_CHANNELS)
            return LS_ERROR_NOT_SUPPORTED;
    *mode = o->mode;
    if (*mode == LS_SCRIPT_MODE_AUTO)
        *mode = ctx->offline ? LS_SCRIPT_MODE_SYNC : LS_SCRIPT_MODE_WORKER;
    if ((*mode == LS_SCRIPT_MODE_SYNC) != (ctx->offline != 0) ||
        (*mode != LS_SCRIPT_MODE_SYNC && *mode != LS_SCRIPT_MODE_WORKER))
        return LS_ERROR_NOT_SUPPORTED;
    for (uint32_t k = 0; k < o->num_params; k++) {
        const ls_script_param_desc *d = &o->params[k];
        if (!d->name[0] || memchr(d->name, 0, LS_SCRIPT_NAME_MAX) == NULL)
            return LS_ERROR_RANGE;
        if (!isfinite(d->default_value) || isnan(d->min_value) || isnan(d->max_value) ||
            d->min_value > d->max_value || d->default_value < d->min_value ||
            d->default_value > d->max_value)
            return LS_ERROR_RANGE;
        if ((unsigned)d->rate > LS_AUTOMATION_RATE_K_RATE)
            return LS_ERROR_INVALID_ARGUMENT;
        for (uint32_t j = 0; j < k; j++)
            if (strcmp(o->params[j].name, d->name) == 0)
                return LS_ERROR_RANGE;
    }
    return LS_OK;
}

static ls_script *state_new(ls_context *ctx, const ls_script_options *o, ls_script_mode mode)
{
    ls_script *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->ctx = ctx;
    s->mode = mode;
    if (mode == LS_SCRIPT_MODE_WORKER) {
        uint32_t per_callback = ctx->buffer_size / LS_Q;
        s->lookahead = o->lookahead ? o->lookahead
                                    : (2 * per_callback > 4 ? 2 * per_callback : 4);
        s->nslots = s->lookahead + 2;
    } else {
        s->nslots = 1;
    }
    s->num_inputs = o->number_of_inputs;
    s->num_outputs = o->number_of_outputs;
    s->num_params = o->num_params;
    size_t off = 0;
    for (uint32_t i = 0; i < s->num_inputs; i++) {
        s->in_cap[i] = LS_MAX_CHANNELS;
        s->in_off[i] = off;
        off += (size_t)s->in_cap[i] * LS_Q;
    }
    for (uint32_t i = 0; i < s->num_outputs; i++) {
        uint32_t n = o->output_channel_count[i];
        if (!n && !(s->num_inputs == 1 && s->num_outputs == 1))
            n = 1;
        s->out_fixed[i] = n;
        s->out_cap[i] = n ? n : LS_MAX_CHANNELS;
        s->out_off[i] = off;
        off += (size_t)s->out_cap[i] * LS_Q;
    }
    s->par_off = off;
    off += (size_t)s->num_params * LS_Q;
    s->slot_floats = off ? off : LS_Q;
    size_t bytes = sizeof(float) * s->slot_floats * s->nslots;
    bytes = (bytes + 63) & ~(size_t)63;
    s->memory = aligned_alloc(64, bytes);
    s->slots = calloc(s->nslots, sizeof *s->slots);
    if (!s->memory || !s->slots ||
        (mode == LS_SCRIPT_MODE_WORKER && sem_init(&s->wake, 0, 0) != 0)) {
        free(s->memory);
        free(s->slots);
        free(s);
        return NULL;
    }
    memset(s->memory, 0, bytes);
    s->fn = o->process;
    s->release = o->release;
    s->user = o->user;
    atomic_init(&s->refcount, 1);
    return s;
}

ls_result ls_script_create(ls_context *ctx, const ls_script_options *options, ls_node **out)
{
    if (!ctx || !options || !out)
        return LS_ERROR_INVALID_ARGUMENT;
    const ls_script_options *o = options;
    ls_script_mode mode;
    ls_result res = check_options(ctx, o, &mode);
    if (res != LS_OK)
        return res;
    const ls_node_descriptor *desc = &ls__script_type;
    ls_node *node;
    res = ls__node_create(ctx, desc->type, &script_vtable, sizeof(script_proc),
                          o->number_of_inputs, o->number_of_outputs, &desc->channel_defaults,
                          &o->node, &node);
    if (res != LS_OK)
        return res;
    script_proc *sp = (script_proc *)node->proc;
    ls_script *s = state_new(ctx, o, mode);
    if (!s) {
        ls__node_free_unpublished(node);
        return LS_ERROR_NO_MEM;
    }
    /* until the node is published, destroy must not see the state */
    for (uint32_t k = 0; k < o->num_params; k++) {
        const ls_script_param_desc *d = &o->params[k];
        memcpy(sp->names[k], d->name, LS_SCRIPT_NAME_MAX);
        ls_param *pa = ls__param_create(node, sp->names[k], d->default_value, d->min_value,
                                        d->max_value, d->rate, false);
        if (!pa) {
            s->release = NULL;      /* on failure the caller keeps its user data */
            ls_script_release(s);
            ls__node_free_unpublished(node);
            return LS_ERROR_NO_MEM;
        }
    }
    sp->s = s;
    if (o->scheduled_source)
        ls__sched_init(node->proc);
    pthread_mutex_lock(&registry_lock);
    s->reg_next = registry;
    s->reg_pprev = &registry;
    if (registry)
        registry->reg_pprev = &s->reg_next;
    registry = s;
    pthread_mutex_unlock(&registry_lock);
    ls__node_publish(node);
    *out = node;
    return LS_OK;
}

ls_script *ls_script_of(ls_node *node)
{
    if (!node || node->type != LS_NODE_TYPE_SCRIPT || node->proc->vt != &script_vtable)
        return NULL;
    ls_script *s = ((script_proc *)node->proc)->s;
    ls_script_retain(s);
    return s;
}

ls_script_mode ls_script_get_mode(const ls_script *s) { return s->mode; }
uint32_t ls_script_slot_count(const ls_script *s) { return s->nslots; }
uint32_t ls_script_lookahead(const ls_script *s) { return s->lookahead; }

uint32_t ls_script_capacity(const ls_script *s, ls_script_area area, uint32_t index)
{
    switch (area) {
    case LS_SCRIPT_AREA_INPUT:
        return index < s->num_inputs ? s->in_cap[index] : 0;
    case LS_SCRIPT_AREA_OUTPUT:
        return index < s->num_outputs ? s->out_cap[index] : 0;
    case LS_SCRIPT_AREA_PARAM:
        return index < s->num_params ? 1 : 0;
    }
    return 0;
}

float *ls_script_memory(ls_script *s, uint32_t slot, ls_script_area area, uint32_t index,
                        uint32_t channel)
{
    if (!s || slot >= s->nslots || channel >= ls_script_capacity(s, area, index))
        return NULL;
    size_t off = area == LS_SCRIPT_AREA_INPUT    ? s->in_off[index]
                 : area == LS_SCRIPT_AREA_OUTPUT ? s->out_off[index]
                                                 : s->par_off + (size_t)index * LS_Q;
    return slot_base(s, slot) + off + (size_t)channel * LS_Q;
}

float *ls_script_memory_base(ls_script *s, size_t *nfloats)
{
    *nfloats = s->slot_floats * s->nslots;
    return s->memory;
}

void ls_script_get_stats(const ls_script *s, ls_script_stats *out)
{
    ls_script *m = (ls_script *)s;
    out->calls = atomic_load(&m->calls);
    out->misses = atomic_load(&m->misses);
    out->dropped = atomic_load(&m->dropped);
    out->errored = atomic_load(&m->errored);
}

LS__CREATE_FN(script)

static const char *const mode_names[] = {"auto", "sync", "worker", NULL};

/* the params, callback and user data are set by code (ls_script_options) */
static const ls_option_descriptor script_options[] = {
    {"number_of_inputs", LS_VALUE_UINT, offsetof(ls_script_options, number_of_inputs), 0, 1,
     NULL, NULL, 0, "inputs, 0 to 32"},
    {"number_of_outputs", LS_VALUE_UINT, offsetof(ls_script_options, number_of_outputs), 0, 1,
     NULL, NULL, 0, "outputs, 0 to 32"},
    {"scheduled_source", LS_VALUE_BOOL, offsetof(ls_script_options, scheduled_source), 0, 0, NULL,
     NULL, 0, "a scheduled source (start, stop) with no inputs"},
    {"mode", LS_VALUE_ENUM, offsetof(ls_script_options, mode), 0, LS_SCRIPT_MODE_AUTO,
     mode_names, NULL, 0, "sync: on the render thread (offline); worker: a quantum ahead on a "
                         "worker thread (real time)"},
    {"lookahead", LS_VALUE_UINT, offsetof(ls_script_options, lookahead), 0, 0, NULL, NULL, 0,
     "worker mode: quanta computed ahead, 1 to 64 (0: the engine's choice)"},
    {"process", LS_VALUE_OBJECT, offsetof(ls_script_options, process), 0, 0, NULL, NULL,
     LS_OPTION_REQUIRED, "the function called once per quantum (ls_script_fn)"},
};

const ls_node_descriptor ls__script_type = {
    .name = "Script", .key = "script", .type = LS_NODE_TYPE_SCRIPT,
    .doc = "runs a user function on each quantum of its inputs and params",
    .number_of_inputs = 1, .number_of_outputs = 1,
    .flags = LS_NODE_TYPE_VARIABLE_IO | LS_NODE_TYPE_EXTERNAL | LS_NODE_TYPE_FIXED_CHANNELS,
    .channel_defaults = LS__CHANNELS_DEFAULT,
    .options = script_options, .option_count = LS__COUNT(script_options),
    .options_size = sizeof(ls_script_options),
    .options_init = script_options_init, .create = script_create_any,
};
