/*
 * PowerMonitorNode: passes its input through unchanged and measures the RMS
 * level of the latest window_size frames (src/dsp/monitor.c). The render
 * thread publishes the figure in dB with one atomic store per quantum; any
 * thread reads it with one atomic load, without the context's lock.
 */
#include "../engine.h"
#include "../node_types.h"

#include <float.h>
#include <stddef.h>
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

LS__OPTIONS_DEFAULT(power_monitor)

ls_result ls_power_monitor_create(ls_context *ctx, const ls_power_monitor_options *options,
                                  ls_node **out)
{
    if (!ctx || !out)
        return LS_ERROR_INVALID_ARGUMENT;
    ls_power_monitor_options o = options ? *options : ls_power_monitor_options_default();
    if (o.window_size < 1 || o.window_size > LS_POWER_MONITOR_MAX_WINDOW)
        return LS_ERROR_NOT_SUPPORTED;
    const ls_node_descriptor *desc = &ls__power_monitor_type;
    ls_node *node;
    ls_result res = ls__node_create(ctx, LS_NODE_TYPE_POWER_MONITOR, &pm_vtable, sizeof(pm_proc),
                                    1, 1, &desc->channel_defaults, &o.node, &node);
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

LS__CREATE_FN(power_monitor)

static ls_result get_window_size(const ls_node *node, ls_value *out)
{
    if (!node || node->type != LS_NODE_TYPE_POWER_MONITOR)
        return LS_ERROR_INVALID_ARGUMENT;
    out->i = ls_power_monitor_get_window_size(node);
    return LS_OK;
}

static ls_result get_db(const ls_node *node, ls_value *out)
{
    if (!node || node->type != LS_NODE_TYPE_POWER_MONITOR)
        return LS_ERROR_INVALID_ARGUMENT;
    out->f = ls_power_monitor_get_db(node);
    return LS_OK;
}

static const ls_option_descriptor power_monitor_options[] = {
    {"window_size", LS_VALUE_UINT, offsetof(ls_power_monitor_options, window_size), 0, 128,
     NULL, NULL, 0, "frames the level is measured over, 1 to 65536", 1, 65536},
};

static const ls_setting_descriptor power_monitor_settings[] = {
    {"window_size", LS_VALUE_UINT, NULL, "window_size", get_window_size, NULL,
     "frames the level is measured over"},
    {"db", LS_VALUE_FLOAT, NULL, NULL, get_db, NULL,
     "level of the latest window in dB (20 log10 of the RMS), read-only"},
};

const ls_node_descriptor ls__power_monitor_type = {
    .name = "PowerMonitor", .key = "power_monitor", .type = LS_NODE_TYPE_POWER_MONITOR,
    .doc = "passes its input through and measures its level in dB",
    .number_of_inputs = 1, .number_of_outputs = 1,
    .channel_defaults = LS__CHANNELS_DEFAULT,
    .options = power_monitor_options, .option_count = LS__COUNT(power_monitor_options),
    .settings = power_monitor_settings, .setting_count = LS__COUNT(power_monitor_settings),
    .options_size = sizeof(ls_power_monitor_options),
    .options_init = power_monitor_options_init, .create = power_monitor_create_any,
};
