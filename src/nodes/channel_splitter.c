/*
 * ChannelSplitterNode: output i carries channel i of the input (mono), or
 * silence when the input has fewer channels. Its channel count equals its
 * number of outputs, its count mode is "explicit" and its interpretation
 * "discrete"; none of them may change.
 */
#include "../engine.h"
#include "../node_types.h"

#include <stddef.h>

#include <string.h>

typedef struct splitter_proc {
    ls_proc base;
} splitter_proc;

static bool splitter_process(ls_proc *base, ls_render *r)
{
    ls_bus *in = &base->inputs[0].bus;
    for (uint32_t o = 0; o < base->num_outputs; o++) {
        ls_bus *out = &base->outputs[o];
        if (in->silent || o >= in->channels) {
            ls__bus_silence(r, out, 1);
            continue;
        }
        if (ls__bus_alloc(r, out, 1))
            memcpy(out->ch[0], in->ch[o], sizeof(float) * LS_Q);
    }
    return false;
}

static const ls_proc_vtable splitter_vtable = {splitter_process, NULL, NULL, NULL};

LS__OPTIONS_DEFAULT(channel_splitter)

ls_result ls_channel_splitter_create(ls_context *ctx, const ls_channel_splitter_options *options,
                                     ls_node **out)
{
    if (!ctx || !out)
        return LS_ERROR_INVALID_ARGUMENT;
    ls_channel_splitter_options o = options ? *options : ls_channel_splitter_options_default();
    if (o.number_of_outputs < 1 || o.number_of_outputs > LS_MAX_CHANNELS)
        return LS_ERROR_INDEX_SIZE;
    int32_t n = (int32_t)o.number_of_outputs;
    if ((o.node.channel_count != 0 && o.node.channel_count != n) ||
        (o.node.channel_count_mode != -1 &&
         o.node.channel_count_mode != LS_CHANNEL_COUNT_MODE_EXPLICIT) ||
        (o.node.channel_interpretation != -1 &&
         o.node.channel_interpretation != LS_CHANNEL_INTERPRETATION_DISCRETE))
        return LS_ERROR_INVALID_STATE;
    ls_node_options defaults = {n, LS_CHANNEL_COUNT_MODE_EXPLICIT,
                                LS_CHANNEL_INTERPRETATION_DISCRETE};
    ls_node *node;
    ls_result res = ls__node_create(ctx, LS_NODE_TYPE_CHANNEL_SPLITTER, &splitter_vtable,
                                    sizeof(splitter_proc), 1, o.number_of_outputs, &defaults,
                                    &o.node, &node);
    if (res != LS_OK)
        return res;
    node->channel_count_fixed = 1;
    node->channel_mode_fixed = 1;
    node->channel_interp_fixed = 1;
    ls__node_publish(node);
    *out = node;
    return LS_OK;
}

LS__CREATE_FN(channel_splitter)

static const ls_option_descriptor splitter_options[] = {
    {"number_of_outputs", LS_VALUE_UINT, offsetof(ls_channel_splitter_options, number_of_outputs),
     0, 6, NULL, NULL, 0, "number of outputs, 1 to 32: output i carries channel i", 1, LS_MAX_CHANNELS},
};

const ls_node_descriptor ls__channel_splitter_type = {
    .name = "ChannelSplitter", .key = "channel_splitter", .type = LS_NODE_TYPE_CHANNEL_SPLITTER,
    .doc = "splits its input's channels to separate mono outputs",
    .number_of_inputs = 1, .number_of_outputs = 6, .flags = LS_NODE_TYPE_VARIABLE_IO,
    .channel_defaults = {6, LS_CHANNEL_COUNT_MODE_EXPLICIT, LS_CHANNEL_INTERPRETATION_DISCRETE},
    .options = splitter_options, .option_count = LS__COUNT(splitter_options),
    .options_size = sizeof(ls_channel_splitter_options),
    .options_init = channel_splitter_options_init, .create = channel_splitter_create_any,
};
