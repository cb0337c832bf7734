/*
 * The control half of nodes: creation, references, channel configuration,
 * connections and their removal. The control side keeps a mirror of every
 * connection (ls_node.out_edges / in_edges) so it can validate disconnects and
 * remove a finished node's connections without asking the render side.
 */
#include "engine.h"
#include "param.h"

#include <stdlib.h>
#include <string.h>

ls_result ls__graph_reserve(ls_context *ctx, uint32_t capacity);

ls_node_options ls_node_options_default(void)
{
    ls_node_options o;
    o.channel_count = 0;
    o.channel_count_mode = -1;
    o.channel_interpretation = -1;
    return o;
}

/* ------------------------------------------------------------------ */
/* Freeing                                                             */
/* ------------------------------------------------------------------ */

/* control: free a node the render side no longer holds. */
void ls__node_free(ls_node *node)
{
    ls__record_node_freed(node);
    ls_proc *p = node->proc;
    if (p) {
        if (p->vt && p->vt->destroy)
            p->vt->destroy(p);
        for (uint32_t i = 0; i < p->nparams; i++)
            ls__param_free(p->params[i]);
        free(p->inputs);
        free(p->outputs);
        free(p);
    }
    free(node->name);
    free(node);
}

void ls__node_free_unpublished(ls_node *node)
{
    ls__node_free(node);
}

static void gone_dispose(ls_context *ctx, ls_returnable *item)
{
    ls_proc *p = (ls_proc *)((char *)item - offsetof(ls_proc, gone));
    (void)ctx;
    ls__node_free(p->node);
}

static void edge_dispose(ls_context *ctx, ls_returnable *item)
{
    (void)ctx;
    free(item);
}

/* control, under lock: unlink an edge from the mirror and post its removal. */
static void edge_remove(ls_context *ctx, ls_edge *e, bool reclaimed)
{
    *e->ctl_pprev_out = e->ctl_next_out;
    if (e->ctl_next_out)
        e->ctl_next_out->ctl_pprev_out = e->ctl_pprev_out;
    *e->ctl_pprev_in = e->ctl_next_in;
    if (e->ctl_next_in)
        e->ctl_next_in->ctl_pprev_in = e->ctl_pprev_in;
    ls_msg m = {0};
    m.type = LS_MSG_DISCONNECT;
    m.target.edge = e;
    m.i0 = reclaimed ? 1 : 0;
    ls__post(ctx, &m);
}

/* control, under lock: the render side reports a released node that can no
 * longer sound: cut its connections and take it out of the graph. */
static void finished_dispose(ls_context *ctx, ls_returnable *item)
{
    ls_proc *p = (ls_proc *)((char *)item - offsetof(ls_proc, finished));
    ls_node *node = p->node;
    if (node->removing)
        return;
    node->removing = true;
    /* what the node fed keeps hearing a silent connection (a ghost), as it
     * would had the node been kept: reclaiming is never audible */
    while (node->out_edges)
        edge_remove(ctx, node->out_edges, true);
    while (node->in_edges)
        edge_remove(ctx, node->in_edges, false);
    ls_msg m = {0};
    m.type = LS_MSG_REMOVE_NODE;
    m.target.proc = p;
    ls__post(ctx, &m);
    ctx->ctl_node_count--;
}

/* ------------------------------------------------------------------ */
/* Creation                                                            */
/* ------------------------------------------------------------------ */

ls_result ls__node_create(ls_context *ctx, ls_node_type type, const ls_proc_vtable *vt,
                          size_t proc_size, uint32_t num_inputs, uint32_t num_outputs,
                          const ls_node_options *defaults, const ls_node_options *user,
                          ls_node **out)
{
    if (!ctx || !out)
        return LS_ERROR_INVALID_ARGUMENT;
    if (ctx->closed && type != LS_NODE_TYPE_DESTINATION)
        return LS_ERROR_INVALID_STATE;
    ls_node_options o = *defaults;
    if (user) {
        if (user->channel_count != 0) {
            if (user->channel_count < 1 || user->channel_count > LS_MAX_CHANNELS)
                return LS_ERROR_NOT_SUPPORTED;
            o.channel_count = user->channel_count;
        }
        if (user->channel_count_mode != -1) {
            if (user->channel_count_mode < 0 || user->channel_count_mode > 2)
                return LS_ERROR_INVALID_ARGUMENT;
            o.channel_count_mode = user->channel_count_mode;
        }
        if (user->channel_interpretation != -1) {
            if (user->channel_interpretation < 0 || user->channel_interpretation > 1)
                return LS_ERROR_INVALID_ARGUMENT;
            o.channel_interpretation = user->channel_interpretation;
        }
    }
    ls_node *node = calloc(1, sizeof *node);
    size_t size = (proc_size + 63) & ~(size_t)63;
    ls_proc *p = aligned_alloc(64, size);
    if (!node || !p) {
        free(node);
        free(p);
        return LS_ERROR_NO_MEM;
    }
    memset(p, 0, size);
    p->inputs = num_inputs ? calloc(num_inputs, sizeof(ls_input)) : NULL;
    p->outputs = num_outputs ? calloc(num_outputs, sizeof(ls_bus)) : NULL;
    if ((num_inputs && !p->inputs) || (num_outputs && !p->outputs)) {
        free(p->inputs);
        free(p->outputs);
        free(p);
        free(node);
        return LS_ERROR_NO_MEM;
    }
    node->ctx = ctx;
    node->type = type;
    node->proc = p;
    node->num_inputs = num_inputs;
    node->num_outputs = num_outputs;
    node->max_channel_count = LS_MAX_CHANNELS;
    node->channel_count = (uint32_t)o.channel_count;
    node->channel_count_mode = (ls_channel_count_mode)o.channel_count_mode;
    node->channel_interpretation = (ls_channel_interpretation)o.channel_interpretation;
    atomic_init(&node->refcount, 1);
    atomic_init(&node->source_state, 0);

    p->vt = vt;
    p->node = node;
    p->num_inputs = (uint16_t)num_inputs;
    p->num_outputs = (uint16_t)num_outputs;
    p->gone.dispose = gone_dispose;
    p->finished.dispose = finished_dispose;
    p->slot = UINT32_MAX;
    p->channel_count = node->channel_count;
    p->channel_count_mode = (uint8_t)node->channel_count_mode;
    p->channel_interpretation = (uint8_t)node->channel_interpretation;
    p->sched.stop_time = INFINITY;
    for (uint32_t o2 = 0; o2 < num_outputs; o2++) {
        p->outputs[o2].channels = 1;
        p->outputs[o2].silent = 1;
        p->outputs[o2].ch[0] = ctx->r.pool.zero;
    }
    for (uint32_t i = 0; i < num_inputs; i++) {
        p->inputs[i].bus.channels = 1;
        p->inputs[i].bus.silent = 1;
        p->inputs[i].bus.ch[0] = ctx->r.pool.zero;
    }
    *out = node;
    return LS_OK;
}

void ls__post_node(ls_node *node, uint32_t key, double d0, int32_t i0, void *ptr)
{
    ls_msg m = {0};
    m.type = LS_MSG_NODE;
    m.key = key;
    m.target.proc = node->proc;
    m.d0 = d0;
    m.i0 = i0;
    m.ptr = ptr;
    ls__post(node->ctx, &m);
}

void ls__node_publish(ls_node *node)
{
    ls_context *ctx = node->ctx;
    if (node->type != LS_NODE_TYPE_DESTINATION && node->type != LS_NODE_TYPE_LISTENER)
        ls_context_retain(ctx);    /* each node handle keeps its context */
    ls__lock(ctx);
    if (ls__graph_reserve(ctx, ctx->ctl_node_count + 1) != LS_OK) {
        /* cannot grow: the node stays out of the render graph, silent */
        ls__unlock(ctx);
        return;
    }
    ctx->ctl_node_count++;
    ls__record_node_added(node);
    ls_msg m = {0};
    m.type = LS_MSG_ADD_NODE;
    m.target.proc = node->proc;
    ls__post(ctx, &m);
    ls__unlock(ctx);
}

/* ------------------------------------------------------------------ */
/* References and plain properties                                     */
/* ------------------------------------------------------------------ */

void ls_node_retain(ls_node *node)
{
    atomic_fetch_add(&node->refcount, 1);
}

void ls_node_release(ls_node *node)
{
    if (!node || node->type == LS_NODE_TYPE_DESTINATION || node->type == LS_NODE_TYPE_LISTENER)
        return;
    ls_context *ctx = node->ctx;
    ls__lock(ctx);
    int left = atomic_fetch_sub(&node->refcount, 1) - 1;
    if (left > 0 && (uint32_t)left == node->queued_events) {
        /* only undelivered events still refer to it: nobody will read them */
        ls__drop_events_for(ctx, node);
        left = atomic_load(&node->refcount);
    }
    if (left == 0) {
        ls_msg m = {0};
        m.type = LS_MSG_RELEASE_NODE;
        m.target.proc = node->proc;
        ls__post(ctx, &m);
    }
    ls__unlock(ctx);
    if (left == 0)
        ls_context_release(ctx);
}

ls_node_type ls_node_get_type(const ls_node *node) { return node->type; }
ls_context *ls_node_context(const ls_node *node) { return node->ctx; }
uint32_t ls_node_number_of_inputs(const ls_node *node) { return node->num_inputs; }
uint32_t ls_node_number_of_outputs(const ls_node *node) { return node->num_outputs; }
void ls_node_set_user_data(ls_node *node, void *user_data) { node->user_data = user_data; }
void *ls_node_user_data(const ls_node *node) { return node->user_data; }

ls_result ls_node_set_name(ls_node *node, const char *name)
{
    if (!node)
        return LS_ERROR_INVALID_ARGUMENT;
    size_t n = name ? strlen(name) : 0;
    if (n > LS_NODE_NAME_MAX)
        return LS_ERROR_RANGE;
    char *copy = NULL;
    if (n > 0) {
        copy = malloc(n + 1);
        if (!copy)
            return LS_ERROR_NO_MEM;
        memcpy(copy, name, n + 1);
    }
    ls__lock(node->ctx);
    char *old = node->name;
    node->name = copy;
    ls__unlock(node->ctx);
    free(old);
    return LS_OK;
}

size_t ls_node_get_name(const ls_node *node, char *buf, size_t size)
{
    if (!node)
        return 0;
    ls__lock(node->ctx);
    size_t n = node->name ? strlen(node->name) : 0;
    if (buf && size > 0) {
        size_t k = n < size - 1 ? n : size - 1;
        if (k > 0)
            memcpy(buf, node->name, k);
        buf[k] = '\0';
    }
    ls__unlock(node->ctx);
    return n;
}

uint32_t ls_node_channel_count(const ls_node *node) { return node->channel_count; }
ls_channel_count_mode ls_node_channel_count_mode(const ls_node *node) { return node->channel_count_mode; }
ls_channel_interpretation ls_node_channel_interpretation(const ls_node *node)
{
    return node->channel_interpretation;
}

static void post_channel_config(ls_node *node)
{
    ls_msg m = {0};
    m.type = LS_MSG_CHANNEL_CONFIG;
    m.target.proc = node->proc;
    m.i0 = (int32_t)node->channel_count;
    m.i1 = (int32_t)node->channel_count_mode;
    m.i2 = (int32_t)node->channel_interpretation;
    ls__post(node->ctx, &m);
}

ls_result ls_node_set_channel_count(ls_node *node, uint32_t count)
{
    if (count < 1 || count > LS_MAX_CHANNELS)
        return LS_ERROR_NOT_SUPPORTED;
    if (node->channel_count_limit && count > node->channel_count_limit)
        return LS_ERROR_NOT_SUPPORTED;
    if (node->channel_count_fixed && count != node->channel_count)
        return LS_ERROR_INVALID_STATE;
    if (count > node->max_channel_count)
        return node->type == LS_NODE_TYPE_DESTINATION ? LS_ERROR_INDEX_SIZE : LS_ERROR_NOT_SUPPORTED;
    ls__lock(node->ctx);
    node->channel_count = count;
    post_channel_config(node);
    ls__unlock(node->ctx);
    return LS_OK;
}

ls_result ls_node_set_channel_count_mode(ls_node *node, ls_channel_count_mode mode)
{
    if ((int)mode < 0 || mode > LS_CHANNEL_COUNT_MODE_EXPLICIT)
        return LS_ERROR_INVALID_ARGUMENT;
    if (node->channel_mode_fixed && mode != node->channel_count_mode)
        return LS_ERROR_INVALID_STATE;
    if (node->channel_mode_max_unsupported && mode == LS_CHANNEL_COUNT_MODE_MAX)
        return LS_ERROR_NOT_SUPPORTED;
    ls__lock(node->ctx);
    node->channel_count_mode = mode;
    post_channel_config(node);
    ls__unlock(node->ctx);
    return LS_OK;
}

ls_result ls_node_set_channel_interpretation(ls_node *node, ls_channel_interpretation interp)
{
    if ((int)interp < 0 || interp > LS_CHANNEL_INTERPRETATION_DISCRETE)
        return LS_ERROR_INVALID_ARGUMENT;
    if (node->channel_interp_fixed && interp != node->channel_interpretation)
        return LS_ERROR_INVALID_STATE;
    ls__lock(node->ctx);
    node->channel_interpretation = interp;
    post_channel_config(node);
    ls__unlock(node->ctx);
    return LS_OK;
}

uint32_t ls_node_param_count(const ls_node *node) { return node->proc->nparams; }

ls_param *ls_node_param(const ls_node *node, uint32_t index)
{
    return index < node->proc->nparams ? node->proc->params[index] : NULL;
}

ls_param *ls_node_param_by_name(const ls_node *node, const char *name)
{
    for (uint32_t i = 0; i < node->proc->nparams; i++)
        if (strcmp(node->proc->params[i]->name, name) == 0)
            return node->proc->params[i];
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Connections                                                         */
/* ------------------------------------------------------------------ */

static ls_result add_edge(ls_node *src, ls_node *dst, ls_param *param, uint32_t output,
                          uint32_t input)
{
    ls_context *ctx = src->ctx;
    ls__lock(ctx);
    if (ctx->closed) {
        ls__unlock(ctx);
        return LS_ERROR_INVALID_STATE;
    }
    for (ls_edge *e = src->out_edges; e; e = e->ctl_next_out)
        if (e->dst == dst && e->dst_param == param && e->output == output &&
            (param || e->input == input)) {
            ls__unlock(ctx);
            return LS_OK; /* already connected */
        }
    ls_edge *e = calloc(1, sizeof *e);
    if (!e) {
        ls__unlock(ctx);
        return LS_ERROR_NO_MEM;
    }
    e->ret.dispose = edge_dispose;
    e->src = src;
    e->dst = dst;
    e->dst_param = param;
    e->output = output;
    e->input = param ? 0 : input;
    e->serial = ++ctx->edge_serial;
    e->ctl_next_out = src->out_edges;
    if (src->out_edges)
        src->out_edges->ctl_pprev_out = &e->ctl_next_out;
    e->ctl_pprev_out = &src->out_edges;
    src->out_edges = e;
    e->ctl_next_in = dst->in_edges;
    if (dst->in_edges)
        dst->in_edges->ctl_pprev_in = &e->ctl_next_in;
    e->ctl_pprev_in = &dst->in_edges;
    dst->in_edges = e;
    ls_msg m = {0};
    m.type = LS_MSG_CONNECT;
    m.target.edge = e;
    ls__post(ctx, &m);
    ls__unlock(ctx);
    return LS_OK;
}

ls_result ls_node_connect(ls_node *src, ls_node *dst, uint32_t output, uint32_t input)
{
    if (!src || !dst)
        return LS_ERROR_INVALID_ARGUMENT;
    if (src->ctx != dst->ctx)
        return LS_ERROR_INVALID_ACCESS;
    if (output >= src->num_outputs || input >= dst->num_inputs)
        return LS_ERROR_INDEX_SIZE;
    return add_edge(src, dst, NULL, output, input);
}

ls_result ls_node_connect_param(ls_node *src, ls_param *dst, uint32_t output)
{
    if (!src || !dst)
        return LS_ERROR_INVALID_ARGUMENT;
    ls_node *owner = ls_param_node(dst);
    if (src->ctx != owner->ctx)
        return LS_ERROR_INVALID_ACCESS;
    if (output >= src->num_outputs)
        return LS_ERROR_INDEX_SIZE;
    return add_edge(src, owner, dst, output, 0);
}

/* Remove every outgoing edge of src that matches; the flags say which of
 * dst/param/output/input must match. Returns how many were removed. */
enum { M_DST = 1, M_PARAM = 2, M_OUTPUT = 4, M_INPUT = 8, M_NODES_ONLY = 16 };

static uint32_t remove_matching(ls_node *src, ls_node *dst, ls_param *param, uint32_t output,
                                uint32_t input, int match)
{
    ls_context *ctx = src->ctx;
    uint32_t removed = 0;
    ls_edge *e = src->out_edges;
    while (e) {
        ls_edge *next = e->ctl_next_out;
        bool ok = true;
        if ((match & M_DST) && (e->dst != dst || e->dst_param))
            ok = false;
        if ((match & M_PARAM) && e->dst_param != param)
            ok = false;
        if ((match & M_OUTPUT) && e->output != output)
            ok = false;
        if ((match & M_INPUT) && e->input != input)
            ok = false;
        if (ok) {
            edge_remove(ctx, e, false);
            removed++;
        }
        e = next;
    }
    return removed;
}

static ls_result disconnect(ls_node *src, ls_node *dst, ls_param *param, uint32_t output,
                            uint32_t input, int match, bool must_exist)
{
    if (!src)
        return LS_ERROR_INVALID_ARGUMENT;
    if ((match & M_OUTPUT) && output >= src->num_outputs)
        return LS_ERROR_INDEX_SIZE;
    if ((match & M_INPUT) && dst && input >= dst->num_inputs)
        return LS_ERROR_INDEX_SIZE;
    ls_context *ctx = src->ctx;
    ls__lock(ctx);
    uint32_t n = remove_matching(src, dst, param, output, input, match);
    ls__unlock(ctx);
    return (must_exist && n == 0) ? LS_ERROR_INVALID_ACCESS : LS_OK;
}

ls_result ls_node_disconnect_all(ls_node *src)
{
    return disconnect(src, NULL, NULL, 0, 0, 0, false);
}

ls_result ls_node_disconnect_output(ls_node *src, uint32_t output)
{
    return disconnect(src, NULL, NULL, output, 0, M_OUTPUT, false);
}

ls_result ls_node_disconnect_node(ls_node *src, ls_node *dst)
{
    if (!dst)
        return LS_ERROR_INVALID_ARGUMENT;
    return disconnect(src, dst, NULL, 0, 0, M_DST, true);
}

ls_result ls_node_disconnect_node_output(ls_node *src, ls_node *dst, uint32_t output)
{
    if (!dst)
        return LS_ERROR_INVALID_ARGUMENT;
    return disconnect(src, dst, NULL, output, 0, M_DST | M_OUTPUT, true);
}

ls_result ls_node_disconnect_node_output_input(ls_node *src, ls_node *dst, uint32_t output,
                                               uint32_t input)
{
    if (!dst)
        return LS_ERROR_INVALID_ARGUMENT;
    return disconnect(src, dst, NULL, output, input, M_DST | M_OUTPUT | M_INPUT, true);
}

ls_result ls_node_disconnect_param(ls_node *src, ls_param *dst)
{
    if (!dst)
        return LS_ERROR_INVALID_ARGUMENT;
    return disconnect(src, NULL, dst, 0, 0, M_PARAM, true);
}

ls_result ls_node_disconnect_param_output(ls_node *src, ls_param *dst, uint32_t output)
{
    if (!dst)
        return LS_ERROR_INVALID_ARGUMENT;
    return disconnect(src, NULL, dst, output, 0, M_PARAM | M_OUTPUT, true);
}
