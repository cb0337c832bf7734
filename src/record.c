/*
 * Records of the control side (include/labsound/record.h): the context's
 * nodes in creation order, each param's calls, each node's scheduling calls,
 * and the functions that read them back. Everything here runs on control
 * threads under ctx->lock; the render side never sees a record.
 */
#include "engine.h"
#include "param.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* The node list                                                       */
/* ------------------------------------------------------------------ */

void ls__record_node_added(ls_node *node)
{
    ls_proc *p = node->proc;
    for (uint32_t i = 0; i < p->nparams; i++)
        p->params[i]->initial_value = ls_param_value(p->params[i]);
    if (node->type == LS_NODE_TYPE_DESTINATION || node->type == LS_NODE_TYPE_LISTENER)
        return;
    ls_context *ctx = node->ctx;
    node->serial = ++ctx->node_serial;
    node->rec_prev = ctx->rec_tail;
    node->rec_next = NULL;
    if (ctx->rec_tail)
        ctx->rec_tail->rec_next = node;
    else
        ctx->rec_head = node;
    ctx->rec_tail = node;
}

void ls__record_node_freed(ls_node *node)
{
    if (node->serial) {
        ls_context *ctx = node->ctx;
        if (node->rec_prev)
            node->rec_prev->rec_next = node->rec_next;
        else
            ctx->rec_head = node->rec_next;
        if (node->rec_next)
            node->rec_next->rec_prev = node->rec_prev;
        else
            ctx->rec_tail = node->rec_prev;
        node->rec_prev = node->rec_next = NULL;
        node->serial = 0;
    }
    free(node->calls);
    node->calls = NULL;
    node->call_count = node->call_cap = 0;
}

/* A real-time context keeps the newest LS_RECORD_REALTIME_MAX records:
 * when full, the older half goes. Returns how many records were dropped
 * from the front (the caller frees what they own first). */
static uint32_t realtime_drop(const ls_context *ctx, uint32_t count)
{
    if (ctx->offline || count < LS_RECORD_REALTIME_MAX)
        return 0;
    return count / 2;
}

/* Grow an array of records to hold one more. */
static bool grow(void **items, uint32_t *cap, uint32_t count, size_t size)
{
    if (count < *cap)
        return true;
    uint32_t n = *cap ? *cap * 2 : 8;
    void *a = realloc(*items, size * n);
    if (!a)
        return false;
    *items = a;
    *cap = n;
    return true;
}

void ls__record_call(ls_node *node, ls_call_record_type type, double when, double offset,
                     double duration, int32_t loop_count)
{
    uint32_t drop = realtime_drop(node->ctx, node->call_count);
    if (drop) {
        memmove(node->calls, node->calls + drop,
                sizeof(ls_call_record) * (node->call_count - drop));
        node->call_count -= drop;
    }
    if (!grow((void **)&node->calls, &node->call_cap, node->call_count, sizeof(ls_call_record))) {
        node->calls_incomplete = true;
        return;
    }
    ls_call_record *c = &node->calls[node->call_count++];
    c->type = type;
    c->when = when;
    c->offset = offset;
    c->duration = duration;
    c->loop_count = loop_count;
}

void ls__record_param(ls_param *p, const ls_param_record *rec)
{
    uint32_t drop = realtime_drop(p->node->ctx, p->log_count);
    if (drop) {
        for (uint32_t i = 0; i < drop; i++)
            free((float *)p->log[i].curve);
        memmove(p->log, p->log + drop, sizeof(ls_param_record) * (p->log_count - drop));
        p->log_count -= drop;
    }
    float *curve = NULL;
    if (rec->curve_length) {
        curve = malloc(sizeof(float) * rec->curve_length);
        if (!curve) {
            p->log_incomplete = true;
            return;
        }
        memcpy(curve, rec->curve, sizeof(float) * rec->curve_length);
    }
    if (!grow((void **)&p->log, &p->log_cap, p->log_count, sizeof(ls_param_record))) {
        free(curve);
        p->log_incomplete = true;
        return;
    }
    ls_param_record *r = &p->log[p->log_count++];
    *r = *rec;
    r->curve = curve;
}

void ls__record_param_free(ls_param *p)
{
    for (uint32_t i = 0; i < p->log_count; i++)
        free((float *)p->log[i].curve);
    free(p->log);
    p->log = NULL;
    p->log_count = p->log_cap = 0;
}

/* ------------------------------------------------------------------ */
/* Reading back                                                        */
/* ------------------------------------------------------------------ */

/** Control thread. Errors: INVALID_ARGUMENT, INVALID_STATE. */
ls_result ls_context_nodes(ls_context *ctx, ls_node **out, size_t cap, size_t *count)
{
    if (!ctx || !count || (cap && !out))
        return LS_ERROR_INVALID_ARGUMENT;
    ls__lock(ctx);      /* collects first: reclaimed nodes are gone from the list */
    if (atomic_load(&ctx->rendering)) {
        ls__unlock(ctx);
        return LS_ERROR_INVALID_STATE;
    }
    size_t n = 0;
    for (ls_node *node = ctx->rec_head; node; node = node->rec_next) {
        if (node->removing)
            continue;      /* silent for good, on its way out */
        bool released = atomic_load(&node->refcount) == 0;
        /* A released node of a real-time context may be reported finished
         * by the render thread at any moment: it is not handed out. An
         * offline context that is not rendering has nothing in flight (the
         * lock collected every notice), so a released node can be taken
         * back: the render side is told before it renders again. */
        if (released && !ctx->offline)
            continue;
        if (n < cap) {
            if (released) {
                atomic_store(&node->refcount, 1);
                ls_context_retain(ctx);
                ls_msg m = {0};
                m.type = LS_MSG_RETAIN_NODE;
                m.target.proc = node->proc;
                ls__post(ctx, &m);
            } else {
                atomic_fetch_add(&node->refcount, 1);
            }
            out[n] = node;
        }
        n++;
    }
    ls__unlock(ctx);
    *count = n;
    return LS_OK;
}

ls_node *ls_context_listener_node(ls_context *ctx)
{
    if (!ctx)
        return NULL;
    ls__lock(ctx);
    ls_node *l = ctx->listener;
    ls__unlock(ctx);
    return l;
}

uint64_t ls_node_serial(const ls_node *node)
{
    return node ? node->serial : 0;
}

/** Control thread. Errors: INVALID_ARGUMENT. */
ls_result ls_node_connections(ls_node *src, ls_connection_info *out, size_t cap, size_t *count)
{
    if (!src || !count || (cap && !out))
        return LS_ERROR_INVALID_ARGUMENT;
    ls__lock(src->ctx);
    size_t n = 0;
    for (ls_edge *e = src->out_edges; e; e = e->ctl_next_out)
        n++;
    if (n <= cap) {
        /* the list is newest first: insert each in serial order */
        size_t k = 0;
        for (ls_edge *e = src->out_edges; e; e = e->ctl_next_out, k++) {
            ls_connection_info c;
            c.src = src;
            c.output = e->output;
            c.dst = e->dst;
            c.param = e->dst_param;
            c.input = e->dst_param ? 0 : e->input;
            c.serial = e->serial;
            size_t j = k;
            while (j > 0 && out[j - 1].serial > c.serial) {
                out[j] = out[j - 1];
                j--;
            }
            out[j] = c;
        }
    }
    ls__unlock(src->ctx);
    *count = n;
    return LS_OK;
}

float ls_param_initial_value(const ls_param *p)
{
    return p ? p->initial_value : 0.0f;
}

/** Control thread. Errors: INVALID_ARGUMENT, NO_MEM (a call could not be
 *  recorded: the records are incomplete). */
ls_result ls_param_records(ls_param *p, ls_param_record *out, size_t cap, size_t *count)
{
    if (!p || !count || (cap && !out))
        return LS_ERROR_INVALID_ARGUMENT;
    ls_context *ctx = p->node->ctx;
    ls__lock(ctx);
    size_t n = p->log_count;
    for (size_t i = 0; i < n && i < cap; i++)
        out[i] = p->log[i];
    ls_result r = p->log_incomplete ? LS_ERROR_NO_MEM : LS_OK;
    ls__unlock(ctx);
    *count = n;
    return r;
}

/** Control thread. Errors: INVALID_ARGUMENT, NO_MEM (a call could not be
 *  recorded: the records are incomplete). */
ls_result ls_node_call_records(ls_node *node, ls_call_record *out, size_t cap, size_t *count)
{
    if (!node || !count || (cap && !out))
        return LS_ERROR_INVALID_ARGUMENT;
    ls_context *ctx = node->ctx;
    ls__lock(ctx);
    size_t n = node->call_count;
    for (size_t i = 0; i < n && i < cap; i++)
        out[i] = node->calls[i];
    ls_result r = node->calls_incomplete ? LS_ERROR_NO_MEM : LS_OK;
    ls__unlock(ctx);
    *count = n;
    return r;
}
