/*
 * MediaStreamAudioSourceNode (LabSound's AudioHardwareInputNode): outputs the
 * context's captured device input, one channel per captured channel. The
 * render half copies the quantum the device pump took from the capture ring
 * (backends/device.h); with no input (not yet primed, or the device gone) it
 * outputs silence.
 */
#include "../backends/device.h"

#include <string.h>

typedef struct mss_proc {
    ls_proc base;
    uint32_t channels;             /* set once */
} mss_proc;

static bool mss_process(ls_proc *p, ls_render *r)
{
    mss_proc *m = (mss_proc *)p;
    uint32_t channels = 0;
    const float *in = ls__device_input(r->ctx, &channels);
    if (!in || channels != m->channels) {
        ls__bus_silence(r, &p->outputs[0], m->channels);
        return p->out_count > 0;
    }
    if (!ls__bus_alloc(r, &p->outputs[0], channels))
        return p->out_count > 0;
    for (uint32_t c = 0; c < channels; c++)
        memcpy(p->outputs[0].ch[c], in + (size_t)c * LS_Q, sizeof(float) * LS_Q);
    /* a live stream sounds while something hears it, held by Python or not */
    return p->out_count > 0;
}

static const ls_proc_vtable mss_vtable = {mss_process, NULL, NULL};

ls_result ls_media_stream_source_create(ls_context *ctx, ls_node **out)
{
    if (!ctx || !out)
        return LS_ERROR_INVALID_ARGUMENT;
    uint32_t channels = ls_context_input_channels(ctx);
    if (channels == 0)
        return LS_ERROR_INVALID_STATE;
    ls_node_options user = ls_node_options_default();
    const ls_node_options defaults = {(int32_t)channels, LS_CHANNEL_COUNT_MODE_MAX,
                                      LS_CHANNEL_INTERPRETATION_SPEAKERS};
    ls_node *node;
    ls_result r = ls__node_create(ctx, LS_NODE_TYPE_MEDIA_STREAM_SOURCE, &mss_vtable,
                                  sizeof(mss_proc), 0, 1, &defaults, &user, &node);
    if (r != LS_OK)
        return r;
    ((mss_proc *)node->proc)->channels = channels;
    ls__node_publish(node);
    *out = node;
    return LS_OK;
}

static void mss_options_init(void *o)
{
    *(ls_node_options *)o = ls_node_options_default();
}

static ls_result mss_create_any(ls_context *ctx, const void *o, ls_node **out)
{
    (void)o;
    return ls_media_stream_source_create(ctx, out);
}

const ls_node_descriptor ls__media_stream_source_type = {
    .name = "MediaStreamAudioSource", .key = "media_stream_source",
    .type = LS_NODE_TYPE_MEDIA_STREAM_SOURCE,
    .doc = "the audio captured from an input device, in a device context",
    .number_of_inputs = 0, .number_of_outputs = 1,
     .flags = LS_NODE_TYPE_EXTERNAL | LS_NODE_TYPE_FIXED_CHANNELS,
    .channel_defaults = {1, LS_CHANNEL_COUNT_MODE_MAX, LS_CHANNEL_INTERPRETATION_SPEAKERS},
    .options_size = sizeof(ls_node_options),
    .options_init = mss_options_init, .create = mss_create_any,
};
