/*
 * The render graph: applying messages, the processing order, the block pool
 * and the render loop. Everything here runs on the render thread except
 * ls__graph_init / _reserve / _free (control side).
 *
 * Order: Tarjan's strongly connected components over the "depends on" edges
 * (node inputs and param inputs), recomputed only when the topology changes.
 * Components come out dependencies first. Nodes in a component with more than
 * one node (or a self loop) form a cycle without a delay and render silence.
 * The destination is always processed last.
 *
 * Cycles through a DelayNode (ls_proc.breaks_cycles) render: when the first
 * pass finds such a node in a cycle, the node is split (ls_proc.split) and
 * the order is computed again without the dependencies of its inputs. A split
 * node's process() produces its output from what it wrote in earlier quanta
 * (the delay is at least one quantum); its write() consumes its input after
 * every other node has run, just before the destination (which borrows its
 * input's blocks once they are back in the pool: nothing may take a block
 * from the pool after it). A delay outside any cycle is not split: it reads
 * after writing in one process() call, so delays under a quantum work.
 */
#include "engine.h"
#include "param.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SSE__) || defined(__x86_64__)
#include <xmmintrin.h>
#endif

static const float ls_zero_block[LS_Q] __attribute__((aligned(64)));

void ls__node_free(ls_node *node);

/* ------------------------------------------------------------------ */
/* Control side: arrays                                                */
/* ------------------------------------------------------------------ */

static uint32_t pool_capacity_for(uint32_t node_capacity)
{
    uint64_t c = (uint64_t)node_capacity * 2;
    if (c < 4096)
        c = 4096;
    if (c > (1u << 22))
        c = 1u << 22;
    return (uint32_t)c;
}

static void grow_free(ls_grow *g)
{
    free(g->nodes);
    free(g->order);
    free(g->stack);
    free(g->call);
    free(g->walk);
    free(g->walk_tmp);
    free(g->woken);
    free(g->wake_heap);
    free(g->pool_memory);
    free(g->pool_free);
    free(g);
}

static void grow_dispose(ls_context *ctx, ls_returnable *item)
{
    (void)ctx;
    grow_free((ls_grow *)item);
}

static ls_grow *grow_alloc(uint32_t capacity, bool touch)
{
    ls_grow *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->ret.dispose = grow_dispose;
    g->capacity = capacity;
    g->nodes = calloc(capacity, sizeof(ls_proc *));
    g->order = calloc(capacity, sizeof(ls_proc *));
    g->stack = calloc(capacity, sizeof(ls_proc *));
    g->call = calloc(capacity, sizeof(ls_proc *));
    g->walk = calloc(capacity, sizeof(ls_proc *));
    g->walk_tmp = calloc(capacity, sizeof(ls_proc *));
    g->woken = calloc(capacity, sizeof(ls_proc *));
    g->wake_heap = calloc(capacity, sizeof(ls_proc *));
    g->pool_capacity = pool_capacity_for(capacity);
    g->pool_memory = aligned_alloc(64, (size_t)g->pool_capacity * LS_Q * sizeof(float));
    g->pool_free = malloc((size_t)g->pool_capacity * sizeof(uint32_t));
    if (!g->nodes || !g->order || !g->stack || !g->call || !g->walk || !g->walk_tmp ||
        !g->woken || !g->wake_heap || !g->pool_memory || !g->pool_free) {
        grow_free(g);
        return NULL;
    }
    if (!touch)
        return g;
    /* Real time: touch every page here, on the control side. Big allocations
     * arrive as untouched pages, and the render thread's first write to each
     * would be a page fault (kernel work that can wait on the process's
     * memory map lock) inside a device callback. Offline renders skip it:
     * the pool is mostly headroom, and untouched pages cost no memory. */
    size_t arr = sizeof(ls_proc *) * capacity;
    memset(g->nodes, 0, arr);
    memset(g->order, 0, arr);
    memset(g->stack, 0, arr);
    memset(g->call, 0, arr);
    memset(g->walk, 0, arr);
    memset(g->walk_tmp, 0, arr);
    memset(g->woken, 0, arr);
    memset(g->wake_heap, 0, arr);
    memset(g->pool_memory, 0, (size_t)g->pool_capacity * LS_Q * sizeof(float));
    memset(g->pool_free, 0, (size_t)g->pool_capacity * sizeof(uint32_t));
    return g;
}

void ls__graph_init(ls_context *ctx)
{
    memset(&ctx->r, 0, sizeof ctx->r);
    ctx->r.pool.zero = (float *)ls_zero_block;
    ctx->r.info.ctx = ctx;
    ctx->r.sweep_every = 64;
    ctx->r.info.sample_rate = ctx->sample_rate;
    ctx->r.info.pool = &ctx->r.pool;
}

/* Swap the render arrays for the bigger ones in g; g then holds the old ones. */
static void grow_apply(ls_context *ctx, ls_grow *g)
{
    if (ctx->r.count)
        memcpy(g->nodes, ctx->r.nodes, sizeof(ls_proc *) * ctx->r.count);
    /* the walk, the woken nodes and the wake heap stay valid: the new order
     * is computed before the next walk, which keeps them */
    if (ctx->r.walk_count)
        memcpy(g->walk, ctx->r.walk, sizeof(ls_proc *) * ctx->r.walk_count);
    if (ctx->r.woken_count)
        memcpy(g->woken, ctx->r.woken, sizeof(ls_proc *) * ctx->r.woken_count);
    if (ctx->r.heap_count)
        memcpy(g->wake_heap, ctx->r.wake_heap, sizeof(ls_proc *) * ctx->r.heap_count);
#define SWAP(a, b) do { void *t_ = (void *)(a); (a) = (b); (b) = t_; } while (0)
    SWAP(ctx->r.nodes, g->nodes);
    SWAP(ctx->r.order, g->order);
    SWAP(ctx->r.stack, g->stack);
    SWAP(ctx->r.call, g->call);
    SWAP(ctx->r.walk, g->walk);
    SWAP(ctx->r.walk_tmp, g->walk_tmp);
    SWAP(ctx->r.woken, g->woken);
    SWAP(ctx->r.wake_heap, g->wake_heap);
    SWAP(ctx->r.pool.memory, g->pool_memory);
    SWAP(ctx->r.pool.free_stack, g->pool_free);
#undef SWAP
    uint32_t old_cap = ctx->r.capacity;
    ctx->r.capacity = g->capacity;
    g->capacity = old_cap;
    uint32_t old_pool = ctx->r.pool.capacity;
    ctx->r.pool.capacity = g->pool_capacity;
    g->pool_capacity = old_pool;
    for (uint32_t i = 0; i < ctx->r.pool.capacity; i++)
        ctx->r.pool.free_stack[i] = ctx->r.pool.capacity - 1 - i;
    ctx->r.pool.free_count = ctx->r.pool.capacity;
    ctx->r.dirty = true;
}

/* control, under lock (or before the context is shared): make sure the
 * render arrays can hold `capacity` nodes, posting a GROW if needed. */
ls_result ls__graph_reserve(ls_context *ctx, uint32_t capacity)
{
    if (capacity <= ctx->ctl_capacity)
        return LS_OK;
    uint32_t cap = ctx->ctl_capacity ? ctx->ctl_capacity : 64;
    while (cap < capacity)
        cap *= 2;
    ls_grow *g = grow_alloc(cap, !ctx->offline);
    if (!g)
        return LS_ERROR_NO_MEM;
    if (ctx->ctl_capacity == 0) {
        /* first arrays: nobody renders yet */
        grow_apply(ctx, g);
        grow_free(g);
    } else {
        ls_msg m = {0};
        m.type = LS_MSG_GROW;
        m.ptr = g;
        ls__post(ctx, &m);
    }
    ctx->ctl_capacity = cap;
    return LS_OK;
}

/* control, no render thread left: free every node and edge the graph holds. */
void ls__graph_free(ls_context *ctx)
{
    for (uint32_t i = 0; i < ctx->r.count; i++) {
        ls_proc *p = ctx->r.nodes[i];
        ls_edge *e = p->out_edges;
        while (e) {
            ls_edge *next = e->r_next_out;
            free(e);
            e = next;
        }
    }
    bool dest_in_graph = ctx->destination && ctx->destination->proc->slot != UINT32_MAX;
    for (uint32_t i = 0; i < ctx->r.count; i++)
        ls__node_free(ctx->r.nodes[i]->node);
    if (ctx->destination && !dest_in_graph)
        ls__node_free(ctx->destination);
    free(ctx->r.nodes);
    free(ctx->r.order);
    free(ctx->r.stack);
    free(ctx->r.call);
    free(ctx->r.walk);
    free(ctx->r.walk_tmp);
    free(ctx->r.woken);
    free(ctx->r.wake_heap);
    free(ctx->r.pool.memory);
    free(ctx->r.pool.free_stack);
    memset(&ctx->r, 0, sizeof ctx->r);
}

/* ------------------------------------------------------------------ */
/* Buses                                                               */
/* ------------------------------------------------------------------ */

void ls__bus_free(ls_render *r, ls_bus *bus)
{
    ls_pool *pool = r->pool;
    if (bus->nblocks)
        pool->frees++;
    for (uint32_t i = 0; i < bus->nblocks; i++)
        pool->free_stack[pool->free_count++] =
            (uint32_t)((bus->ch[i] - pool->memory) / LS_Q);
    bus->nblocks = 0;
    for (uint32_t c = 0; c < bus->channels; c++)
        bus->ch[c] = pool->zero;
    bus->silent = 1;
}

bool ls__bus_alloc(ls_render *r, ls_bus *bus, uint32_t channels)
{
    ls_pool *pool = r->pool;
    if (bus->nblocks)
        ls__bus_free(r, bus);
    if (channels > LS_MAX_CHANNELS)
        channels = LS_MAX_CHANNELS;
    bus->channels = (uint16_t)channels;
    if (pool->free_count < channels) {
        atomic_fetch_add_explicit(&r->ctx->stat_pool_exhausted, 1, memory_order_relaxed);
        for (uint32_t c = 0; c < channels; c++)
            bus->ch[c] = pool->zero;
        bus->silent = 1;
        return false;
    }
    for (uint32_t c = 0; c < channels; c++)
        bus->ch[c] = pool->memory + (size_t)pool->free_stack[--pool->free_count] * LS_Q;
    bus->nblocks = (uint16_t)channels;
    bus->silent = 0;
    return true;
}

void ls__bus_silence(ls_render *r, ls_bus *bus, uint32_t channels)
{
    if (bus->nblocks)
        ls__bus_free(r, bus);
    if (channels > LS_MAX_CHANNELS)
        channels = LS_MAX_CHANNELS;
    bus->channels = (uint16_t)channels;
    for (uint32_t c = 0; c < channels; c++)
        bus->ch[c] = r->pool->zero;
    bus->silent = 1;
}

void ls__bus_zero(ls_bus *bus)
{
    for (uint32_t c = 0; c < bus->channels; c++)
        memset(bus->ch[c], 0, sizeof(float) * LS_Q);
    bus->silent = 0;
}

/* ------------------------------------------------------------------ */
/* Idle nodes                                                          */
/* ------------------------------------------------------------------ */

/*
 * A node that provably outputs silence and changes no state when processed
 * is *idle*: it is left out of r.walk, the list of nodes processed each
 * quantum, until something may change that. Idle are:
 *   - a source waiting for its start (or never started and not released):
 *     render_one skips it anyway; a started one sits in r.wake_heap and is
 *     woken in the quantum that holds its start frame;
 *   - a source that has ended, has no inputs and has nothing left to give
 *     back (its `finished` notice is sent, or it is not released);
 *   - a node flagged silent_in_out (GainNode) with at least one input edge,
 *     every one of them from an idle node, and no param inputs.
 * Idle outputs are silent (no pool blocks) with at most two channels.
 *
 * An edge into a node input from an idle source leaves the input's awake
 * list (ls_input.awake, kept in the full list's order so that mixing sums in
 * the same order) and is counted in ls_input.idle_ch by its source's channel
 * count, which is all gather_input needs of it. An input thus costs only its
 * edges from awake sources.
 *
 * A node wakes when a message targets it (start, stop, release, channel
 * configuration, node messages, an edge into it appears or goes), when its
 * start frame comes, and when a node it hears wakes: waking spreads
 * downstream. Woken nodes wait in r.woken and are merged into the walk (by
 * order_pos) before the next walk; a node turns idle in the walk, right after
 * it was processed, leaving a NULL entry. A new order (compute_order) wakes
 * every node. Every step is O(1) per edge, or O(log n) in the heap.
 */

/* By link order, newest first: O(1) when the edge is the newest or the
 * oldest awake one (notes waking in or against the order they were made). */
static void awake_insert(ls_input *in, ls_edge *e)
{
    ls_edge **pp;
    if (in->awake_tail && in->awake_tail->seq > e->seq) {
        pp = &in->awake_tail->r_next_awake;
    } else {
        pp = &in->awake;
        while (*pp && (*pp)->seq > e->seq)
            pp = &(*pp)->r_next_awake;
    }
    e->r_next_awake = *pp;
    if (*pp)
        (*pp)->r_pprev_awake = &e->r_next_awake;
    else
        in->awake_tail = e;
    e->r_pprev_awake = pp;
    *pp = e;
}

static void awake_remove(ls_input *in, ls_edge *e)
{
    *e->r_pprev_awake = e->r_next_awake;
    if (e->r_next_awake)
        e->r_next_awake->r_pprev_awake = e->r_pprev_awake;
    else
        in->awake_tail = e->r_pprev_awake == &in->awake
                             ? NULL
                             : (ls_edge *)((char *)e->r_pprev_awake - offsetof(ls_edge, r_next_awake));
}

static inline bool heap_less(const ls_proc *a, const ls_proc *b)
{
    return a->sched.start_frame < b->sched.start_frame;
}

static void heap_set(ls_proc **h, uint32_t i, ls_proc *p)
{
    h[i] = p;
    p->heap_pos = i;
}

static void heap_sift_up(ls_proc **h, uint32_t i)
{
    ls_proc *p = h[i];
    while (i) {
        uint32_t parent = (i - 1) / 2;
        if (!heap_less(p, h[parent]))
            break;
        heap_set(h, i, h[parent]);
        i = parent;
    }
    heap_set(h, i, p);
}

static void heap_sift_down(ls_proc **h, uint32_t n, uint32_t i)
{
    ls_proc *p = h[i];
    for (;;) {
        uint32_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && heap_less(h[c + 1], h[c]))
            c++;
        if (!heap_less(h[c], p))
            break;
        heap_set(h, i, h[c]);
        i = c;
    }
    heap_set(h, i, p);
}

static void heap_push(ls_context *ctx, ls_proc *p)
{
    uint32_t i = ctx->r.heap_count++;
    heap_set(ctx->r.wake_heap, i, p);
    heap_sift_up(ctx->r.wake_heap, i);
}

static void heap_remove(ls_context *ctx, ls_proc *p)
{
    ls_proc **h = ctx->r.wake_heap;
    uint32_t i = p->heap_pos;
    p->heap_pos = UINT32_MAX;
    uint32_t last = --ctx->r.heap_count;
    if (i == last)
        return;
    ls_proc *moved = h[last];
    heap_set(h, i, moved);
    heap_sift_down(h, last, i);
    if (moved->heap_pos == i)
        heap_sift_up(h, i);
}

/* Wake p (if idle) and everything downstream of it that is idle. */
static void wake(ls_context *ctx, ls_proc *p)
{
    if (p->walk_state != LS_WALK_IDLE)
        return;
    ls_proc **w = ctx->r.woken;
    uint32_t scan = ctx->r.woken_count;
    p->walk_state = LS_WALK_WOKEN;
    p->walk_pos = ctx->r.woken_count;
    w[ctx->r.woken_count++] = p;
    while (scan < ctx->r.woken_count) {
        ls_proc *x = w[scan++];
        if (x->heap_pos != UINT32_MAX)
            heap_remove(ctx, x);
        for (ls_edge *e = x->out_edges; e; e = e->r_next_out) {
            ls_proc *d = e->dst->proc;
            if (!e->dst_param) {
                ls_input *in = &d->inputs[e->input];
                in->idle_ch[e->idle_ch]--;
                awake_insert(in, e);
            }
            if (d->walk_state == LS_WALK_IDLE) {
                d->walk_state = LS_WALK_WOKEN;
                d->walk_pos = ctx->r.woken_count;
                w[ctx->r.woken_count++] = d;
            }
        }
    }
}

/* Whether p's outputs are as an idle node's must be. */
static bool outputs_idle(const ls_proc *p)
{
    for (uint32_t o = 0; o < p->num_outputs; o++) {
        const ls_bus *b = &p->outputs[o];
        if (!b->silent || b->nblocks || b->channels > 2)
            return false;
    }
    return true;
}

/* p, at index i of the walk, has just been processed and turns idle. */
static void go_idle(ls_context *ctx, ls_proc *p, uint32_t i)
{
    p->walk_state = LS_WALK_IDLE;
    ctx->r.walk[i] = NULL;
    ctx->r.walk_holes = true;
    for (ls_edge *e = p->out_edges; e; e = e->r_next_out) {
        if (e->dst_param)
            continue;
        uint32_t ch = p->outputs[e->output].channels;
        e->idle_ch = (uint8_t)ch;
        ls_input *in = &e->dst->proc->inputs[e->input];
        awake_remove(in, e);
        in->idle_ch[ch]++;
    }
}

/* A silent_in_out node hears only idle nodes. */
static bool hears_only_idle(const ls_proc *p)
{
    uint32_t edges = 0;
    for (uint32_t k = 0; k < p->num_inputs; k++) {
        if (p->inputs[k].awake)
            return false;
        edges += p->inputs[k].count;
    }
    for (uint32_t k = 0; k < p->nparams; k++)
        if (p->params[k]->r.inputs)
            return false;
    return edges > 0;
}

/* Heapsort's sift: move a[i] down the max-heap a[0..n) on order_pos. */
static void sift_by_order(ls_proc **a, uint32_t i, uint32_t n)
{
    for (;;) {
        uint32_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && a[c + 1]->order_pos > a[c]->order_pos)
            c++;
        if (a[c]->order_pos <= a[i]->order_pos)
            break;
        ls_proc *t = a[i];
        a[i] = a[c];
        a[c] = t;
        i = c;
    }
}

/* Sort woken nodes by order_pos (in place, no allocation: heapsort). */
static void sort_by_order(ls_proc **a, uint32_t n)
{
    for (uint32_t start = n / 2; start-- > 0;)
        sift_by_order(a, start, n);
    for (uint32_t end = n; end-- > 1;) {
        ls_proc *t = a[0];
        a[0] = a[end];
        a[end] = t;
        sift_by_order(a, 0, end);
    }
}

/* Merge the woken nodes into the walk and drop its NULL entries. */
static void merge_walk(ls_context *ctx)
{
    ls_proc **wk = ctx->r.woken, **walk = ctx->r.walk, **out = ctx->r.walk_tmp;
    uint32_t nw = 0;
    for (uint32_t i = 0; i < ctx->r.woken_count; i++)
        if (wk[i])
            wk[nw++] = wk[i];
    sort_by_order(wk, nw);
    uint32_t a = 0, b = 0, n = 0, na = ctx->r.walk_count;
    for (;;) {
        while (a < na && !walk[a])
            a++;
        ls_proc *p;
        if (a < na && (b >= nw || walk[a]->order_pos < wk[b]->order_pos))
            p = walk[a++];
        else if (b < nw)
            p = wk[b++];
        else
            break;
        p->walk_state = LS_WALK_IN;
        p->walk_pos = n;
        out[n++] = p;
    }
    ctx->r.walk = out;
    ctx->r.walk_tmp = walk;
    ctx->r.walk_count = n;
    ctx->r.woken_count = 0;
    ctx->r.walk_holes = false;
}

/* After a new order: every node is awake and the walk is the order. */
static void wake_all(ls_context *ctx)
{
    for (uint32_t i = 0; i < ctx->r.count; i++) {
        ls_proc *p = ctx->r.nodes[i];
        p->heap_pos = UINT32_MAX;
        for (uint32_t k = 0; k < p->num_inputs; k++) {
            ls_input *in = &p->inputs[k];
            in->idle_ch[0] = in->idle_ch[1] = in->idle_ch[2] = 0;
            ls_edge **pp = &in->awake;
            in->awake_tail = NULL;
            for (ls_edge *e = in->edges; e; e = e->r_next_in) {
                e->r_pprev_awake = pp;
                *pp = e;
                pp = &e->r_next_awake;
                in->awake_tail = e;
            }
            *pp = NULL;
        }
    }
    uint32_t n = 0;
    for (uint32_t i = 0; i < ctx->r.order_count; i++) {
        ls_proc *p = ctx->r.order[i];
        if (!p)
            continue;
        p->walk_state = LS_WALK_IN;
        p->walk_pos = n;
        ctx->r.walk[n++] = p;
    }
    ctx->r.walk_count = n;
    ctx->r.woken_count = 0;
    ctx->r.heap_count = 0;
    ctx->r.walk_holes = false;
}

/* ------------------------------------------------------------------ */
/* Messages                                                            */
/* ------------------------------------------------------------------ */

static void edge_link(ls_context *ctx, ls_edge *e)
{
    ls_proc *src = e->src->proc;
    e->seq = ctx->r.edge_seq++;
    e->r_next_out = src->out_edges;
    if (src->out_edges)
        src->out_edges->r_pprev_out = &e->r_next_out;
    e->r_pprev_out = &src->out_edges;
    src->out_edges = e;
    src->out_count++;
    ls_edge **head;
    if (e->dst_param) {
        head = &e->dst_param->r.inputs;
        e->dst_param->r.input_count++;
    } else {
        head = &e->dst->proc->inputs[e->input].edges;
        e->dst->proc->inputs[e->input].count++;
    }
    e->r_next_in = *head;
    if (*head)
        (*head)->r_pprev_in = &e->r_next_in;
    e->r_pprev_in = head;
    *head = e;
    if (!e->dst_param) {
        ls_input *in = &e->dst->proc->inputs[e->input];
        if (src->walk_state == LS_WALK_IDLE) {
            e->idle_ch = (uint8_t)src->outputs[e->output].channels;
            in->idle_ch[e->idle_ch]++;
        } else {
            awake_insert(in, e);
        }
    }
}

/* ghost: the edge goes because its source was reclaimed (finished_dispose);
 * an edge into a node input leaves a silent connection behind (ls_input.ghosts). */
static void edge_unlink(ls_edge *e, bool ghost)
{
    ls_proc *src = e->src->proc;
    *e->r_pprev_out = e->r_next_out;
    if (e->r_next_out)
        e->r_next_out->r_pprev_out = e->r_pprev_out;
    src->out_count--;
    *e->r_pprev_in = e->r_next_in;
    if (e->r_next_in)
        e->r_next_in->r_pprev_in = e->r_pprev_in;
    if (e->dst_param) {
        e->dst_param->r.input_count--;
    } else {
        ls_input *in = &e->dst->proc->inputs[e->input];
        if (ghost) {
            uint32_t ch = src->outputs[e->output].channels;
            if (ch > in->ghost_ch)
                in->ghost_ch = (uint8_t)ch;
            in->ghosts++;
        } else {
            in->count--;
        }
        if (src->walk_state == LS_WALK_IDLE)
            in->idle_ch[e->idle_ch]--;
        else
            awake_remove(in, e);
    }
}

static void apply_node_message(ls_context *ctx, ls_proc *p, const ls_msg *m)
{
    switch (m->key) {
    case LS_NODE_MSG_START: {
        double f = ceil(m->d0 * ctx->sample_rate);
        p->sched.start_frame = f >= 1.8e19 ? UINT64_MAX : (uint64_t)f;
        p->sched.start_time = m->d0;
        p->sched.started = 1;
        break;
    }
    case LS_NODE_MSG_STOP:
        p->sched.stop_time = m->d0;
        break;
    default:
        if (p->vt->on_message)
            p->vt->on_message(p, &ctx->r.info, m);
        break;
    }
}

/*
 * Keeping the order without recomputing it. The order lists strongly
 * connected components in dependency order, each component's nodes next to
 * one another, the destination last. Most edits leave it valid:
 *   - a new node has no edges: it goes just before the destination;
 *   - a removed node (its edges are gone) leaves a hole, compacted before
 *     the next quantum, unless it was in a cycle (the cycle may break);
 *   - an edge from an earlier to a later node creates no cycle;
 *   - removing an edge can only split a component when both ends are in one.
 * While delays are split to break cycles, removals always recompute (a cycle
 * may end, and its delay must stop being split). Anything else marks the
 * order dirty: compute_order() redoes it.
 */
/* Close the holes removed nodes left, keeping the order of the rest. */
static void order_compact(ls_context *ctx)
{
    ls_proc **order = ctx->r.order;
    uint32_t out = 0;
    for (uint32_t i = 0; i < ctx->r.order_count; i++) {
        ls_proc *p = order[i];
        if (p) {
            p->order_pos = out;
            order[out++] = p;
        }
    }
    ctx->r.order_count = out;
    ctx->r.holes = false;
    ctx->r.hole_count = 0;
}

static void order_add(ls_context *ctx, ls_proc *p)
{
    p->in_cycle = 0;
    if (!ctx->r.dirty && ctx->r.holes && ctx->r.order_count >= ctx->r.capacity)
        order_compact(ctx);
    if (ctx->r.dirty || ctx->r.order_count >= ctx->r.capacity) {
        ctx->r.dirty = true;
        return;
    }
    ls_proc **order = ctx->r.order;
    uint32_t n = ctx->r.order_count;
    ls_proc *dest = ctx->destination->proc;
    if (n && order[n - 1] == dest) {
        order[n] = dest;
        dest->order_pos = n;
        n--;
    }
    order[n] = p;
    p->order_pos = n;
    ctx->r.order_count++;
}

static void order_remove(ls_context *ctx, ls_proc *p)
{
    if (ctx->r.dirty || p->in_cycle || ctx->r.split_count || p->order_pos >= ctx->r.order_count ||
        ctx->r.order[p->order_pos] != p) {
        ctx->r.dirty = true;
        return;
    }
    ctx->r.order[p->order_pos] = NULL;
    ctx->r.holes = true;
    ctx->r.hole_count++;
}

static void order_connect(ls_context *ctx, const ls_edge *e)
{
    const ls_proc *src = e->src->proc, *dst = e->dst->proc;
    if (!ctx->r.dirty && !(src->order_pos < dst->order_pos && dst->order_pos < ctx->r.order_count))
        ctx->r.dirty = true;
}

static void order_disconnect(ls_context *ctx, const ls_edge *e)
{
    /* with delays split to break cycles, a removal may end a cycle: the
     * delay must then stop being split (cheap to redo: such graphs are few) */
    if ((e->src->proc->in_cycle && e->dst->proc->in_cycle) || ctx->r.split_count)
        ctx->r.dirty = true;
}

void ls__render_apply_messages(ls_context *ctx)
{
    ls_msg m;
    while (ls_spsc_pop(&ctx->messages, &m)) {
        switch (m.type) {
        case LS_MSG_ADD_NODE: {
            ls_proc *p = m.target.proc;
            p->slot = ctx->r.count;
            ctx->r.nodes[ctx->r.count++] = p;
            order_add(ctx, p);
            p->heap_pos = UINT32_MAX;
            p->walk_state = LS_WALK_WOKEN;
            p->walk_pos = ctx->r.woken_count;
            ctx->r.woken[ctx->r.woken_count++] = p;
            break;
        }
        case LS_MSG_REMOVE_NODE: {
            ls_proc *p = m.target.proc;
            uint32_t slot = p->slot;
            if (slot < ctx->r.count && ctx->r.nodes[slot] == p) {
                ls_proc *last = ctx->r.nodes[--ctx->r.count];
                ctx->r.nodes[slot] = last;
                last->slot = slot;
            }
            p->slot = UINT32_MAX;
            order_remove(ctx, p);
            wake(ctx, p);
            if (p->walk_state == LS_WALK_WOKEN && p->walk_pos < ctx->r.woken_count &&
                ctx->r.woken[p->walk_pos] == p) {
                /* out of the woken list (its order does not matter: the merge
                 * sorts it), so that the list never holds more entries than
                 * there are nodes, however many come and go between walks */
                ls_proc *last = ctx->r.woken[--ctx->r.woken_count];
                ctx->r.woken[p->walk_pos] = last;
                if (last)
                    last->walk_pos = p->walk_pos;
            } else if (p->walk_state == LS_WALK_IN && p->walk_pos < ctx->r.walk_count &&
                       ctx->r.walk[p->walk_pos] == p) {
                ctx->r.walk[p->walk_pos] = NULL;
                ctx->r.walk_holes = true;
            }
            p->walk_state = LS_WALK_IN;
            p->walk_pos = UINT32_MAX;
            ls__give_back(ctx, &p->gone);
            break;
        }
        case LS_MSG_CONNECT:
            edge_link(ctx, m.target.edge);
            order_connect(ctx, m.target.edge);
            wake(ctx, m.target.edge->dst->proc);
            break;
        case LS_MSG_DISCONNECT:
            edge_unlink(m.target.edge, m.i0 == 1);
            wake(ctx, m.target.edge->dst->proc);
            order_disconnect(ctx, m.target.edge);
            ls__give_back(ctx, &m.target.edge->ret);
            break;
        case LS_MSG_RELEASE_NODE:
            m.target.proc->released = 1;
            wake(ctx, m.target.proc);
            break;
        case LS_MSG_RETAIN_NODE:
            /* sent only while finished_sent is 0 (record.c checks) */
            m.target.proc->released = 0;
            break;
        case LS_MSG_CHANNEL_CONFIG:
            wake(ctx, m.target.proc);
            m.target.proc->channel_count = (uint32_t)m.i0;
            m.target.proc->channel_count_mode = (uint8_t)m.i1;
            m.target.proc->channel_interpretation = (uint8_t)m.i2;
            break;
        case LS_MSG_PARAM_EVENT:
        case LS_MSG_PARAM_CANCEL:
        case LS_MSG_PARAM_RATE:
            ls__param_on_message(m.target.param, &ctx->r.info, &m);
            break;
        case LS_MSG_GROW: {
            ls_grow *g = m.ptr;
            grow_apply(ctx, g);
            ls__give_back(ctx, &g->ret);
            break;
        }
        case LS_MSG_NODE:
            /* (param messages wake nobody: idle nodes do not read their params) */
            wake(ctx, m.target.proc);
            apply_node_message(ctx, m.target.proc, &m);
            break;
        default:
            break;
        }
    }
}

/* ------------------------------------------------------------------ */
/* Processing order                                                    */
/* ------------------------------------------------------------------ */

/* Next node p depends on, or NULL when its dependencies are exhausted. */
static ls_proc *next_dependency(ls_proc *p)
{
    for (;;) {
        if (p->it_edge) {
            ls_edge *e = p->it_edge;
            p->it_edge = e->r_next_in;
            return e->src->proc;
        }
        if (p->it_input < p->num_inputs) {
            /* a split node's output does not depend on its input this quantum */
            if (p->split) {
                p->it_input = p->num_inputs;
                continue;
            }
            p->it_edge = p->inputs[p->it_input++].edges;
            continue;
        }
        if (p->it_param < p->nparams) {
            p->it_edge = p->params[p->it_param++]->r.inputs;
            continue;
        }
        if (p->after && !p->it_after) {
            p->it_after = 1;
            return p->after;
        }
        return NULL;
    }
}

/* One pass of Tarjan's algorithm: fills the order, marks in_cycle. Returns
 * how many cycle-breaking nodes it found in a cycle without being split yet
 * (they are split now, for the next pass). */
static uint32_t order_pass(ls_context *ctx)
{
    uint32_t n = ctx->r.count;
    ls_proc **nodes = ctx->r.nodes;
    ls_proc **stack = ctx->r.stack, **call = ctx->r.call;
    uint32_t sp = 0, cp = 0, index = 0, out = 0, newly_split = 0;
    ls_proc *dest = ctx->destination->proc;

    for (uint32_t i = 0; i < n; i++) {
        ls_proc *p = nodes[i];
        p->topo_state = 0;
        p->topo_onstack = 0;
        p->topo_self_loop = 0;
        p->in_cycle = 0;
    }
    for (uint32_t i = 0; i < n; i++) {
        ls_proc *root = nodes[i];
        if (root->topo_state)
            continue;
        root->topo_state = 1;
        root->topo_index = root->topo_low = index++;
        root->it_input = 0;
        root->it_param = 0;
        root->it_after = 0;
        root->it_edge = NULL;
        stack[sp++] = root;
        root->topo_onstack = 1;
        call[cp++] = root;
        while (cp) {
            ls_proc *v = call[cp - 1];
            ls_proc *w = next_dependency(v);
            if (w) {
                if (w == v) {
                    v->topo_self_loop = 1;
                } else if (!w->topo_state) {
                    w->topo_state = 1;
                    w->topo_index = w->topo_low = index++;
                    w->it_input = 0;
                    w->it_param = 0;
                    w->it_after = 0;
                    w->it_edge = NULL;
                    stack[sp++] = w;
                    w->topo_onstack = 1;
                    call[cp++] = w;
                } else if (w->topo_onstack && w->topo_index < v->topo_low) {
                    v->topo_low = w->topo_index;
                }
                continue;
            }
            cp--;
            if (cp && v->topo_low < call[cp - 1]->topo_low)
                call[cp - 1]->topo_low = v->topo_low;
            if (v->topo_low == v->topo_index) {
                /* v roots a component: pop it, emit it */
                uint32_t first = sp;
                do {
                    first--;
                } while (stack[first] != v);
                bool cyclic = (sp - first) > 1 || v->topo_self_loop;
                for (uint32_t k = first; k < sp; k++) {
                    ls_proc *x = stack[k];
                    x->topo_onstack = 0;
                    x->in_cycle = cyclic;
                    if (cyclic && x->breaks_cycles && !x->split) {
                        x->split = 1;
                        newly_split++;
                    }
                    if (x != dest)
                        ctx->r.order[out++] = x;
                }
                sp = first;
            }
        }
    }
    if (dest->slot != UINT32_MAX && dest->slot < n)
        ctx->r.order[out++] = dest;
    for (uint32_t i = 0; i < out; i++)
        ctx->r.order[i]->order_pos = i;
    ctx->r.order_count = out;
    return newly_split;
}

static void compute_order(ls_context *ctx)
{
    uint32_t n = ctx->r.count;
    for (uint32_t i = 0; i < n; i++)
        ctx->r.nodes[i]->split = 0;
    /* Delays found in a cycle are split; the second pass then orders the
     * graph without their input dependencies. Cycles left in it have no
     * delay on their audio path: they render silence. */
    ctx->r.split_count = order_pass(ctx);
    if (ctx->r.split_count)
        order_pass(ctx);
    ctx->r.dirty = false;
    ctx->r.holes = false;
    ctx->r.hole_count = 0;
    wake_all(ctx);
}

/* ------------------------------------------------------------------ */
/* Rendering                                                           */
/* ------------------------------------------------------------------ */

static void gather_input(ls_render *r, ls_proc *p, ls_input *in)
{
    ls_bus *bus = &in->bus;
    if (!in->count) {
        uint32_t ch = p->channel_count_mode == LS_CHANNEL_COUNT_MODE_EXPLICIT ? p->channel_count : 1;
        ls__bus_silence(r, bus, ch);
        return;
    }
    /* edges from idle sources (and ghosts) are silent: only their channel
     * counts matter */
    uint32_t max_ch = in->idle_ch[2] ? 2 : (in->idle_ch[1] ? 1 : 0), audible = 0;
    if (in->ghost_ch > max_ch)
        max_ch = in->ghost_ch;
    uint32_t aud_min = LS_MAX_CHANNELS, aud_max = 0;   /* channels of the audible ones */
    ls_edge *only = NULL;
    for (ls_edge *e = in->awake; e; e = e->r_next_awake) {
        const ls_bus *s = &e->src->proc->outputs[e->output];
        if (s->channels > max_ch)
            max_ch = s->channels;
        if (!s->silent && !e->src->proc->in_cycle) {
            audible++;
            only = e;
            aud_min = s->channels < aud_min ? s->channels : aud_min;
            aud_max = s->channels > aud_max ? s->channels : aud_max;
        }
    }
    uint32_t ch = ls__mix_computed_channels(max_ch ? max_ch : 1, p->channel_count,
                                            (ls_channel_count_mode)p->channel_count_mode);
    if (!audible) {
        ls__bus_silence(r, bus, ch);
        return;
    }
    if (audible == 1) {
        const ls_bus *s = &only->src->proc->outputs[only->output];
        if (s->channels == ch) {
            /* borrow the source's blocks: no copy */
            if (bus->nblocks)
                ls__bus_free(r, bus);
            bus->channels = (uint16_t)ch;
            bus->silent = 0;
            for (uint32_t c = 0; c < ch; c++)
                bus->ch[c] = s->ch[c];
            return;
        }
        /* up-mixes that only repeat or pad channels borrow too: mono to
         * stereo with speakers is L = R = M; discrete pads with silence */
        const bool discrete = p->channel_interpretation == LS_CHANNEL_INTERPRETATION_DISCRETE;
        if (s->channels < ch && (discrete || (s->channels == 1 && ch == 2))) {
            if (bus->nblocks)
                ls__bus_free(r, bus);
            bus->channels = (uint16_t)ch;
            bus->silent = 0;
            for (uint32_t c = 0; c < ch; c++)
                bus->ch[c] = c < s->channels ? s->ch[c] : (discrete ? r->pool->zero : s->ch[0]);
            return;
        }
    }
    if (p == r->ctx->destination->proc && r->out[0] && ch == r->ctx->channels) {
        /* the destination mixes into the rendered output itself: no block
         * to copy from afterwards (its blocks are not the pool's) */
        if (bus->nblocks)
            ls__bus_free(r, bus);
        bus->channels = (uint16_t)ch;
        bus->silent = 0;
        for (uint32_t c = 0; c < ch; c++)
            bus->ch[c] = r->out[c];
    } else if (!ls__bus_alloc(r, bus, ch)) {
        return;
    }
    if (audible == 1) {   /* one source to mix (a down-mix): no zeroing first */
        ls__mix_set(bus, &only->src->proc->outputs[only->output],
                    (ls_channel_interpretation)p->channel_interpretation);
        return;
    }
    const bool mono_lr = max_ch == 1 && ch == 2 &&
                         p->channel_interpretation == LS_CHANNEL_INTERPRETATION_SPEAKERS;
    if (mono_lr || (aud_min == ch && aud_max == ch)) {
        /* every audible input has the bus's channel count (no mixing rule
         * applies: channel c is the sum of the inputs' channels c), or mono
         * inputs go into stereo (L = R = their sum: summed once, then
         * copied). Sums in link order, a batch of blocks per pass. */
        const uint32_t sum_ch = mono_lr ? 1 : ch;
        for (uint32_t c = 0; c < sum_ch; c++) {
            const float *xs[LS_MIX_BATCH];
            uint32_t n = 0;
            bool init = true;
            for (ls_edge *e = in->awake; e; e = e->r_next_awake) {
                const ls_bus *s = &e->src->proc->outputs[e->output];
                if (s->silent || e->src->proc->in_cycle)
                    continue;
                xs[n++] = s->ch[c];
                if (n == LS_MIX_BATCH) {
                    ls__mix_add_blocks(bus->ch[c], xs, n, init);
                    init = false;
                    n = 0;
                }
            }
            if (n)
                ls__mix_add_blocks(bus->ch[c], xs, n, init);
        }
        if (mono_lr)
            memcpy(bus->ch[1], bus->ch[0], sizeof(float) * LS_Q);
        bus->silent = 0;
        return;
    }
    ls__bus_zero(bus);
    for (ls_edge *e = in->awake; e; e = e->r_next_awake) {
        const ls_bus *s = &e->src->proc->outputs[e->output];
        if (!s->silent && !e->src->proc->in_cycle)
            ls__mix_sum(bus, s, (ls_channel_interpretation)p->channel_interpretation);
    }
}

bool ls__param_gather_inputs(ls_param *p, ls_render *r, float *dst)
{
    bool any = false;
    for (ls_edge *e = p->r.inputs; e; e = e->r_next_in) {
        const ls_bus *s = &e->src->proc->outputs[e->output];
        if (s->silent || e->src->proc->in_cycle)
            continue;
        ls_bus mono;
        mono.channels = 1;
        mono.silent = 0;
        mono.nblocks = 0;
        mono.ch[0] = dst;
        if (!any) {
            memset(dst, 0, sizeof(float) * LS_Q);
            any = true;
        }
        ls__mix_sum(&mono, s, LS_CHANNEL_INTERPRETATION_SPEAKERS);
    }
    return any;
}

/* Give back a source's output blocks once its last consumer has run. */
static inline void consumed(ls_render *r, ls_proc *src, ls_proc *dest)
{
    if (src->remaining && --src->remaining == 0 && src != dest)
        for (uint32_t o = 0; o < src->num_outputs; o++)
            if (src->outputs[o].nblocks)
                ls__bus_free(r, &src->outputs[o]);
}

static void write_split(ls_context *ctx);

/* Whether every edge into p's inputs comes from a released node that cannot
 * sound on its own (what a silent cycle looks like from one of its nodes;
 * a node fed by a playing source is not worth a sweep). */
static bool fed_only_by_released_silent(const ls_proc *p)
{
    for (uint32_t k = 0; k < p->num_inputs; k++)
        for (const ls_edge *e = p->inputs[k].edges; e; e = e->r_next_in) {
            const ls_proc *s = e->src->proc;
            if (!s->released || s->alive)
                return false;
        }
    return true;
}

/* prof (a constant in each of the two copies render_one makes): time each
 * node's input mixing and process() for the profiler (profile.c). */
static inline __attribute__((always_inline)) void render_walk(ls_context *ctx, const bool prof)
{
    ls_render *r = &ctx->r.info;
    ls_proc *dest = ctx->destination->proc;

    /* wake the sources whose start frame lies in this quantum */
    while (ctx->r.heap_count && ctx->r.wake_heap[0]->sched.start_frame < r->frame + LS_Q)
        wake(ctx, ctx->r.wake_heap[0]);
    if (ctx->r.woken_count || ctx->r.walk_holes)
        merge_walk(ctx);
    uint32_t n = ctx->r.walk_count;
    ls_proc **walk = ctx->r.walk;
    bool wrote_split = false;

    for (uint32_t i = 0; i < n; i++) {
        ls_proc *p = walk[i];
        if (!p)
            continue;
        if (p == dest && ctx->r.split_count && !wrote_split) {
            /* The write halves of split nodes run once every other node has
             * (their inputs are complete: nothing feeds on the destination)
             * and before the destination: it borrows its input's blocks,
             * which its sources give back to the pool as it consumes them,
             * so no block may be taken from the pool after it has run. */
            write_split(ctx);
            wrote_split = true;
        }
        p->remaining = p->out_count;
        if (p->in_cycle) {
            for (uint32_t o = 0; o < p->num_outputs; o++)
                ls__bus_silence(r, &p->outputs[o], p->outputs[o].channels ? p->outputs[o].channels : 1);
            for (uint32_t k = 0; k < p->num_inputs; k++)
                for (ls_edge *e = p->inputs[k].edges; e; e = e->r_next_in)
                    consumed(r, e->src->proc, dest);
            p->alive = false;
            if (p->released && !p->finished_sent && !ctx->r.stuck &&
                fed_only_by_released_silent(p))
                ctx->r.stuck = true;    /* a silent cycle of released nodes? */
            continue;
        }
        /* A source still waiting for its start time stays silent: skip it
         * (its outputs are already silent). One never started runs once
         * released, so it can be reclaimed. */
        if (p->is_source && !p->sched.ended &&
            (p->sched.started ? p->sched.start_frame >= r->frame + LS_Q : !p->released)) {
            p->alive = true;
            if (p != dest && outputs_idle(p)) {
                go_idle(ctx, p, i);
                if (p->sched.started)
                    heap_push(ctx, p);
            }
            continue;
        }
        uint64_t t0 = prof ? ls__prof_now() : 0;
        uint32_t inputs = 0;
        for (uint32_t k = 0; k < p->num_inputs; k++) {
            if (!p->split)     /* a split node takes its input in write_split() */
                gather_input(r, p, &p->inputs[k]);
            inputs += p->inputs[k].count - p->inputs[k].ghosts;   /* real edges */
        }
        p->alive = p->vt->process(p, r);
        if (prof)
            ls__prof_node(ctx, p, ls__prof_now() - t0);
        for (uint32_t k = 0; k < p->num_inputs && !p->split; k++) {
            ls_input *in = &p->inputs[k];
            if (p != dest && in->bus.nblocks)
                ls__bus_free(r, &in->bus);
            for (ls_edge *e = in->awake; e; e = e->r_next_awake)
                consumed(r, e->src->proc, dest);
        }
        for (uint32_t k = 0; k < p->nparams; k++)
            for (ls_edge *e = p->params[k]->r.inputs; e; e = e->r_next_in)
                consumed(r, e->src->proc, dest);
        if (!p->out_count && p != dest)
            for (uint32_t o = 0; o < p->num_outputs; o++)
                if (p->outputs[o].nblocks)
                    ls__bus_free(r, &p->outputs[o]);
        if (p->released && !p->alive && !p->finished_sent) {
            if (!inputs) {
                p->finished_sent = 1;
                ls__give_back(ctx, &p->finished);
            } else if (!ctx->r.stuck && fed_only_by_released_silent(p)) {
                ctx->r.stuck = true;    /* a silent cycle? see sweep_silent_cycles */
            }
        }
        /* silent from now on until woken? (see "Idle nodes") */
        if (p != dest && !p->split &&
            (p->is_source ? p->sched.ended && !p->alive && !inputs &&
                                (p->finished_sent || !p->released)
                          : p->silent_in_out && hears_only_idle(p)) &&
            outputs_idle(p))
            go_idle(ctx, p, i);
    }
    if (ctx->r.split_count && !wrote_split)
        write_split(ctx);
}

/* One quantum's walk: the unprofiled copy unless profiling is on (one test
 * per quantum), which also times the whole walk. */
static void render_one(ls_context *ctx)
{
    if (!atomic_load_explicit(&ctx->profiling, memory_order_relaxed)) {
        render_walk(ctx, false);
        return;
    }
    uint64_t t0 = ls__prof_now();
    render_walk(ctx, true);
    unsigned epoch = atomic_load_explicit(&ctx->prof_epoch, memory_order_relaxed);
    if (atomic_load_explicit(&ctx->prof_ctx_epoch, memory_order_relaxed) != epoch) {
        atomic_store_explicit(&ctx->prof_quanta, 0, memory_order_relaxed);
        atomic_store_explicit(&ctx->prof_total_ns, 0, memory_order_relaxed);
        atomic_store_explicit(&ctx->prof_max_ns, 0, memory_order_relaxed);
        atomic_store_explicit(&ctx->prof_ctx_epoch, epoch, memory_order_release);
    }
    ls__prof_add(&ctx->prof_quanta, &ctx->prof_total_ns, &ctx->prof_max_ns, ls__prof_now() - t0);
}

/* The write half of nodes split to break a cycle: every node but the
 * destination has run, so their inputs are complete. */
static void write_split(ls_context *ctx)
{
    ls_render *r = &ctx->r.info;
    ls_proc *dest = ctx->destination->proc;
    for (uint32_t i = 0; i < ctx->r.walk_count; i++) {
        ls_proc *p = ctx->r.walk[i];
        if (!p || !p->split || p->in_cycle)
            continue;
        for (uint32_t k = 0; k < p->num_inputs; k++)
            gather_input(r, p, &p->inputs[k]);
        p->vt->write(p, r);
        for (uint32_t k = 0; k < p->num_inputs; k++) {
            ls_input *in = &p->inputs[k];
            if (in->bus.nblocks)
                ls__bus_free(r, &in->bus);
            for (ls_edge *e = in->awake; e; e = e->r_next_awake)
                consumed(r, e->src->proc, dest);
        }
    }
}

/*
 * Released nodes that cannot sound and feed each other in a cycle (a
 * DelayNode and a GainNode whose echoes have died out) each keep the other
 * by an input edge. Every 64 quanta while such a node was seen (one fed
 * only by released nodes that cannot sound; after a sweep that found
 * nothing, the wait doubles, up to 4096 quanta), find the
 * largest set of released, silent-for-good nodes whose node inputs are all
 * fed from inside the set (a greatest fixpoint: start from every candidate,
 * drop those fed from outside it, and what they feed, until nothing
 * changes), and finish them all: nothing outside can ever bring sound into
 * them. O(nodes + edges), no allocation (the Tarjan stack is the worklist).
 */
static bool sweep_silent_cycles(ls_context *ctx)
{
    bool found = false;
    ls_proc *dest = ctx->destination->proc;
    ls_proc **work = ctx->r.stack;
    uint32_t top = 0;
    for (uint32_t i = 0; i < ctx->r.count; i++) {
        ls_proc *p = ctx->r.nodes[i];
        p->sweep_mark = p != dest && p->released && !p->alive && !p->finished_sent;
    }
    for (uint32_t i = 0; i < ctx->r.count; i++) {
        ls_proc *p = ctx->r.nodes[i];
        if (!p->sweep_mark)
            continue;
        for (uint32_t k = 0; k < p->num_inputs && p->sweep_mark; k++)
            for (ls_edge *e = p->inputs[k].edges; e; e = e->r_next_in)
                if (!e->src->proc->sweep_mark) {
                    p->sweep_mark = 0;
                    work[top++] = p;
                    break;
                }
    }
    while (top) {
        ls_proc *p = work[--top];
        for (ls_edge *e = p->out_edges; e; e = e->r_next_out) {
            ls_proc *d = e->dst->proc;
            if (!e->dst_param && d->sweep_mark) {
                d->sweep_mark = 0;
                work[top++] = d;
            }
        }
    }
    for (uint32_t i = 0; i < ctx->r.count; i++) {
        ls_proc *p = ctx->r.nodes[i];
        if (p->sweep_mark) {
            p->sweep_mark = 0;
            p->finished_sent = 1;
            ls__give_back(ctx, &p->finished);
            found = true;
        }
    }
    return found;
}

/* Free what is still held at the end of a quantum: the destination's
 * buses, and (should anything else be left over) everything. */
static void sweep(ls_context *ctx)
{
    ls_render *r = &ctx->r.info;
    ls_proc *dest = ctx->destination->proc;
    if (dest->outputs[0].nblocks)
        ls__bus_free(r, &dest->outputs[0]);
    if (dest->inputs[0].bus.nblocks)
        ls__bus_free(r, &dest->inputs[0].bus);
    if (ctx->r.pool.free_count == ctx->r.pool.capacity)
        return;
    /* idle nodes hold no blocks */
    for (uint32_t i = 0; i < ctx->r.walk_count; i++) {
        ls_proc *p = ctx->r.walk[i];
        if (!p)
            continue;
        for (uint32_t o = 0; o < p->num_outputs; o++)
            if (p->outputs[o].nblocks)
                ls__bus_free(r, &p->outputs[o]);
        for (uint32_t k = 0; k < p->num_inputs; k++)
            if (p->inputs[k].bus.nblocks)
                ls__bus_free(r, &p->inputs[k].bus);
    }
}

static void flush_denormals(void)
{
#if defined(__SSE__) || defined(__x86_64__)
    _mm_setcsr(_mm_getcsr() | 0x8040); /* FTZ | DAZ */
#elif defined(__aarch64__)
    uint64_t fpcr;
    __asm__ volatile("mrs %0, fpcr" : "=r"(fpcr));
    __asm__ volatile("msr fpcr, %0" : : "r"(fpcr | (1ull << 24)));
#endif
}

uint32_t ls__render_quanta(ls_context *ctx, float *out, uint32_t nq, size_t stride)
{
    flush_denormals();
    ls_proc *dest = ctx->destination->proc;
    for (uint32_t q = 0; q < nq; q++) {
        ls__render_apply_messages(ctx);
        if (ctx->r.dirty)
            compute_order(ctx);
        else if (ctx->r.holes && ctx->r.hole_count * 2 > ctx->r.order_count)
            order_compact(ctx);   /* holes cost nothing but room: compact rarely */
        uint64_t frame = atomic_load_explicit(&ctx->frame, memory_order_relaxed);
        ctx->r.info.frame = frame;
        ctx->r.info.time = (double)frame / ctx->sample_rate;
        for (uint32_t c = 0; c < ctx->channels && c < LS_MAX_CHANNELS; c++)
            ctx->r.info.out[c] = out ? out + (size_t)c * stride + (size_t)q * LS_Q : NULL;
        render_one(ctx);
        if (out) {
            const ls_bus *b = &dest->outputs[0];
            for (uint32_t c = 0; c < ctx->channels; c++) {
                float *dst = out + (size_t)c * stride + (size_t)q * LS_Q;
                if (c < b->channels && !b->silent) {
                    if (b->ch[c] != dst)   /* else mixed there already */
                        memcpy(dst, b->ch[c], sizeof(float) * LS_Q);
                }
                else if (!ctx->r.out_zeroed)
                    memset(dst, 0, sizeof(float) * LS_Q);
            }
        }
        sweep(ctx);
        if (ctx->r.stuck && ((frame / LS_Q) & (ctx->r.sweep_every - 1)) == ctx->r.sweep_every - 1) {
            ctx->r.stuck = false;
            if (sweep_silent_cycles(ctx))
                ctx->r.sweep_every = 64;
            else if (ctx->r.sweep_every < 4096)
                ctx->r.sweep_every *= 2;
        }
        ctx->r.info.out[0] = NULL;
        atomic_store_explicit(&ctx->frame, frame + LS_Q, memory_order_release);
        /* the render thread is the only writer: a plain load and store, not
         * a locked add, which would wait for the output just written to
         * reach memory every quantum */
        atomic_store_explicit(&ctx->stat_quanta,
                              atomic_load_explicit(&ctx->stat_quanta, memory_order_relaxed) + 1,
                              memory_order_relaxed);
        if (ctx->r.urgent) {
            ctx->r.urgent = false;
            return q + 1;
        }
    }
    return nq;
}
