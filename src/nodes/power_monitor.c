/*
 * PowerMonitorNode: passes its input through unchanged and measures the RMS
 * level of the latest window_size frames (src/dsp/monitor.c). The render
 * thread publishes the figure in dB with one atomic store per quantum; any
 * thread reads it with one atomic load, without the context's lock.
 */
#include "../engine.h"
#include "../dsp/monitor.h"

#include <stdlib.h>
#include <string.h>

typedef struct pm_proc {
    ls_proc base;
    /* set once */
    uint32_t window;
    float *ring;                  /* window floats, owned by st */
    /* shared */
    atomic_uint db_bits;          /* the latest level, float bits */
    /* render */
    ls_level st;
} pm_proc;

static bool pm_process(ls_proc *base, ls_render *r)
{
    pm_proc *p = (pm_proc *)base;
    ls_bus *in = &base->inputs[0].bus;
    ls_bus *out = &base->outputs[0];
    if (in->silent) {
        ls_level_push(&p->st, NULL, 0, LS_Q);
        ls__bus_silence(r, out, in->channels);
    } else {
        ls_level_push(&p->st, (const float *const *)in->ch, in->channels, LS_Q);
        if (ls__bus_alloc(r, out, in->channels))
            for (uint32_t c = 0; c < in->channels; c++)
                memcpy(out->ch[c], in->ch[c], sizeof(float) * LS_Q);
    }
    float db = ls_level_db(&p->st, LS_POWER_MONITOR_FLOOR_DB);
    atomic_store_explicit(&p->db_bits, ls__float_bits(db), memory_order_release);
    return false;
}

static void pm_destroy(ls_proc *base)
{
    pm_proc *p = (pm_proc *)base;
    free(p->ring);
    p->ring = NULL;
}

static const ls_proc_vtable pm_vtable = {pm_process, NULL, pm_destroy, NULL};

static const pm_proc *as_pm(const ls_node *n)
{
    return n && n->type == LS_NODE_TYPE_POWER_MONITOR ? (const pm_proc *)n->proc : NULL;
}

ls_power_monitor_options ls_power_monitor_options_default(void)
{
    ls_power_monitor_options o;
    o.node = ls_node_options_default();
    o.window_size = 128;
    return o;
}

ls_result ls_power_monitor_create(ls_context *ctx, const ls_power_monitor_options *options,
                                  ls_node **out)
{
    if (!ctx || !out)
        return LS_ERROR_INVALID_ARGUMENT;
    ls_power_monitor_options o = options ? *options : ls_power_monitor_options_default();
    if (o.window_size < 1 || o.window_size > LS_POWER_MONITOR_MAX_WINDOW)
        return LS_ERROR_NOT_SUPPORTED;
    static const ls_node_options defaults = {2, LS_CHANNEL_COUNT_MODE_MAX,
                                             LS_CHANNEL_INTERPRETATION_SPEAKERS};
    ls_node *node;
    ls_result res = ls__node_create(ctx, LS_NODE_TYPE_POWER_MONITOR, &pm_vtable, sizeof(pm_proc),
                                    1, 1, &defaults, &o.node, &node);
    if (res != LS_OK)
        return res;
    pm_proc *p = (pm_proc *)node->proc;
    p->ring = malloc(sizeof(float) * o.window_size);
    if (!p->ring) {
        ls__node_free_unpublished(node);
        return LS_ERROR_NO_MEM;
    }
    p->window = o.window_size;
    ls_level_init(&p->st, p->ring, o.window_size);
    atomic_store(&p->db_bits, ls__float_bits(LS_POWER_MONITOR_FLOOR_DB));
    ls__node_publish(node);
    *out = node;
    return LS_OK;
}

float ls_power_monitor_get_db(const ls_node *node)
{
    const pm_proc *p = as_pm(node);
    if (!p)
        return NAN;
    return ls__bits_float(atomic_load_explicit(&((pm_proc *)p)->db_bits, memory_order_acquire));
}

uint32_t ls_power_monitor_get_window_size(const ls_node *node)
{
    const pm_proc *p = as_pm(node);
    return p ? p->window : 0;
}
