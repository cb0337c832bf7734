/*
 * BiquadFilterNode (src/nodes/biquad_filter.c): get_frequency_response and
 * `q`, another spelling of Q. Its params, type and options come from the
 * engine's descriptor.
 */
#include "nodes.h"

static const char *const biquad_aliases[] = {"q", "Q", NULL};

const lspy_node_special lspy_biquad_filter_special = {
    "biquad_filter", NULL, NULL,
    "The Web Audio spec's coefficient formulas. Q is the resonance in dB for\n"
    "lowpass/highpass; gain applies to the shelves and peaking only; q is Q too.\n"
    "get_frequency_response(frequencies) gives the response without rendering.\n"
    "\n"
    "    lp = ctx.create_biquad_filter(type='lowpass', frequency=800, Q=4)\n"
    "    src >> lp >> ctx.destination\n"
    "    lp.frequency.exponential_ramp_to_value_at_time(4000, 2.0)",
    0, biquad_aliases, ls_biquad_filter_get_frequency_response};
