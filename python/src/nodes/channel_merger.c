/*
 * ChannelMergerNode (src/nodes/channel_merger.c): created as
 * create_channel_merger(number_of_inputs), a count outside 1..32 is an
 * IndexSizeError as the spec asks. The rest comes from the descriptor.
 */
#include "nodes.h"

static int
check(lspy_state *st, PyObject *const *raw, const char *fn)
{
    return lspy_check_count(st, raw[0], fn, "number_of_inputs");
}

const lspy_node_special lspy_channel_merger_special = {
    "channel_merger", NULL, NULL,
    "Each input is down-mixed to mono; channel_count is 1 and channel_count_mode\n"
    "'explicit', as the spec fixes.\n"
    "\n"
    "    merger = ctx.create_channel_merger(2)\n"
    "    left.connect(merger, 0, 0); right.connect(merger, 0, 1)\n"
    "    merger >> ctx.destination",
    1, NULL, check};
