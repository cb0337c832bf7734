/*
 * ChannelMergerNode: input i, down-mixed to mono by the usual input mixing
 * (channel count 1, "explicit"), becomes channel i of the single output,
 * which always has as many channels as the node has inputs. The channel
 * count and count mode are fixed; the interpretation may change.
 */
#include "../engine.h"
#include "../node_types.h"

#include <stddef.h>

#include <string.h>

typedef struct merger_proc {
    ls_proc base;
} merger_proc;

static bool merger_process(ls_proc *base, ls_render *r)
{
    uint32_t n = base->num_inputs;
    ls_bus *out = &base->outputs[0];
    bool any = false;
    for (uint32_t i = 0; i < n; i++)
        if (!base->inputs[i].bus.silent)
            any = true;
    if (!any) {
        ls__bus_silence(r, out, n);
        return false;
    }
    if (!ls__bus_alloc(r, out, n))
        return false;
    for (uint32_t i = 0; i < n; i++) {
        const ls_bus *in = &base->inputs[i].bus;
        if (in->silent)
            memset(out->ch[i], 0, sizeof(float) * LS_Q);
        else
            memcpy(out->ch[i], in->ch[0], sizeof(float) * LS_Q);
    }
    return false;
}

static const ls_proc_vtable merger_vtable = {merger_process, NULL, NULL, NULL};

LS__OPTIONS_DEFAULT(channel_merger)

ls_result ls_channel_merger_create(ls_context *ctx, const ls_channel_merger_options *options,
                                   ls_node **out)
{
    if (!ctx || !out)
        return LS_ERROR_INVALID_ARGUMENT;
    ls_channel_merger_options o = options ? *options : ls_channel_merger_options_default();
    if (o.number_of_inputs < 1 || o.number_of_inputs > LS_MAX_CHANNELS)
        return LS_ERROR_INDEX_SIZE;
    if ((o.node.channel_count != 0 && o.node.channel_count != 1) ||
        (o.node.channel_count_mode != -1 &&
         o.node.channel_count_mode != LS_CHANNEL_COUNT_MODE_EXPLICIT))
        return LS_ERROR_INVALID_STATE;
    const ls_node_descriptor *t = &ls__channel_merger_type;
    ls_node *node;
    ls_result res = ls__node_create(ctx, t->type, &merger_vtable, sizeof(merger_proc),
                                    o.number_of_inputs, t->number_of_outputs,
                                    &t->channel_defaults, &o.node, &node);
    if (res != LS_OK)
        return res;
    node->channel_count_fixed = 1;
    node->channel_mode_fixed = 1;
    ls__node_publish(node);
    *out = node;
    return LS_OK;
}

LS__CREATE_FN(channel_merger)

static const ls_option_descriptor merger_options[] = {
    {"number_of_inputs", LS_VALUE_UINT, offsetof(ls_channel_merger_options, number_of_inputs),
     0, 6, NULL, NULL, 0, "number of inputs, 1 to 32: input i becomes channel i", 1, LS_MAX_CHANNELS},
};

const ls_node_descriptor ls__channel_merger_type = {
    .name = "ChannelMerger", .key = "channel_merger", .type = LS_NODE_TYPE_CHANNEL_MERGER,
    .doc = "merges mono inputs into the channels of one output",
    .number_of_inputs = 6, .number_of_outputs = 1, .flags = LS_NODE_TYPE_VARIABLE_IO,
    .channel_defaults = {1, LS_CHANNEL_COUNT_MODE_EXPLICIT, LS_CHANNEL_INTERPRETATION_SPEAKERS},
    .options = merger_options, .option_count = LS__COUNT(merger_options),
    .options_size = sizeof(ls_channel_merger_options),
    .options_init = channel_merger_options_init, .create = channel_merger_create_any,
};
