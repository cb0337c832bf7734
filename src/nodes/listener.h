/*
 * The AudioListener's render side, shared with the panner: its nine params'
 * values for the quantum being rendered, computed once per quantum by
 * whichever of the listener node and its panners asks first (the listener
 * is ordered before every panner of its context, see ls_proc.after).
 */
#ifndef LS_NODES_LISTENER_H
#define LS_NODES_LISTENER_H

#include "../engine.h"

enum {
    LS_LISTENER_POSITION_X = 0, LS_LISTENER_POSITION_Y, LS_LISTENER_POSITION_Z,
    LS_LISTENER_FORWARD_X, LS_LISTENER_FORWARD_Y, LS_LISTENER_FORWARD_Z,
    LS_LISTENER_UP_X, LS_LISTENER_UP_Y, LS_LISTENER_UP_Z,
    LS_LISTENER_NPARAMS
};

typedef struct ls_listener_values {
    const float *v[LS_LISTENER_NPARAMS];   /* LS_Q values each (only [0] when constant) */
    bool constant[LS_LISTENER_NPARAMS];
    bool all_constant;
} ls_listener_values;

/* render: the listener's values for the current quantum. */
const ls_listener_values *ls__listener_values(ls_proc *listener, ls_render *r);

/* control, under lock or not: the context's listener node, made on first use
 * (NULL when out of memory or when the context is closed). */
ls_node *ls__listener_get(ls_context *ctx);

/* control: the channel options the panner, convolver and compressor share:
 * count <= 2 and mode not MAX, else NOT_SUPPORTED (panner.c). */
ls_result ls__check_stereo_node_options(const ls_node_options *o);

#endif
