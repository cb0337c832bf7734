/*
 * ChannelSplitterNode (src/nodes/channel_splitter.c): create_channel_splitter(number_of_outputs)
 * takes its option by position, and a count outside 1..32 is IndexSizeError.
 * Everything else comes from the engine's descriptor.
 */
#include "nodes.h"

const lspy_node_special lspy_channel_splitter_special = {
    "channel_splitter", NULL, NULL,
    "Outputs past the input's channels are silent; channel_count follows\n"
    "number_of_outputs and the channel settings cannot change.\n"
    "\n"
    "    split = ctx.create_channel_splitter(2)\n"
    "    stereo_src >> split\n"
    "    split.connect(left_gain, 0); split.connect(right_gain, 1)",
    .factory_npos = 1, .option_error = LS_ERROR_INDEX_SIZE};
