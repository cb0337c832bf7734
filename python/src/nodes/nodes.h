/*
 * What the generic node classes (python/src/node_types.c) cannot derive from
 * the engine's descriptors: each node's hand-written methods and attributes,
 * defined in python/src/nodes/<node>.c beside the engine's src/nodes/<node>.c.
 */
#ifndef LABSOUND_PY_NODES_H
#define LABSOUND_PY_NODES_H

#include "../core.h"

typedef struct lspy_node_special {
    const char *key;                /* the descriptor's key: "adsr" */
    PyMethodDef *methods;           /* NULL-terminated, or NULL */
    PyGetSetDef *getset;            /* attributes besides params and settings, or NULL */
    const char *doc;                /* appended to the class's docstring, or NULL */
} lspy_node_special;

/* Live node check shared by the hand-written parts: 0, or -1 with
 * InvalidStateError when the node was released. */
int lspy_node_check_live(lspy_NodeObject *self);

extern const lspy_node_special lspy_adsr_special;
extern const lspy_node_special lspy_spectral_monitor_special;

#endif /* LABSOUND_PY_NODES_H */
