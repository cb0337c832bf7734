/*
 * The DelayNode's processor, shared with the nodes built on it
 * (BPMDelayNode, bpm_delay.c): the same delay line under another node type.
 */
#ifndef LS_NODES_DELAY_LINE_H
#define LS_NODES_DELAY_LINE_H

#include "../engine.h"

/* control: ls_delay_create with another node type; the delay time is the
 * node's params[0] ("delayTime"). Errors as ls_delay_create. */
ls_result ls__delay_create_typed(ls_context *ctx, ls_node_type type,
                                 const ls_delay_options *options, ls_node **out);

#endif
