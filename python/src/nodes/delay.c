/*
 * DelayNode (src/nodes/delay.c): create_delay(max_delay_time) takes its
 * first option by position, and a refused max_delay_time says why. The rest
 * comes from the engine's descriptor.
 */
#include "nodes.h"

static int
create_error(lspy_state *st, ls_result r, const void *opts, PyObject *const *raw, const char *fn)
{
    if (r != LS_ERROR_NOT_SUPPORTED || raw[0] == NULL) {
        return 0;
    }
    lspy_raise(st, r, "%s(max_delay_time): must be greater than 0 and less than %d s, got %R",
               fn, (int)LS_DELAY_MAX_TIME, raw[0]);
    return 1;
}

const lspy_node_special lspy_delay_special = {
    "delay", NULL, NULL,
    "In a cycle of the graph the delay is at least one render quantum (128 frames),\n"
    "so feedback loops through it work, as the spec requires.\n"
    "\n"
    "    d = ctx.create_delay(2.0, delay_time=0.25)\n"
    "    fb = ctx.create_gain(gain=0.5)\n"
    "    src >> d >> fb >> d          # an echo that decays by half per repeat\n"
    "    d >> ctx.destination",
    1, NULL, NULL, create_error};
