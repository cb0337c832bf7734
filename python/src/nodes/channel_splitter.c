/*
 * ChannelSplitterNode (src/nodes/channel_splitter.c): created as
 * create_channel_splitter(number_of_outputs), a count outside 1..32 is an
 * IndexSizeError as the spec asks. The rest comes from the descriptor.
 */
#include "nodes.h"

static int
check(lspy_state *st, PyObject *const *raw, const char *fn)
{
    return lspy_check_count(st, raw[0], fn, "number_of_outputs");
}

const lspy_node_special lspy_channel_splitter_special = {
    "channel_splitter", NULL, NULL,
    "Outputs past the input's channels are silent; channel_count follows\n"
    "number_of_outputs and the channel settings cannot change.\n"
    "\n"
    "    split = ctx.create_channel_splitter(2)\n"
    "    stereo_src >> split\n"
    "    split.connect(left_gain, 0); split.connect(right_gain, 1)",
    1, NULL, check};
