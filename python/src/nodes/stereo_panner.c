/*
 * StereoPannerNode (src/nodes/stereo_panner.c): the channel settings it
 * refuses, named. Its param and options come from the engine's descriptor.
 */
#include "nodes.h"

static int
create_error(lspy_state *st, ls_result r, const void *opts, PyObject *const *raw, const char *fn)
{
    const ls_node_options *o = opts;
    if (r != LS_ERROR_NOT_SUPPORTED) {
        return 0;
    }
    if (o->channel_count > 2 && raw[1] != NULL) {
        lspy_raise(st, r, "%s(channel_count): must be 1 or 2, got %R", fn, raw[1]);
    }
    else if (raw[2] != NULL) {
        lspy_raise(st, r, "%s(channel_count_mode): must be 'clamped-max' or 'explicit', got %R",
                   fn, raw[2]);
    }
    return raw[1] != NULL || raw[2] != NULL;
}

const lspy_node_special lspy_stereo_panner_special = {
    "stereo_panner", NULL, NULL,
    "channel_count is at most 2 and channel_count_mode 'clamped-max' or 'explicit'.\n"
    "\n"
    "    p = ctx.create_stereo_panner(pan=-0.5)\n"
    "    src >> p >> ctx.destination\n"
    "    lfo >> p.pan                                 # auto-pan",
    0, NULL, NULL, create_error};
