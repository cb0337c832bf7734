/* AudioDestinationNode: the context's output. Its input is mixed to the
 * context's channel count and handed to the backend. */
#include "../engine.h"
#include "../node_types.h"

#include <float.h>
#include <stddef.h>

static bool destination_process(ls_proc *p, ls_render *r)
{
    ls_bus *in = &p->inputs[0].bus;
    ls_bus *out = &p->outputs[0];
    uint32_t channels = r->ctx->channels;
    if (in->silent) {
        ls__bus_silence(r, out, channels);
        return false;
    }
    if (in->channels == channels) {
        /* borrow the input's blocks (freed by the end-of-quantum sweep) */
        out->channels = (uint16_t)channels;
        out->silent = 0;
        out->nblocks = 0;
        for (uint32_t c = 0; c < channels; c++)
            out->ch[c] = in->ch[c];
        return false;
    }
    if (!ls__bus_alloc(r, out, channels))
        return false;
    ls__bus_zero(out);
    ls__mix_sum(out, in, (ls_channel_interpretation)p->channel_interpretation);
    return false;
}

static const ls_proc_vtable destination_vtable = {destination_process, NULL, NULL};

ls_result ls__destination_create(ls_context *ctx, ls_node **out)
{
    extern const ls_node_descriptor ls__destination_type;
    ls_node_options defaults = ls__destination_type.channel_defaults;
    defaults.channel_count = (int32_t)ctx->channels;     /* the context's */
    ls_node *node;
    ls_result r = ls__node_create(ctx, LS_NODE_TYPE_DESTINATION, &destination_vtable,
                                  sizeof(ls_proc), 1, 1, &defaults, NULL, &node);
    if (r != LS_OK)
        return r;
    node->max_channel_count = ctx->channels;
    ls__node_publish(node);
    *out = node;
    return LS_OK;
}

const ls_node_descriptor ls__destination_type = {
    .name = "AudioDestination", .key = "destination", .type = LS_NODE_TYPE_DESTINATION,
    .doc = "the context's output: what reaches it is played or rendered",
    .number_of_inputs = 1, .number_of_outputs = 1, .flags = LS_NODE_TYPE_INTERNAL,
    .channel_defaults = {2, LS_CHANNEL_COUNT_MODE_EXPLICIT, LS_CHANNEL_INTERPRETATION_SPEAKERS},
    .options_size = sizeof(ls_node_options),
};
