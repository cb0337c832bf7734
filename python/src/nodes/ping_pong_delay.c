/*
 * PingPongDelayNode (src/nodes/ping_pong_delay.c): its description, and the
 * tempo message it shares with BPMDelayNode. Options, the params and the
 * settings come from the engine's descriptor.
 */
#include "nodes.h"

const lspy_node_special lspy_ping_pong_delay_special = {
    .key = "ping_pong_delay",
    .doc =
    "LabSound's stereo ping-pong delay as one node. The input, mixed to mono, is\n"
    "echoed left after 60 / tempo * beats seconds, then right after as long again,\n"
    "then left again scaled by feedback, and so on. The output always has two\n"
    "channels: L = dry * input L + wet * left echoes, R = dry * input R + wet * right\n"
    "echoes.\n"
    "\n"
    "    pp = ctx.create_ping_pong_delay(tempo=110, note='eighth', feedback=0.4)\n"
    "    src >> pp >> ctx.destination\n"
    "\n"
    "Errors: as BPMDelayNode; NotSupportedError for channel_count above 2 or the\n"
    "'max' channel_count_mode; ValueError for non-finite feedback, wet or dry.",
    .create_error = lspy_tempo_explain};
