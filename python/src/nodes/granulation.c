/*
 * GranulationNode (src/nodes/granulation.c): its counters, which are not
 * settings. Options, params, window, seed, max_voices, interpolation and
 * the buffer come from the engine's descriptor.
 */
#include "nodes.h"

static PyObject *
get_counter(PyObject *self, void *dropped)
{
    lspy_NodeObject *n = (lspy_NodeObject *)self;
    if (lspy_node_check_live(n) < 0) {
        return NULL;
    }
    return PyLong_FromUnsignedLongLong(dropped ? ls_granulation_grains_dropped(n->node)
                                               : ls_granulation_grains_started(n->node));
}

static PyGetSetDef granulation_getset[] = {
    {"grains_started", get_counter, NULL, "Grains started so far (read-only).", NULL},
    {"grains_dropped", get_counter, NULL,
     "Grains dropped so far because every voice was sounding (read-only).", (void *)1},
    {NULL}};

const lspy_node_special lspy_granulation_special = {
    "granulation", NULL, granulation_getset,
    "From start() on a grain begins every sample_rate / grain_rate frames (the first at\n"
    "the first played frame). Each lasts round(grain_duration * sample_rate) frames and\n"
    "reads the buffer at playback_rate from a position drawn uniformly (a generator\n"
    "seeded by seed) between position_start and position_end - grain_duration *\n"
    "playback_rate seconds (read between frames with `interpolation`: 'linear',\n"
    "'cubic' or 'sinc'; None: the context's), times the window. Grains overlap on up to\n"
    "max_voices preallocated voices; one due while all sound is dropped (grains_dropped).\n"
    "The output has the buffer's channel count. The params are read at each grain's onset.\n"
    "\n"
    "    g = ctx.create_granulation(buffer=buf, grain_duration=0.05, grain_rate=40)\n"
    "    g >> ctx.destination; g.start(0)\n"
    "\n"
    "Errors: TypeError for a missing buffer or an option of the wrong type; ValueError\n"
    "for a value that is NaN, infinite or negative (grain_duration must be above 0), an\n"
    "unknown window or max_voices outside 1 .. 256."};
