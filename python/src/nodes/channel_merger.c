/*
 * ChannelMergerNode (src/nodes/channel_merger.c): create_channel_merger(number_of_inputs)
 * takes its option by position, and a count outside 1..32 is IndexSizeError.
 * Everything else comes from the engine's descriptor.
 */
#include "nodes.h"

const lspy_node_special lspy_channel_merger_special = {
    "channel_merger", NULL, NULL,
    "Each input is down-mixed to mono; channel_count is 1 and channel_count_mode\n"
    "'explicit', as the spec fixes.\n"
    "\n"
    "    merger = ctx.create_channel_merger(2)\n"
    "    left.connect(merger, 0, 0); right.connect(merger, 0, 1)\n"
    "    merger >> ctx.destination",
    .factory_npos = 1, .option_error = LS_ERROR_INDEX_SIZE};
